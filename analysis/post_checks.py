"""The checks and messages both posts readers share: the whole-file one
(:mod:`analysis.loading`) and the chunked one (:mod:`analysis.chunks`).

Here, once each: the app's columns (:data:`COLUMNS`) and the header spellings they are
known by, the size limits (:class:`Limits`), :class:`LoadError`, the header row's own
checks, and the step from a table of text to the app's columns (ids, dates, statuses),
with every message naming the file, row and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

from analysis.dates import PRECISIONS, parse_dates
from analysis.filenames import slug
from analysis.formatting import clip

DATE_STATUSES = ("published", "inferred", "estimated")

#: The app's columns, in order. ``published`` is a datetime (NaT when undated).
COLUMNS = [
    "id",
    "title",
    "summary",
    "text",
    "published",
    "date_status",
    "date_precision",
    "date_basis",
    "date_text",
    "url",
    "author",
    "source",
    "row",
]

#: Header spellings each column is known by, compared lower-case with ``_`` and
#: ``-`` read as spaces.
HEADER_ALIASES = {
    "id": ("id", "slug", "post id", "post slug"),
    "title": ("title", "post title", "headline", "heading", "name"),
    "summary": (
        "summary",
        "excerpt",
        "description",
        "abstract",
        "standfirst",
        "intro",
        "listing summary",
    ),
    "text": ("text", "body", "content", "full text", "post body", "post text", "body text"),
    "published": (
        "published",
        "date",
        "published date",
        "publish date",
        "date published",
        "publication date",
        "pub date",
        "posted",
        "post date",
        "posted on",
    ),
    "date_status": ("date status",),
    "date_precision": ("date precision",),
    "date_basis": ("date basis", "date note"),
    "url": ("url", "link", "href", "permalink", "web address", "address", "post url"),
    "author": ("author", "authors", "by", "written by", "byline"),
    "source": ("source", "blog", "site", "publication"),
}


#: The largest file read, in bytes (1 GB): a million posts of about a thousand characters.
MAX_BYTES = 1 << 30

#: The most rows of posts (or labels) read from one file, besides the header.
MAX_ROWS = 2_000_000

#: The most columns a file may have (a posts export rarely has more than a hundred).
MAX_COLUMNS = 1_000

#: The largest file uploaded through the browser (200 MB), and its most rows: 100,000 posts
#: of full text fit; tagging that many takes the server a few seconds.
UPLOAD_MAX_BYTES = 200 << 20
UPLOAD_MAX_ROWS = 100_000

#: How many column names a message lists, and how much of each, before "and N more".
LISTED_COLUMNS = 10
COLUMN_NAME_CHARS = 40


@dataclass(frozen=True)
class Limits:
    """How large a file may be: bytes, rows besides the header, and columns."""

    bytes: int = MAX_BYTES
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS


#: For the command line, and any caller that does not say.
LIMITS = Limits()

#: For files uploaded through the browser.
UPLOAD_LIMITS = Limits(bytes=UPLOAD_MAX_BYTES, rows=UPLOAD_MAX_ROWS)


class LoadError(ValueError):
    """A posts file that cannot be used; the message is one line naming the file."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))  # quoted cells may hold line breaks


@dataclass(frozen=True)
class PostsFile:
    """A posts file read: ``raw`` is every column as written, ``posts`` the app's columns."""

    name: str
    raw: pd.DataFrame
    posts: pd.DataFrame
    columns: dict[str, str]  # app column -> header as written in the file


UTF8_BOM = b"\xef\xbb\xbf"


def size_text(n: int) -> str:
    return f"{n / 2**30:g} GB" if n >= 2**30 else f"{n / 2**20:,.0f} MB"


def unique_headers(headers: list[str]) -> list[str]:
    """Headers made unique as pandas does (``a``, ``a.1``, ``a.2``), after trimming spaces
    may have made two the same (``a`` and `` a``): every column is then one column."""
    return _numbered(headers, set(), ".", 1)


