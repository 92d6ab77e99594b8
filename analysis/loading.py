"""The one loader for posts: the bundled CSV and any posts CSV a user brings.

:func:`read_posts` returns both the file as written (for the command line,
which writes every input column back out) and the posts in the app's own
columns (:data:`COLUMNS`). Anything that makes a file unusable raises
:class:`LoadError` with a one-line message naming the file, and the row and
column where there is one. Rows are numbered as a spreadsheet shows them: the
header is row 1, the first post row 2.

Every file is checked against :class:`Limits` before the slow work starts: its size
in bytes, its number of rows and of columns. The default, :data:`LIMITS`, is for the
command line and has room for a million posts and more; :data:`UPLOAD_LIMITS` is the
lower default a server passes for files uploaded through the browser, so no upload
can keep it busy for more than seconds.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.csv

from analysis.dates import PRECISIONS, parse_dates
from analysis.filenames import slug
from analysis.formatting import clip

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


def load_posts(
    source: str | Path | BinaryIO = BUNDLED_POSTS,
    name: str | None = None,
    limits: Limits = LIMITS,
) -> pd.DataFrame:
    """Read a posts CSV into the app's columns (see :func:`read_posts`)."""
    return read_posts(source, name, limits).posts


def read_posts(
    source: str | Path | BinaryIO = BUNDLED_POSTS,
    name: str | None = None,
    limits: Limits = LIMITS,
) -> PostsFile:
    """Read a posts CSV from a path or a binary file object.

    ``name`` is what messages call the file (defaults to the path's name).
    Needs a title column and at least one of summary, text or body; other
    columns are optional and mapped from common header spellings. A file
    beyond ``limits`` is refused before it is parsed.
    """
    raw, name = read_table(source, name, limits=limits)
    columns = _map_headers(list(raw.columns), name)
    posts = _to_app_columns(raw, columns, name)
    return PostsFile(name=name, raw=raw, posts=posts, columns=columns)


_BOM = b"\xef\xbb\xbf"


def read_table(
    source: str | Path | BinaryIO,
    name: str | None = None,
    rows: str = "posts",
    limits: Limits = LIMITS,
) -> tuple[pd.DataFrame, str]:
    """Any CSV this app reads (posts, labels), every cell as text, and the name to call it.

    One place for the encodings, blank lines, limits and one-line errors naming the file,
    row and column; ``rows`` is what the rows are called in messages ("posts", "labels").
    """
    if isinstance(source, str | Path):
        name = name or str(source)
        try:
            if Path(source).stat().st_size > limits.bytes:  # refused before it is read
                raise LoadError(f"{name}: is larger than the limit of {_size(limits.bytes)}")
            data = Path(source).read_bytes()
        except OSError as error:
            raise LoadError(f"{name}: cannot be read ({error.strerror or error})") from None
    else:
        name = name or getattr(source, "name", "uploaded file")
        data = source.read(limits.bytes + 1)
    if len(data) > limits.bytes:
        raise LoadError(f"{name}: is larger than the limit of {_size(limits.bytes)}")
    return _parse_csv(data, name, rows, limits), name


def _size(n: int) -> str:
    return f"{n / 2**30:g} GB" if n >= 2**30 else f"{n / 2**20:,.0f} MB"


