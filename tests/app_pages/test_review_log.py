"""The review log on the Review page (issue 13): drawn only once opened; its filters narrow the
table to exactly the decisions they name; the CSV and XLSX hold exactly the rows shown; a
blind round's decisions by others stay out of it.

What each filter should keep is worked out here from :data:`LOG`, not by
:func:`analysis.review_export.filter_log`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analysis.review_export import LOG_COLUMNS, SHEET
from analysis.review_store import ReviewStore
from app_pages.review_log import FILTERS, OPEN, SEARCH
from tests.app_pages.conftest import ok
from tests.markdown_oracle import as_read

PASSCODE = "right horse battery"
LIVING_WAGE = "health-anchors-in-london-and-the-london-living-wage"
RACIAL = "tackling-racial-inequalities-as-a-health-anchor"
PRIVATE_SECTOR = "engaging-the-private-sector-in-anchor-networks"
START = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)

#: (entry, who, post, theme, decision, comment, round), in the order recorded. Entry 5 is Dan's
#: in the blind round "sealed": nobody else may see it.
LOG = [
    (1, "Ada", LIVING_WAGE, "living_wage", "rejected", "No pay figures given", None),
    (2, "Ben", RACIAL, "racial_equity", "confirmed", "Clear: =SUM(A1)", "pilot"),
    (3, "Ada", RACIAL, "racial_equity", "rejected", "Only in passing", "pilot"),
    (4, "Cara", PRIVATE_SECTOR, "workforce", "added", None, "pilot"),
    (5, "Dan", PRIVATE_SECTOR, "workforce", "rejected", "sealed vote", "sealed"),
    (6, "Ben", LIVING_WAGE, "workforce", "rejected", "Pay, not workforce", None),
]
VISIBLE = [row for row in LOG if row[0] != 5]
#: How the file of the download test says it was made (its CSV header; "," percent-encoded).
ABOUT = {
    "who": "Ben; Ada",
    "themes": "racial_equity; workforce",
    "rounds": "all",
    "decisions": "all",
    "search": "",
    "decisions in file": "3",
    "decisions the reader may see": "5",
    "others' decisions in blind rounds, left out": "1",
    "review rounds": "pilot (not blind%2C set by Ada); sealed (blind%2C set by Dan)",
    "generated at": "",
}


@pytest.fixture
def logged(review_database):
    store = ReviewStore(review_database)
    store.set_round("pilot", False, "Ada", now=START)
    store.set_round("sealed", True, "Dan", now=START)
    for entry, who, post, theme, decision, comment, round in LOG:
        store.record(
            post, theme, decision, who, "test", None,
            comment=comment, round=round, now=START + timedelta(minutes=entry),
        )  # fmt: skip
    return store


def opened(at: AppTest) -> AppTest:
    """The log's expander opened, as a click in the browser opens it."""
    at.session_state[OPEN] = True
    return ok(at.run())


def rows(at: AppTest) -> list[int]:
    """The entries the log's table shows, in order."""
    (table,) = [d.value for d in at.dataframe if list(d.value.columns) == list(LOG_COLUMNS)]
    return table["entry"].tolist()


def narrowed(at: AppTest, name: str, value) -> AppTest:
    if name == "text":
        at.text_input(key=SEARCH).set_value(value)
    else:
        at.multiselect(key=FILTERS[name]).set_value(value)
    return ok(at.run())


def count_caption(at: AppTest) -> str:
    (caption,) = [as_read(c.value) for c in at.caption if re.search(r"\d+ decisions?$", c.value)]
    return caption


def test_the_log_is_drawn_only_once_opened(app, logged, download):
    at = app("app_pages/review.py")
    assert [e for e in at.main.expander if e.label.startswith("Review log")]
    assert not [d for d in at.dataframe if "who" in d.value.columns]
    assert not [b for b in at.main.get("download_button")]
    opened(at)
    assert rows(at) == [row[0] for row in VISIBLE]
    buttons = at.main.get("download_button")
    assert [b.proto.label for b in buttons] == ["Review log (CSV)", "Review log (XLSX)"]
    for button, ext in zip(buttons, ["csv", "xlsx"], strict=True):  # the whole log's name
        assert re.fullmatch(rf"anchor-themes-review-log-\d{{4}}-\d{{2}}-\d{{2}}\.{ext}",
                            download(button).filename)  # fmt: skip


def test_each_filter_narrows_the_table_to_the_decisions_it_names(app, logged):
    at = opened(app("app_pages/review.py"))
    assert count_caption(at) == "5 decisions"
    narrowed(at, "who", ["Ada"])
    assert rows(at) == [1, 3]
    assert count_caption(at) == "2 of 5 decisions"
    narrowed(at, "rounds", ["pilot"])
    assert rows(at) == [3]
    narrowed(at, "who", [])
    assert rows(at) == [2, 3, 4]
    narrowed(at, "rounds", [""])  # no round
    assert rows(at) == [1, 6]
    narrowed(at, "rounds", [])
    narrowed(at, "themes", ["workforce"])
    assert rows(at) == [4, 6]
    narrowed(at, "decisions", ["rejected"])
    assert rows(at) == [6]
    narrowed(at, "themes", [])
    assert rows(at) == [1, 3, 6]
    narrowed(at, "text", "PAY")  # any case; in comments, posts, names, themes
    assert rows(at) == [1, 6]
    narrowed(at, "decisions", [])
    assert rows(at) == [1, 6]
    narrowed(at, "text", "cara")
    assert rows(at) == [4]
    narrowed(at, "text", "anchor-networks")  # a post's id
    assert rows(at) == [4]


