"""analysis.fetching against a real HTTP server: the blog of tests/analysis/fixtures/blog.py,
served on 127.0.0.1 by pytest-httpserver (fixtures in conftest.py). No mocks: every claim is
checked by what the server received and what the fetch returned. The crawler's own politeness
(robots.txt, delay, cache, retries) is in test_crawling.py."""

from __future__ import annotations

import pytest

from analysis.crawling import CrawlSettings
from analysis.fetching import FetchError, fetch_posts, refresh, summary_lines
from analysis.post_checks import slugify
from tests.analysis.fixtures.blog import EXPECTED, ORDER, SITE

FIELDS = ["title", "summary", "text", "published", "date_status", "date_precision"]


def test_every_field_of_every_post(blog, settings):
    result = fetch_posts(blog.index, settings)
    posts = result.posts
    assert list(posts["url"]) == [blog.base + path for path in ORDER]
    for post in posts.to_dict("records"):
        expected = EXPECTED[post["url"].removeprefix(blog.base)]
        for field, value in expected.items():
            assert post[field] == value, (post["url"], field)
        assert post["source"] == SITE
    # ids are given when the posts are written: slugs of the titles
    table = refresh(blog.index, None, settings).table
    assert list(table["id"]) == [slugify(EXPECTED[path]["title"]) for path in ORDER]
    assert list(table.columns) == [
        "id", "title", "summary", "text", "published", "date_status", "date_precision",
        "date_basis", "url", "author", "source",
    ]  # fmt: skip


def test_pages_not_read_are_reported_with_the_reason_and_the_crawl_goes_on(blog, settings):
    result = fetch_posts(blog.index, settings)
    assert [(f.url.removeprefix(blog.base), f.reason) for f in result.failures] == [
        ("/blog/broken-post", "HTTP 500 Internal Server Error"),
        ("/blog/private/secret-post", "robots.txt forbids reading it"),
    ]
    assert list(result.undated["url"]) == [blog.base + "/blog/an-undated-reflection"]
    lines = summary_lines(refresh(blog.index, None, settings), merged=False)
    assert f"Not read: {blog.base}/blog/broken-post: HTTP 500 Internal Server Error" in lines
    assert (
        f"Undated (kept without a date): An undated reflection "
        f"({blog.base}/blog/an-undated-reflection)" in lines
    )


def test_a_redirected_post_is_read_at_its_new_address_and_folded_with_its_direct_link(
    blog, settings
):
    result = fetch_posts(blog.index, settings)
    moved = result.posts[result.posts["title"] == "A post that moved"]
    assert list(moved["url"]) == [blog.base + "/blog/moved-post"]
    assert [change.title for change in result.folded] == ["A post that moved"]
    assert blog.paths().count("/blog/old-address") == 1


def test_pagination_feed_and_sitemap_are_followed_and_nothing_else(blog, settings):
    fetch_posts(blog.index, settings)
    assert blog.paths()[:6] == [
        "/robots.txt", "/blog", "/blog?page=2", "/blog/page/3/", "/blog/feed.xml", "/sitemap.xml",
    ]  # fmt: skip
    for never in ("/about", "/blog/tag/workforce", "/blog/category/news", "/blog/tag/living-wage"):
        assert never not in blog.paths()
    # The feed's link to another site is not followed (it is not even on this server).
    assert len(blog.hits) == len(blog.paths())


def test_from_a_feed_its_posts_on_the_site_with_the_feed_dates_as_fallback(blog, settings):
    result = fetch_posts(blog.base + "/blog/feed.xml", settings)
    assert list(result.posts["url"]) == [
        blog.base + "/blog/living-wage-for-porters",
        blog.base + "/blog/feed-only-post",
    ]
    # The page's own meta tag wins over the feed; the feed dates the page that states none.
    assert list(result.posts["date_basis"]) == [
        "article:published_time meta tag",
        "the blog's feed (pubDate)",
    ]
    assert list(result.posts["source"]) == [SITE, SITE]  # the feed's title


