"""One blog post page to the posts format: title, date and where it was found, author, text.

trafilatura reads the page's main text and metadata (title, author, description, site
name). The publication date is read here, from the places a page states it, in this order
of trust, so that ``date_basis`` can say where it was found and ``date_precision`` how much
of it is known:

=====================================  ===========================================
where                                  ``date_basis``
=====================================  ===========================================
``<meta property=article:published_time>`` (and other publication-date meta tags)
                                       ``article:published_time meta tag``
JSON-LD ``datePublished``              ``JSON-LD datePublished``
``<time datetime>`` in the article     ``<time datetime> element``
the blog's feed entry for the post     ``the blog's feed (published date)``
a date in the address (``/2023/07/``)  ``date in the address``
a dated line at the top of the text    ``date in the text ("Posted on 5 July 2023")``
=====================================  ===========================================

trafilatura's own date (from htmldate) is not used: htmldate does not say where it found
a date, fills in a day that was never stated (``2021-03`` becomes the 28th, today's day)
and takes a year from a copyright line for a page that states no date. A page with
none of the above is kept undated, for a person to check. Dates are read as written
(UK day-first for numbers), at the writer's own time zone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lxml import html as lxml_html

from analysis.dates import parse_date

#: Meta tags that state a publication date, by attribute and value (lower case), in order.
META_DATES = (
    ("property", "article:published_time"),
    ("property", "og:article:published_time"),
    ("itemprop", "datepublished"),
    ("name", "article:published_time"),
    ("name", "dc.date.issued"),
    ("name", "dcterms.issued"),
    ("name", "dc.date"),
    ("name", "dcterms.date"),
    ("name", "citation_publication_date"),
    ("name", "publish-date"),
    ("name", "pubdate"),
    ("name", "date"),
)

#: Dates before this, or after tomorrow, are not a blog post's publication date.
EARLIEST = date(1990, 1, 1)

#: Lines at the top of the text searched for a date, and how long such a line may be.
TEXT_LINES = 6
TEXT_LINE_LENGTH = 120

#: A summary made from the text: whole sentences up to about this many characters.
SUMMARY_LENGTH = 300

_MONTH_NAME = r"[A-Za-z]{3,9}\.?"
_DATE_PHRASE = re.compile(
    rf"""\b(?:
        \d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+\d{{4}}   # 5th July 2023
      | (?P<us>{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,\s+\d{{4}})  # July 5, 2023
      | {_MONTH_NAME},?\s+\d{{4}}                               # July 2023
      | \d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}                       # 05/07/2023, day first
      | \d{{4}}-\d{{2}}-\d{{2}}                                 # 2023-07-05
    )\b""",
    re.VERBOSE,
)
_US_ORDER = re.compile(r"^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,\s+(\d{4})$")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})(?:/(\d{1,2}))?/")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")


@dataclass(frozen=True)
class DateFound:
    """A publication date: the first day of what is known, how much is known, and where."""

    value: date
    precision: str  # day, month or year
    basis: str

    @property
    def iso(self) -> str:
        return self.value.isoformat()


@dataclass(frozen=True)
class Extracted:
    """What one post page says about itself."""

    url: str
    title: str
    summary: str
    text: str
    author: str
    site_name: str
    date: DateFound | None


def read_date(value: str | None) -> tuple[date, str] | None:
    """A stated date (``2023-07-05T09:00:00+01:00``, ``2023-07``, ``5 July 2023``...) and
    its precision, or None. The day is the writer's own: time zones are not converted."""
    if not value or len(value) > 64:
        return None
    text = " ".join(value.split())
    if m := _US_ORDER.match(text):  # "July 5, 2023": a named month is not ambiguous
        text = f"{m[2]} {m[1]} {m[3]}"
    found, precision = parse_date(text)
    if found is None:
        try:
            found, precision = datetime.fromisoformat(text.replace("Z", "+00:00")).date(), "day"
        except ValueError:
            return None
    if not EARLIEST <= found <= date.today() + timedelta(days=1):
        return None
    return found, precision


def meta_date(tree) -> DateFound | None:
    """The first publication date a meta tag (or ``itemprop=datePublished``) states."""
    stated: dict[tuple[str, str], str] = {}
    for element in tree.iter("meta", "span", "div", "p", "abbr"):
        value = element.get("content") or element.get("datetime")
        if value is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (attribute, (element.get(attribute) or "").strip().lower())
            stated.setdefault(key, value)
    for attribute, name in META_DATES:
        value = stated.get((attribute, name))
        if value and (found := read_date(value)):
            label = "datePublished" if name == "datepublished" else name
            return DateFound(*found, f"{label} meta tag")
    return None


