"""analysis.merging: every merge rule, each on its own, plus a property over random files.

The rules (see the module docstring): same post by address or title; ids stay; what a
person wrote stays; the blog's dates replace estimated and inferred ones; nothing is
deleted; fetched duplicates fold.
"""

from __future__ import annotations

import io
import string

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.exports import csv_bytes
from analysis.loading import read_posts
from analysis.merging import POSTS_FORMAT, merge_posts, title_key, url_key

HEADER = "id,title,summary,published,date_status,date_precision,date_basis,url,author,source"


def fetched(*posts: dict) -> pd.DataFrame:
    """Fetched posts in the posts format; unspecified fields empty."""
    rows = [{column: post.get(column, "") for column in POSTS_FORMAT} for post in posts]
    return pd.DataFrame(rows, columns=list(POSTS_FORMAT))


def dated(date: str, precision: str = "day", basis: str = "JSON-LD datePublished") -> dict:
    return {
        "published": date,
        "date_status": "published",
        "date_precision": precision,
        "date_basis": basis,
    }


def row(table: pd.DataFrame, post_id: str) -> dict:
    return table[table["id"] == post_id].iloc[0].to_dict()


# --- the same post ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://blog.example/blog/a-post", "http://www.blog.example/blog/a-post/"),
        ("https://blog.example/blog/a-post", "https://blog.example/blog/a-post#comments"),
        ("https://blog.example:443/blog/a-post", "https://BLOG.example/blog/a-post"),
    ],
)
def test_the_same_address_however_written(first, second):
    assert url_key(first) == url_key(second) != ""


def test_different_addresses_and_non_web_addresses():
    assert url_key("https://blog.example/blog/a") != url_key("https://blog.example/blog/b")
    assert url_key("https://blog.example/blog?page=2") != url_key("https://blog.example/blog")
    assert url_key("") == url_key("javascript:alert(1)") == url_key("/blog/a") == ""


def test_the_same_title_however_punctuated():
    assert title_key("The NHS’s future workforce — and Levelling up!") == title_key(
        "the NHS's future workforce and  levelling up"
    )
    assert title_key("Living wage") != title_key("Living wages")


def test_a_fetched_post_matches_the_files_post_by_address_then_by_title(read_csv):
    existing = read_csv(
        f"{HEADER}\n"
        "by-url,Old title,S,,,,,https://blog.example/blog/one,,HALN\n"
        "by-title,The NHS’s future workforce,S,,,,,,,HALN\n"
    )
    table, summary = merge_posts(
        existing,
        fetched(
            {"title": "A new title", "url": "http://blog.example/blog/one/", "text": "One."},
            {"title": "The NHS's Future Workforce", "url": "https://b.example/x", "text": "Two."},
        ),
    )
    assert len(table) == 2 and summary.added == []
    assert row(table, "by-url")["title"] == "Old title"  # matched by address, title kept
    assert row(table, "by-url")["text"] == "One."
    assert row(table, "by-title")["text"] == "Two."
    assert row(table, "by-title")["url"] == "https://b.example/x"


# --- ids ----------------------------------------------------------------------------------------


def test_posts_keep_their_ids_and_new_ones_get_unique_slugs(read_csv):
    existing = read_csv(
        "title,summary\nA post,kept\nSecond post,kept too\n"  # no id column: the loader's slugs
    )
    table, summary = merge_posts(
        existing,
        fetched({"title": "A post", "url": "https://b.example/a"}, {"title": "A   Post!!"}),
    )
    # "A   Post!!" is the same title: folded into the first, not added.
    assert [c.title for c in summary.folded] == ["A post"]
    table, summary = merge_posts(existing, fetched({"title": "A post?"}, {"title": "Third"}))
    assert list(table["id"]) == ["third", "a-post", "second-post"]
    table, summary = merge_posts(
        read_csv("id,title,summary\nnew-post,Old,kept\n"), fetched({"title": "New post"})
    )
    assert list(table["id"]) == ["new-post-2", "new-post"]
    assert [(c.id, c.title) for c in summary.added] == [("new-post-2", "New post")]


