"""analysis.csvwriter: the one CSV writer. Every CSV is read back and every cell checked: no
text cell a spreadsheet would run as a formula survives, and nothing else is changed."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
import pyarrow
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import csvwriter, exports
from analysis.csvwriter import (
    BOM,
    FORMULA_STARTS,
    csv_bytes,
    neutralise,
    neutralise_frame,
    write_csv,
)

#: The spreadsheet's view, written out here apart from the code under test: text starting
#: with one of these runs as a formula, unless it is a plain decimal number.
STARTS = "=+-@\t\r"
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def risky(cell: str) -> bool:
    return cell[:1] in tuple(STARTS) and cell != "" and not NUMBER.fullmatch(cell)


def expected(value) -> str:
    """What a cell holding ``value`` must read back as."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return "'" + value if risky(value) else value
    return str(value)


def read_back(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_starts_are_the_spreadsheet_ones():
    assert "".join(FORMULA_STARTS) == STARTS


# --- every cell, read back ----------------------------------------------------------------------

TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(list(STARTS)).flatmap(lambda s: st.text(max_size=10).map(lambda t: s + t)),
    st.sampled_from(["-5", "+3.25", "-1e5", "-.5", "-5+3", "-A1", "+44 20 7946 0000", "-", "="]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, st.one_of(TEXT, st.none()), st.integers(-(10**6), 10**6)), max_size=15
    ),
    st.sampled_from(["str", "object"]),
)
def test_every_text_cell_read_back_is_safe_and_otherwise_unchanged(rows, text_dtype):
    table = pd.DataFrame(
        {
            "text": pd.Series([r[0] for r in rows], dtype=text_dtype),
            "-maybe": pd.Series([r[1] for r in rows], dtype=object),
            "n": pd.Series([r[2] for r in rows], dtype="int64"),
        }
    )
    back = read_back(csv_bytes(table))
    assert back[0] == ["text", "'-maybe", "n"]  # headers too
    assert len(back) == len(rows) + 1
    for (text, maybe, number), cells in zip(rows, back[1:], strict=True):
        assert cells == [expected(text), expected(maybe), str(number)]
        assert not any(risky(cell) for cell in cells[:2])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(TEXT, st.none(), st.integers(-50, 50), st.floats(-10, 10)), max_size=20))
def test_vectorised_neutralising_is_the_cell_by_cell_rule(values):
    column = pd.Series(values, dtype=object)
    got = neutralise_frame(pd.DataFrame({"c": column}))["c"].tolist()
    want = [neutralise(value) for value in values]
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert a == b or (pd.isna(a) and pd.isna(b))
    strings = [v for v in values if isinstance(v, str)]
    as_str = neutralise_frame(pd.DataFrame({"c": pd.Series(strings, dtype="str")}))["c"]
    assert as_str.tolist() == [neutralise(v) for v in strings]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1+1", "'+1+1"),
        ("-5+3", "'-5+3"),
        ("@cmd", "'@cmd"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("-A1", "'-A1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-", "'-"),
        ("-5", "-5"),  # a plain number: a spreadsheet reads the number it is
        ("+3.25", "+3.25"),
        ("-1e5", "-1e5"),
        ("-.5", "-.5"),
        ("-5\n", "'-5\n"),  # not a plain number once it has a line break
        ("Cost-benefit", "Cost-benefit"),
        ("", ""),
    ],
)
def test_the_rule_cell_by_cell(text, written):
    assert neutralise(text) == written
    assert read_back(csv_bytes(pd.DataFrame({"a": [text]})))[1] == [written]


def test_numbers_booleans_dates_and_missing_values_are_written_as_they_are():
    table = pd.DataFrame(
        {
            "int": [-3, 4],
            "float": [-0.25, np.nan],
            "nullable": pd.array([-7, None], dtype="Int64"),
            "flag": [True, False],
            "day": pd.to_datetime(["2023-07-05", None]),
            "period": [pd.Period("2023Q3", "Q"), pd.Period("2024Q1", "Q")],
            "mixed": ["=x", -2.5],
        }
    )
    assert read_back(csv_bytes(table))[1:] == [
        ["-3", "-0.25", "-7", "true", "2023-07-05", "2023Q3", "'=x"],
        ["4", "", "", "false", "", "2024Q1", "-2.5"],
    ]


def test_the_format_crlf_quoted_text_and_an_optional_bom():
    table = pd.DataFrame({"Title": ['a, "b"\nc'], "Posts": [2]})
    assert csv_bytes(table) == BOM + b'"Title","Posts"\r\n"a, ""b""\nc",2\r\n'
    assert csv_bytes(table, bom=False) == b'"Title","Posts"\r\n"a, ""b""\nc",2\r\n'
    stream = io.BytesIO()
    write_csv(table, stream)
    assert stream.getvalue() == csv_bytes(table, bom=False)


def test_a_column_in_chunks_as_pyarrow_reads_a_large_file():
    chunked = pyarrow.chunked_array([["=a", "b"], ["-c", None], ["-5"]])
    column = pd.Series(chunked, dtype="str")
    assert isinstance(pyarrow.array(column, from_pandas=True), pyarrow.ChunkedArray)
    table = pd.DataFrame({"text": column, "n": [1, 2, 3, 4, 5]})
    assert read_back(csv_bytes(table))[1:] == [
        ["'=a", "1"],
        ["b", "2"],
        ["'-c", "3"],
        ["", "4"],
        ["-5", "5"],
    ]


def test_a_table_is_written_in_batches_that_join_up(monkeypatch):
    monkeypatch.setattr(csvwriter, "BATCH_ROWS", 3)
    table = pd.DataFrame(
        {
            "sparse": pd.Series([None, None, None, "=late", "x", None, "-5"], dtype=object),
            "mixed": pd.Series([1, "=a", None, 2.5, "b", True, "@c"], dtype=object),
            "n": range(7),
        }
    )
    assert read_back(csv_bytes(table)) == [
        ["sparse", "mixed", "n"],
        ["", "1", "0"],
        ["", "'=a", "1"],
        ["", "", "2"],
        ["'=late", "2.5", "3"],
        ["x", "b", "4"],
        ["", "True", "5"],
        ["-5", "'@c", "6"],
    ]


def test_an_empty_table_is_its_header():
    assert csv_bytes(pd.DataFrame({"=a": pd.Series([], dtype="str"), "n": []}), bom=False) == (
        b'"\'=a","n"\r\n'
    )


def test_repeated_column_names_and_an_index_are_fine():
    table = pd.DataFrame([["=a", "b"]], columns=["x", "x"], index=[7])
    assert read_back(csv_bytes(table)) == [["x", "x"], ["'=a", "b"]]


def test_the_input_table_is_not_changed():
    table = pd.DataFrame({"=h": ["=cmd"]})
    csv_bytes(table)
    assert table.columns[0] == "=h" and table.iloc[0, 0] == "=cmd"


def test_every_csv_the_dashboard_offers_is_this_writer(bundled):
    assert exports.csv_bytes is csv_bytes
    assert exports.neutralise_frame is neutralise_frame
    theme = bundled.codebook.themes[0]
    codebook = type(bundled.codebook)(
        themes=(type(theme)("x", "=Label", "#112233", "-def", ("t",)),)
    )
    assert read_back(exports.codebook_csv(codebook))[1] == ["'=Label", "'-def Terms: t"]