def test_from_a_sitemap_index_the_pages_of_its_sitemaps(blog, settings):
    result = fetch_posts(blog.base + "/sitemap_index.xml", settings)
    assert list(result.posts["url"]) == [
        blog.base + "/blog/race-equality-data",
        blog.base + "/blog/2022/05/sitemap-only-post",
    ]
    assert list(result.posts["published"]) == ["2022-04-03", "2022-05-01"]


def test_the_page_limit_bounds_the_crawl(blog, settings):
    limited = CrawlSettings(**{**settings.__dict__, "max_pages": 7})
    result = fetch_posts(blog.index, limited)
    assert result.limit_reached
    pages = [path for path in blog.paths() if path != "/robots.txt"]
    assert len(pages) == 7  # three index pages, the feed, the sitemap and two posts
    assert list(result.posts["title"]) == [EXPECTED[path]["title"] for path in ORDER[:2]]
    lines = summary_lines(refresh(blog.index, None, limited), merged=False)
    assert "Stopped at the page limit: raise --max-pages to read more." in lines


def test_a_first_page_that_fails_is_a_fetch_error(blog, settings):
    with pytest.raises(FetchError, match="/nowhere: HTTP 404 Not Found"):
        fetch_posts(blog.base + "/nowhere", settings)
    with pytest.raises(FetchError, match="not a web address"):
        fetch_posts("file:///etc/passwd", settings)
    with pytest.raises(FetchError, match=r"robots\.txt forbids reading it"):
        fetch_posts(blog.base + "/blog/private/secret-post", settings)


def test_progress_is_reported_for_each_page(blog, settings):
    seen = []
    fetch_posts(blog.index, settings, seen.append)
    finding = [p for p in seen if p.stage == "finding"]
    reading = [p for p in seen if p.stage == "reading"]
    assert [p.url.removeprefix(blog.base) for p in finding] == [
        "/blog", "/blog?page=2", "/blog/page/3/", "/blog/feed.xml", "/sitemap.xml",
    ]  # fmt: skip
    assert [p.done for p in reading] == list(range(1, 12))
    assert {p.total for p in reading} == {11}
    assert reading[0].message == f"Reading post 1 of 11 ({blog.base}/blog/living-wage-for-porters)"


def test_a_page_the_extractor_chokes_on_is_reported_and_the_crawl_goes_on(
    blog, settings, monkeypatch
):
    import analysis.fetching

    real = analysis.fetching.extract

    def choking(content, url, feed=None):  # fault injection: the parser fails on one page
        if url.endswith("/race-equality-data"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(content, url, feed)

    monkeypatch.setattr(analysis.fetching, "extract", choking)
    result = fetch_posts(blog.index, settings)
    assert (blog.base + "/blog/race-equality-data", "could not be read (RecursionError)") in [
        (f.url, f.reason) for f in result.failures
    ]
    assert len(result.posts) == len(ORDER) - 1


def test_messages_for_people_separate_thousands():
    from types import SimpleNamespace

    import pandas as pd

    from analysis.fetching import Progress

    assert Progress("reading", 1_200, 43_213, "u").message == "Reading post 1,200 of 43,213 (u)"
    assert Progress("finding", 1_001, None, "u").message == "Finding posts: page 1,001 (u)"
    undated = pd.DataFrame({"title": ["t"] * 1_001, "url": ["v"] * 1_001})
    fetched = SimpleNamespace(
        pages=1_250, url="u", requests=1_251, posts=range(1_200), undated=undated,
        failures=[], limit_reached=False,
    )  # fmt: skip
    counts = {"added": 43_213, "confirmed": 1_000, "corrected": 2, "dated": 0}
    counts |= {"filled": 0, "unchanged": 0, "not_fetched": 0}
    listed = {key: () for key in ("confirmed", "corrected", "dated", "differs", "filled", "folded")}
    result = SimpleNamespace(
        fetched=fetched, summary=SimpleNamespace(counts=lambda: counts, **listed)
    )
    assert summary_lines(result, merged=True)[:2] == [
        "Read 1,250 pages of u (1,251 requests): 1,200 posts found, 1,001 undated, "
        "0 pages not read.",
        "Added 43,213; dates confirmed 1,000, corrected 2, added to undated posts 0; "
        "fields filled in 0; unchanged 0; kept, not found on the blog 0.",
    ]
    assert summary_lines(result, merged=False)[1] == "Added 43,213."
