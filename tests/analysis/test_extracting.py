"""analysis.extracting: where a page states its date, how precisely, and the summary."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from analysis.extracting import (
    DateFound,
    extract,
    first_sentences,
    json_ld_date,
    meta_date,
    page_date,
    read_date,
    text_date,
    time_date,
    url_date,
)

BODY = (
    "<p>The trust pays its porters, cleaners and catering staff the real Living Wage, and "
    "contracted staff moved onto the same pay as everyone else in April this year.</p>"
    "<p>Staff told us the cost of living had made every shift harder, so the board agreed "
    "that an anchor institution should start with its own low paid staff.</p>"
)


def tree(head: str = "", body: str = ""):
    return html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2023-07-05T23:30:00-05:00", (date(2023, 7, 5), "day")),  # the writer's day, not UTC
        ("2023-07-05T09:30:00.000Z", (date(2023, 7, 5), "day")),
        ("2023-07", (date(2023, 7, 1), "month")),
        ("2023", (date(2023, 1, 1), "year")),
        ("03/04/2022", (date(2022, 4, 3), "day")),  # UK day first
        ("5th July 2023", (date(2023, 7, 5), "day")),
        ("July 5, 2023", (date(2023, 7, 5), "day")),  # a named month is not ambiguous
        ("July 2023", (date(2023, 7, 1), "month")),
        ("1066-10-14", None),  # before any blog
        ("2999-01-01", None),  # the future
        ("31/02/2023", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_read_date(written, expected):
    assert read_date(written) == expected


def test_meta_tags_in_order_of_trust():
    page = tree(
        '<meta name="date" content="2020-01-01">'
        '<meta property="article:modified_time" content="2024-01-01">'
        '<meta property="article:published_time" content="2023-07-05T09:30:00+01:00">'
    )
    assert meta_date(page) == DateFound(date(2023, 7, 5), "day", "article:published_time meta tag")
    assert meta_date(tree('<meta itemprop="datePublished" content="2022-02">')) == DateFound(
        date(2022, 2, 1), "month", "datePublished meta tag"
    )
    assert meta_date(tree('<meta property="article:modified_time" content="2024-01-01">')) is None
    # An unreadable published_time falls through to the next tag that can be read.
    page = tree(
        '<meta property="article:published_time" content="yesterday">'
        '<meta name="DC.date.issued" content="2021-09-30">'
    )
    assert meta_date(page).basis == "dc.date.issued meta tag"


def test_json_ld_prefers_the_article_and_survives_bad_json():
    page = tree(
        '<script type="application/ld+json">{not json</script>'
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage", '
        '"datePublished": "2019-01-01"}, {"@type": ["BlogPosting"], '
        '"datePublished": "2022-11-17"}]}</script>'
    )
    assert json_ld_date(page) == DateFound(date(2022, 11, 17), "day", "JSON-LD datePublished")
    assert json_ld_date(tree('<script type="application/ld+json">[1, "x", null]</script>')) is None


def test_time_prefers_the_marked_publication_time_in_the_article():
    page = tree(
        body='<aside><time datetime="2019-05-05">related</time></aside>'
        '<article><time datetime="2024-01-01">updated</time>'
        '<time pubdate datetime="2021-03">March 2021</time></article>'
    )
    assert time_date(page) == DateFound(date(2021, 3, 1), "month", "<time datetime> element")
    assert time_date(tree(body="<article><time>no datetime</time></article>")) is None


def test_a_date_in_the_address():
    assert url_date("https://b.example/2023/07/05/post/") == DateFound(
        date(2023, 7, 5), "day", "date in the address"
    )
    assert url_date("https://b.example/blog/2022/05/post") == DateFound(
        date(2022, 5, 1), "month", "date in the address"
    )
    assert url_date("https://b.example/blog/2022-05-post") is None
    assert url_date("https://b.example/2022/13/post") is None


def test_a_date_in_the_text_only_on_a_short_line_at_the_top():
    assert text_date("Posted on 03/04/2022 by Ann\nBody text.") == DateFound(
        date(2022, 4, 3), "day", 'date in the text ("Posted on 03/04/2022 by Ann")'
    )
    lines = "\n".join(f"Paragraph {n}." for n in range(6))
    assert text_date(lines + "\nPosted on 5 July 2023") is None  # too far down
    long_line = "The partnership began in January 2020 " + "and went on " * 10
    assert text_date(long_line) is None  # a date in a paragraph is what the post is about
    assert text_date("Written in March 2021") == DateFound(
        date(2021, 3, 1), "month", 'date in the text ("Written in March 2021")'
    )


def test_the_first_place_that_states_a_date_wins():
    feed = DateFound(date(2023, 1, 2), "day", "the blog's feed (pubDate)")
    both = tree(
        '<meta property="article:published_time" content="2020-06-30">',
        '<article><time datetime="2021-01-01"></time></article>',
    )
    assert page_date(both, "", "https://b.example/x", feed).basis == (
        "article:published_time meta tag"
    )
    assert page_date(tree(), "Posted 1 May 2020", "https://b.example/2019/01/x", feed) == feed
    assert page_date(tree(), "Posted 1 May 2020", "https://b.example/2019/01/x").basis == (
        "date in the address"
    )
    assert page_date(tree(body="<footer>© 2024</footer>"), "Body.", "https://b.example/x") is None


def test_extract_reads_title_author_description_text_and_site():
    page = (
        "<html><head><title>A post | The Blog</title>"
        '<meta property="og:site_name" content="The Blog">'
        '<meta name="description" content="  The page\'s   own description. ">'
        '<meta name="author" content="Jo Bloggs">'
        '<meta property="article:published_time" content="2023-07-05"></head>'
        f"<body><article><h1>A post</h1>{BODY}</article><footer>© 2024</footer></body></html>"
    )
    post = extract(page.encode(), "https://b.example/blog/a-post")
    assert post.title == "A post"
    assert post.summary == "The page's own description."
    assert post.author == "Jo Bloggs"
    assert post.site_name == "The Blog"
    assert post.text.splitlines()[0].startswith("The trust pays its porters")  # no title line
    assert len(post.text.splitlines()) == 2
    assert post.date == DateFound(date(2023, 7, 5), "day", "article:published_time meta tag")


def test_without_a_description_the_summary_is_the_first_sentences_not_the_dateline():
    page = (
        f"<html><body><article><h1>T</h1><p>Posted on 5 July 2023</p>{BODY}</article></body></html>"
    )
    post = extract(page, "https://b.example/blog/t")
    assert post.summary.startswith("The trust pays its porters")
    assert post.date.basis == 'date in the text ("Posted on 5 July 2023")'


def test_first_sentences():
    text = "One short sentence. Two follows it! Three is a question? " + "Four " * 80 + "end."
    assert first_sentences(text, 40) == "One short sentence. Two follows it!"
    assert first_sentences("Word " * 100, 30) == "Word Word Word Word Word Word…"
    assert first_sentences("") == ""


def test_an_empty_or_broken_page_gives_an_undated_post_without_error():
    for page in (b"", b"\x00\x01", "<html>", "<p>Only a paragraph</p>"):
        post = extract(page, "https://b.example/x")
        assert post.date is None
        assert isinstance(post.title, str) and isinstance(post.text, str)


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_reading_dates_from_any_text_never_fails_and_stays_in_range(text):
    for found in (text_date(text), read_date(text)):
        if found is not None:
            day = found.value if isinstance(found, DateFound) else found[0]
            assert date(1990, 1, 1) <= day