# --- what a person wrote stays ------------------------------------------------------------------


def test_filled_in_fields_are_kept_and_empty_ones_filled(read_csv):
    existing = read_csv(
        f"{HEADER},notes\n"
        "p,My title,My own summary,,,,,,,HALN,a note\n"
        "q,Other,Theirs,,,,,https://mine.example/q,Ann,,\n"
    )
    blog = fetched(
        {
            "title": "My Title",
            "summary": "The page's description",
            "text": "The full text.",
            "url": "https://blog.example/p",
            "author": "Jo Bloggs",
            "source": "Blog",
        },
        {"title": "Other", "url": "https://blog.example/q", "author": "Bo", "source": "Blog"},
    )
    table, summary = merge_posts(existing, blog)
    p, q = row(table, "p"), row(table, "q")
    assert (p["title"], p["summary"], p["source"], p["notes"]) == (
        "My title", "My own summary", "HALN", "a note",
    )  # fmt: skip
    assert (p["text"], p["url"], p["author"]) == (
        "The full text.", "https://blog.example/p", "Jo Bloggs",
    )  # fmt: skip
    assert (q["url"], q["author"], q["source"]) == ("https://mine.example/q", "Ann", "Blog")
    assert [(c.id, c.detail) for c in summary.filled] == [
        ("p", "text, url, author"),
        ("q", "source"),
    ]


# --- dates --------------------------------------------------------------------------------------

DATES = (
    f"{HEADER}\n"
    "est-ok,Estimated right,S,2023-07-01,estimated,month,Listing order,,,HALN\n"
    "est-bad,Estimated wrong,S,2024-03-01,estimated,month,Newest on the listing,,,HALN\n"
    "inf-ok,Inferred right,S,2023-01-01,inferred,year,Written for NHS 75,,,HALN\n"
    "inf-bad,Inferred wrong,S,2022-01-01,inferred,year,,,,HALN\n"
    "pub-ok,Published right,S,15/03/2021,published,day,Stated on the page,,,HALN\n"
    "pub-bad,Published other,S,2022-04-03,published,day,Stated elsewhere,,,HALN\n"
    "none,Undated,S,,,,,,,HALN\n"
    "blog-undated,Blog has no date,S,2020-01-01,estimated,year,Guess,,,HALN\n"
)


@pytest.fixture
def dates_merged(read_csv):
    return merge_posts(
        read_csv(DATES),
        fetched(
            {"title": "Estimated right", **dated("2023-07-05", basis="article:published_time meta tag")},
            {"title": "Estimated wrong", **dated("2023-11-20")},
            {"title": "Inferred right", **dated("2023-07-05")},
            {"title": "Inferred wrong", **dated("2023-02", "month", "<time datetime> element")},
            {"title": "Published right", **dated("2021-03-01", "month")},
            {"title": "Published other", **dated("2022-03-04")},
            {"title": "Undated", **dated("2020-06-30")},
            {"title": "Blog has no date"},
        ),
    )  # fmt: skip


def test_the_blogs_date_replaces_an_estimated_one_keeping_the_old_in_the_basis(dates_merged):
    table, summary = dates_merged
    assert {k: row(table, "est-ok")[k] for k in ("published", "date_status", "date_precision")} == {
        "published": "2023-07-05", "date_status": "published", "date_precision": "day",
    }  # fmt: skip
    assert row(table, "est-ok")["date_basis"] == (
        "article:published_time meta tag; replaces the estimated date 2023-07-01 (Listing order)"
    )
    assert row(table, "est-bad")["published"] == "2023-11-20"
    assert row(table, "est-bad")["date_basis"] == (
        "JSON-LD datePublished; replaces the estimated date 2024-03-01 (Newest on the listing)"
    )
    assert ("est-ok", "Jul 2023 (estimated) confirmed: 5 Jul 2023") in [
        (c.id, c.detail) for c in summary.confirmed
    ]
    assert ("est-bad", "Mar 2024 (estimated) → 20 Nov 2023") in [
        (c.id, c.detail) for c in summary.corrected
    ]