def test_the_downloads_hold_exactly_the_rows_the_filters_show(app, logged, download):
    at = opened(app("app_pages/review.py"))
    narrowed(at, "themes", ["racial_equity", "workforce"])
    narrowed(at, "who", ["Ben", "Ada"])
    assert rows(at) == [2, 3, 6]
    want = {row[0]: row for row in VISIBLE if row[0] in (2, 3, 6)}
    csv_button, xlsx_button = at.main.get("download_button")

    got = download(csv_button)
    assert re.fullmatch(  # a filtered log is not named like the whole log
        r"anchor-themes-review-log-\d{4}-\d{2}-\d{2}-ben-ada-racial-equity-workforce\.csv",
        got.filename,
    )
    lines = got.content.decode("utf-8-sig").splitlines(keepends=True)
    header = dict(line[2:].rstrip("\r\n").split(": ", 1) for line in lines if line[0] == "#")
    assert header | {"generated at": ""} == ABOUT | {"generated at": ""}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", header["generated at"])
    table = list(csv.DictReader(line for line in lines if line[0] != "#"))
    assert [int(r["entry"]) for r in table] == list(want)
    for r in table:
        entry, who, post, theme, decision, comment, round = want[int(r["entry"])]
        assert (r["who"], r["post"], r["theme"], r["decision"], r["round"]) == (
            who, post, theme, decision, round or "",
        )  # fmt: skip
        assert r["comment"] == ("'" + comment if comment.startswith("=") else comment)

    got = download(xlsx_button)
    assert re.fullmatch(
        r"anchor-themes-review-log-\d{4}-\d{2}-\d{2}-ben-ada-racial-equity-workforce\.xlsx",
        got.filename,
    )
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == ["About", SHEET]
    (fields, *about) = list(book["About"].iter_rows(values_only=True))
    assert fields == ("Field", "Value")
    assert {key: value or "" for key, value in about} | {"generated at": ""} == {
        key: value.replace("%2C", ",") for key, value in ABOUT.items()
    } | {"generated at": ""}
    sheet = book[SHEET]
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == list(LOG_COLUMNS)
    records = [dict(zip(header, r, strict=True)) for r in cells]
    assert [r["entry"] for r in records] == list(want)
    for r in records:
        entry, who, post, theme, decision, comment, round = want[r["entry"]]
        assert (r["who"], r["post"], r["theme"], r["decision"], r["comment"]) == (
            who, post, theme, decision, comment,
        )  # fmt: skip
        assert r["round"] == round
        assert r["when (UTC)"].replace(tzinfo=UTC) == START + timedelta(minutes=entry)


def test_a_blind_rounds_decisions_stay_out_of_others_logs(app, logged, monkeypatch):
    at = opened(app("app_pages/review.py"))  # read-only: sees no blind decision
    assert 5 not in rows(at)
    assert any("blind round are left out" in as_read(c.value) for c in at.caption)

    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    dan = app("app_pages/review.py")
    next(t for t in dan.text_input if t.label == "Review passcode").set_value(PASSCODE)
    next(t for t in dan.text_input if t.label == "Your name").set_value("Dan")
    ok(next(b for b in dan.button if b.label == "Unlock editing").click().run())
    assert rows(opened(dan)) == [row[0] for row in LOG]  # his own, in his blind round
    assert not any("blind round are left out" in as_read(c.value) for c in dan.caption)

    logged.set_round("sealed", False, "Dan")
    assert rows(opened(at)) == [row[0] for row in LOG]


def test_the_table_on_screen_puts_who_what_and_why_first_and_keeps_every_column():
    from app_pages.review_log import ON_SCREEN

    assert ON_SCREEN[:4] == ("who", "theme label", "decision", "comment")
    assert sorted(ON_SCREEN) == sorted(LOG_COLUMNS)


def test_no_comment_and_no_round_show_as_empty_cells(app, logged):
    at = opened(app("app_pages/review.py"))
    (table,) = [d.value for d in at.dataframe if list(d.value.columns) == list(LOG_COLUMNS)]
    by_entry = table.set_index("entry")
    assert by_entry.loc[4, "comment"] == "" and by_entry.loc[1, "round"] == ""
    assert by_entry.loc[2, "comment"] == "Clear: =SUM(A1)" and by_entry.loc[2, "round"] == "pilot"


def test_the_file_name_words_name_each_filter_in_force():
    from app_pages.review_log import named_by

    assert named_by({"who": None, "themes": None}, None) == ()
    assert named_by({"who": None, "themes": None}, "   ") == ()
    assert named_by({"who": ["Ada"], "rounds": ["", "pilot"]}, " pay ") == (
        "Ada", "no-round", "pilot", "matching", "pay",
    )  # fmt: skip
