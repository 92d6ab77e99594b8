"""analysis.chunks: a posts file read a chunk at a time by :func:`iter_posts` is the file
:func:`analysis.loading.read_posts` reads whole: the same rows, cells and row numbers, and
errors in any chunk that name the right row.

The chunks are made small (a few kilobytes) by ``block_size``, so a file of a few hundred
posts is read in dozens of them. The command line's use of them is in test_cli_stream.py.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import chunks
from analysis.chunks import iter_posts
from analysis.loading import BUNDLED_POSTS, read_posts
from analysis.post_checks import Limits, LoadError

BLOCK = 4096  # bytes of CSV a chunk: the files below are 20 to 60 of them


def awkward_posts(n: int) -> list[list[str]]:
    """``n`` posts built from the bundled ones, with the cells that trip CSV code up: line
    breaks and quotes inside cells, formula starts, spaces around, non-ASCII text, empty
    cells, dates in several forms, rows without an id."""
    bundled = read_posts(BUNDLED_POSTS).posts
    rows = []
    for n_row in range(n):
        post = bundled.iloc[n_row % len(bundled)]
        title = f"  {post['title']} "
        summary = post["summary"]
        if n_row % 7 == 0:
            summary = f'{summary}\nA second line, "quoted", café'
        if n_row % 11 == 0:
            title = f"=HYPERLINK({post['title']!r})"
        if n_row % 13 == 0:
            summary = ""
        date = ["2023-07-05", "July 2021", "", "5/7/2022", "2020"][n_row % 5]
        rows.append(
            [
                "" if n_row % 17 == 0 else f"id-{n_row}",
                title,
                summary,
                date,
                "-5" if n_row % 3 == 0 else "+44 20",
                "x",
            ]
        )
    return rows


def write_posts(path: Path, rows: list[list[str]], header=None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header or ["id", "Title", "summary", "date", "note", "note"])
        writer.writerows(rows)
    return path


# --- chunks end to end ----------------------------------------------------------------------------


def test_streamed_chunks_put_end_to_end_are_the_whole_file(tmp_path):
    path = write_posts(tmp_path / "posts.csv", awkward_posts(300))
    whole = read_posts(path)
    chunks = list(iter_posts(path, block_size=BLOCK))

    raw = pd.concat([chunk.raw for chunk in chunks])
    pd.testing.assert_frame_equal(raw, whole.raw)
    posts = pd.concat([chunk.posts for chunk in chunks]).reset_index(drop=True)
    given = whole.posts["id"].str.startswith("id-")  # a row without an id gets a slug
    pd.testing.assert_frame_equal(posts[given], whole.posts[given])
    assert posts["row"].tolist() == list(range(2, 302))
    assert {chunk.columns["title"] for chunk in chunks} == {"Title"}


# --- errors in any chunk name the right row -------------------------------------------------------


def refused(path: Path) -> str:
    with pytest.raises(LoadError) as caught:
        for _ in iter_posts(path, block_size=BLOCK):
            pass
    return str(caught.value)


def test_a_bad_value_in_a_late_chunk_names_its_row_as_read_posts_does(tmp_path):
    rows = awkward_posts(400)
    header = ["id", "title", "summary", "date", "date_status", "x"]
    for row in rows:
        row[4] = "published"
    rows[377][4] = "maybe"  # spreadsheet row 379
    path = write_posts(tmp_path / "posts.csv", rows, header)

    message = refused(path)
    assert "row 379, column 'date_status': 'maybe'" in message
    with pytest.raises(LoadError) as whole:
        read_posts(path)
    assert message == str(whole.value)


def test_an_id_repeated_in_a_later_chunk_is_refused_naming_both_rows(tmp_path):
    rows = awkward_posts(400)
    rows[390][0] = "id-5"  # row 392 repeats row 7's id, many chunks apart
    path = write_posts(tmp_path / "posts.csv", rows)

    assert refused(path) == f"{path}: column 'id' repeats the id 'id-5' (rows 7, 392)"


def test_an_id_repeated_within_a_late_chunk_names_its_rows(tmp_path):
    rows = awkward_posts(400)
    rows[301][0] = "id-300"  # rows 302 and 303
    path = write_posts(tmp_path / "posts.csv", rows)

    assert refused(path) == f"{path}: column 'id' repeats the id 'id-300' (rows 302, 303)"


def test_a_row_of_too_many_cells_in_a_late_chunk_names_its_row(tmp_path):
    path = write_posts(tmp_path / "posts.csv", awkward_posts(400))
    lines = path.read_bytes().split(b"\r\n")
    bad = next(n for n in range(350, 400) if b'"' not in lines[n])
    lines[bad] += b",one too many"
    path.write_bytes(b"\r\n".join(lines))

    message = refused(path)
    assert f"row {bad + 1} has 7 cells but the header has 6" in message


def test_a_header_without_posts_is_refused_by_the_stream(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("title,summary\n", encoding="utf-8")
    assert refused(path) == f"{path}: has a header row but no posts"


# --- a named pipe ---------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes")
def test_a_named_pipe_is_read_once_whole(tmp_path):
    import os
    import threading

    source = write_posts(tmp_path / "posts.csv", awkward_posts(50))
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    feeder = threading.Thread(target=lambda: pipe.write_bytes(source.read_bytes()), daemon=True)
    chunks = []
    reader = threading.Thread(
        target=lambda: chunks.extend(iter_posts(pipe, block_size=BLOCK)), daemon=True
    )
    feeder.start()
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "opened the pipe a second time, and waits for a writer"
    assert len(chunks) == 1
    pd.testing.assert_frame_equal(chunks[0].raw, read_posts(source).raw)


# --- the check before streaming: UTF-8 whatever the blocks ----------------------------------------

#: Pieces of bytes: ASCII, whole characters of 2, 3 and 4 bytes, and the broken kinds
#: (a lone continuation byte, a cut character, an overlong form, a surrogate, past U+10FFFF).
UTF8_PIECES = [
    b"a",
    b",",
    b"\nx",  # a line break, never a blank line
    "é".encode(),
    "’".encode(),
    "😀".encode(),
    b"\x80",
    b"\xe2\x82",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xff",
]


@given(
    pieces=st.lists(st.sampled_from(UTF8_PIECES), min_size=1, max_size=30),
    block=st.integers(min_value=1, max_value=9),
    head=st.integers(min_value=1, max_value=12),
)
@settings(max_examples=300, deadline=None)
def test_a_file_is_streamed_only_when_it_is_utf8_however_its_blocks_cut_its_characters(
    pieces, block, head
):
    data = b"title,summary\nx" + b"".join(pieces)
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    with mock.patch.object(chunks, "_SCAN_BYTES", block):
        streamable = chunks._streamable(data[:head], io.BytesIO(data[head:]), Limits())
    assert streamable == valid


def test_a_character_across_the_first_block_s_end_is_streamed(tmp_path):
    """The file is checked a block at a time (4 MB, then 1 MB): a character cut by a block's
    end is whole once the next block comes."""
    cut = chunks._STREAM_HEAD_BYTES
    start = b"title,summary\nWorkforce,"
    data = start + b"x" * (cut - len(start) - 1) + "’ café".encode() + b"\nb,c\n"
    assert data[cut - 1 : cut] == b"\xe2"  # the first block ends inside the ’
    path = tmp_path / "posts.csv"
    path.write_bytes(data)
    with path.open("rb") as f:
        assert chunks._streamable(f.read(cut), f, Limits())