def _numbered(names: list[str], taken: set[str], separator: str, first: int) -> list[str]:
    """``names`` made unique against ``taken`` (which grows) and each other: a name already
    taken gets ``separator`` and the first free number from ``first`` on (``a.1``, ``x-2``)."""
    following: dict[str, int] = {}  # name -> the next number to try after it
    unique = []
    for name in names:
        candidate = name
        if candidate in taken:
            number = following.get(name, first)
            while (candidate := f"{name}{separator}{number}") in taken:
                number += 1
            following[name] = number + 1
        taken.add(candidate)
        unique.append(candidate)
    return unique


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the header or several in the first 4 kB: an image, a spreadsheet, UTF-16
    without its mark. (A lone NUL further in is named by its row and column instead.)"""
    head = data[:4096]
    first_line = head.split(b"\n", 1)[0]
    return head.count(b"\x00") > 1 or b"\x00" in first_line


def read_header(text: str, name: str, limit: int) -> list[str]:
    """The header row's cells, read from the start of the text only; refuses more than
    ``limit`` columns before anything else is parsed.

    Read in growing chunks, so a file is never parsed whole to find its first row. A
    header past the limit is counted in full if it fits in :data:`_HEADER_COUNTED`
    characters, else the message says "at least".
    """
    size = 1 << 16
    while True:
        chunk = text[:size]
        reader = csv.reader(io.StringIO(chunk, newline=""))
        try:
            header = next(reader, [])
            complete = size >= len(text) or next(reader, None) is not None
        except csv.Error:  # a quoted header cell runs past the chunk, or worse
            header, complete = [], size >= len(text)
        if complete and len(header) <= limit:
            return header
        if complete or (len(header) > limit and size >= _HEADER_COUNTED):
            break
        size *= 4
    raise LoadError(
        f"{name}: row 1 (the header) has {'' if complete else 'at least '}"
        f"{len(header):,} columns, more than the limit of {limit:,}"
    )


#: How much of a header too wide to accept is read to count its columns exactly.
_HEADER_COUNTED = 1 << 20


def _header_key(header: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", header.lower().lstrip("\ufeff")).split())


def map_headers(headers: list[str], name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        key = _header_key(header)
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in found:
                found[column] = header
    if "title" not in found:
        raise LoadError(f"{name}: has no title column (found columns: {_columns_listed(headers)})")
    if "summary" not in found and "text" not in found:
        raise LoadError(f"{name}: needs a summary, text or body column beside the title")
    return found


def _columns_listed(headers: list[str]) -> str:
    """The first :data:`LISTED_COLUMNS` headers, each cut to :data:`COLUMN_NAME_CHARS`
    characters, then "and N more": a file whose first row is data is not echoed whole."""
    shown = ", ".join(clip(header, COLUMN_NAME_CHARS) for header in headers[:LISTED_COLUMNS])
    more = len(headers) - LISTED_COLUMNS
    return shown + (f" and {more} more" if more > 0 else "")


def to_app_columns(raw: pd.DataFrame, columns: dict[str, str], name: str) -> pd.DataFrame:
    def column(key: str) -> pd.Series:
        if key in columns:
            return raw[columns[key]].astype(str).str.strip()
        return pd.Series("", index=raw.index, dtype=str)

    posts = pd.DataFrame(index=raw.index)
    posts["title"] = column("title")
    posts["summary"] = column("summary") if "summary" in columns else column("text")
    posts["text"] = column("text") if "summary" in columns else ""
    posts["row"] = raw.index + 2
    posts["id"] = _ids(column("id"), posts, columns, name)

    posts["date_text"] = column("published")
    published, parsed_precision = parse_dates(posts["date_text"])
    posts["published"] = published
    dated = published.notna()
    posts["date_precision"] = _precision(
        column("date_precision"), parsed_precision, dated, posts["row"], columns, name
    )
    posts["date_status"] = _status(column("date_status"), dated, posts["row"], columns, name)
    posts["date_basis"] = column("date_basis")
    posts["url"] = column("url")
    posts["author"] = column("author")
    posts["source"] = column("source") if "source" in columns else name
    return posts[COLUMNS].reset_index(drop=True)


def slugify(text: str, max_length: int = 60) -> str:
    """A stable, readable id from a title: lower-case ASCII words joined by hyphens.

    A straight apostrophe splits words here (``Guy's`` → ``guy-s``), as it always has for
    ids, so ids made before :func:`analysis.filenames.slug` existed stay the same.
    """
    return slug(text.replace("'", " "), max_length=max_length)


def _ids(given: pd.Series, posts: pd.DataFrame, columns: dict[str, str], name: str) -> pd.Series:
    """Ids as written; a slug of the title (made unique: ``-2``, ``-3``...) where a row has none.

    Each distinct title is slugged once, and each slug remembers the next number to try,
    so a file of 50,000 posts with one title costs no more than one of different titles.
    """
    if "id" in columns:
        repeated = given[(given != "") & given.duplicated(keep=False)]
        if not repeated.empty:
            rows = ", ".join(str(row) for row in posts.loc[repeated.index, "row"][:5])
            raise LoadError(
                f"{name}: column '{clip(columns['id'], COLUMN_NAME_CHARS)}' repeats the id "
                f"'{clip(repeated.iloc[0], COLUMN_NAME_CHARS)}' (rows {rows})"
            )
    missing = (given == "").to_numpy()
    if not missing.any():
        return given.astype(str)
    titles = posts["title"][missing]
    slugs = titles.map({title: slugify(title) for title in pd.unique(titles)})
    bases = slugs.where(slugs != "", "post-" + posts["row"][missing].astype(str)).tolist()
    taken = set(given[~missing])
    if len(set(bases)) < len(bases) or not taken.isdisjoint(bases):
        bases = _numbered(bases, taken, "-", 2)
    ids = given.to_numpy(dtype=object).copy()
    ids[missing] = bases
    return pd.Series(ids, index=given.index, dtype=str)


def _bad_value(
    values: pd.Series, allowed: tuple[str, ...], rows: pd.Series, header: str, name: str
) -> None:
    bad = values[(values != "") & ~values.isin(allowed)]
    if not bad.empty:
        raise LoadError(
            f"{name}: row {rows[bad.index[0]]}, column '{clip(header, COLUMN_NAME_CHARS)}': "
            f"'{clip(bad.iloc[0], COLUMN_NAME_CHARS)}' is not one of " + ", ".join(allowed)
        )


def _precision(
    given: pd.Series,
    parsed: pd.Series,
    dated: pd.Series,
    rows: pd.Series,
    columns: dict[str, str],
    name: str,
) -> pd.Series:
    """The precision written in the file, but never finer than the date as written."""
    given = given.str.lower()
    if "date_precision" in columns:
        _bad_value(given, PRECISIONS, rows, columns["date_precision"], name)
    rank = {precision: n for n, precision in enumerate(PRECISIONS)}
    given_rank = given.map(rank)
    parsed_rank = parsed.map(rank)
    coarsest = pd.concat([given_rank, parsed_rank], axis=1).max(axis=1)
    result = coarsest.map(dict(enumerate(PRECISIONS))).astype("string")
    return result.where(dated, pd.NA)


def _status(
    given: pd.Series, dated: pd.Series, rows: pd.Series, columns: dict[str, str], name: str
) -> pd.Series:
    """As written in the file; a date in a file that does not say is taken as published."""
    given = given.str.lower()
    if "date_status" in columns:
        _bad_value(given, DATE_STATUSES, rows, columns["date_status"], name)
    status = given.where(given != "", "published").astype("string")
    return status.where(dated, pd.NA)
