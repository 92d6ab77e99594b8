"""analysis.loading against attacker-sized and odd files: size, row and column limits, short
messages, NUL bytes and encodings, and ids for many posts with one title.

Every refusal is one line that starts with the file's name and, where there is one,
names the row and column (or the line, for bytes that are not text)."""

from __future__ import annotations

import io

import pytest

from analysis.corpus import open_corpus
from analysis.loading import read_posts, read_table
from analysis.post_checks import (
    LIMITS,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    UPLOAD_LIMITS,
    UPLOAD_MAX_BYTES,
    UPLOAD_MAX_ROWS,
    Limits,
    LoadError,
)


def refused(data: bytes, limits: Limits = LIMITS, name: str = "big.csv") -> str:
    with pytest.raises(LoadError) as caught:
        read_posts(io.BytesIO(data), name, limits)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message and "\r" not in message
    return message


# --- the limits themselves ----------------------------------------------------------------------


def test_the_command_line_limits_leave_room_for_a_million_posts():
    assert (MAX_BYTES, MAX_ROWS, MAX_COLUMNS) == (1 << 30, 2_000_000, 1_000)
    assert Limits() == LIMITS == Limits(MAX_BYTES, MAX_ROWS, MAX_COLUMNS)
    assert LIMITS.rows >= 1_000_000
    # uploads through the browser: lower, but room for the 100,000 posts the README speaks of
    assert Limits(UPLOAD_MAX_BYTES, UPLOAD_MAX_ROWS, MAX_COLUMNS) == UPLOAD_LIMITS
    assert 100_000 <= UPLOAD_LIMITS.rows < LIMITS.rows
    assert UPLOAD_LIMITS.bytes == 200 * 2**20 < LIMITS.bytes


# --- size ---------------------------------------------------------------------------------------

SMALL = Limits(bytes=1_000, rows=5, columns=10)


def test_a_file_object_larger_than_the_limit_is_refused_unread():
    class Upload(io.BytesIO):
        def __init__(self, data: bytes):
            super().__init__(data)
            self.asked: list[int] = []

        def read(self, size=-1):
            self.asked.append(size)
            return super().read(size)

    upload = Upload(b"title,summary\n" + b"A,b\n" * 300)  # 1,214 bytes
    with pytest.raises(LoadError, match=r"^up\.csv: is larger than the limit of 0 MB$"):
        read_posts(upload, "up.csv", SMALL)
    assert upload.asked == [1_001]  # read no further than needed to know
    assert read_posts(io.BytesIO(b"title,summary\n" + b"A,b\n" * 5), "ok.csv", SMALL)


def test_a_path_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(b"title,summary\nA,b\n")
        f.truncate(MAX_BYTES + 1)  # sparse: 1 GB on paper, nothing on disk
    with pytest.raises(LoadError) as caught:
        read_posts(path)
    assert str(caught.value) == f"{path}: is larger than the limit of 1 GB"


def test_upload_limit_message_names_megabytes():
    with pytest.raises(LoadError, match=r"^u\.csv: is larger than the limit of 200 MB$"):
        read_table(io.BytesIO(b"x" * (UPLOAD_MAX_BYTES + 1)), "u.csv", limits=UPLOAD_LIMITS)


# --- rows ---------------------------------------------------------------------------------------


def test_rows_up_to_the_limit_load_and_one_more_is_refused():
    rows = b"".join(b"T%d,s\n" % n for n in range(5))
    assert len(read_posts(io.BytesIO(b"title,summary\n" + rows), "f.csv", SMALL).posts) == 5
    assert refused(b"title,summary\n" + rows + b"T5,s\n", SMALL) == (
        "big.csv: has more than the limit of 5 posts"
    )


def test_line_breaks_inside_cells_are_not_counted_as_rows():
    # 5 posts but 20 line breaks: counted as records, so the file is within the limit
    rows = b"".join(b'T%d,"one\ntwo\nthree"\n' % n for n in range(5))
    posts = read_posts(io.BytesIO(b"title,summary\n" + rows), "f.csv", SMALL).posts
    assert posts["summary"].tolist() == ["one\ntwo\nthree"] * 5
    many = b"title,summary\n" + b"".join(b'T%d,"one\ntwo"\n' % n for n in range(6))
    assert refused(many, SMALL) == "big.csv: has more than the limit of 5 posts"


