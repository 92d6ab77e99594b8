"""analysis.datachecks: data-quality findings, each naming its rows and ids."""

from __future__ import annotations

import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.datachecks import LISTED, MAX_GROUPS, QUOTED, Finding, _folded, find_issues
from analysis.dates import range_text
from analysis.loading import load_posts


def by_kind(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.kind, []).append(finding)
    return grouped


def test_bundled_posts_findings(bundled):
    found = by_kind(bundled.findings)
    assert set(found) == {"estimated_date", "inferred_date", "duplicate_summary"}

    (duplicate,) = found["duplicate_summary"]
    assert set(duplicate.ids) == {
        "anchoring-support-for-neurodivergent-young-girls",
        "anchoring-communities-for-75-years-celebrating-the-nhs",
    }
    assert duplicate.rows == (5, 6)
    assert "2 posts share the same summary (rows 5, 6)" in duplicate.message
    assert "“Anchoring Support for Neurodivergent Young Girls”" in duplicate.message

    (estimated,) = found["estimated_date"]
    assert len(estimated.ids) == 11
    assert estimated.message.startswith("11 posts have a date estimated")
    (inferred,) = found["inferred_date"]
    assert len(inferred.ids) == 6
    assert inferred.rows == (4, 6, 9, 12, 15, 19)


def test_bundled_findings_match_find_issues(bundled):
    assert find_issues(bundled.posts) == bundled.findings


SAMPLE = """id,title,summary,text,date,date_status
ok,Fine post,A summary,,05/07/2023,published
blank,No date here,Another summary,,,
words,Unreadable,Third summary,,sometime,
guess,Guessed date,Fourth summary,,2023,estimated
same-1,Same Title,Fifth summary,,2023,
same-2,  same title ,Sixth summary,,2023,
copy-1,Copy one,The very same words.,,2023,
copy-2,Copy two,the very same WORDS.,,2023,
empty,Nothing but a title,,,2023,
body,Body only,,Some body text,2023,
"""


def test_findings_on_a_sample(read_csv):
    found = by_kind(find_issues(read_csv(SAMPLE).posts))
    assert set(found) == {
        "undated",
        "unreadable_date",
        "estimated_date",
        "duplicate_title",
        "duplicate_summary",
        "empty_summary",
    }

    (undated,) = found["undated"]
    assert (undated.ids, undated.rows) == (("blank",), (3,))
    assert undated.message.startswith("1 post has no date (rows 3)")

    (unreadable,) = found["unreadable_date"]
    assert (unreadable.ids, unreadable.rows) == (("words",), (4,))
    assert "e.g. 'sometime'" in unreadable.message

    assert found["estimated_date"][0].ids == ("guess",)

    (titles,) = found["duplicate_title"]  # case and surrounding space ignored
    assert titles.ids == ("same-1", "same-2")
    assert titles.rows == (6, 7)

    (summaries,) = found["duplicate_summary"]
    assert summaries.ids == ("copy-1", "copy-2")

    (empty,) = found["empty_summary"]  # a post with body text is not empty
    assert (empty.ids, empty.rows, empty.titles) == (("empty",), (10,), ("Nothing but a title",))


def test_empty_summaries_are_not_duplicates_of_each_other(read_csv):
    posts = read_csv("title,summary\nA,\nB,\n").posts
    kinds = [finding.kind for finding in find_issues(posts)]
    assert kinds == ["undated", "empty_summary"]


def test_each_group_of_duplicates_is_its_own_finding(read_csv):
    posts = read_csv("title,summary\nA,one\nA,two\nB,three\nB,four\nC,five\n").posts
    duplicates = [f for f in find_issues(posts) if f.kind == "duplicate_title"]
    assert [f.rows for f in duplicates] == [(2, 3), (4, 5)]


def test_long_row_lists_are_shortened(read_csv):
    posts = read_csv("title,summary\n" + "".join(f"T{n},s{n}\n" for n in range(13))).posts
    (undated,) = find_issues(posts)
    assert "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more" in undated.message
    assert undated.rows == tuple(range(2, 15))


def test_clean_posts_have_no_findings(read_csv):
    posts = read_csv("title,summary,date\nA,one,2023-01-01\nB,two,2023-02-01\n").posts
    assert find_issues(posts) == []


# --- dates outside the sane range -------------------------------------------------------------


