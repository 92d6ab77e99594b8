"""analysis.view_export: every exported file opened and checked against the view it shows."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.corpus import open_corpus
from analysis.filters import Filters
from analysis.provenance import View
from analysis.view_export import view_export

POSTS = Path(__file__).parent / "fixtures" / "view_posts.csv"
WHEN = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
VIEW = View(
    Filters(themes=("workforce", "living_wage"), start=date(2023, 1, 1), end=date(2024, 6, 30)),
    period="month",
)
#: p1 lives on workforce, p2 living wage (month precision), p3 no theme, p4 undated, p5 too old.
DECISIONS = pd.DataFrame(
    {"post_id": ["p1", "p2"], "theme": ["living_wage", "living_wage"], "value": [True, False]}
)


@pytest.fixture(scope="module")
def corpus():
    return open_corpus(POSTS)


def sheet_rows(book, name):
    return [[cell.value for cell in row] for row in book[name].iter_rows()]


def test_xlsx_posts_sheet_lists_the_view_with_real_dates(corpus):
    export = view_export(corpus, VIEW, generated_at=WHEN)
    book = load_workbook(io.BytesIO(export.xlsx()))
    assert book.sheetnames == ["About", "posts", "coverage series", "codebook", "quality"]
    rows = sheet_rows(book, "posts")
    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "id", "title", "date", "date_status", "date_precision", "date_basis", "url", "themes"
    ]  # fmt: skip
    cell = dict(zip(header, zip(*body, strict=True), strict=True))
    assert cell["id"] == ("p2", "p1", "p4")  # newest first, undated last; p3 no theme, p5 too old
    assert cell["date"] == (datetime(2024, 5, 1), datetime(2023, 3, 15), None)
    dates = [row[2] for row in book["posts"].iter_rows(min_row=2)]
    assert [c.is_date for c in dates[:2]] == [True, True]
    assert dates[0].number_format == "YYYY-MM-DD"
    assert cell["date_status"] == ("estimated", "published", "no date")
    assert cell["date_precision"] == ("month", "day", None)
    assert cell["themes"] == ("Living wage", "Workforce", "Workforce")
    assert cell["workforce_tag"] == (0, 1, 1)
    assert cell["workforce_score"] == (0, 3, 4)
    assert cell["living_wage_tag"] == (1, 0, 0)
    assert "workforce_decision" not in cell  # machine mode: no review columns
    assert cell["workforce_matched"][1].startswith("title: workforce")


def test_xlsx_about_sheet_states_the_view(corpus):
    export = view_export(corpus, VIEW, generated_at=WHEN)
    book = load_workbook(io.BytesIO(export.xlsx()))
    about = dict(sheet_rows(book, "About")[1:])
    assert about["themes"] == "Workforce; Living wage"
    assert (about["start"], about["end"], about["period"]) == ("2023-01-01", "2024-06-30", "month")
    assert (about["measure"], about["tag mode"]) == ("count", "machine")
    assert (about["data file"], about["posts in file"], about["posts in view"]) == (
        "view_posts.csv",
        "5",
        "3",
    )
    assert about["generated at"] == "2026-12-03T07:00:00Z"
    assert about["codebook version"] == corpus.codebook.version
    # the tagging rule in the words the Themes page, the codebook file and the report use
    assert about["tagging rule"] == corpus.codebook.method


def test_coverage_sheet_follows_period_measure_and_themes(corpus):
    book = load_workbook(io.BytesIO(view_export(corpus, VIEW).xlsx()))
    rows = sheet_rows(book, "coverage series")
    assert rows[0] == [
        "Period", "Period start", "Theme", "Posts", "Share of period's posts (%)",
        "n (dated posts in period)",
    ]  # fmt: skip
    body = rows[1:]
    assert {row[2] for row in body} == {"Workforce", "Living wage"}  # chosen themes only
    assert len(body) == 15 * 2  # Mar 2023 to May 2024, monthly
    by = {(row[0], row[2]): row for row in body}
    assert by[("Mar 2023", "Workforce")][1:] == [datetime(2023, 3, 1), "Workforce", 1, 100.0, 1]
    assert by[("Jun 2023", "Workforce")][3:] == [0, 0.0, 1]  # p3 counts in n, not in posts
    assert by[("May 2024", "Living wage")][3:] == [1, 100.0, 1]
    assert book["coverage series"]["B2"].is_date
    share = View(VIEW.filters, period="quarter", measure="share")
    quarterly = sheet_rows(
        load_workbook(io.BytesIO(view_export(corpus, share).xlsx())), "coverage series"
    )
    assert quarterly[0][3] == "Share of period's posts (%)"  # the measure's column first
    assert quarterly[1][0] == "2023 Q1"


def test_reviewed_mode_puts_machine_decision_and_final_side_by_side(corpus):
    reviewed = View(VIEW.filters, period="month", tag_mode="reviewed")
    export = view_export(corpus, reviewed, current=DECISIONS)
    table = export.posts.set_index("id")
    assert list(table.index) == ["p1", "p4"]  # p2 lost its only chosen theme in review
    assert table.loc[
        "p1", ["living_wage_machine", "living_wage_decision", "living_wage_tag"]
    ].tolist() == [
        0,
        "applies",
        1,
    ]
    assert table.loc["p1", "themes"] == "Workforce; Living wage"
    assert table.loc["p4", "living_wage_decision"] == ""
    columns = list(export.posts.columns)
    at = columns.index("workforce_machine")
    assert columns[at : at + 5] == [
        "workforce_machine", "workforce_decision", "workforce_tag", "workforce_score",
        "workforce_matched",
    ]  # fmt: skip
    assert dict(export.about)["tag mode"] == "reviewed"
    with pytest.raises(ValueError, match="review decisions"):
        view_export(corpus, reviewed)


def test_posts_csv_header_and_rows(corpus):
    export = view_export(corpus, VIEW, generated_at=WHEN)
    data = export.posts_csv()
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[: len(export.about)] == [f"# {k}: {v}" for k, v in export.about]
    back = pd.read_csv(
        io.BytesIO(data), comment="#", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert back["id"].tolist() == ["p2", "p1", "p4"]
    assert back["date"].tolist() == ["2024-05-01", "2023-03-15", ""]
    assert back["workforce_tag"].tolist() == ["0", "1", "1"]


def test_csv_neutralises_hostile_cells(corpus):
    everything = View(Filters(search="=cmd"))
    data = view_export(corpus, everything).posts_csv()
    back = pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig", dtype=str)
    assert back["title"].tolist() == ["'=cmd|calc"]
    assert b"# search: =cmd\r\n" in data  # one commented cell, never a formula


def test_coverage_csv_and_names(corpus):
    export = view_export(corpus, VIEW)
    back = pd.read_csv(io.BytesIO(export.coverage_csv()), comment="#", encoding="utf-8-sig")
    assert back.loc[0, "Period start"] == "2023-03-01"
    assert export.filename("coverage", "xlsx") == (
        "anchor-themes-coverage-workforce-living-wage-month-2023-01-to-2024-06.xlsx"
    )
    assert view_export(corpus, View()).filename("coverage", "xlsx") != export.filename(
        "coverage", "xlsx"
    )


def test_source_date_epoch_fixes_generated_at_and_the_xlsx_bytes(corpus, monkeypatch):
    """The same view at the same time gives the same bytes: the About time, the workbook's
    created and modified times and the zip's entry times all come from "generated at"."""
    import time
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    first = view_export(corpus, VIEW)
    time.sleep(2.1)  # a zip entry's time has 2-second steps
    second = view_export(corpus, VIEW)
    assert dict(first.about)["generated at"] == "2026-05-28T20:26:40Z"
    assert first.xlsx() == second.xlsx()
    assert first.posts_csv() == second.posts_csv()
    book = load_workbook(io.BytesIO(first.xlsx()))
    assert book.properties.created == datetime(2026, 5, 28, 20, 26, 40)
    assert book.properties.modified == datetime(2026, 5, 28, 20, 26, 40)
    entries = zipfile.ZipFile(io.BytesIO(first.xlsx())).infolist()
    assert {entry.date_time for entry in entries} == {(2026, 5, 28, 20, 26, 40)}
    assert ["generated at", "2026-05-28T20:26:40Z"] in sheet_rows(book, "About")
    # An explicit time wins over the variable; without either, it is now.
    assert dict(view_export(corpus, VIEW, generated_at=WHEN).about)["generated at"] == (
        "2026-12-03T07:00:00Z"
    )
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    now = dict(view_export(corpus, VIEW).about)["generated at"]
    assert now[:10] == datetime.now(UTC).strftime("%Y-%m-%d")