def test_the_blogs_date_replaces_an_inferred_one_too(dates_merged):
    table, summary = dates_merged
    assert row(table, "inf-ok")["published"] == "2023-07-05"
    assert row(table, "inf-ok")["date_status"] == "published"
    assert row(table, "inf-ok")["date_basis"].endswith(
        "replaces the inferred date 2023-01-01 (Written for NHS 75)"
    )
    bad = row(table, "inf-bad")
    assert (bad["published"], bad["date_precision"]) == ("2023-02", "month")
    assert bad["date_basis"] == (
        "<time datetime> element; replaces the inferred date 2022-01-01 (no reason given)"
    )
    assert [c.id for c in summary.confirmed] == ["est-ok", "inf-ok", "pub-ok"]
    assert [c.id for c in summary.corrected] == ["est-bad", "inf-bad"]


def test_a_published_date_in_the_file_is_kept_even_where_the_blog_differs(dates_merged):
    table, summary = dates_merged
    ok, other = row(table, "pub-ok"), row(table, "pub-bad")
    assert (ok["published"], ok["date_precision"], ok["date_basis"]) == (
        "15/03/2021", "day", "Stated on the page",
    )  # fmt: skip
    assert (other["published"], other["date_basis"]) == ("2022-04-03", "Stated elsewhere")
    assert [(c.id, c.detail) for c in summary.differs] == [
        ("pub-bad", "the file says 3 Apr 2022, the blog 4 Mar 2022; kept 3 Apr 2022")
    ]


def test_an_undated_post_takes_the_blogs_date_and_a_post_the_blog_leaves_undated_is_kept(
    dates_merged,
):
    table, summary = dates_merged
    assert row(table, "none")["published"] == "2020-06-30"
    assert row(table, "none")["date_basis"] == "JSON-LD datePublished"
    assert [c.id for c in summary.dated] == ["none"]
    kept = row(table, "blog-undated")
    assert (kept["published"], kept["date_status"], kept["date_basis"]) == (
        "2020-01-01", "estimated", "Guess",
    )  # fmt: skip
    assert [c.id for c in summary.unchanged] == ["blog-undated"]


def test_merged_dates_load_as_the_loader_reads_them(dates_merged):
    table, _ = dates_merged
    posts = read_posts(io.BytesIO(csv_bytes(table)), "merged.csv").posts.set_index("id")
    assert posts.at["est-ok", "published"] == pd.Timestamp("2023-07-05")
    assert posts.at["inf-bad", "date_precision"] == "month"
    assert posts.at["pub-ok", "published"] == pd.Timestamp("2021-03-15")  # UK day-first kept
    assert (posts["date_status"].dropna() == "published").sum() == 7


# --- nothing is deleted -------------------------------------------------------------------------


def test_nothing_is_deleted_and_missing_columns_are_added_in_place(read_csv):
    existing = read_csv(
        "Slug,Headline,Excerpt,Date,Extra\na,Kept,Mine,2020-01-01,x\nb,Also kept,Mine too,,y\n"
    )
    table, summary = merge_posts(
        existing,
        fetched({"title": "New", "text": "Body", "url": "https://b.example/n", **dated("2024-01-02")}),
    )  # fmt: skip
    assert list(table.columns) == [
        "Slug", "Headline", "Excerpt", "text", "Date", "date_status", "date_precision",
        "date_basis", "url", "author", "source", "Extra",
    ]  # fmt: skip
    assert table.to_dict("records") == [
        {"Slug": "new", "Headline": "New", "Excerpt": "", "text": "Body", "Date": "2024-01-02",
         "date_status": "published", "date_precision": "day",
         "date_basis": "JSON-LD datePublished", "url": "https://b.example/n", "author": "",
         "source": "", "Extra": ""},
        {"Slug": "a", "Headline": "Kept", "Excerpt": "Mine", "text": "", "Date": "2020-01-01",
         "date_status": "", "date_precision": "", "date_basis": "", "url": "", "author": "",
         "source": "", "Extra": "x"},
        {"Slug": "b", "Headline": "Also kept", "Excerpt": "Mine too", "text": "", "Date": "",
         "date_status": "", "date_precision": "", "date_basis": "", "url": "", "author": "",
         "source": "", "Extra": "y"},
    ]  # fmt: skip
    assert [c.id for c in summary.not_fetched] == ["a", "b"]
    assert [c.id for c in summary.added] == ["new"]


