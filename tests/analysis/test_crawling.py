"""analysis.crawling against the test blog served on 127.0.0.1 (tests/analysis/fixtures/blog.py):
robots.txt, the user agent, the delay, the disk cache, retries and timeouts, checked by what the
server received. The blog, its server and the crawl settings are fixtures in conftest.py."""

from __future__ import annotations

import itertools
import socket

import pytest

from analysis.crawling import USER_AGENT, Crawler, CrawlSettings, Failure, Page, Unreachable
from analysis.fetching import fetch_posts, refresh, summary_lines


def test_robots_forbidden_path_is_never_requested_and_robots_is_read_first(blog, settings):
    fetch_posts(blog.index, settings)
    assert blog.paths()[0] == "/robots.txt"
    assert not [path for path in blog.paths() if path.startswith("/blog/private/")]


def test_every_request_names_the_project(blog, settings):
    fetch_posts(blog.index, settings)
    assert blog.hits
    assert {hit.user_agent for hit in blog.hits} == {USER_AGENT}
    assert USER_AGENT.startswith("AnchorThemes/")


def test_the_delay_between_requests_is_honoured(blog, tmp_path):
    delay = 0.12
    settings = CrawlSettings(delay=delay, retries=1, backoff=0, cache_dir=tmp_path / "c")
    fetch_posts(blog.index, settings)
    times = [hit.time for hit in blog.hits]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) >= 15
    assert min(gaps) >= delay * 0.95  # retries of the 500 page wait too


def test_a_second_run_reads_the_cache_and_asks_again_only_for_the_failed_page(blog, settings):
    first = fetch_posts(blog.index, settings)
    assert first.requests == len(blog.hits)
    blog.forget()
    second = fetch_posts(blog.index, settings)
    # Server errors are not cached, so the broken page (and its one retry) is asked again.
    assert blog.paths() == ["/blog/broken-post", "/blog/broken-post"]
    assert second.requests == 2
    assert second.posts.equals(first.posts)


def test_a_run_with_nothing_failing_makes_no_request_the_second_time(blog, settings):
    feed = blog.base + "/blog/feed.xml"
    first = fetch_posts(feed, settings)
    assert len(first.posts) == 2 and first.requests > 0
    blog.forget()
    second = fetch_posts(feed, settings)
    assert blog.hits == []
    assert second.requests == 0
    assert second.posts.equals(first.posts)
    assert "(from the cache)" in summary_lines(refresh(feed, None, settings), merged=False)[0]


def test_no_cache_asks_every_time(blog, tmp_path):
    settings = CrawlSettings(delay=0, retries=0, cache=False, cache_dir=tmp_path / "c")
    feed = blog.base + "/blog/feed.xml"
    fetch_posts(feed, settings)
    count = len(blog.hits)
    fetch_posts(feed, settings)
    assert len(blog.hits) == 2 * count
    assert not (tmp_path / "c").exists()


def test_a_transient_error_is_retried(blog, settings):
    with Crawler(settings) as crawler:
        page = crawler.get(blog.base + "/flaky")
    assert isinstance(page, Page) and page.status == 200
    assert blog.paths().count("/flaky") == 2


def test_a_slow_page_times_out_and_is_reported(blog, tmp_path):
    settings = CrawlSettings(delay=0, retries=0, timeout=0.3, cache_dir=tmp_path / "c")
    with Crawler(settings) as crawler:
        page = crawler.get(blog.base + "/slow")
    assert page == Failure(blog.base + "/slow", "no answer within 0.3 seconds")


def test_a_site_that_cannot_be_reached_is_unreachable(tmp_path):
    with socket.socket() as s:  # a port on 127.0.0.1 that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = CrawlSettings(delay=0, retries=0, cache_dir=tmp_path / "c")
    with pytest.raises(Unreachable, match=f"cannot reach http://127.0.0.1:{port}"):
        fetch_posts(f"http://127.0.0.1:{port}/blog", settings)
