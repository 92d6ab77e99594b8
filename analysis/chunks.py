"""Posts a part at a time: :func:`iter_posts` reads a large CSV in chunks for the command
line, so memory stays flat however long the file; :func:`posts_from_table` gives the app's
columns for a table of posts already read, e.g. a partition of a Dask or Spark frame.

Both give what :func:`analysis.loading.read_posts` gives for the same rows, through the
checks in :mod:`analysis.post_checks`; a file the chunked reader cannot take as it is goes
to :func:`~analysis.loading.read_posts` whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.csv

from analysis.formatting import clip
from analysis.loading import read_posts
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
            raise LoadError(f"{name}: is larger than the limit of {size_text(limits.bytes)}")
        with Path(path).open("rb") as f:
            head = f.read(_STREAM_HEAD_BYTES)
            streamable = _streamable(head, f, limits)
    except OSError as error:
        raise LoadError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not streamable:
        yield read_posts(path, name, limits)
        return
    bom = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    text = head[bom:].decode("utf-8", errors="ignore")  # a character cut at the end: dropped
    header = read_header(text, name, limits.columns)
    if len(head) == _STREAM_HEAD_BYTES and not _has_second_record(text):
        yield read_posts(path, name, limits)  # a header row of megabytes: read as before
        return
    yield from _stream(path, name, limits, block_size, bom, len(header))


def _streamable(head: bytes, rest: BinaryIO, limits: Limits) -> bool:
    """Whether the chunked reader reads this file as :func:`read_posts` would: valid UTF-8,
    no blank lines or NUL characters, and no more line breaks than ``limits.rows``.
    Reads the file once, a block at a time; anything else is left to :func:`read_posts`,
    which reads it whole and says what is wrong."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_binary(head):
        return False
    if not head.strip() or (head.startswith(UTF8_BOM) and not head[len(UTF8_BOM) :].strip()):
        return False
    pending = b""  # a character cut in two at the end of the last block
    newlines = returns = 0
    tail = b""
    block = head
    while block:
        data = pending + block if pending else block
        whole = _whole_characters(data)
        if not _valid_utf8(data[:whole] if whole < len(data) else data):
            return False
        pending = data[whole:]
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
    return not pending  # a file ending inside a character is not UTF-8


def _whole_characters(data: bytes) -> int:
    """How many bytes at the start of ``data`` hold whole UTF-8 characters: all of them,
    unless it ends inside a character (a lead byte followed by fewer bytes than it needs),
    whose bytes are then left for the next block. Anything invalid is left to
    :func:`_valid_utf8` to refuse."""
    size = len(data)
    for back in range(1, min(4, size) + 1):
        byte = data[size - back]
        if byte < 0x80:  # ASCII: nothing cut
            return size
        if byte >= 0xC0:  # the lead byte of the last character
            needs = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return size - back if back < needs else size
    return size


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, as Python's strict decoder says (no surrogates, no
    overlong forms), checked by pyarrow's validator: ten times faster than decoding."""
    try:
        pyarrow.array([data], pyarrow.binary()).cast(pyarrow.string())
    except pyarrow.ArrowInvalid:
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
        headers = unique_headers([str(h).strip() for h in mangle_dupe_names(named, unnamed)])
        columns = map_headers(headers, name)
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
            posts = to_app_columns(raw, columns, name)
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
    columns = map_headers([str(column) for column in raw.columns], name)
    posts = to_app_columns(raw, columns, name)
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
    :func:`to_app_columns`); remembers this chunk's ids. Rows without an id are skipped."""
    for post_id, row in zip(given.str.strip().tolist(), rows.tolist(), strict=True):
        if not post_id:
            continue
        if post_id in seen:
            raise LoadError(
                f"{name}: column '{clip(header, COLUMN_NAME_CHARS)}' repeats the id "
                f"'{clip(post_id, COLUMN_NAME_CHARS)}' (rows {seen[post_id]}, {row})"
            )
        seen[post_id] = row
