"""analysis.loading: the one posts loader, its header spellings, encodings, dates, ids and errors."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from analysis import loading
from analysis.loading import load_posts, read_posts
from analysis.post_checks import COLUMNS, LoadError, read_header

# --- dates ------------------------------------------------------------------------------------


DATED = """title,summary,date
ISO day,s,2023-07-05
ISO month,s,2023-07
Year,s,2023
UK numeric,s,05/07/2023
Month name,s,July 2023
Month abbreviation,s,Jul 2023
Day month name,s,5 July 2023
Ordinal day,s,5th July 2023
ISO with time,s,2023-07-05T09:15:00
No such day,s,31/02/2023
Words,s,sometime
Empty,s,
"""


@pytest.fixture
def dated(read_csv):
    return read_csv(DATED).posts.set_index("title")


@pytest.mark.parametrize(
    ("title", "published", "precision"),
    [
        ("ISO day", "2023-07-05", "day"),
        ("ISO month", "2023-07-01", "month"),
        ("Year", "2023-01-01", "year"),
        ("UK numeric", "2023-07-05", "day"),  # 5 July, not 7 May
        ("Month name", "2023-07-01", "month"),
        ("Month abbreviation", "2023-07-01", "month"),
        ("Day month name", "2023-07-05", "day"),
        ("Ordinal day", "2023-07-05", "day"),
        ("ISO with time", "2023-07-05", "day"),
    ],
)
def test_date_forms_load_with_their_precision(dated, title, published, precision):
    post = dated.loc[title]
    assert post["published"] == pd.Timestamp(published)
    assert post["date_precision"] == precision
    assert post["date_status"] == "published"  # the file has no date_status column


@pytest.mark.parametrize("title", ["No such day", "Words", "Empty"])
def test_unreadable_and_empty_dates_are_allowed_and_undated(dated, title):
    post = dated.loc[title]
    assert pd.isna(post["published"])
    assert pd.isna(post["date_precision"])
    assert pd.isna(post["date_status"])


def test_date_text_keeps_what_was_written(dated):
    assert dated.loc["No such day", "date_text"] == "31/02/2023"
    assert dated.loc["UK numeric", "date_text"] == "05/07/2023"
    assert dated.loc["Empty", "date_text"] == ""


def test_published_is_a_datetime_column(dated):
    assert pd.api.types.is_datetime64_any_dtype(dated["published"])


@pytest.mark.parametrize(
    ("written_date", "written_precision", "expected"),
    [
        ("2023", "day", "year"),  # never finer than the date as written
        ("July 2023", "day", "month"),
        ("2023-07", "day", "month"),
        ("2023-07-05", "month", "month"),  # a coarser precision in the file is kept
        ("2023-07-05", "Year", "year"),  # case-insensitive
        ("05/07/2023", "", "day"),  # none written: as parsed
    ],
)
def test_precision_is_never_finer_than_the_date_as_written(
    read_csv, written_date, written_precision, expected
):
    posts = read_csv(
        f"title,summary,date,date_precision\nA,s,{written_date},{written_precision}\n"
    ).posts
    assert posts.loc[0, "date_precision"] == expected


def test_date_status_as_written_and_published_when_blank(read_csv):
    posts = read_csv(
        "title,summary,date,date_status\n"
        "A,s,2023,estimated\n"
        "B,s,2023,Inferred\n"
        "C,s,2023,\n"
        "D,s,,estimated\n"
    ).posts
    assert posts["date_status"].tolist()[:3] == ["estimated", "inferred", "published"]
    assert pd.isna(posts.loc[3, "date_status"])  # no date, so no date status


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Title,Summary,Date", {"title": "Title", "summary": "Summary", "published": "Date"}),
        (
            "Title,Body,Published date,Link",
            {"title": "Title", "text": "Body", "published": "Published date", "url": "Link"},
        ),
        ("TITLE,CONTENT,Date", {"title": "TITLE", "text": "CONTENT", "published": "Date"}),
        (
            "Post_Title,excerpt,published-date,post-slug",
            {
                "title": "Post_Title",
                "summary": "excerpt",
                "published": "published-date",
                "id": "post-slug",
            },
        ),
        (
            "Headline,Description,Date Status,DATE_PRECISION,Author,Permalink",
            {
                "title": "Headline",
                "summary": "Description",
                "date_status": "Date Status",
                "date_precision": "DATE_PRECISION",
                "author": "Author",
                "url": "Permalink",
            },
        ),
    ],
)
def test_header_spellings_map_case_insensitively(read_csv, header, expected):
    cells = "x" + "," * header.count(",")
    columns = read_csv(f"{header}\n{cells}\n").columns
    assert columns == expected


def test_mapped_columns_fill_the_app_columns(read_csv):
    posts = read_csv(
        "Title,Body,Published date,Link,Author\n"
        "A post,The body text,05/07/2023,https://example.org/a,Ann Smith\n"
    ).posts
    post = posts.iloc[0]
    assert list(posts.columns) == COLUMNS
    assert post["title"] == "A post"
    assert post["summary"] == "The body text"  # no summary column: the body is summarised
    assert post["text"] == ""
    assert post["published"] == pd.Timestamp(2023, 7, 5)
    assert post["url"] == "https://example.org/a"
    assert post["author"] == "Ann Smith"


def test_summary_and_text_are_kept_apart_when_both_exist(read_csv):
    post = read_csv("title,summary,text\nA,Short,Long body\n").posts.iloc[0]
    assert (post["summary"], post["text"]) == ("Short", "Long body")


def test_cells_are_stripped_of_surrounding_space(read_csv):
    post = read_csv("title,summary\n  Padded title  ,  padded summary \n").posts.iloc[0]
    assert (post["title"], post["summary"]) == ("Padded title", "padded summary")


def test_source_and_row_columns(read_csv):
    posts = read_csv("title,summary\nA,s\nB,s\n", name="mine.csv").posts
    assert posts["row"].tolist() == [2, 3]  # the header is row 1
    assert posts["source"].tolist() == ["mine.csv", "mine.csv"]
    with_source = read_csv("title,summary,blog\nA,s,My blog\n").posts
    assert with_source.loc[0, "source"] == "My blog"


def test_raw_keeps_every_column_as_written_text(read_csv):
    posts_file = read_csv('title,summary,Extra,Code\nA,"a, b",keep me,007\nB,s,,12\n')
    assert list(posts_file.raw.columns) == ["title", "summary", "Extra", "Code"]
    assert posts_file.raw["Code"].tolist() == ["007", "12"]
    assert posts_file.raw["Extra"].tolist() == ["keep me", ""]
    assert posts_file.raw["summary"].tolist() == ["a, b", "s"]


def test_quoted_cells_may_hold_line_breaks(read_csv):
    posts = read_csv('title,summary\n"Two\nlines","x"\nB,y\n').posts
    assert posts["title"].tolist() == ["Two\nlines", "B"]
    assert posts["row"].tolist() == [2, 3]


# --- encodings --------------------------------------------------------------------------------

TITLE = "“Curly” quotes and café’s menu"
CSV_TEXT = f"Title,Summary\n{TITLE},Résumé of the post\n"


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "cp1252"],
)
def test_encodings(read_csv, data):
    posts_file = read_csv(data)
    assert posts_file.columns["title"] == "Title"  # a BOM does not spoil the first header
    assert posts_file.posts.loc[0, "title"] == TITLE
    assert posts_file.posts.loc[0, "summary"] == "Résumé of the post"


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        (b"", ["is empty"]),
        (b"  \n\t\r\n  \n", ["is empty"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary"]),
        (b"name\x00title,summary\nA,b\n", ["binary"]),
        (b"heading_text,summary\nA,b\n", ["no title column", "heading_text, summary"]),
        (b"title,author\nA,b\n", ["summary, text or body"]),
        (b"title,summary\n", ["header row but no posts"]),
        (b"title,summary\nA,b\nB,c,d\n", ["row 3", "3 cells", "header has 2"]),
        (b"title,summary,date\nA,b,2023\nB,c,2023\nC\n", ["row 4", "1 cell", "header has 3"]),
        (
            b"title,summary,date,date_status\nA,b,2023,published\nB,c,2023,guessed\n",
            ["row 3", "date_status", "guessed"],
        ),
        (
            b"title,summary,date,Date Precision\nA,b,2023,week\n",
            ["row 2", "Date Precision", "week"],
        ),
        (b"id,title,summary\nx,A,b\ny,B,c\nx,C,d\n", ["'x'", "rows 2, 4"]),
    ],
    ids=[
        "empty",
        "whitespace only",
        "binary",
        "NUL byte",
        "no title column",
        "no summary column",
        "header but no rows",
        "too many cells",
        "too few cells",
        "bad date_status",
        "bad date_precision",
        "duplicate ids",
    ],
)
def test_errors_are_one_line_load_errors_naming_the_file(read_csv, data, fragments):
    with pytest.raises(LoadError) as caught:
        read_csv(data, name="posts-2024.csv")
    message = str(caught.value)
    assert message.startswith("posts-2024.csv: ")
    assert "\n" not in message and "\r" not in message
    for fragment in fragments:
        assert fragment in message


def test_load_error_is_a_value_error():
    assert issubclass(LoadError, ValueError)


@pytest.mark.parametrize(
    "data",
    [
        b'"Post\nheadline",summary\nA,b\n',
        b'title,summary,date,date_status\nA,b,2023,"pub\nlished"\n',
        b'id,title,summary\n"x\ny",A,b\n"x\ny",B,c\n',
    ],
    ids=[
        "header with a line break",
        "bad value with a line break",
        "repeated id with a line break",
    ],
)
def test_error_message_stays_one_line_when_the_file_text_has_line_breaks(read_csv, data):
    with pytest.raises(LoadError) as caught:
        read_csv(data, name="f.csv")
    assert "\n" not in str(caught.value)


def test_rows_are_numbered_as_a_spreadsheet_shows_them_after_a_blank_line(read_csv):
    # A blank line is a row of its own in a spreadsheet; the cell-count check counts it ...
    with pytest.raises(LoadError, match=r"row 4 has 3 cells"):
        read_csv(b"title,summary\nA,b\n\nB,c,d\n", name="f.csv")
    # ... so a bad value on the same line must be reported on the same row.
    with pytest.raises(LoadError, match=r"row 4, column 'date_status'"):
        read_csv(b"title,summary,date,date_status\nA,b,2023,published\n\nB,c,2023,bogus\n")


def test_posts_after_a_blank_line_keep_their_spreadsheet_row(read_csv):
    posts = read_csv(b"title,summary,Code\r\nA,b,007\r\n\r\nB,c,\r\n").posts
    assert posts["title"].tolist() == ["A", "B"]
    assert posts["row"].tolist() == [2, 4]


def test_too_few_cells_are_an_error_after_a_blank_line_too(read_csv):
    # Without the blank line this file is refused ("row 3 has 1 cells ..."); a blank
    # line earlier in the file must not make a short row acceptable.
    with pytest.raises(LoadError, match=r"row 4 has 1 cells? but the header has 3"):
        read_csv(b"title,summary,date\nA,b,2023\n\nB\n", name="f.csv")


def test_a_line_of_spaces_is_a_blank_line_not_a_post(read_csv):
    posts = read_csv(b"title,summary\nA,b\n   \nB,c\n").posts
    assert posts["title"].tolist() == ["A", "B"]
    assert posts["row"].tolist() == [2, 4]


def test_rows_count_records_not_lines(read_csv):
    with pytest.raises(LoadError, match=r"row 3, column 'date_status'"):
        read_csv(b'title,summary,date,date_status\nA,"one\ntwo",2023,published\nB,c,2023,bogus\n')


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(LoadError) as caught:
        read_posts(path)
    assert str(caught.value).startswith(f"{path}: cannot be read")


def test_read_from_a_path_names_the_file_by_its_path(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("title,summary\nA,b\n", encoding="utf-8")
    posts_file = read_posts(path)
    assert posts_file.name == str(path)
    assert posts_file.posts.loc[0, "source"] == str(path)
    assert read_posts(path, name="shown.csv").name == "shown.csv"


def test_file_object_name_is_used_in_messages():
    upload = io.BytesIO(b"title,summary\n")
    upload.name = "upload.csv"
    with pytest.raises(LoadError, match=r"^upload\.csv: has a header row but no posts$"):
        read_posts(upload)


# --- ids --------------------------------------------------------------------------------------


def test_given_ids_are_kept_and_missing_ids_slugged_unique(read_csv):
    posts = read_csv(
        "id,title,summary\n"
        "custom-1,Living Wage Week,s\n"
        ",Living Wage Week,s\n"
        ",Living Wage Week,s\n"
        "living-wage-week,Another title,s\n"
        ",Café society!,s\n"
        ",,s\n"
    ).posts
    assert posts["id"].tolist() == [
        "custom-1",
        "living-wage-week-2",  # the slug is taken by row 5's given id
        "living-wage-week-3",
        "living-wage-week",
        "cafe-society",
        "post-7",  # no title to slug: named by its row
    ]


def test_ids_without_an_id_column_are_slugs(read_csv):
    posts = read_csv("title,summary\nThe NHS’s future workforce,s\nThe NHS’s future workforce,s\n")
    assert posts.posts["id"].tolist() == [
        "the-nhss-future-workforce",
        "the-nhss-future-workforce-2",
    ]


# --- the bundled posts ------------------------------------------------------------------------


def test_bundled_posts_load_with_the_seed_statuses():
    posts = load_posts()
    assert len(posts) == 18
    assert list(posts.columns) == COLUMNS
    assert posts["id"].is_unique
    assert posts["published"].notna().all()
    assert posts["date_status"].value_counts().to_dict() == {
        "estimated": 11,
        "inferred": 6,
        "published": 1,
    }
    published = posts[posts["date_status"] == "published"].iloc[0]
    assert published["id"] == "health-anchors-in-london-and-the-london-living-wage"
    assert published["published"] == pd.Timestamp(2022, 11, 17)
    assert published["date_precision"] == "day"


def test_bundled_posts_match_the_labelled_ids(root):
    labels = pd.read_csv(root / "data" / "labels.csv")
    assert sorted(load_posts()["id"]) == sorted(labels["id"])


def test_windows_line_endings_are_not_mistaken_for_blank_lines(read_csv):
    posts = read_csv(b"title,summary\r\nA,a\r\nB,b\r\n").posts
    assert list(posts["row"]) == [2, 3]
    with pytest.raises(LoadError, match=r"row 3 has 3 cells but the header has 2"):
        read_csv(b"title,summary\r\nA,a\r\nB,b,c\r\n", name="f.csv")
    posts = read_csv(b"title,summary\r\nA,a\r\n\r\nB,b\r\n").posts
    assert list(posts["row"]) == [2, 4]


LARGE_FILES = {
    "utf-8": "id,title,summary\n" + "".join(f"p{n},Café {n},Naïve “text” {n}\n" for n in range(40)),
    "header past the head": "id,title,summary," + "x" * 300 + "\n" + "p1,Café,Body,x\n",
    "windows-1252": "id,title,summary\n" + "".join(f"p{n},Caf\xe9 {n},Body\n" for n in range(40)),
}


@pytest.mark.parametrize("kind", list(LARGE_FILES))
def test_a_large_file_reads_as_decoding_it_whole_would(monkeypatch, kind):
    """A file over the size decoded whole (``_WHOLE_TEXT``, here made 64 bytes) is checked
    as UTF-8 a block at a time and only its start decoded: the posts read are the same."""
    text = LARGE_FILES[kind]
    data = text.encode("cp1252" if kind == "windows-1252" else "utf-8")
    whole = read_posts(io.BytesIO(data), "posts.csv").posts
    monkeypatch.setattr(loading, "_WHOLE_TEXT", 64)
    decoded = []
    monkeypatch.setattr(
        loading, "read_header", lambda text, *a: decoded.append(len(text)) or read_header(text, *a)
    )
    pd.testing.assert_frame_equal(read_posts(io.BytesIO(data), "posts.csv").posts, whole)
    if kind == "utf-8":
        assert decoded == [len(data[:64].decode("utf-8", errors="ignore"))]  # only the head
    else:  # Windows-1252, or a header row longer than the head: decoded whole, as before
        assert decoded == [len(text)]


def test_a_large_file_with_a_bad_byte_late_is_named_by_its_line(monkeypatch):
    monkeypatch.setattr(loading, "_WHOLE_TEXT", 64)
    data = ("id,title,summary\n" + "p,Title,Body\n" * 20).encode() + b"p,T,\x81\x8d\x90\n"
    with pytest.raises(LoadError, match=r"line 22 holds the byte 0x81"):
        read_posts(io.BytesIO(data), "posts.csv")
