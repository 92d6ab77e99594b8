"""python -m analysis export (and report's view options): the files opened and checked."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analysis.cli import main
from analysis.corpus import open_corpus
from analysis.filters import Filters
from analysis.provenance import View
from analysis.view_export import view_export

POSTS = str(Path(__file__).parent / "fixtures" / "view_posts.csv")
VIEW_ARGS = ["--themes", "workforce", "--themes", "living_wage", "--start", "2023-01"]


def sheets(path) -> dict[str, list[list]]:
    book = load_workbook(path)
    return {
        name: [[cell.value for cell in row] for row in book[name].iter_rows()]
        for name in book.sheetnames
    }


def without_time(rows):
    return [row for row in rows if row[0] != "generated at"]


def test_export_xlsx_is_what_the_engine_writes_for_the_view(tmp_path):
    out = tmp_path / "view.xlsx"
    assert (
        main(
            ["export", POSTS, *VIEW_ARGS, "--end", "Jun 2024", "--period", "month", "-o", str(out)]
        )
        == 0
    )
    got = sheets(out)
    view = View(
        Filters(themes=("workforce", "living_wage"), start=date(2023, 1, 1), end=date(2024, 6, 30)),
        period="month",
    )
    expected_bytes = view_export(open_corpus(POSTS), view).xlsx()
    expected = sheets(io.BytesIO(expected_bytes))
    assert got.keys() == expected.keys()
    for name in got:
        assert without_time(got[name]) == without_time(expected[name]), name
    about = dict(got["About"][1:])
    assert (about["start"], about["end"], about["period"]) == ("2023-01-01", "2024-06-30", "month")
    assert about["data file"] == "view_posts.csv"
    assert [row[0] for row in got["posts"][1:]] == ["p2", "p1", "p4"]
    assert load_workbook(out)["posts"]["C2"].is_date


def test_dates_are_uk_day_first_and_whole_months(tmp_path):
    out = tmp_path / "posts.csv"
    # 05/07/2023 is 5 July: its month starts the view; a year ends on 31 December.
    assert main(["export", POSTS, "--start", "05/07/2023", "--end", "2024", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert b"# start: 2023-07-01\r\n" in data and b"# end: 2024-12-31\r\n" in data
    back = pd.read_csv(out, comment="#", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["id"].tolist() == ["p2", "p4"]  # p1 (Mar 2023) and p3 (Jun 2023) are before July
    assert back["date"].tolist() == ["2024-05-01", ""]


def test_coverage_csv_follows_period_and_measure(tmp_path):
    out = tmp_path / "coverage.csv"
    args = ["export", POSTS, "--themes", "workforce", "--period", "year", "--measure", "share"]
    assert main([*args, "--table", "coverage", "--exclude-undated", "-o", str(out)]) == 0
    back = pd.read_csv(out, comment="#", encoding="utf-8-sig")
    assert list(back.columns)[3] == "Share of period's posts (%)"
    assert back["Period"].tolist() == [2022, 2023, 2024]
    assert back["Theme"].unique().tolist() == ["Workforce"]
    assert back["Share of period's posts (%)"].tolist() == [100.0, 50.0, 0.0]
    assert back["n (dated posts in period)"].tolist() == [1, 2, 1]
    assert b"# include undated: no\r\n" in out.read_bytes()


def test_bad_view_options_are_one_line_and_exit_2(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["export", POSTS, "--themes", "bogus", "-o", str(out)]) == 2
    assert "--themes: bogus" in capsys.readouterr().err
    assert main(["export", POSTS, "--start", "yesterday-ish", "-o", str(out)]) == 2
    assert main(["export", POSTS, "--start", "2024", "--end", "2023", "-o", str(out)]) == 2
    assert main(["export", POSTS, "-o", str(tmp_path / "x.txt")]) == 2
    db = tmp_path / "none.sqlite"
    assert main(["export", POSTS, "--tag-mode", "reviewed", "--db", str(db), "-o", str(out)]) == 2
    assert not out.exists() and not db.exists()


def test_reviewed_export_reads_the_decisions(tmp_path):
    from analysis.review_store import ReviewStore

    db = tmp_path / "reviews.sqlite"
    store = ReviewStore(f"sqlite:///{db}")
    store.record("p1", "living_wage", "added", "Asha", "2026.11.1", False)
    store.engine.dispose()
    out = tmp_path / "reviewed.xlsx"
    args = ["export", POSTS, "--tag-mode", "reviewed", "--db", str(db), "-o", str(out)]
    assert main(args) == 0
    rows = sheets(out)["posts"]
    cell = dict(zip(rows[0], zip(*rows[1:], strict=True), strict=True))
    p1 = cell["id"].index("p1")
    assert (cell["living_wage_machine"][p1], cell["living_wage_decision"][p1]) == (0, "applies")
    assert cell["living_wage_tag"][p1] == 1
    assert dict(sheets(out)["About"][1:])["tag mode"] == "reviewed"


def test_report_takes_the_view_options(tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", POSTS, "--themes", "living_wage", "-o", str(out)]) == 0
    html = out.read_text()
    assert "Living wage pledge" in html
    assert "Workforce training" not in html  # not a chosen theme's post
    assert main(["report", POSTS, "--search", "training", "-o", str(out)]) == 0
    html = out.read_text()
    assert "Workforce training" in html and "Living wage pledge" not in html
