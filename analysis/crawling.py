"""A polite, robust HTTP client for reading a blog: the crawler's manners in one place.

- It names itself: every request carries :data:`USER_AGENT`.
- It asks first: robots.txt is read (once per site) and a path it forbids is never
  requested, nor followed to by a redirect. A ``Crawl-delay`` longer than ours is honoured.
- It waits: at least ``delay`` seconds between two requests that go to the network
  (answers from the cache need no wait).
- It remembers: responses are cached on disk (requests-cache, SQLite) under the user's
  cache folder, so a re-run within ``cache_hours`` sends nothing to the blog again.
- It gives up gracefully: every request has a timeout; connection errors, 429 and 5xx
  answers are retried with exponential backoff (urllib3's ``Retry``, honouring
  ``Retry-After`` up to a bound); a page that still cannot be read becomes a
  :class:`Failure` with the reason, and the crawl goes on.
- It is bounded: pages larger than ``max_bytes`` are not read.

Nothing here parses pages; :mod:`analysis.fetching` decides what to read.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from platformdirs import user_cache_dir

if TYPE_CHECKING:  # imported when a crawler is made, so `python -m analysis tag` stays quick
    import requests

#: The blog the bundled posts come from: the address refreshed from unless told otherwise.
HALN_BLOG_URL = "https://haln.org.uk/blog"

#: Who is asking, on every request: the project's name, version and where to read about it.
USER_AGENT = "AnchorThemes/0.1 (+https://github.com/anchor-themes/anchor-themes)"

#: An environment variable naming the cache folder (default: the user cache folder).
CACHE_ENV = "ANCHOR_THEMES_CACHE_DIR"

#: Answers worth keeping in the cache (a server error is asked again next time).
CACHED_STATUSES = (200, 203, 300, 301, 302, 303, 307, 308, 404, 410)

#: Answers retried with backoff before a page is given up.
RETRY_STATUSES = (429, 500, 502, 503, 504)

#: Redirects followed from one address before giving up.
MAX_REDIRECTS = 5


def default_cache_dir() -> Path:
    """Where responses are cached: ``$ANCHOR_THEMES_CACHE_DIR``, else the user cache folder
    (``~/.cache/anchor-themes/http`` on Linux)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_cache_dir("anchor-themes", appauthor=False)) / "http"


@dataclass(frozen=True)
class CrawlSettings:
    """How the crawler behaves; the defaults are the polite ones."""

    delay: float = 1.0  # seconds between two requests to the network
    max_pages: int = 200  # pages read in one run (index, feed, sitemap and post pages)
    timeout: float = 20.0  # seconds to connect, and again to wait for an answer
    retries: int = 3  # retries of a transient error (connection, 429, 5xx)
    backoff: float = 0.5  # seconds; waits grow 0, 2x, 4x ... this between retries
    max_backoff: float = 10.0  # the longest wait between retries (also caps Retry-After)
    cache: bool = True
    cache_dir: Path | None = None  # None: default_cache_dir()
    cache_hours: float = 24.0  # how long a cached answer is used without asking again
    user_agent: str = USER_AGENT
    max_bytes: int = 5_000_000  # larger pages are not read


@dataclass(frozen=True)
class Page:
    """A page that was read: its final address (after redirects) and its content."""

    url: str
    status: int
    content: bytes
    content_type: str
    from_cache: bool

    @property
    def text(self) -> str:
        """The content as text, in the encoding the server or the page declares (else UTF-8)."""
        import requests

        response = requests.Response()
        response._content = self.content
        response.headers["Content-Type"] = self.content_type
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        if response.encoding in (None, "ISO-8859-1") and "charset" not in self.content_type:
            response.encoding = "utf-8"
        return response.text


@dataclass(frozen=True)
class Failure:
    """A page that could not be read, and why (one line)."""

    url: str
    reason: str


class Unreachable(Exception):
    """The site could not be reached at all (no connection, DNS, timeouts): likely offline."""