def _parse_csv(
    data: bytes, name: str, rows: str = "posts", limits: Limits = LIMITS
) -> pd.DataFrame:
    """Every cell as text. UTF-8 (with or without BOM) first, then Windows-1252.

    Parsed by pyarrow's CSV reader: about ten times faster than pandas' own on
    large files, which keeps the command line close to the cost of reading the text.
    The header's width and the number of rows are checked first, so a file beyond
    ``limits`` is refused in a fraction of the time parsing it would take.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(f"{name}: is UTF-16 text; save it as CSV in UTF-8 (CSV UTF-8 in Excel)")
    if _looks_binary(data):
        raise LoadError(f"{name}: is not a CSV file (it holds binary data)")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not data.strip():
        raise LoadError(f"{name}: is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise LoadError(
                f"{name}: is not text in UTF-8 or Windows-1252 encoding (line {line} holds "
                f"the byte 0x{data[error.start]:02X})"
            ) from None
        data = text.encode("utf-8")
    header = _header(text, name, limits.columns)
    _check_rows(data, len(header), name, rows, limits.rows)
    del text
    try:
        if b"\n\n" in data or b"\r\n\r\n" in data or b"\r\r" in data:
            # pyarrow skips empty lines and so renumbers the rows after them: read such
            # files record by record, so each post keeps the row number a spreadsheet shows.
            raw = _read_keeping_row_numbers(data, name, rows, limits.rows)
        else:
            raw = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[], engine="pyarrow"
            )
    except (pd.errors.ParserError, pyarrow.ArrowException, ValueError) as error:
        if isinstance(error, LoadError):
            raise
        # pyarrow refuses a row with too many or too few cells (a line of spaces is one):
        # the record-by-record reader skips blank lines and names the row that is wrong.
        raw = _read_keeping_row_numbers(data, name, rows, limits.rows)
    raw.columns = _unique([str(column).strip() for column in raw.columns])
    if raw.empty:
        raise LoadError(f"{name}: has a header row but no {rows}")
    if len(raw) > limits.rows:
        raise LoadError(f"{name}: has more than the limit of {limits.rows:,} {rows}")
    if b"\x00" in data:
        _refuse_nul(raw, name)
    return raw


def _unique(headers: list[str]) -> list[str]:
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


def _looks_binary(data: bytes) -> bool:
    """NUL bytes in the header or several in the first 4 kB: an image, a spreadsheet, UTF-16
    without its mark. (A lone NUL further in is named by its row and column instead.)"""
    head = data[:4096]
    first_line = head.split(b"\n", 1)[0]
    return head.count(b"\x00") > 1 or b"\x00" in first_line


def _header(text: str, name: str, limit: int) -> list[str]:
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


def _check_rows(data: bytes, columns: int, name: str, rows: str, limit: int) -> None:
    """Refuse a file of more than ``limit`` records besides the header, without parsing it
    into a table: a record ends in a line break, so most files are cleared by counting
    those; only a file with more line breaks than that (line breaks inside quoted cells)
    has its records counted, by pyarrow's streaming reader, stopping past the limit."""
    if max(data.count(b"\n"), data.count(b"\r")) <= limit:
        return
    names = [f"c{n}" for n in range(max(columns, 1))]
    try:
        reader = pyarrow.csv.open_csv(
            io.BytesIO(data),
            read_options=pyarrow.csv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
            convert_options=pyarrow.csv.ConvertOptions(
                column_types=dict.fromkeys(names, pyarrow.string())
            ),
        )
        counted = 0
        for batch in reader:
            counted += batch.num_rows
            if counted > limit:
                raise LoadError(f"{name}: has more than the limit of {limit:,} {rows}")
    except pyarrow.ArrowException:
        return  # a malformed file: the record-by-record reader counts as it goes


def _refuse_nul(raw: pd.DataFrame, name: str) -> None:
    """Name the first cell holding a NUL character (no text file has one)."""
    for position, header in enumerate(raw.columns):
        if "\x00" in header:
            raise LoadError(f"{name}: row 1, column {position + 1} holds a NUL character")
    found = [
        raw.iloc[:, n].str.contains("\x00", regex=False).to_numpy() for n in range(raw.shape[1])
    ]
    cells = np.column_stack(found)
    first = int(np.flatnonzero(cells.any(axis=1))[0])
    column = int(np.flatnonzero(cells[first])[0])
    raise LoadError(
        f"{name}: row {raw.index[first] + 2}, column '{clip(raw.columns[column], COLUMN_NAME_CHARS)}' "
        "holds a NUL character (is it a text file?)"
    )


def _read_keeping_row_numbers(data: bytes, name: str, rows: str, limit: int) -> pd.DataFrame:
    """Every cell as text, skipping blank lines but indexing posts by their record number."""
    csv.field_size_limit(2**31 - 1)  # a cell may be as long as the file
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    try:
        header = next(reader)
        records, index = [], []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise LoadError(
                    f"{name}: row {number} has {len(cells)} cells but the header has {len(header)}"
                )
            if len(records) == limit:
                raise LoadError(f"{name}: has more than the limit of {limit:,} {rows}")
            records.append(cells)
            index.append(number - 2)
    except csv.Error as error:
        raise LoadError(
            f"{name}: is not a readable CSV file (line {reader.line_num}: {error})"
        ) from None
    return pd.DataFrame(records, columns=header, index=index, dtype=str)


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


