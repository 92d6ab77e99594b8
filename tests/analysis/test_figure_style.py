"""analysis.figure_style: series colours and labels from the codebook, lightened colours, and
figures adapted to a dark theme or a shared screen."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from analysis.coverage import NO_THEME, cooccurrence, theme_totals
from analysis.figure_style import lighten, reserve_margins, series_style, text_width
from analysis.figures import _widest_count, cooccurrence_figure, totals_figure


def test_series_colours_come_from_the_codebook(codebook):
    styles = series_style(codebook)
    assert styles["workforce"] == ("Workforce", codebook.colours["workforce"])
    assert styles[NO_THEME] == ("No theme", "#8C8C8C")
    assert list(styles) == [*codebook.ids, NO_THEME]


@pytest.mark.parametrize(
    ("colour", "amount", "expected"),
    [("#000000", 0.5, "#808080"), ("#FFFFFF", 0.55, "#FFFFFF"), ("#0072B2", 0.0, "#0072B2")],
)
def test_lighten(colour, amount, expected):
    assert lighten(colour, amount) == expected


def test_for_screen_adapts_to_dark_and_presentation(bundled_corpus_table):
    from analysis.figure_style import for_screen

    figure, _ = bundled_corpus_table
    dark = for_screen(figure, dark=True)
    assert dark.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert dark.layout.font.color == "#FAFAFA"
    big = for_screen(figure, presenting=True)
    assert big.layout.font.size == 20 and big.layout.height == 430
    assert figure.layout.font.size == 15  # the original is untouched
    assert [t.marker.color for t in big.data] == [t.marker.color for t in figure.data]


def test_presentation_and_dark_mode_keep_the_matrix_readable(bundled, codebook):
    from analysis.figure_style import MATRIX, for_screen

    fig = cooccurrence_figure(cooccurrence(bundled.tags), codebook, subtitle="All dates")
    colours = list(fig.data[0].textfont.color)
    assert colours[0] == "#FFFFFF" and colours[1] == "#262730"  # 3 of 4: white on dark blue
    dark = for_screen(fig, dark=True)
    assert list(dark.data[0].textfont.color) == colours and dark.data[0].meta == MATRIX
    big = for_screen(fig, presenting=True)
    assert big.data[0].textfont.size == 22
    assert big.layout.margin.t == 64 + 26 * 3  # room for the subtitle's three lines
    bars = for_screen(totals_figure(theme_totals(bundled.tags, codebook)), dark=True)
    assert bars.data[0].textfont.color == "#D5D6DB"


def test_text_width_is_arials():
    # Arial's advance widths: "Health justice" is 6.002 em, digits 0.556 em, "%" 0.889 em.
    assert text_width("Health justice", 15) == pytest.approx(90.03)
    assert text_width("100%", 15) == pytest.approx(38.355)
    assert text_width("", 15) == 0
    assert text_width("日本", 10) == 20  # outside the table: counted wide


def test_reserved_margins_hold_the_labels_and_turn_crowded_ones_upright():
    quarters = [f"202{y} Q{q}" for y in range(3) for q in range(1, 5)][:11]  # 11 lie flat
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    months = [f"{name} {year}" for year in (2021, 2022, 2023) for name in names]  # 36 upright
    crowded = [f"202{y} Q1" for y in range(16)]  # 16: Plotly tilts them; left to it
    left = reserve_margins(go.Figure(), left=["100%"], under=quarters).layout.margin
    assert (left.l, left.b) == (round(38.355 + 41), 120)
    upright = reserve_margins(go.Figure(), under=months).layout.margin
    widest = max(text_width(month, 15) for month in months)
    assert upright.b == round(120 + widest - 17 + 6) and upright.l is None
    assert reserve_margins(go.Figure(), under=crowded).layout.margin.b is None


def test_count_axis_labels_are_reckoned_as_plotly_writes_them():
    assert [_widest_count(n) for n in (4.35, 5800, 14_500, 2_300_000)] == [
        "4",
        "5800",
        "14k",
        "2.5M",
    ]