def test_dates_outside_the_range_are_a_finding_of_their_own(read_csv):
    posts = read_csv(
        "id,title,summary,date\n"
        "hastings,Hastings,s,1066-10-14\n"
        "ok,Fine,s,2023-07-05\n"
        "words,Words,s,sometime\n"
        "end,The end,s,9999-12-31\n"
    ).posts
    found = by_kind(find_issues(posts))
    (far,) = found["date_out_of_range"]
    assert (far.ids, far.rows) == (("hastings", "end"), (2, 5))
    assert far.message == (
        f"2 posts have a date outside {range_text()} (rows 2, 5, e.g. '1066-10-14'); they are "
        "treated as undated: they count everywhere except the charts over time."
    )
    (unreadable,) = found["unreadable_date"]  # only the text that is no date at all
    assert unreadable.ids == ("words",)
    assert "undated" not in found  # a date was written, so they are not "no date"
    assert posts.loc[posts["id"].isin(["hastings", "end"]), "published"].isna().all()


def test_quoted_dates_and_titles_are_cut_short(read_csv):
    long = "x" * 5_000
    posts = read_csv(f"title,summary,date\n{long},s,{long}\n{long},t,2023\n").posts
    messages = [finding.message for finding in find_issues(posts)]
    assert len(messages) == 2  # the unreadable date, the duplicate title
    for message in messages:
        assert "x" * QUOTED not in message
        assert "x" * (QUOTED - 1) + "…" in message  # cut, the ellipsis within the limit
        assert len(message) < 400


# --- many duplicates ----------------------------------------------------------------------------


def test_50000_identical_posts_are_one_short_finding_per_column(read_csv):
    posts = read_csv("title,summary\n" + "Same title,Same summary\n" * 50_000).posts
    assert posts["id"].is_unique
    found = by_kind(find_issues(posts))
    (titles,) = found["duplicate_title"]
    (summaries,) = found["duplicate_summary"]
    rows = f"rows {', '.join(str(n) for n in range(2, 2 + LISTED))} and 49,990 more"
    assert titles.message == f"50,000 posts share the same title ({rows}): “Same title”"
    assert summaries.message == (
        f"50,000 posts share the same summary ({rows}): "
        + "; ".join(["“Same title”"] * LISTED)
        + " and 49,990 more"
    )
    for finding in (titles, summaries):
        assert finding.rows == tuple(range(2, 50_002))
        assert len(finding.ids) == 50_000


def test_past_max_groups_duplicates_are_gathered_in_one_finding(read_csv):
    pairs = MAX_GROUPS + 5
    rows = "".join(f"Title {n},a {n}\nTitle {n},b {n}\n" for n in range(pairs))
    findings = find_issues(read_csv("title,summary\n" + rows).posts)
    duplicates = [f for f in findings if f.kind.startswith("duplicate_")]
    assert [f.kind for f in duplicates] == ["duplicate_title"] * (MAX_GROUPS + 1)
    for n, finding in enumerate(duplicates[:MAX_GROUPS]):
        assert finding.rows == (2 + 2 * n, 3 + 2 * n)
        assert finding.titles == (f"Title {n}", f"Title {n}")
    rest = duplicates[-1]
    assert rest.rows == tuple(range(2 + 2 * MAX_GROUPS, 2 + 2 * pairs))
    assert rest.message == (
        f"5 more groups of posts share a title (10 posts, rows "
        f"{', '.join(str(n) for n in range(2 + 2 * MAX_GROUPS, 2 + 2 * MAX_GROUPS + LISTED))})."
    )


#: Characters whose case folding is not their lower case, or that lower case oddly, and
#: caseless punctuation beside them.
TRICKY = "ßµſﬁİΣσςΩKÅǅ’“”–…€£ Aaz"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(TRICKY), max_size=12),
        max_size=20,
    )
)
def test_the_quick_case_folding_folds_as_python_does(texts):
    series = pd.Series(texts, dtype="str")
    assert list(_folded(series)) == [text.casefold() for text in texts]


def test_titles_that_differ_only_in_case_folding_are_duplicates():
    posts = load_posts(
        io.BytesIO("title,summary\nStraße plan,a\nSTRASSE PLAN,b\nCafé,c\n".encode())
    )
    (finding,) = by_kind(find_issues(posts))["duplicate_title"]
    assert finding.rows == (2, 3)