@dataclass
class Crawler:
    """Reads pages politely (see the module docstring); one per crawl."""

    settings: CrawlSettings = field(default_factory=CrawlSettings)

    def __post_init__(self):
        import requests
        import requests_cache
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        settings = self.settings
        crawler = self

        class PoliteAdapter(HTTPAdapter):
            """Waits between requests that reach the network, and counts them (requests-cache
            answers from the cache before a request gets this far)."""

            def send(self, request, *args, **kwargs):
                crawler._wait_turn()
                try:
                    return super().send(request, *args, **kwargs)
                finally:
                    crawler._sent()

        class PoliteRetry(Retry):
            """Backoff that never waits less than the crawler's delay between two tries."""

            def get_backoff_time(self) -> float:
                return max(super().get_backoff_time(), crawler._delay())

            def increment(self, *args, **kwargs):
                retry = super().increment(*args, **kwargs)  # raises when there are no more
                with crawler._lock:
                    crawler.requests += 1
                return retry

        retry = PoliteRetry(
            total=settings.retries,
            connect=settings.retries,
            read=settings.retries,
            status=settings.retries,
            redirect=False,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD"}),
            backoff_factor=settings.backoff,
            backoff_max=settings.max_backoff,
            respect_retry_after_header=True,
            retry_after_max=int(settings.max_backoff),
            raise_on_status=False,
        )
        if settings.cache:
            folder = settings.cache_dir or default_cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            self.session: requests.Session = requests_cache.CachedSession(
                str(folder / "pages"),
                backend="sqlite",
                expire_after=timedelta(hours=settings.cache_hours),
                allowable_codes=CACHED_STATUSES,
                stale_if_error=True,
            )
        else:
            self.session = requests.Session()
        self.session.headers.update({"User-Agent": settings.user_agent})
        adapter = PoliteAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.requests = 0  # requests sent to the network, retries included
        self.pages_read = 0
        self._last: float | None = None
        self._lock = threading.Lock()
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._extra_delay = 0.0

    # --- manners --------------------------------------------------------------------------------

    def _delay(self) -> float:
        """Seconds between two requests: ours, or robots.txt's Crawl-delay if longer."""
        return max(self.settings.delay, self._extra_delay)

    def _wait_turn(self) -> None:
        with self._lock:
            delay = self._delay()
            if self._last is not None:
                wait = delay - (time.monotonic() - self._last)
                if wait > 0:
                    time.sleep(wait)
            self.requests += 1

    def _sent(self) -> None:
        with self._lock:
            self._last = time.monotonic()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the address's site lets this crawler read it."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            self._robots[site] = self._read_robots(site)
        robots = self._robots[site]
        return robots is None or robots.can_fetch(self.settings.user_agent, url)

    def robots_sitemaps(self, url: str) -> list[str]:
        """The sitemaps the site's robots.txt lists (after reading it, if not yet read)."""
        self.allowed(url)
        parts = urlsplit(url)
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        return list(robots.site_maps() or []) if robots is not None else []

    def _read_robots(self, site: str) -> urllib.robotparser.RobotFileParser | None:
        """robots.txt as Python's parser reads it: 401/403 forbid everything, any other 4xx
        (or none at all) allows everything, a server error forbids everything for now."""
        import requests

        parser = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
        try:
            response = self.session.get(
                f"{site}/robots.txt", timeout=self.settings.timeout, allow_redirects=True
            )
        except requests.ConnectionError as error:
            raise Unreachable(f"cannot reach {site} ({_reason(error)})") from None
        except requests.RequestException:
            return None
        if response.status_code in (401, 403) or response.status_code >= 500:
            parser.disallow_all = True
        elif response.status_code >= 400:
            parser.allow_all = True
        else:
            parser.parse(response.text.splitlines())
            delay = parser.crawl_delay(self.settings.user_agent)
            if delay:
                self._extra_delay = max(self._extra_delay, min(float(delay), 60.0))
        return parser

    # --- reading --------------------------------------------------------------------------------

    def get(self, url: str) -> Page | Failure:
        """Read one page, following redirects that robots.txt allows.

        Returns the page, or a :class:`Failure` saying why not. Raises :class:`Unreachable`
        only when the site cannot be connected to at all.
        """
        import requests

        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                return Failure(url, f"not a web address ({current})")
            if not self.allowed(current):
                where = "it" if current == url else f"{current}, where it redirects"
                return Failure(url, f"robots.txt forbids reading {where}")
            try:
                response = self.session.get(
                    current, timeout=self.settings.timeout, allow_redirects=False
                )
            except requests.ConnectionError as error:
                if not _read_timeout(error):
                    raise Unreachable(f"cannot reach {current} ({_reason(error)})") from None
                return Failure(url, f"no answer within {self.settings.timeout:g} seconds")
            except requests.Timeout:
                return Failure(url, f"no answer within {self.settings.timeout:g} seconds")
            except requests.RequestException as error:
                return Failure(url, _reason(error))
            if response.is_redirect and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                continue
            return self._page(url, current, response)
        return Failure(url, f"more than {MAX_REDIRECTS} redirects")

    def _page(self, asked: str, final: str, response: requests.Response) -> Page | Failure:
        status = response.status_code
        if status >= 400:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = ""
            return Failure(asked, f"HTTP {status} {reason}".strip())
        size = response.headers.get("content-length", "")
        if (size.isdigit() and int(size) > self.settings.max_bytes) or (
            len(response.content) > self.settings.max_bytes
        ):
            return Failure(asked, f"larger than {self.settings.max_bytes:,} bytes")
        self.pages_read += 1
        return Page(
            url=final,
            status=status,
            content=response.content,
            content_type=response.headers.get("content-type", ""),
            from_cache=bool(getattr(response, "from_cache", False)),
        )

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Crawler:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read_timeout(error: BaseException) -> bool:
    """Whether a connection error is a server that connected but did not answer in time
    (requests reports a read timeout after retries as a connection error)."""
    from urllib3.exceptions import ReadTimeoutError

    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, ReadTimeoutError)


def _reason(error: BaseException) -> str:
    """A one-line reason from a requests error (the innermost cause, without object reprs)."""
    inner: BaseException = error
    while True:
        nested = getattr(inner, "reason", None) or inner.__context__
        if not isinstance(nested, BaseException) or nested is inner:
            break
        inner = nested
    text = str(inner) or type(inner).__name__
    if ": " in text and text.startswith("<"):
        text = text.split(": ", 1)[1]
    return " ".join(text.split())[:200]
