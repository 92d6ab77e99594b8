"""Fetching a blog's posts: find the post pages, read each one, and merge into a posts file.

Given a blog's index page, a feed or a sitemap, :func:`fetch_posts`:

1. finds the post pages: on an index page, the links to pages under the index's own path
   (not tag, category, author or page listings), following its pagination (``rel=next``,
   "Older posts", ``?page=2``, ``/page/2/``) and reading the feeds it advertises and the
   sitemaps its robots.txt lists; in a feed, its entries; in a sitemap, its pages;
2. reads each post page (:mod:`analysis.extracting`): title, date with its precision and
   basis, author, summary, full text, address;
3. reports the pages it could not read, with the reason, and the posts left undated.

Every request goes through :class:`analysis.crawling.Crawler`, which is polite (robots.txt,
a named user agent, a delay, a disk cache, timeouts, retries). :func:`refresh` then merges
the posts into an existing posts file by the rules of :mod:`analysis.merging`, and
:func:`summary_lines` says what changed, for the command line and the dashboard alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit

import pandas as pd
from lxml import etree
from lxml import html as lxml_html

from analysis.crawling import (
    Crawler,
    CrawlSettings,
    Failure,
    Page,
    Unreachable,
)
from analysis.extracting import DateFound, extract, read_date
from analysis.formatting import count, number
from analysis.merging import (
    POSTS_FORMAT,
    Change,
    MergeSummary,
    fold_duplicates,
    merge_posts,
    url_key,
)
from analysis.post_checks import PostsFile

#: Sitemaps read from one sitemap index.
MAX_SITEMAPS = 10

_PAGINATION_URL = re.compile(r"[?&](?:page|paged|pg)=\d+|/page/\d+/?$", re.IGNORECASE)
_PAGINATION_TEXT = re.compile(
    r"^(?:(?:older|newer)(?: posts| entries| articles)?|next(?: page)?|more posts|"
    r"previous (?:posts|entries)|[»›→>]+)\s*[»›→>]*$",
    re.IGNORECASE,
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


class FetchError(Exception):
    """The blog could not be read at all: its first page failed (the message says why)."""


@dataclass(frozen=True)
class Progress:
    """How far a fetch has got: ``stage`` is ``finding`` or ``reading``."""

    stage: str
    done: int
    total: int | None
    url: str

    @property
    def message(self) -> str:
        if self.stage == "finding":
            return f"Finding posts: page {number(self.done)} ({self.url})"
        return f"Reading post {number(self.done)} of {number(self.total)} ({self.url})"


@dataclass(frozen=True)
class FetchResult:
    """The posts found (the posts format), and what could not be read."""

    url: str
    posts: pd.DataFrame
    failures: tuple[Failure, ...]
    folded: tuple[Change, ...]  # posts read twice (a redirect, or listed twice), folded
    requests: int  # requests that reached the network; 0 when everything came from the cache
    pages: int  # pages read, from the network or the cache
    limit_reached: bool

    @property
    def undated(self) -> pd.DataFrame:
        return self.posts[self.posts["published"] == ""]


@dataclass
class _Found:
    """What finding the posts gathered."""

    posts: dict[str, str] = field(default_factory=dict)  # url key -> address, in order
    feed_dates: dict[str, DateFound] = field(default_factory=dict)  # url key -> date
    site_name: str = ""


class _Budget:
    def __init__(self, pages: int):
        self.left = pages
        self.reached = False

    def take(self) -> bool:
        if self.left <= 0:
            self.reached = True
            return False
        self.left -= 1
        return True


def fetch_posts(
    url: str,
    settings: CrawlSettings | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> FetchResult:
    """Find and read the posts of the blog at ``url`` (an index page, a feed or a sitemap).

    Raises :class:`FetchError` when the first page cannot be read, and
    :class:`analysis.crawling.Unreachable` when the site cannot be reached at all.
    """
    url = url.strip()
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise FetchError(f"{url or 'the address'}: not a web address (http:// or https://)")
    settings = settings or CrawlSettings()
    report = progress or (lambda _: None)
    budget = _Budget(settings.max_pages)
    failures: list[Failure] = []
    with Crawler(settings) as crawler:
        budget.take()
        report(Progress("finding", 1, None, url))
        first = crawler.get(url)
        if isinstance(first, Failure):
            raise FetchError(f"{url}: {first.reason}")
        found = _find_posts(crawler, first, budget, failures, report)
        rows = []
        addresses = list(found.posts.values())
        for n, address in enumerate(addresses, start=1):
            if not budget.take():
                break
            report(Progress("reading", n, len(addresses), address))
            page = _get(crawler, address, failures)
            if page is None:
                continue
            if _kind(page) != "html":
                failures.append(Failure(address, f"not a web page ({page.content_type})"))
                continue
            feed_date = found.feed_dates.get(url_key(page.url)) or found.feed_dates.get(
                url_key(address)
            )
            try:
                post = extract(page.content, page.url, feed_date)
            except Exception as error:  # a third-party parser on untrusted pages: never stop
                failures.append(Failure(address, f"could not be read ({type(error).__name__})"))
                continue
            rows.append(
                {
                    "id": "",
                    "title": post.title,
                    "summary": post.summary,
                    "text": post.text,
                    "published": post.date.iso if post.date else "",
                    "date_status": "published" if post.date else "",
                    "date_precision": post.date.precision if post.date else "",
                    "date_basis": post.date.basis if post.date else "",
                    "url": post.url,
                    "author": post.author,
                    "source": found.site_name or post.site_name or urlsplit(url).netloc,
                }
            )
        posts, folded = fold_duplicates(pd.DataFrame(rows, columns=list(POSTS_FORMAT)))
        return FetchResult(
            url=url,
            posts=posts,
            failures=tuple(failures),
            folded=tuple(folded),
            requests=crawler.requests,
            pages=crawler.pages_read,
            limit_reached=budget.reached,
        )


# --- finding the posts --------------------------------------------------------------------------


def _get(crawler, address: str, failures: list) -> Page | None:
    """The page at ``address``; None when it could not be had, its failure then added to
    ``failures``."""
    try:
        page = crawler.get(address)
    except Unreachable as error:
        page = Failure(address, str(error))
    if isinstance(page, Failure):
        failures.append(page)
        return None
    return page


def _kind(page: Page) -> str:
    """``feed``, ``sitemap`` or ``html``, from the content type and the first element."""
    content_type = page.content_type.lower()
    head = page.content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    head = re.sub(rb"^<\?xml[^>]*>\s*", b"", head)
    head = re.sub(rb"^(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*", b"", head, flags=re.S)
    if head.startswith((b"<urlset", b"<sitemapindex")):
        return "sitemap"
    if head.startswith((b"<rss", b"<feed", b"<rdf:rdf")) or any(
        kind in content_type for kind in ("rss", "atom")
    ):
        return "feed"
    return "html"


def _scope(url: str) -> tuple[str, str]:
    """The host and path prefix that post pages of an index at ``url`` live under."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        path = path.rsplit("/", 1)[0] + "/" if "." in last else path + "/"
    return parts.netloc.lower(), path


