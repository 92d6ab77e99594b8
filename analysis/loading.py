"""The one loader for posts: the bundled CSV and any posts CSV a user brings.

:func:`read_posts` returns both the file as written (for the command line,
which writes every input column back out) and the posts in the app's own
columns (:data:`COLUMNS`). Anything that makes a file unusable raises
:class:`LoadError` with a one-line message naming the file, and the row and
column where there is one. Rows are numbered as a spreadsheet shows them: the
header is row 1, the first post row 2.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow

from analysis.dates import PRECISIONS, parse_dates

BUNDLED_POSTS = Path(__file__).resolve().parent.parent / "data" / "posts.csv"

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


def load_posts(
    source: str | Path | BinaryIO = BUNDLED_POSTS, name: str | None = None
) -> pd.DataFrame:
    """Read a posts CSV into the app's columns (see :func:`read_posts`)."""
    return read_posts(source, name).posts


def read_posts(source: str | Path | BinaryIO = BUNDLED_POSTS, name: str | None = None) -> PostsFile:
    """Read a posts CSV from a path or a binary file object.

    ``name`` is what messages call the file (defaults to the path's name).
    Needs a title column and at least one of summary, text or body; other
    columns are optional and mapped from common header spellings.
    """
    raw, name = read_table(source, name)
    columns = _map_headers(list(raw.columns), name)
    posts = _to_app_columns(raw, columns, name)
    return PostsFile(name=name, raw=raw, posts=posts, columns=columns)


_BOM = b"\xef\xbb\xbf"


def read_table(
    source: str | Path | BinaryIO, name: str | None = None, rows: str = "posts"
) -> tuple[pd.DataFrame, str]:
    """Any CSV this app reads (posts, labels), every cell as text, and the name to call it.

    One place for the encodings, blank lines and one-line errors naming the file, row and
    column; ``rows`` is what the rows are called in the message for a file without any.
    """
    if isinstance(source, str | Path):
        name = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise LoadError(f"{name}: cannot be read ({error.strerror or error})") from None
    else:
        name = name or getattr(source, "name", "uploaded file")
        data = source.read()
    return _parse_csv(data, name, rows), name


def _parse_csv(data: bytes, name: str, rows: str = "posts") -> pd.DataFrame:
    """Every cell as text. UTF-8 (with or without BOM) first, then Windows-1252.

    Parsed by pyarrow's CSV reader: about ten times faster than pandas' own on
    large files, which keeps the command line close to the cost of reading the text.
    """
    if b"\x00" in data[:4096]:
        raise LoadError(f"{name}: is not a CSV file (it holds binary data)")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not data.strip():
        raise LoadError(f"{name}: is empty")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            raise LoadError(f"{name}: is not text in UTF-8 or Windows-1252 encoding") from None
    try:
        if b"\n\n" in data or b"\r\n\r\n" in data or b"\r\r" in data:
            # pyarrow skips empty lines and so renumbers the rows after them: read such
            # files record by record, so each post keeps the row number a spreadsheet shows.
            raw = _read_keeping_row_numbers(data, name)
        else:
            raw = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[], engine="pyarrow"
            )
    except (pd.errors.ParserError, pyarrow.ArrowInvalid, ValueError):
        # pyarrow refuses a row with too many or too few cells (a line of spaces is one):
        # the record-by-record reader skips blank lines and names the row that is wrong.
        try:
            raw = _read_keeping_row_numbers(data, name)
        except csv.Error as error:
            raise LoadError(f"{name}: is not a readable CSV file ({error})") from None
    raw.columns = [str(column).strip() for column in raw.columns]
    if raw.empty:
        raise LoadError(f"{name}: has a header row but no {rows}")
    return raw


def _read_keeping_row_numbers(data: bytes, name: str) -> pd.DataFrame:
    """Every cell as text, skipping blank lines but indexing posts by their record number."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader)
    rows, index = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise LoadError(
                f"{name}: row {number} has {len(cells)} cells but the header has {len(header)}"
            )
        rows.append(cells)
        index.append(number - 2)
    return pd.DataFrame(rows, columns=header, index=index, dtype=str)


def _header_key(header: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", header.lower().lstrip("\ufeff")).split())


def _map_headers(headers: list[str], name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        key = _header_key(header)
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in found:
                found[column] = header
    if "title" not in found:
        listed = ", ".join(headers[:8]) + (", ..." if len(headers) > 8 else "")
        raise LoadError(f"{name}: has no title column (found columns: {listed})")
    if "summary" not in found and "text" not in found:
        raise LoadError(f"{name}: needs a summary, text or body column beside the title")
    return found


def _to_app_columns(raw: pd.DataFrame, columns: dict[str, str], name: str) -> pd.DataFrame:
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
    """A stable, readable id from a title: lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text.lower()):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def _ids(given: pd.Series, posts: pd.DataFrame, columns: dict[str, str], name: str) -> pd.Series:
    """Ids as written; a slug of the title (made unique) where a row has none."""
    if "id" in columns:
        repeated = given[(given != "") & given.duplicated(keep=False)]
        if not repeated.empty:
            rows = ", ".join(str(row) for row in posts.loc[repeated.index, "row"][:5])
            raise LoadError(
                f"{name}: column '{columns['id']}' repeats the id '{repeated.iloc[0]}' (rows {rows})"
            )
    ids = given.astype(object)
    missing = given == ""
    if not missing.any():
        return ids.astype(str)
    taken = set(given[~missing])
    for index in given.index[missing]:
        base = slugify(posts.at[index, "title"]) or f"post-{posts.at[index, 'row']}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids[index] = candidate
    return ids.astype(str)


def _bad_value(
    values: pd.Series, allowed: tuple[str, ...], rows: pd.Series, header: str, name: str
) -> None:
    bad = values[(values != "") & ~values.isin(allowed)]
    if not bad.empty:
        raise LoadError(
            f"{name}: row {rows[bad.index[0]]}, column '{header}': '{bad.iloc[0]}' is not one of "
            + ", ".join(allowed)
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