@pytest.mark.parametrize("blank", [b"\n", b"\r\n", b"   \n"])
def test_the_row_limit_holds_in_files_with_blank_lines(blank):
    data = b"title,summary\n" + blank + b"".join(b"T%d,s\n" % n for n in range(6))
    assert refused(data, SMALL) == "big.csv: has more than the limit of 5 posts"


def test_blank_lines_do_not_count_towards_the_row_limit():
    data = b"title,summary\n" + b"\n" * 50 + b"".join(b"T%d,s\n" % n for n in range(5))
    assert read_posts(io.BytesIO(data), "f.csv", SMALL).posts["row"].tolist() == [
        52,
        53,
        54,
        55,
        56,
    ]


def test_old_mac_line_endings_are_counted_too():
    data = b"title,summary\r" + b"".join(b"T%d,s\r" % n for n in range(6))
    assert refused(data, SMALL) == "big.csv: has more than the limit of 5 posts"


def test_labels_files_have_the_row_limit_too():
    with pytest.raises(LoadError, match=r"^l\.csv: has more than the limit of 5 labels$"):
        read_table(io.BytesIO(b"id,x\n" + b"a,1\n" * 6), "l.csv", rows="labels", limits=SMALL)


# --- columns ------------------------------------------------------------------------------------


def test_columns_up_to_the_limit_load_and_one_more_is_refused():
    ten = ",".join(["title", "summary", *(f"c{n}" for n in range(8))]).encode()
    cells = b",".join([b"x"] * 10)
    assert read_posts(io.BytesIO(ten + b"\n" + cells + b"\n"), "f.csv", SMALL)
    assert refused(ten + b",c8\n" + cells + b",x\n", SMALL) == (
        "big.csv: row 1 (the header) has 11 columns, more than the limit of 10"
    )


def test_10000_columns_are_refused_from_the_header_alone():
    header = ",".join(["title", "summary", *(f"column {n}" for n in range(9_998))]).encode()
    row = b",".join([b"x"] * 10_000)
    message = refused(header + b"\n" + (row + b"\n") * 20)
    assert message == "big.csv: row 1 (the header) has 10,000 columns, more than the limit of 1,000"


def test_a_header_too_wide_to_count_cheaply_is_at_least_so_many_columns():
    header = ",".join(["title", "summary", *(f"{n:07d}" for n in range(200_000))]) + "\n"
    message = refused(header.encode())  # 1.6 MB of header: counted in its first megabyte
    assert message.startswith("big.csv: row 1 (the header) has at least 13")
    assert message.endswith(" columns, more than the limit of 1,000")


def test_a_header_longer_than_the_first_chunk_is_read_whole_or_refused():
    names = [f"a rather long column name number {n}" for n in range(3_000)]  # ~110 kB
    message = refused((",".join(["title", "summary", *names]) + "\nA,b\n").encode())
    assert "more than the limit of 1,000" in message
    wide = Limits(columns=5_000)
    posts = read_posts(
        io.BytesIO((",".join(["title", "summary", *names]) + "\n" + "x," * 3_001 + "x\n").encode()),
        "f.csv",
        wide,
    )
    assert len(posts.raw.columns) == 3_002


# --- messages stay short --------------------------------------------------------------------------


def test_no_title_column_lists_ten_column_names_cut_to_forty_characters():
    # a file whose first row is data: its "header" is a whole post
    first_row = ["x" * 500, *(f"cell {n}" for n in range(1, 30))]
    message = refused((",".join(first_row) + "\n" + ",".join(["y"] * 30) + "\n").encode())
    listed = ", ".join(["x" * 39 + "…", *(f"cell {n}" for n in range(1, 10))])
    assert message == f"big.csv: has no title column (found columns: {listed} and 20 more)"


@pytest.mark.parametrize(
    ("columns", "said"),
    [
        (10, "found columns: c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)"),
        (11, "found columns: c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 and 1 more)"),
    ],
)
def test_ten_column_names_are_listed_and_the_rest_counted(columns, said):
    header = ",".join(f"c{n}" for n in range(1, columns + 1))
    assert refused(f"{header}\n{',' * (columns - 1)}\n".encode()).endswith(said)