def json_ld_date(tree) -> DateFound | None:
    """``datePublished`` of the page's JSON-LD, an article's before any other's."""
    candidates: list[tuple[int, str]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except (ValueError, RecursionError):
            continue
        for item in _walk(data):
            value = item.get("datePublished")
            if isinstance(value, str):
                kind = item.get("@type", "")
                kind = " ".join(kind) if isinstance(kind, list) else str(kind)
                rank = 0 if re.search(r"Article|Posting|Blog|Report", kind) else 1
                candidates.append((rank, value))
    for _, value in sorted(candidates, key=lambda c: c[0]):
        if found := read_date(value):
            return DateFound(*found, "JSON-LD datePublished")
    return None


def _walk(data, depth: int = 0):
    """Every JSON object in ``data`` (nested lists and @graph included), to a sane depth."""
    if depth > 20:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value, depth + 1)


def time_date(tree) -> DateFound | None:
    """A ``<time datetime>`` marked as the publication date, else the first in the article."""
    articles = tree.xpath("//article") or tree.xpath("//main") or [tree]
    scope = articles[0]
    ordered = (
        scope.xpath(".//time[@datetime][@pubdate or @itemprop='datePublished']")
        + scope.xpath(".//time[@datetime]")
        + tree.xpath("//time[@datetime][@pubdate or @itemprop='datePublished']")
    )
    for element in ordered:
        if found := read_date(element.get("datetime")):
            return DateFound(*found, "<time datetime> element")
    return None


def url_date(url: str) -> DateFound | None:
    """A date in the address, as blogs write them: ``/2023/07/05/`` or ``/2023/07/``."""
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        if m[3]:
            return DateFound(date(int(m[1]), int(m[2]), int(m[3])), "day", "date in the address")
        return DateFound(date(int(m[1]), int(m[2]), 1), "month", "date in the address")
    except ValueError:
        return None


def text_date(text: str) -> DateFound | None:
    """A date on a short line at the top of the text (a byline such as "Posted on 5 July
    2023"), read UK day-first; a date further down is what the post is about, not when."""
    for line in text.splitlines()[:TEXT_LINES]:
        line = line.strip()
        if not line or len(line) > TEXT_LINE_LENGTH:
            continue
        for match in _DATE_PHRASE.finditer(line):
            if found := read_date(match.group()):
                return DateFound(*found, f'date in the text ("{line}")')
    return None


def page_date(tree, text: str, url: str, feed: DateFound | None = None) -> DateFound | None:
    """The publication date from the first place that states one (see the module docstring)."""
    return (
        meta_date(tree)
        or json_ld_date(tree)
        or time_date(tree)
        or feed
        or url_date(url)
        or text_date(text)
    )


def first_sentences(text: str, length: int = SUMMARY_LENGTH) -> str:
    """Whole sentences from the start of ``text`` up to about ``length`` characters
    (at least one sentence, cut at a word with '…' if that alone is longer)."""
    flat = " ".join(text.split())
    summary = ""
    for sentence in _SENTENCE_END.split(flat):
        candidate = f"{summary} {sentence}".strip()
        if summary and len(candidate) > length:
            break
        summary = candidate
    if len(summary) > length:
        summary = summary[:length].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary


def extract(content: bytes | str, url: str, feed: DateFound | None = None) -> Extracted:
    """Read one post page (see the module docstring)."""
    import trafilatura  # here: the dashboard imports this module for every page (issue 12)

    tree = trafilatura.utils.load_html(content)
    if tree is None:
        tree = lxml_html.fromstring("<html><body></body></html>")
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    title = _clean(getattr(document, "title", None) or _fallback_title(tree))
    body = getattr(document, "text", None) or ""
    lines = [" ".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and _same(lines[0], title):
        lines = lines[1:]  # the heading repeats the title
    text = "\n".join(lines)
    description = _clean(getattr(document, "description", None) or "")
    found = page_date(tree, text, url, feed)
    if not description:
        dateline = found.basis if found else ""
        kept = [line for line in lines if line not in dateline and len(line) > TEXT_LINE_LENGTH / 2]
        description = first_sentences(" ".join(kept or lines))
    return Extracted(
        url=url,
        title=title,
        summary=description,
        text=text,
        author=_clean(getattr(document, "author", None) or ""),
        site_name=_clean(getattr(document, "sitename", None) or ""),
        date=found,
    )


def _fallback_title(tree) -> str:
    for path in ("//h1", "//title"):
        for element in tree.xpath(path):
            text = element.text_content().strip()
            if text:
                return text
    return ""


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _same(first: str, second: str) -> bool:
    return _clean(first).casefold() == _clean(second).casefold()
