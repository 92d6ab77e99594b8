"""analysis.figure_style: series colours and labels from the codebook, lightened colours, and
figures adapted to a dark theme or a shared screen."""

from __future__ import annotations

import pytest

from analysis.coverage import NO_THEME, cooccurrence, theme_totals
from analysis.figure_style import lighten, series_style
from analysis.figures import cooccurrence_figure, totals_figure


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
