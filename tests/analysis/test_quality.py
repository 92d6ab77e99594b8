"""analysis.quality: data-quality findings, each naming its rows and ids."""

from __future__ import annotations

from analysis.quality import Finding, find_issues


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