# --- streaming: a large file in chunks, for the command line ------------------------------------

#: Bytes of CSV parsed at a time by :func:`iter_posts` (about 4,000 posts of a thousand
#: characters): large enough that pyarrow and the tagger work in bulk, small enough that a
#: million posts take a fraction of the memory of the whole file.
STREAM_BLOCK_BYTES = 4 << 20

#: Bytes read at a time when a file is checked before it is streamed.
_SCAN_BYTES = 1 << 20

#: How much of the start of a file :func:`iter_posts` reads to find the header row.
_STREAM_HEAD_BYTES = 4 << 20


def iter_posts(
    path: str | Path,
    name: str | None = None,
    limits: Limits = LIMITS,
    block_size: int | None = None,
) -> Iterator[PostsFile]:
    """:func:`read_posts` in chunks of about ``block_size`` bytes of CSV (default
    :data:`STREAM_BLOCK_BYTES`), so memory stays flat however long the file.

    The chunks, put end to end, are what :func:`read_posts` gives: the same rows, columns,
    cells and row numbers (an error names the file, row and column as it does). Ids are
    checked for repeats across the whole file; an id made from a title for a row without
    one is unique only within its chunk. Files the chunked reader cannot take as they are
    (not UTF-8, blank lines, NUL characters, more line breaks than the row limit, a header
    past the first 4 MB, a record pyarrow refuses) are read whole by :func:`read_posts`.
    Every check on the file as a whole is made before the first chunk is yielded, so a
    file refused outright yields nothing.
    """
    name = name or str(path)
    block_size = block_size or STREAM_BLOCK_BYTES
    if not Path(path).is_file():  # a pipe can be read only once: whole, as before
        yield read_posts(path, name, limits)
        return
    try:
        size = Path(path).stat().st_size
        if size > limits.bytes:  # refused before it is read
            raise LoadError(f"{name}: is larger than the limit of {_size(limits.bytes)}")
        with Path(path).open("rb") as f:
            head = f.read(_STREAM_HEAD_BYTES)
            streamable = _streamable(head, f, limits)
    except OSError as error:
        raise LoadError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not streamable:
        yield read_posts(path, name, limits)
        return
    bom = len(_BOM) if head.startswith(_BOM) else 0
    text = head[bom:].decode("utf-8", errors="ignore")  # a character cut at the end: dropped
    header = _header(text, name, limits.columns)
    if len(head) == _STREAM_HEAD_BYTES and not _has_second_record(text):
        yield read_posts(path, name, limits)  # a header row of megabytes: read as before
        return
    yield from _stream(path, name, limits, block_size, bom, len(header))


def _streamable(head: bytes, rest: BinaryIO, limits: Limits) -> bool:
    """Whether the chunked reader reads this file as :func:`read_posts` would: valid UTF-8,
    no blank lines or NUL characters, and no more line breaks than ``limits.rows``.
    Reads the file once, a block at a time; anything else is left to :func:`read_posts`,
    which reads it whole and says what is wrong."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_binary(head):
        return False
    if not head.strip() or (head.startswith(_BOM) and not head[len(_BOM) :].strip()):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = returns = 0
    tail = b""
    block = head
    while block:
        try:
            decoder.decode(block)
        except UnicodeDecodeError:
            return False
        seam = tail + block[:3]  # a blank line may straddle two blocks
        for blank in (b"\n\n", b"\r\n\r\n", b"\r\r"):
            if blank in block or blank in seam:
                return False
        if b"\x00" in block:
            return False
        newlines += block.count(b"\n")
        returns += block.count(b"\r")
        if max(newlines, returns) > limits.rows:
            return False
        tail = (tail + block)[-3:] if len(block) < 3 else block[-3:]
        block = rest.read(_SCAN_BYTES)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_second_record(text: str) -> bool:
    """Whether ``text`` (the start of a file) holds the whole header row and more."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        next(reader, None)
        return next(reader, None) is not None
    except csv.Error:
        return False


