"""analysis.exports: CSV and XLSX bytes, formula neutralising, the codebook's exports."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.codebook import Codebook, Theme
from analysis.coverage import coverage_over_time
from analysis.csvwriter import neutralise, neutralise_frame
from analysis.exports import (
    MAX_WIDTH,
    MIN_WIDTH,
    codebook_csv,
    codebook_table,
    csv_bytes,
    report_workbook,
    sheet_name,
    xlsx_bytes,
)
from analysis.metrics import NO_LABELS_NOTE, load_labels, quality_report, quality_table
from analysis.tables import coverage_table, posts_table

BOM = b"\xef\xbb\xbf"
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.fixture(scope="module")
def posts(bundled) -> pd.DataFrame:
    return posts_table(bundled.posts, bundled.tags, bundled.codebook)


@pytest.fixture(scope="module")
def coverage(bundled) -> pd.DataFrame:
    return coverage_table(coverage_over_time(bundled.posts, bundled.tags), bundled.codebook)


@pytest.fixture(scope="module")
def quality(bundled):
    labels = load_labels(codebook=bundled.codebook)
    return quality_report(
        bundled.posts, bundled.tags, bundled.result.evidence, labels, bundled.codebook
    )


def read_back(data: bytes, encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding)


def open_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


# --- neutralise -------------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_neutralise_quotes_text_starting_like_a_formula(start):
    assert neutralise(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"
    assert neutralise(start) == "'" + start


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_neutralise_leaves_those_characters_inside_text(start):
    text = "Cost" + start + "benefit" + start
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "text", ["", "Plain title", " =1+1", "'=already quoted", "Guy’s", "3-2", "a@b.org"]
)
def test_neutralise_leaves_safe_text(text):
    assert neutralise(text) == text


def test_neutralise_leaves_numbers_and_missing_values():
    assert neutralise(-3) == -3
    assert neutralise(-3.5) == -3.5
    assert neutralise(np.int64(-7)) == -7
    assert neutralise(None) is None
    assert np.isnan(neutralise(float("nan")))
    assert neutralise(True) is True


def test_neutralise_frame_text_cells_and_headers_only():
    table = pd.DataFrame(
        {
            "=HEADER": ["=cmd", "safe"],
            "number": [-3, 4],
            "text number": ["-3", "4"],
            "mixed": ["+x", -2.5],
            "category": pd.Categorical(["@me", "you"]),
            "flag": [True, False],
        }
    )
    out = neutralise_frame(table)
    assert list(out.columns) == ["'=HEADER", "number", "text number", "mixed", "category", "flag"]
    assert out["'=HEADER"].tolist() == ["'=cmd", "safe"]
    assert out["number"].tolist() == [-3, 4]
    assert out["number"].dtype == np.int64
    assert out["text number"].tolist() == ["-3", "4"]  # a plain number, as text: no formula
    assert out["mixed"].tolist() == ["'+x", -2.5]
    assert out["category"].tolist() == ["'@me", "you"]
    assert out["flag"].dtype == bool
    assert table.columns[0] == "=HEADER" and table.iloc[0, 0] == "=cmd"  # input untouched


# --- CSV --------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_utf8_text():
    data = csv_bytes(pd.DataFrame({"Title": ["Guy’s & St Thomas’ — café 🏥"]}))
    assert data.startswith(BOM)
    assert not data[len(BOM) :].startswith(BOM)
    assert data.decode("utf-8-sig") == '"Title"\r\n"Guy’s & St Thomas’ — café 🏥"\r\n'


def test_csv_has_no_index():
    data = csv_bytes(pd.DataFrame({"a": [1, 2]}, index=[10, 20]))
    assert data.decode("utf-8-sig") == '"a"\r\n1\r\n2\r\n'


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_neutralises_formulas(start):
    text = start + 'HYPERLINK("http://evil")'
    table = pd.DataFrame({"Title": [text, "Cost" + start + "benefit"]})
    back = read_back(csv_bytes(table))
    assert back["Title"].tolist() == ["'" + text, "Cost" + start + "benefit"]


def test_csv_neutralises_headers_and_formulas_but_not_numbers():
    table = pd.DataFrame({"=Header": ["-3", "-3+1"], "Posts": [-3, 2], "Share": [-0.25, 1.5]})
    lines = csv_bytes(table).decode("utf-8-sig").splitlines()
    assert lines == ['"\'=Header","Posts","Share"', '"-3",-3,-0.25', '"\'-3+1",2,1.5']


def test_csv_title_with_comma_quote_and_newline_round_trips():
    title = 'Anchors, "living wage"\nand a second line'
    table = pd.DataFrame({"id": ["a", "b"], "Title": [title, "Plain"], "Posts": [1, 2]})
    back = pd.read_csv(io.BytesIO(csv_bytes(table)), encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, table)


def test_csv_of_the_bundled_posts_table(posts):
    back = read_back(csv_bytes(posts))
    assert list(back.columns) == ["id", "Title", "Date", "Date status", "Themes", "Link"]
    assert len(back) == 18
    expected = posts.fillna("").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected.astype(str), check_dtype=False)
    assert back["Title"].str.contains("’").any()  # typographic apostrophes survive


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_has_the_sheets_in_order(posts):
    data = xlsx_bytes({"zeta": posts, "alpha": pd.DataFrame({"a": [1]}), "mid": posts.head(2)})
    book = open_xlsx(data)
    assert book.sheetnames == ["zeta", "alpha", "mid"]
    assert book["zeta"].max_row == 19
    assert book["mid"].max_row == 3


def test_xlsx_stores_would_be_formulas_as_text():
    table = pd.DataFrame({"=Header": ["=1+1", "@SUM(A1)", "a=b"], "n": [-3, 2, 1]})
    sheet = open_xlsx(xlsx_bytes({"data": table}))["data"]
    header, formula, at, inside = sheet["A1"], sheet["A2"], sheet["A3"], sheet["A4"]
    assert (header.value, header.data_type) == ("'=Header", "s")
    assert (formula.value, formula.data_type) == ("'=1+1", "s")
    assert (at.value, at.data_type) == ("'@SUM(A1)", "s")
    assert (inside.value, inside.data_type) == ("a=b", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-3, "n")


def test_xlsx_header_bold_and_frozen():
    sheet = open_xlsx(xlsx_bytes({"data": pd.DataFrame({"a": [1], "b": ["x"]})}))["data"]
    assert [cell.font.bold for cell in sheet[1]] == [True, True]
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"


def test_xlsx_column_widths_fit_the_text_within_limits():
    table = pd.DataFrame(
        {
            "a": ["x"],
            "medium header": ["short"],
            "long": ["y" * 200],
            "lines": ["first line\n" + "z" * 20],
        }
    )
    sheet = open_xlsx(xlsx_bytes({"data": table}))["data"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [MIN_WIDTH, len("medium header") + 2, MAX_WIDTH, 22]


def test_xlsx_keeps_unicode_and_drops_characters_xlsx_cannot_hold():
    table = pd.DataFrame({"Title": ["Guy’s café 🏥", "bell\x07 and\x0bvertical tab"]})
    sheet = open_xlsx(xlsx_bytes({"data": table}))["data"]
    assert [sheet["A2"].value, sheet["A3"].value] == ["Guy’s café 🏥", "bell andvertical tab"]


def test_xlsx_writes_zoned_dates_as_wall_clock_times():
    stamps = pd.to_datetime(["2024-03-01 09:30"]).tz_localize("Europe/London")
    sheet = open_xlsx(xlsx_bytes({"data": pd.DataFrame({"when": stamps})}))["data"]
    assert sheet["A2"].value == pd.Timestamp("2024-03-01 09:30").to_pydatetime()


def test_xlsx_sheet_names_made_legal():
    data = xlsx_bytes(
        {
            "Coverage [by quarter]: 2021/22 * what? \\ and a very long tail": pd.DataFrame(),
            "posts": pd.DataFrame({"a": [1]}),
            "Posts": pd.DataFrame({"a": [2]}),
        }
    )
    names = open_xlsx(data).sheetnames
    assert names == ["Coverage by quarter 202122 what", "posts", "Posts (2)"]
    assert all(len(name) <= 31 for name in names)


def test_sheet_name_rules():
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("a/b\\c[d]e:f*g?h") == "abcdefgh"
    assert sheet_name("'quoted'") == "quoted"
    assert sheet_name("[]") == "Sheet"
    assert sheet_name("History") == "History (2)"
    assert sheet_name("posts", ["POSTS", "posts (2)"]) == "posts (3)"
    assert sheet_name("y" * 40, ["y" * 31]) == "y" * 27 + " (2)"


def test_xlsx_needs_a_sheet():
    with pytest.raises(ValueError, match="at least one sheet"):
        xlsx_bytes({})


# --- the report workbook ----------------------------------------------------------------------


def test_report_workbook_has_the_four_sheets(posts, coverage, codebook, quality):
    sheets = report_workbook(posts, coverage, codebook, quality)
    assert list(sheets) == ["posts", "coverage series", "codebook", "quality"]
    assert sheets["posts"] is posts
    assert sheets["coverage series"] is coverage
    pd.testing.assert_frame_equal(sheets["codebook"], codebook_table(codebook))
    pd.testing.assert_frame_equal(sheets["quality"], quality_table(quality))

    book = open_xlsx(xlsx_bytes(sheets))
    assert book.sheetnames == ["posts", "coverage series", "codebook", "quality"]
    assert book["posts"].max_row == len(posts) + 1
    assert book["coverage series"].max_row == len(coverage) + 1
    assert [cell.value for cell in book["codebook"][1]] == [
        "id",
        "label",
        "colour",
        "definition",
        "terms",
        "context_terms",
        "exclude",
    ]
    assert [book["codebook"].cell(row, 1).value for row in range(2, 6)] == codebook.ids


def test_quality_sheet_without_labels(posts, coverage, codebook):
    sheets = report_workbook(posts, coverage, codebook, None)
    pd.testing.assert_frame_equal(sheets["quality"], pd.DataFrame({"Note": [NO_LABELS_NOTE]}))
    sheet = open_xlsx(xlsx_bytes(sheets))["quality"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Note"],
        [NO_LABELS_NOTE],
    ]


# --- the codebook as a table and as CSV -------------------------------------------------------


def test_codebook_table(codebook):
    table = codebook_table(codebook)
    assert list(table.columns) == [
        "id",
        "label",
        "colour",
        "definition",
        "terms",
        "context_terms",
        "exclude",
    ]
    assert table["id"].tolist() == codebook.ids
    row = table.iloc[1]
    theme = codebook.theme("living_wage")
    assert (row["label"], row["colour"], row["definition"]) == (
        "Living wage",
        "#E69F00",
        theme.definition,
    )
    assert row["terms"].split("; ") == list(theme.terms)
    assert row["exclude"] == "minimum wage"


def test_codebook_table_empty_exclude():
    theme = Theme("alpha", "Alpha", "#112233", "About alpha.", ("alpha", "beta*"))
    table = codebook_table(Codebook(themes=(theme,)))
    assert table.iloc[0].tolist() == [
        "alpha",
        "Alpha",
        "#112233",
        "About alpha.",
        "alpha; beta*",
        "",
        "",
    ]


CONTEXT_THEME = Theme(
    "alpha", "Alpha", "#112233", "About alpha.", ("alpha",), ("alpha beta",), ("housing", "debt")
)


def test_codebook_table_lists_context_terms_apart_from_terms():
    row = codebook_table(Codebook(themes=(CONTEXT_THEME,))).iloc[0]
    assert (row["terms"], row["context_terms"], row["exclude"]) == (
        "alpha",
        "housing; debt",
        "alpha beta",
    )


def test_codebook_csv_says_context_terms_count_only_alongside_a_term():
    back = read_back(codebook_csv(Codebook(themes=(CONTEXT_THEME,))), encoding="utf-8")
    assert back["description"].iloc[0] == (
        "About alpha. Terms: alpha. Context terms, counted only alongside a term: housing, debt"
    )


def test_codebook_csv_for_taguette(codebook):
    data = codebook_csv(codebook)
    assert not data.startswith(BOM)
    assert data.split(b"\r\n", 1)[0] == b'"tag","description"'
    back = read_back(data, encoding="utf-8")
    assert list(back.columns) == ["tag", "description"]
    assert back["tag"].tolist() == list(codebook.labels.values())
    theme = codebook.themes[0]
    assert back["description"].iloc[0] == f"{theme.definition} Terms: {', '.join(theme.terms)}"


def test_codebook_csv_is_neutralised_and_utf8():
    theme = Theme("alpha", "=Guy’s", "#112233", "-About alpha.", ("alpha",))
    data = codebook_csv(Codebook(themes=(theme,)))
    assert (
        data.decode("utf-8")
        == '"tag","description"\r\n"\'=Guy’s","\'-About alpha. Terms: alpha"\r\n'
    )


# --- the codebook as TOML ---------------------------------------------------------------------