def _in_scope(url: str, scope: tuple[str, str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == scope[0]


def _navigation_page(url: str) -> bool:
    from courlan.filters import is_navigation_page

    return is_navigation_page(url)


def _is_post(url: str, scope: tuple[str, str], index_url: str) -> bool:
    """Whether a link from the index looks like a post: a page under the index's path."""
    if not _in_scope(url, scope):
        return False
    from courlan.filters import extension_filter, is_navigation_page, is_not_crawlable

    parts = urlsplit(url)
    path = parts.path
    return (
        path.startswith(scope[1])
        and len(path.rstrip("/")) > len(scope[1].rstrip("/"))
        and url_key(url) != url_key(index_url)
        and not _PAGINATION_URL.search(url)
        and not is_navigation_page(url)
        and not is_not_crawlable(path)
        and extension_filter(path)
        and not re.search(r"/(?:feed|rss|atom)/?$", path)
    )


def _find_posts(crawler, first: Page, budget: _Budget, failures: list, report) -> _Found:
    """Every post page reachable from the first page: index pages first (so the posts keep
    the blog's order, newest first), then the feeds they advertise, then sitemaps."""
    found = _Found()
    scope = _scope(first.url)
    first_kind = _kind(first)
    queues: dict[str, list[str]] = {"html": [], "feed": [], "sitemap": []}
    seen = {url_key(first.url)}

    def queue(kind: str, address: str) -> None:
        if url_key(address) not in seen:
            seen.add(url_key(address))
            queues[kind].append(address)

    def read(kind: str, page: Page) -> None:
        if kind == "html":
            for more_kind, address in _read_index(page, scope, first.url, found):
                queue(more_kind, address)
        elif kind == "feed":
            _read_feed(page, scope, found)
        else:
            for child in _read_sitemap(page, scope, first.url, found, first_kind):
                queue("sitemap", child)

    read(first_kind, first)
    if first_kind == "html":
        for sitemap in crawler.robots_sitemaps(first.url):
            queue("sitemap", sitemap)
    done, sitemaps = 1, 0
    for kind in ("html", "feed", "sitemap"):
        while queues[kind]:
            address = queues[kind].pop(0)
            if kind == "sitemap" and sitemaps >= MAX_SITEMAPS:
                break
            if not budget.take():
                return found
            done += 1
            report(Progress("finding", done, None, address))
            page = _get(crawler, address, failures)
            if page is None:
                continue
            if kind != "html" and _kind(page) != kind:
                failures.append(Failure(address, f"not a {kind} ({page.content_type})"))
                continue
            sitemaps += kind == "sitemap"
            read(kind, page)
    return found


def _add_post(found: _Found, url: str) -> None:
    url = urldefrag(url)[0]
    found.posts.setdefault(url_key(url), url)


def _read_index(page: Page, scope, index_url: str, found: _Found) -> list[tuple[str, str]]:
    """Add the index page's post links to ``found``; return its pagination and feed links."""
    try:
        tree = lxml_html.fromstring(page.content)
    except (etree.ParserError, ValueError):
        return []
    if not found.site_name:
        names = tree.xpath("//meta[@property='og:site_name']/@content")
        found.site_name = " ".join(names[0].split()) if names else ""
    more: list[tuple[str, str]] = []
    for link in tree.xpath("//link[@href]"):
        rel = f" {(link.get('rel') or '').lower()} "
        address = urljoin(page.url, link.get("href"))
        if " next " in rel:
            more.append(("html", address))
        elif " alternate " in rel and (link.get("type") or "").lower() in _FEED_TYPES:
            more.append(("feed", address))
    for anchor in tree.xpath("//a[@href]"):
        address = urldefrag(urljoin(page.url, anchor.get("href").strip()))[0]
        rel = f" {(anchor.get('rel') or '').lower()} "
        text = " ".join(anchor.text_content().split())
        numbered = _PAGINATION_URL.search(address) and text.isdigit()
        if _in_scope(address, scope) and (
            " next " in rel or numbered or (text and _PAGINATION_TEXT.match(text))
        ):
            more.append(("html", address))
    # Where the index wraps its posts in <article>s, only their links are posts.
    articles = tree.xpath("//article[.//a[@href]]")
    anchors = [a for article in articles for a in article.xpath(".//a[@href]")]
    for anchor in anchors or tree.xpath("//a[@href]"):
        address = urldefrag(urljoin(page.url, anchor.get("href").strip()))[0]
        if _is_post(address, scope, index_url):
            _add_post(found, address)
    return more


def _read_feed(page: Page, scope, found: _Found) -> None:
    """Add a feed's entries (on the blog's own site) and the dates it states for them."""
    import feedparser  # here: the dashboard imports this module for every page (issue 12)

    feed = feedparser.parse(page.content)
    if not found.site_name:
        found.site_name = " ".join(str(feed.feed.get("title", "")).split())
    for entry in feed.entries:
        link = entry.get("link")
        if not link or not _in_scope(urljoin(page.url, link), scope):
            continue
        address = urljoin(page.url, link)
        _add_post(found, address)
        for key in ("published", "created", "updated"):
            stated = _feed_date(entry.get(key))
            if stated:
                name = "pubDate" if key == "published" and "<rss" in page.text[:500] else key
                found.feed_dates.setdefault(
                    url_key(address), DateFound(*stated, f"the blog's feed ({name})")
                )
                break


def _feed_date(value: str | None):
    """A feed's date as written there (RFC 822 in RSS, ISO 8601 in Atom), at day precision."""
    if not value:
        return None
    try:
        written = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return read_date(value)
    return read_date(written.date().isoformat())


def _read_sitemap(page: Page, scope, index_url: str, found: _Found, first_kind: str) -> list[str]:
    """Add a sitemap's pages (under the blog's path, when the blog is an index page) and
    return the sitemaps a sitemap index lists."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(page.content, parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    locations = [
        " ".join((element.text or "").split())
        for element in root.iter("{*}loc", "loc")
        if element.text
    ]
    if etree.QName(root).localname == "sitemapindex":
        return [loc for loc in locations if _in_scope(loc, scope)]
    for loc in locations:
        if first_kind == "html":
            if _is_post(loc, scope, index_url):
                _add_post(found, loc)
        elif _in_scope(loc, scope) and not _navigation_page(loc):
            _add_post(found, loc)
    return []


# --- fetch and merge, and what to tell the user ------------------------------------------------


@dataclass(frozen=True)
class Refresh:
    """A fetch merged into a posts file (or alone): the table to write and what changed."""

    fetched: FetchResult
    table: pd.DataFrame
    summary: MergeSummary


def refresh(
    url: str,
    existing: PostsFile | None = None,
    settings: CrawlSettings | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Refresh:
    """Fetch the blog at ``url`` and merge its posts into ``existing`` (if given)."""
    fetched = fetch_posts(url, settings, progress)
    table, summary = merge_posts(existing, fetched.posts)
    summary.folded[:0] = fetched.folded
    return Refresh(fetched=fetched, table=table, summary=summary)


def summary_lines(result: Refresh, merged: bool = True) -> list[str]:
    """What a refresh did, in lines for people: counts first, then the posts to look at.

    Post titles and addresses are the blog's text: show them escaped.
    """
    fetched, summary = result.fetched, result.summary
    counts = summary.counts()
    origin = "from the cache" if fetched.requests == 0 else count(fetched.requests, "request")
    lines = [
        f"Read {count(fetched.pages, 'page')} of {fetched.url} ({origin}): "
        f"{count(len(fetched.posts))} found, {number(len(fetched.undated))} undated, "
        f"{count(len(fetched.failures), 'page')} not read."
    ]
    if merged:
        lines.append(
            f"Added {number(counts['added'])}; dates confirmed {number(counts['confirmed'])}, "
            f"corrected {number(counts['corrected'])}, "
            f"added to undated posts {number(counts['dated'])}; "
            f"fields filled in {number(counts['filled'])}; "
            f"unchanged {number(counts['unchanged'])}; "
            f"kept, not found on the blog {number(counts['not_fetched'])}."
        )
    else:
        lines.append(f"Added {number(counts['added'])}.")
    if fetched.limit_reached:
        lines.append("Stopped at the page limit: raise --max-pages to read more.")
    sections = [
        ("Dates confirmed", summary.confirmed if merged else []),
        ("Dates corrected", summary.corrected if merged else []),
        ("Dates added", summary.dated if merged else []),
        ("Date differs from the blog's (the file's kept)", summary.differs if merged else []),
        ("Filled in", summary.filled if merged else []),
        ("Duplicates folded", summary.folded),
    ]
    for heading, changes in sections:
        for change in changes:
            lines.append(
                f"{heading}: {change.title}" + (f": {change.detail}" if change.detail else "")
            )
    for post in fetched.undated.itertuples():
        lines.append(f"Undated (kept without a date): {post.title} ({post.url})")
    for failure in fetched.failures:
        lines.append(f"Not read: {failure.url}: {failure.reason}")
    return lines
