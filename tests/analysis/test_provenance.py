"""analysis.provenance: the view an export carries, in the XLSX About sheet and the CSV header."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.codebook_file import codebook_toml
from analysis.exports import report_workbook, xlsx_bytes
from analysis.filters import Filters
from analysis.provenance import (
    View,
    about_rows,
    about_table,
    codebook_sha256,
    csv_with_about,
    header_value,
)

WHEN = datetime(2026, 12, 3, 7, 30, 5, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://evil.invalid"),x;y\r\n=cmd|calc\t"q"%'


def rows_for(codebook, **filters):
    view = View(Filters(**filters), period="month", measure="share", tag_mode="reviewed")
    return about_rows(
        view, codebook, data_file="posts.csv", posts_in_file=40, posts_in_view=7, generated_at=WHEN
    )


def test_about_rows_state_the_view(codebook):
    rows = dict(
        rows_for(
            codebook,
            themes=(codebook.ids[1], codebook.ids[0], "none"),
            start=date(2023, 1, 1),
            end=date(2024, 6, 30),
            search="pay rise",
            include_undated=False,
        )
    )
    labels = codebook.series_labels
    assert rows == {
        "themes": f"{labels[codebook.ids[0]]}; {labels[codebook.ids[1]]}; {labels['none']}",
        "start": "2023-01-01",
        "end": "2024-06-30",
        "search": "pay rise",
        "include undated": "no",
        "period": "month",
        "measure": "share",
        "tag mode": "reviewed",
        "codebook version": codebook.version,
        "codebook sha256": hashlib.sha256(codebook_toml(codebook).encode()).hexdigest(),
        "data file": "posts.csv",
        "posts in file": "40",
        "posts in view": "7",
        "generated at": "2026-12-03T07:30:05Z",
    }


def test_an_unfiltered_view_says_all_and_any(codebook):
    rows = dict(rows_for(codebook))
    assert (rows["themes"], rows["start"], rows["end"], rows["search"]) == ("all", "any", "any", "")
    assert rows["include undated"] == "yes"


def test_the_hash_follows_the_codebook_content(codebook):
    from dataclasses import replace

    changed = replace(codebook, themes=codebook.themes[:-1])
    assert len(codebook_sha256(codebook)) == 64
    assert codebook_sha256(codebook) == codebook_sha256(codebook)
    assert codebook_sha256(changed) != codebook_sha256(codebook)


def test_a_view_refuses_unknown_settings():
    with pytest.raises(ValueError, match="period"):
        View(period="week")
    with pytest.raises(ValueError, match="measure"):
        View(measure="mean")
    with pytest.raises(ValueError, match="tag mode"):
        View(tag_mode="guessed")


def test_xlsx_about_sheet_comes_first_and_matches_the_view(codebook):
    rows = rows_for(codebook, search=HOSTILE)
    table = pd.DataFrame({"Title": ["a"]})
    data = xlsx_bytes(report_workbook(table, table, codebook, None, about=about_table(rows)))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "About"
    sheet = book["About"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0] == ["Field", "Value"]
    got = {key: value for key, value in cells[1:]}
    expected = dict(rows)
    # the hostile search is neutralised like any cell: stored as text, with a leading '
    assert got.pop("search") == "'" + HOSTILE
    expected.pop("search")
    assert got == expected
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)


def test_csv_header_then_table_read_by_pandas(codebook):
    rows = rows_for(codebook, search="wages")
    table = pd.DataFrame({"Title": ["Pay #1", "=SUM(A1)"], "Posts": [3, 4]})
    data = csv_with_about(table, rows)
    assert data.startswith(b"\xef\xbb\xbf# themes: all\r\n")
    text = data.decode("utf-8-sig")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header == [f"# {key}: {value}" for key, value in rows]
    back = pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig")
    assert list(back.columns) == ["Title", "Posts"]
    assert back["Title"].tolist() == ["Pay #1", "'=SUM(A1)"]  # neutralised by csvwriter
    assert back["Posts"].tolist() == [3, 4]


def test_hostile_header_values_stay_in_one_commented_cell(codebook):
    rows = rows_for(codebook, search=HOSTILE)
    rows = [(k, HOSTILE if k == "data file" else v) for k, v in rows]
    data = csv_with_about(pd.DataFrame({"Title": ["t"]}), rows)
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = records[: len(rows)], records[len(rows) :]
    assert all(len(record) == 1 and record[0].startswith("# ") for record in header)
    assert body == [["Title"], ["t"]]
    encoded = "%3DHYPERLINK".replace("%3D", "=")  # '=' is harmless after '# search: '
    assert header[3] == [f"# search: {header_value(HOSTILE)}"]
    assert encoded in header[3][0]
    assert header_value(HOSTILE) == (
        "=HYPERLINK(%22http://evil.invalid%22)%2Cx;y%0D%0A=cmd|calc%09%22q%22%25"
    )
    back = pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig")
    assert back.to_dict("list") == {"Title": ["t"]}