def test_a_bad_value_is_quoted_short():
    message = refused(b"title,summary,date_status\nA,b," + b"z" * 10_000 + b"\n")
    assert message.startswith("big.csv: row 2, column 'date_status': 'zzz")
    assert len(message) < 200


def test_a_repeated_id_is_quoted_short():
    long_id = b"i" * 10_000
    message = refused(b"id,title,summary\n" + long_id + b",A,b\n" + long_id + b",B,c\n")
    assert "(rows 2, 3)" in message
    assert len(message) < 200


# --- bytes that are not text ----------------------------------------------------------------------


def test_a_nul_byte_names_its_row_and_column():
    filler = b"".join(b"Post %d,fine\n" % n for n in range(500))  # past the first 4 kB
    data = b"title,summary\n" + filler + b"Bad,has a \x00 in it\n"
    assert refused(data) == (
        "big.csv: row 502, column 'summary' holds a NUL character (is it a text file?)"
    )


def test_a_nul_byte_at_the_start_is_binary():
    assert refused(b"title\x00,summary\nA,b\n") == (
        "big.csv: is not a CSV file (it holds binary data)"
    )


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_says_how_to_save_the_file(bom):
    data = bom + "title,summary\nA,b\n".encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be")
    assert refused(data) == (
        "big.csv: is UTF-16 text; save it as CSV in UTF-8 (CSV UTF-8 in Excel)"
    )


def test_bytes_in_no_known_encoding_name_their_line():
    data = b"title,summary\nA,b\nC,d\nE,caf\x81\n"  # 0x81 is unused in Windows-1252
    assert refused(data) == (
        "big.csv: is not text in UTF-8 or Windows-1252 encoding (line 4 holds the byte 0x81)"
    )


# --- many posts with one title ------------------------------------------------------------------


def test_5000_posts_with_one_title_get_numbered_ids():
    posts = read_posts(io.BytesIO(b"title,summary\n" + b"Same title,s\n" * 5_000), "f.csv").posts
    assert posts["id"].tolist() == ["same-title"] + [f"same-title-{n}" for n in range(2, 5_001)]


def test_numbered_ids_skip_ids_already_taken():
    data = b"id,title,summary\n,A,s\na-3,B,s\n,A,s\n,A,s\n,A 2,s\n,A,s\n"
    ids = read_posts(io.BytesIO(data), "f.csv").posts["id"].tolist()
    assert ids == ["a", "a-3", "a-2", "a-4", "a-2-2", "a-5"]


# --- the corpus passes limits through -----------------------------------------------------------


def test_open_corpus_takes_limits():
    data = b"title,summary\n" + b"A,b\n" * 6
    with pytest.raises(LoadError, match="more than the limit of 5 posts"):
        open_corpus(io.BytesIO(data), name="up.csv", limits=SMALL)
    assert len(open_corpus(io.BytesIO(data), name="up.csv").posts) == 6


def test_a_lone_nul_in_a_small_file_names_its_cell_but_several_are_binary():
    assert refused(b"title,summary,date\nA,b,\x00\n") == (
        "big.csv: row 2, column 'date' holds a NUL character (is it a text file?)"
    )
    assert refused(b"title,summary,date\nA,b,\x00\nC,d,\x00\n") == (
        "big.csv: is not a CSV file (it holds binary data)"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"title,Body,abstract,abstract\n\nA,b,c,d\n",  # blank line: read record by record
        b"title,Body,abstract,abstract\nA,b,c,d\n",
        b"title,Body,abstract, abstract,abstract.1\nA,b,c,d,e\n",  # the same once trimmed
    ],
)
def test_repeated_headers_become_distinct_columns(data):
    posts_file = read_posts(io.BytesIO(data), "f.csv")
    assert posts_file.raw.columns.is_unique
    assert posts_file.raw.columns[:4].tolist() == ["title", "Body", "abstract", "abstract.1"]
    assert posts_file.posts.loc[0, "summary"] == "c"  # the first 'abstract' is the summary