def test_a_text_only_file_keeps_reading_its_text_as_the_summary(read_csv):
    existing = read_csv("title,body\nA post,Its body\n")
    table, _ = merge_posts(existing, fetched({"title": "A post", "summary": "Desc", "text": "T"}))
    assert "summary" not in table.columns
    assert row(table, "a-post")["body"] == "Its body"
    again = read_posts(io.BytesIO(csv_bytes(table)), "again.csv").posts
    assert list(again["summary"]) == ["Its body"]


def test_fetched_duplicates_fold_into_the_first(read_csv):
    table, summary = merge_posts(
        None,
        fetched(
            {"title": "One", "url": "https://b.example/one"},
            {"title": "One (moved)", "url": "https://b.example/one/", "author": "Jo"},
            {"title": "ONE", "url": "https://b.example/other", **dated("2023-01-01")},
            {"title": "Two", "url": "https://b.example/two"},
        ),
    )
    assert list(table["title"]) == ["One", "Two"]
    one = row(table, "one")
    assert (one["url"], one["author"], one["published"]) == (
        "https://b.example/one", "Jo", "2023-01-01",
    )  # fmt: skip
    assert [c.detail for c in summary.folded] == [
        "same address as https://b.example/one/",
        "same title as https://b.example/other",
    ]
    assert [c.id for c in summary.added] == ["one", "two"]


# --- a property over random files ---------------------------------------------------------------

_words = st.text(string.ascii_letters + " ’'-,.", min_size=1, max_size=20).filter(str.strip)
_dates = st.sampled_from(["", "2020-01-01", "2021-06", "2019", "05/07/2023"])
_status = st.sampled_from(["published", "estimated", "inferred"])


@st.composite
def files(draw):
    n = draw(st.integers(1, 6))
    rows = []
    for k in range(n):
        day = draw(_dates)
        status = draw(_status) if day else ""
        rows.append([f"id-{k}", draw(_words), draw(_words), day, status, "", draw(_words)])
    header = ["id", "title", "summary", "published", "date_status", "date_basis", "Notes"]
    raw = pd.DataFrame(rows, columns=header)
    return raw


@given(
    raw=files(),
    blog=st.lists(
        st.tuples(
            st.one_of(st.integers(0, 5), _words),  # a number: the title of the file's post
            st.sampled_from(["", "2022-02-02"]),
            _words,
        ),
        max_size=6,
    ),
)
@settings(max_examples=25, deadline=None)
def test_merging_never_loses_a_post_an_id_or_a_cell_a_person_wrote(raw, blog):
    data = raw.to_csv(index=False).encode()
    existing = read_posts(io.BytesIO(data), "random.csv")
    titles = list(raw["title"])
    posts = fetched(
        *(
            {
                "title": titles[t % len(titles)] if isinstance(t, int) else t,
                "summary": x,
                "text": x,
                "author": x,
                **(dated(d) if d else {}),
            }
            for t, d, x in blog
        )
    )
    table, summary = merge_posts(existing, posts)
    kept = table[table["id"].isin(raw["id"])].set_index("id").loc[raw["id"]]
    assert len(kept) == len(raw)  # every post, once
    assert len(table) == len(raw) + len(summary.added)
    assert table["id"].is_unique
    for before, (_, after) in zip(raw.to_dict("records"), kept.iterrows(), strict=True):
        assert after["title"] == before["title"]
        assert after["summary"] == before["summary"]
        assert after["Notes"] == before["Notes"]
        if before["date_status"] not in ("estimated", "inferred") and before["published"]:
            assert after["published"] == before["published"]  # a published date stays
    # The merged file loads again.
    read_posts(io.BytesIO(csv_bytes(table)), "merged.csv")
