"""analysis.review_export and ``python -m analysis reviews``: the review log as a file, checked cell by cell."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.cli import main
from analysis.review_export import (
    LOG_COLUMNS,
    SHEET,
    filter_log,
    review_log_csv,
    review_log_filename,
    review_log_table,
    review_log_xlsx,
)
from analysis.review_store import ReviewStore

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://evil","click")'


@pytest.fixture
def db(tmp_path) -> Path:
    """A log with a decision outside any round, a round of two, and a settling decision."""
    path = tmp_path / "reviews.sqlite"
    store = ReviewStore(f"sqlite:///{path}")
    store.record("p1", "workforce", "rejected", "Asha", "2024.1", True, comment=HOSTILE, now=WHEN)
    store.set_round("pilot", False, "Lead", now=WHEN)
    later = WHEN + timedelta(hours=1)
    store.record("p2", "living_wage", "added", "Ben", "2024.1", False, round="pilot", now=later)
    store.record("p2", "living_wage", "rejected", "Asha", "2024.1", False, round="pilot",
                 comment="No pay figures, ünïcode “quotes”", now=later)  # fmt: skip
    store.record("p2", "living_wage", "added", "Lead", "2024.1", False, round="pilot",
                 settles=True, now=later + timedelta(minutes=5))  # fmt: skip
    store.engine.dispose()
    return path


def history(db: Path) -> pd.DataFrame:
    store = ReviewStore(f"sqlite:///{db}")
    try:
        return store.history()
    finally:
        store.engine.dispose()


def test_the_table_has_one_row_per_decision_with_plain_columns(db, codebook):
    posts = pd.DataFrame({"id": ["p1", "p2"]})
    machine = pd.DataFrame({t.id: [False, False] for t in codebook.themes})
    machine["workforce"] = [True, False]
    table = review_log_table(history(db), posts=posts, machine_tags=machine, codebook=codebook)
    assert list(table.columns) == list(LOG_COLUMNS)
    first = table.iloc[0]
    assert first[["who", "post", "theme", "decision", "comment"]].tolist() == [
        "Asha", "p1", "workforce", "rejected", HOSTILE
    ]  # fmt: skip
    assert pd.isna(first["round"])
    assert first["theme label"] == codebook.themes[0].label
    assert first["when (UTC)"] == pd.Timestamp(WHEN)
    assert table["machine tag"].tolist() == [True, False, False, False]
    assert table["value before"].tolist() == [True, False, False, False]
    assert table["applies"].tolist() == [False, True, False, True]
    assert table["round"].fillna("").tolist() == ["", "pilot", "pilot", "pilot"]
    assert table["settles a disagreement"].tolist() == [pd.NA, False, False, True]
    without = review_log_table(history(db))
    assert without["machine tag"].isna().all()
    assert without["theme label"].isna().all()


def test_filter_log_keeps_what_the_page_filters_say(db):
    table = review_log_table(history(db))
    assert filter_log(table, who=["Asha"])["entry"].tolist() == [1, 3]
    assert filter_log(table, rounds=[""])["entry"].tolist() == [1]
    assert filter_log(table, rounds=["pilot"], decisions=["added"])["entry"].tolist() == [2, 4]
    assert filter_log(table, themes=["workforce"])["entry"].tolist() == [1]
    start = WHEN + timedelta(minutes=30)
    assert filter_log(table, start=start)["entry"].tolist() == [2, 3, 4]
    assert filter_log(table, end=start)["entry"].tolist() == [1]
    assert filter_log(table)["entry"].tolist() == [1, 2, 3, 4]


def read_csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_cells(db, codebook):
    rows = read_csv_cells(review_log_csv(review_log_table(history(db), codebook=codebook)))
    assert rows[0] == list(LOG_COLUMNS)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["who"] == "Asha"
    assert first["when (UTC)"] == "2024-03-01T09:30:15Z"
    assert first["comment"] == "'" + HOSTILE  # neutralised: a spreadsheet shows it as text
    assert first["round"] == ""
    assert first["applies"] == "false"
    third = dict(zip(rows[0], rows[3], strict=True))
    assert third["comment"] == "No pay figures, ünïcode “quotes”"
    assert third["round"] == "pilot"
    assert [row[rows[0].index("settles a disagreement")] for row in rows[1:]] == [
        "", "false", "false", "true"
    ]  # fmt: skip


def test_xlsx_cells(db, codebook):
    book = load_workbook(io.BytesIO(review_log_xlsx(review_log_table(history(db)))))
    assert book.sheetnames == [SHEET]
    rows = list(book[SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == list(LOG_COLUMNS)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["when (UTC)"] == datetime(2024, 3, 1, 9, 30, 15)  # a real date cell, UTC
    assert first["comment"] == "'" + HOSTILE
    assert book[SHEET].cell(row=2, column=LOG_COLUMNS.index("comment") + 1).data_type == "s"
    assert first["entry"] == 1
    assert [row[LOG_COLUMNS.index("who")] for row in rows[1:]] == ["Asha", "Ben", "Asha", "Lead"]


def test_the_file_name_says_what_and_when():
    when = datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    assert review_log_filename("xlsx", when) == "anchor-themes-review-log-2024-03-01.xlsx"


# --- the command line ----------------------------------------------------------------------------


def test_reviews_writes_csv_and_xlsx(db, tmp_path):
    assert main(["reviews", "--db", str(db), "-o", str(tmp_path / "log.csv")]) == 0
    rows = read_csv_cells((tmp_path / "log.csv").read_bytes())
    assert [row[1] for row in rows] == ["who", "Asha", "Ben", "Asha", "Lead"]
    assert main(["reviews", "--db", f"sqlite:///{db}", "-o", str(tmp_path / "log.xlsx")]) == 0
    book = load_workbook(tmp_path / "log.xlsx")
    assert [row[3] for row in book[SHEET].iter_rows(values_only=True)] == [
        "post", "p1", "p2", "p2", "p2"
    ]  # fmt: skip


def test_reviews_fills_the_machine_tag_from_posts(db, tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "id,title,summary\np1,Apprentices and careers,Local jobs for young people\n"
        "p2,A walk,In the park\n",
        encoding="utf-8",
    )
    out = tmp_path / "log.csv"
    assert main(["reviews", "--db", str(db), "--posts", str(posts), "-o", str(out)]) == 0
    rows = read_csv_cells(out.read_bytes())
    column = rows[0].index("machine tag")
    assert [row[column] for row in rows[1:]] == ["true", "false", "false", "false"]


def test_reviews_refuses_a_missing_log_and_an_unknown_format(tmp_path, capsys):
    missing = tmp_path / "nowhere.sqlite"
    assert main(["reviews", "--db", str(missing), "-o", str(tmp_path / "log.csv")]) == 2
    assert f"{missing}: no review log here" in capsys.readouterr().err
    assert not missing.exists()  # not created by asking
    assert main(["reviews", "--db", str(missing), "-o", str(tmp_path / "log.txt")]) == 2
    assert "must end in .csv or .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "log.csv").exists()


@pytest.mark.subprocess
def test_reviews_from_the_real_command_line_reads_the_environment(db, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "reviews", "-o", "-"],
        cwd=ROOT,
        capture_output=True,
        env={"ANCHOR_THEMES_REVIEW_DB": str(db), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = read_csv_cells(run.stdout)
    assert len(rows) == 5 and rows[1][1] == "Asha"
