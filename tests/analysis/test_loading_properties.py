"""Property-based tests of the posts loader (Hypothesis): whatever bytes, headers, cells and
dates come in, the loader either returns posts that keep its promises or raises LoadError
with one line naming the file. No other exception escapes."""

from __future__ import annotations

import csv
import io
import string

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analysis.dates import PRECISIONS, parse_date, within_range
from analysis.loading import read_posts
from analysis.post_checks import COLUMNS, DATE_STATUSES, HEADER_ALIASES, Limits, LoadError

NAME = "hostile posts.csv"

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(data: bytes, limits: Limits | None = None):
    """The loader's answer: a PostsFile, or the LoadError's message (checked to be one line)."""
    try:
        result = read_posts(io.BytesIO(data), NAME, *([limits] if limits else []))
        event("loaded")
        return result
    except LoadError as error:
        message = str(error)
        event(message.split(": ", 1)[1][:25])  # what kinds of refusal the examples reach
        assert message.startswith(f"{NAME}: "), message
        assert "\n" not in message and "\r" not in message, message
        assert len(message) < 1_000, message
        return message


def check_posts(result) -> None:
    """What every successful load promises."""
    if isinstance(result, str):
        return
    posts = result.posts
    assert list(posts.columns) == COLUMNS
    assert len(posts) >= 1
    assert posts["id"].is_unique
    assert (posts["id"] != "").all()
    rows = posts["row"].tolist()
    assert rows == sorted(set(rows)) and rows[0] >= 2
    dated = posts["published"].notna()
    assert within_range(posts["published"]).tolist() == dated.tolist()
    assert posts.loc[dated, "date_precision"].isin(PRECISIONS).all()
    assert posts.loc[dated, "date_status"].isin(DATE_STATUSES).all()
    assert posts.loc[~dated, "date_status"].isna().all()
    assert len(result.raw) == len(posts)


# --- any bytes at all ---------------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=3_000))
def test_any_bytes_load_or_give_one_line(data):
    check_posts(load(data))


@SETTINGS
@given(st.binary(max_size=500))
def test_any_bytes_after_a_good_header_load_or_give_one_line(data):
    check_posts(load(b"title,summary,date\n" + data))


# --- random CSV text ----------------------------------------------------------------------------

KNOWN = sorted({alias for aliases in HEADER_ALIASES.values() for alias in aliases})

HEADER = st.one_of(
    st.sampled_from(KNOWN).map(lambda h: h.replace(" ", "_")),
    st.sampled_from(KNOWN).map(str.upper),
    st.sampled_from(["title", "summary", "date", "date_status", "date_precision", "id"]),
    st.text(max_size=30),
)

DATE = st.one_of(
    st.sampled_from(["2023-07-05", "1066-10-14", "9999-12-31", "05/07/2023", "July 2023", "", "x"]),
    st.from_regex(r"\A[0-9]{1,5}[-/.][0-9]{1,2}([-/.][0-9]{1,5})?\Z"),
    st.text(max_size=20),
)

#: Rarely, a cell holding a NUL character (several make the file look binary).
RARE_NUL = st.integers(0, 199).map(lambda n: "a\x00b" if n == 0 else "")

CELL = st.one_of(
    RARE_NUL,
    st.text(max_size=40),
    st.text(alphabet=string.printable + "\u2028€’“é🏥", max_size=40),
    st.sampled_from(["=cmd|' /C calc'!A0", "+1", "-5", "@SUM(A1)", '"', '""', "\r", "\n", ","]),
    DATE,
    st.sampled_from(["published", "estimated", "inferred", "guessed", "day", "month", "year"]),
)


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file as a spreadsheet or a script might write it, with things that go wrong."""
    headers = draw(st.lists(HEADER, min_size=1, max_size=8))
    if draw(st.booleans()):  # usually a usable file
        headers = ["title", draw(st.sampled_from(["summary", "Body", "excerpt"])), *headers]
    width = len(headers)
    rows = draw(
        st.lists(
            st.one_of(
                st.lists(CELL, min_size=width, max_size=width),
                st.lists(CELL, min_size=width, max_size=width),
                st.lists(CELL, min_size=width, max_size=width),
                st.lists(CELL, min_size=max(0, width - 1), max_size=width + 1),
            ),
            max_size=12,
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(headers)
    for row in rows:
        if draw(st.integers(0, 9)) == 0:
            buffer.write(draw(st.sampled_from(["\n", "\r\n", "   \n", ""])))
        writer.writerow(row)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # a cut-off download
        data = data[: draw(st.integers(0, len(data)))]
    return data


@SETTINGS
@given(csv_files())
def test_any_csv_loads_or_gives_one_line(data):
    check_posts(load(data))


@SETTINGS
@given(
    csv_files(),
    st.builds(
        Limits,
        bytes=st.integers(1, 5_000),
        rows=st.integers(1, 12),
        columns=st.integers(1, 10),
    ),
)
def test_any_csv_under_any_limits_loads_within_them_or_gives_one_line(data, limits):
    result = load(data, limits)
    check_posts(result)
    if not isinstance(result, str):
        assert len(data) <= limits.bytes
        assert len(result.posts) <= limits.rows
        assert len(result.raw.columns) <= limits.columns


@SETTINGS
@given(st.lists(DATE, min_size=1, max_size=15))
def test_any_dates_load_in_range_or_undated(dates):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "summary", "date"])
    for n, date_text in enumerate(dates):
        writer.writerow([f"Post {n}", "s", date_text])
    result = load(buffer.getvalue().encode("utf-8"))
    if isinstance(result, str):  # the one thing a date cell can do wrong: hold a NUL
        assert any("\x00" in d for d in dates), result
        assert "NUL character" in result or "binary data" in result, result
        return
    check_posts(result)
    posts = result.posts
    assert len(posts) == len(dates)
    for date_text, published in zip(posts["date_text"], posts["published"], strict=True):
        found, _ = parse_date(date_text)
        assert (pd.Timestamp(found) if found else pd.NaT) is published or (
            found is not None and pd.Timestamp(found) == published
        )


# --- well-formed files load whole ---------------------------------------------------------------

SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)


@st.composite
def well_formed(draw) -> tuple[bytes, list[list[str]]]:
    """A file any spreadsheet would write: a title and a summary column, every row full."""
    extra = draw(st.lists(st.sampled_from([*KNOWN, "notes", "Code", "x"]), max_size=5))
    headers = ["Title", "Summary", *(h for h in extra if h not in ("title", "summary", "id"))]
    rows = draw(
        st.lists(
            st.tuples(
                SAFE_TEXT.map(lambda t: f"{t} T{t}"),  # never blank
                st.lists(st.one_of(SAFE_TEXT, DATE.filter(lambda d: "\x00" not in d)),
                         min_size=len(headers) - 1, max_size=len(headers) - 1),
            ).map(lambda row: [row[0], *row[1]]),
            min_size=1,
            max_size=10,
        )
    )  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # CRLF: so a cell holding CR or LF is quoted, as Excel does
    writer.writerow(headers)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    return buffer.getvalue().encode(encoding), rows


@SETTINGS
@given(well_formed())
def test_a_well_formed_file_loads_every_row_or_names_a_bad_value(case):
    data, rows = case
    result = load(data)
    if isinstance(result, str):  # a date_status or date_precision cell that is not allowed
        assert "column 'date" in result or "repeats the id" in result, result
        return
    check_posts(result)
    assert len(result.posts) == len(rows)
    assert result.posts["title"].tolist() == [row[0].strip() for row in rows]
