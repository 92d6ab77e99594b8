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
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.csv

from analysis.formatting import clip
from analysis.post_checks import (
    COLUMN_NAME_CHARS,
    LIMITS,
    UTF8_BOM,
    Limits,
    LoadError,
    PostsFile,
    looks_binary,
    map_headers,
    read_header,
    size_text,
    to_app_columns,
    unique_headers,
)

BUNDLED_POSTS = Path(__file__).resolve().parent.parent / "data" / "posts.csv"


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
    columns = map_headers(list(raw.columns), name)
    posts = to_app_columns(raw, columns, name)
    return PostsFile(name=name, raw=raw, posts=posts, columns=columns)


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
                raise LoadError(f"{name}: is larger than the limit of {size_text(limits.bytes)}")
            data = Path(source).read_bytes()
        except OSError as error:
            raise LoadError(f"{name}: cannot be read ({error.strerror or error})") from None
    else:
        name = name or getattr(source, "name", "uploaded file")
        data = source.read(limits.bytes + 1)
    if len(data) > limits.bytes:
        raise LoadError(f"{name}: is larger than the limit of {size_text(limits.bytes)}")
    return _parse_csv(data, name, rows, limits), name


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
    if looks_binary(data):
        raise LoadError(f"{name}: is not a CSV file (it holds binary data)")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if not data.strip():
        raise LoadError(f"{name}: is empty")
    try:
        text = _utf8_head(data)
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
    header = read_header(text, name, limits.columns)
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
    raw.columns = unique_headers([str(column).strip() for column in raw.columns])
    if raw.empty:
        raise LoadError(f"{name}: has a header row but no {rows}")
    if len(raw) > limits.rows:
        raise LoadError(f"{name}: has more than the limit of {limits.rows:,} {rows}")
    if b"\x00" in data:
        _refuse_nul(raw, name)
    return raw


#: A file larger than this (bytes) is checked as UTF-8 a block at a time, and only its start
#: is decoded to find the header: a million posts' text decoded whole took a gigabyte or two
#: that nothing else needs (pyarrow reads the bytes).
_WHOLE_TEXT = 1 << 24


def _utf8_head(data: bytes) -> str:
    """``data`` decoded as UTF-8, or for a large file its start (enough to hold the header
    row and the start of the next record, which is all that is read of it); raises
    :class:`UnicodeDecodeError` where decoding it whole would."""
    if len(data) <= _WHOLE_TEXT:
        return data.decode("utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, len(data), _WHOLE_TEXT):  # raises as decoding it whole would
        decoder.decode(view[start : start + _WHOLE_TEXT], final=start + _WHOLE_TEXT >= len(data))
    head = data[:_WHOLE_TEXT].decode("utf-8", errors="ignore")  # a character cut: dropped
    reader = csv.reader(io.StringIO(head, newline=""))
    try:
        next(reader, None)
        if next(reader, None) is not None:  # the whole header row is in the head
            return head
    except csv.Error:
        pass
    return data.decode("utf-8")  # a header row of megabytes: decoded whole, as before


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