def _stream(
    path: str | Path, name: str, limits: Limits, block_size: int, bom: int, width: int
) -> Iterator[PostsFile]:
    from pandas.io.common import mangle_dupe_names  # how pandas names headers, as read_posts

    with Path(path).open("rb") as f:
        f.seek(bom)
        try:
            reader = pyarrow.csv.open_csv(
                f,
                read_options=pyarrow.csv.ReadOptions(block_size=block_size, use_threads=False),
                # a block may end inside a quoted cell holding a line break
                parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
                convert_options=pyarrow.csv.ConvertOptions(
                    default_column_type=pyarrow.string(), strings_can_be_null=False
                ),
            )
        except pyarrow.ArrowException:
            yield read_posts(path, name, limits)
            return
        raw_names = reader.schema.names
        unnamed = [n for n, header in enumerate(raw_names) if header == ""]
        named = [f"Unnamed: {n}" if header == "" else header for n, header in enumerate(raw_names)]
        headers = _unique([str(h).strip() for h in mangle_dupe_names(named, unnamed)])
        columns = _map_headers(headers, name)
        seen: dict[str, int] = {}  # id -> its row, across every chunk
        start = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pyarrow.ArrowException:
                # a record pyarrow refuses (too many cells, a cell longer than a block):
                # the whole file as read_posts reads it, which names the row that is wrong,
                # and the rows not yet given if it reads the file after all
                whole = read_posts(path, name, limits)
                yield _part(whole, start, len(whole.raw))
                return
            if batch.num_rows == 0:
                continue
            if start + batch.num_rows > limits.rows:
                raise LoadError(f"{name}: has more than the limit of {limits.rows:,} posts")
            raw = pd.DataFrame(
                {n: _text(batch.column(n)) for n in range(batch.num_columns)}, copy=False
            )
            raw.columns = headers
            raw.index = pd.RangeIndex(start, start + len(raw))
            posts = _to_app_columns(raw, columns, name)
            posts.index = raw.index
            if "id" in columns:
                _check_repeats(raw[columns["id"]], posts["row"], seen, columns["id"], name)
            yield PostsFile(name=name, raw=raw, posts=posts, columns=columns)
            start += len(raw)
    if start == 0:
        raise LoadError(f"{name}: has a header row but no posts")


#: pandas' text dtype, as ``pd.read_csv(dtype=str)`` gives it, backed by pyarrow.
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def _text(column: pyarrow.Array) -> pd.Series:
    """A column of text from pyarrow to pandas without copying the text into Python strings."""
    return pd.Series(pd.array(column, dtype=_TEXT), copy=False)


def posts_from_table(raw: pd.DataFrame, name: str = "posts") -> pd.DataFrame:
    """The app's columns (:data:`COLUMNS`) for a table of posts already read as text, e.g. a
    partition of a Dask or Spark frame: what :func:`read_posts` makes of the same rows.
    ``raw.index`` numbers the rows from 0 for the first post of the file (row 2), so
    messages name the right row; ``name`` is what they call the file."""
    columns = _map_headers([str(column) for column in raw.columns], name)
    posts = _to_app_columns(raw, columns, name)
    posts.index = raw.index
    return posts


def _part(whole: PostsFile, start: int, stop: int) -> PostsFile:
    return PostsFile(
        name=whole.name,
        raw=whole.raw.iloc[start:stop],
        posts=whole.posts.iloc[start:stop],
        columns=whole.columns,
    )


def _check_repeats(
    given: pd.Series, rows: pd.Series, seen: dict[str, int], header: str, name: str
) -> None:
    """Refuse an id given in an earlier chunk (repeats within a chunk are refused by
    :func:`_to_app_columns`); remembers this chunk's ids. Rows without an id are skipped."""
    for post_id, row in zip(given.str.strip().tolist(), rows.tolist(), strict=True):
        if not post_id:
            continue
        if post_id in seen:
            raise LoadError(
                f"{name}: column '{clip(header, COLUMN_NAME_CHARS)}' repeats the id "
                f"'{clip(post_id, COLUMN_NAME_CHARS)}' (rows {seen[post_id]}, {row})"
            )
        seen[post_id] = row
