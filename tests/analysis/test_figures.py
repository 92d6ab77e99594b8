"""analysis.figures: the coverage chart's solid and hatched bars, hover text and the other charts."""

from __future__ import annotations

import html
from dataclasses import replace

import pandas as pd
import pytest

from analysis.coverage import NO_THEME, cooccurrence, coverage_over_time, theme_totals
from analysis.figures import (
    APPROXIMATE_NOTE,
    APPROXIMATE_PATTERN,
    cooccurrence_figure,
    coverage_figure,
    lighten,
    post_lines,
    series_style,
    terms_figure,
    totals_figure,
)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

POSTS_CSV = """id,title,summary,date,date_status,date_precision
a,Apprentices start <script>alert(1)</script>,s,2023-01-15,published,day
b,Work academy & more,s,2023-03,published,month
c,Racism,s,05/07/2023,estimated,day
d,Nothing,s,2023,published,year
e,Legal advice,s,2023-12-01,inferred,day
f,Undated apprentices,s,,,
"""


@pytest.fixture
def corpus(read_csv, tagger):
    posts = read_csv(POSTS_CSV).posts
    return posts, tagger.tag(posts).tags


def figure(corpus, codebook, granularity="quarter", measure="count"):
    posts, tags = corpus
    table = coverage_over_time(posts, tags, granularity)
    return coverage_figure(table, posts, codebook, granularity, measure)


def test_each_series_has_a_solid_and_a_hatched_trace(corpus, codebook):
    fig = figure(corpus, codebook)
    styles = series_style(codebook)
    series = [*codebook.ids, NO_THEME]
    assert len(fig.data) == 2 * len(series) + 1
    for n, series_id in enumerate(series):
        label, colour = styles[series_id]
        solid, hatched = fig.data[2 * n], fig.data[2 * n + 1]
        assert solid.type == hatched.type == "bar"
        assert solid.name == label
        assert solid.marker.color == colour
        assert not solid.marker.pattern.shape
        assert solid.showlegend is not False
        assert hatched.marker.pattern.shape == APPROXIMATE_PATTERN == "/"
        assert hatched.marker.pattern.fgcolor == colour
        assert hatched.marker.line.color == colour
        assert hatched.showlegend is False
        assert solid.legendgroup == hatched.legendgroup == series_id
        assert solid.offsetgroup == hatched.offsetgroup  # stacked in one bar


def test_series_colours_come_from_the_codebook(codebook):
    styles = series_style(codebook)
    assert styles["workforce"] == ("Workforce", codebook.colours["workforce"])
    assert styles[NO_THEME] == ("No theme", "#8C8C8C")
    assert list(styles) == [*codebook.ids, NO_THEME]


def test_legend_entry_for_the_hatching(corpus, codebook):
    key = figure(corpus, codebook).data[-1]
    assert key.name == APPROXIMATE_NOTE
    assert key.marker.pattern.shape == "/"
    assert key.showlegend is not False
    assert key.hoverinfo == "skip"


def test_bar_heights_are_exact_and_approximate_counts(corpus, codebook):
    posts, tags = corpus
    table = coverage_over_time(posts, tags, "quarter")
    fig = coverage_figure(table, posts, codebook, "quarter", "count")
    workforce = table[table["series"] == "workforce"]
    solid, hatched = fig.data[0], fig.data[1]
    assert list(solid.y) == workforce["exact"].tolist() == [2, 0, 0, 0]
    assert list(hatched.y) == workforce["approximate"].tolist() == [0, 0, 0, 0]
    assert list(hatched.base) == list(solid.y)
    none_solid, none_hatched = fig.data[8], fig.data[9]
    assert list(none_solid.y) == [0, 0, 0, 0]
    assert list(none_hatched.y) == [1, 0, 0, 0]  # a year-only date on a quarterly chart
    assert list(solid.customdata[0]) == ["workforce", "a;b"]


def test_x_categories_in_period_order(corpus, codebook):
    fig = figure(corpus, codebook, "month")
    expected = [f"{m} 2023" for m in MONTHS]
    assert list(fig.layout.xaxis.categoryarray) == expected
    assert fig.layout.xaxis.categoryorder == "array"
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].x) == expected


def test_share_measure_uses_a_percent_format(corpus, codebook):
    share = figure(corpus, codebook, "quarter", "share")
    count = figure(corpus, codebook, "quarter", "count")
    assert share.layout.yaxis.tickformat == ".0%"
    assert count.layout.yaxis.tickformat is None
    assert list(share.data[0].y) == [pytest.approx(2 / 3), 0, 0, 0]
    assert "Share" in share.layout.title.text
    assert list(count.data[0].y) != list(share.data[0].y)


def test_granularity_changes_the_figure(corpus, codebook):
    by_quarter = figure(corpus, codebook, "quarter")
    by_year = figure(corpus, codebook, "year")
    assert list(by_quarter.layout.xaxis.categoryarray) == [
        "2023 Q1",
        "2023 Q2",
        "2023 Q3",
        "2023 Q4",
    ]
    assert list(by_year.layout.xaxis.categoryarray) == ["2023"]
    assert list(by_year.data[0].y) == [2]
    assert by_quarter.layout.title.text != by_year.layout.title.text


def test_hover_text_escapes_titles(corpus, codebook):
    fig = figure(corpus, codebook)
    hover = "\n".join(text for trace in fig.data[:-1] for text in trace.hovertext)
    assert "Apprentices start &lt;script&gt;alert(1)&lt;/script&gt;" in hover
    assert "<script" not in hover
    assert "Work academy &amp; more" in hover
    assert "<b>Workforce</b>, 2023 Q1<br>2 posts with published dates" in fig.data[0].hovertext[0]


def test_post_lines(corpus):
    posts, _ = corpus
    lines = post_lines(posts, "quarter")
    assert lines["a"] == "• Apprentices start &lt;script&gt;alert(1)&lt;/script&gt; (15 Jan 2023)"
    assert lines["c"] == "• Racism (5 Jul 2023, estimated)"
    assert lines["d"] == "• Nothing (2023, date imprecise)"
    assert lines["f"] == "• Undated apprentices (No date, date imprecise)"
    assert post_lines(posts)["d"] == "• Nothing (2023)"


def test_totals_figure(bundled, codebook):
    totals = theme_totals(bundled.tags, codebook)
    fig = totals_figure(totals)
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == [
        "Workforce",
        "Living wage",
        "Racial equity",
        "Health justice",
        "No theme",
    ]
    assert list(bar.x) == [3, 1, 1, 4, 9]
    assert list(bar.marker.color) == [*codebook.colours.values(), "#8C8C8C"]
    assert list(bar.text) == ["3 (17%)", "1 (6%)", "1 (6%)", "4 (22%)", "9 (50%)"]
    assert fig.layout.yaxis.autorange == "reversed"


def test_cooccurrence_figure(bundled, codebook):
    matrix = cooccurrence(bundled.tags)
    fig = cooccurrence_figure(matrix, codebook)
    (heatmap,) = fig.data
    assert heatmap.type == "heatmap"
    labels = list(codebook.labels.values())
    assert list(heatmap.x) == labels
    assert list(heatmap.y) == labels
    assert [list(row) for row in heatmap.z] == matrix.to_numpy().tolist()
    assert heatmap.zmin == 0


def test_terms_figure(codebook):
    counts = pd.Series({f"term{n}": 20 - n for n in range(12)})
    fig = terms_figure(counts, "#0072B2", "Workforce", limit=5)
    (bar,) = fig.data
    assert list(bar.y) == ["term0", "term1", "term2", "term3", "term4"]
    assert list(bar.x) == [20, 19, 18, 17, 16]
    assert bar.marker.color == "#0072B2"
    assert fig.layout.title.text == "Workforce: terms that matched most"


@pytest.mark.parametrize(
    ("colour", "amount", "expected"),
    [("#000000", 0.5, "#808080"), ("#FFFFFF", 0.55, "#FFFFFF"), ("#0072B2", 0.0, "#0072B2")],
)
def test_lighten(colour, amount, expected):
    assert lighten(colour, amount) == expected


def test_coverage_bars_name_their_theme_so_colour_never_carries_it_alone(bundled_corpus_table):
    figure, table = bundled_corpus_table
    for trace in figure.data:
        if trace.name and trace.name.endswith("(approximate dates)"):
            label = trace.name.removesuffix(" (approximate dates)")
            assert set(trace.text) <= {label, ""}
            assert trace.textposition == "outside"
    labelled = [t for trace in figure.data if trace.text is not None for t in trace.text if t]
    assert len(labelled) == int((table["posts"] > 0).sum())


def test_for_screen_adapts_to_dark_and_presentation(bundled_corpus_table):
    from analysis.figures import for_screen

    figure, _ = bundled_corpus_table
    dark = for_screen(figure, dark=True)
    assert dark.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert dark.layout.font.color == "#FAFAFA"
    big = for_screen(figure, presenting=True)
    assert big.layout.font.size == 20 and big.layout.height == 430
    assert figure.layout.font.size == 15  # the original is untouched
    assert [t.marker.color for t in big.data] == [t.marker.color for t in figure.data]


def strings(value):
    """Every string in a figure's JSON-like dict, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        for item in value.tolist() if hasattr(value, "tolist") else value:
            yield from strings(item)


def test_codebook_labels_and_terms_reach_plotly_escaped(bundled, codebook):
    """Plotly reads <a href>, <b>, <br> in every text it draws (legend, ticks, titles, bar
    text, hover): a label or term from a file must draw as written, never as a link."""
    payload = "<a href=http://127.0.0.1:9/x>L</a> & <img src=http://127.0.0.1:9/y>"
    first = replace(codebook.themes[0], label=payload)
    hostile = replace(codebook, themes=(first, *codebook.themes[1:]), no_theme_label=payload)
    table = coverage_over_time(bundled.posts, bundled.tags, "quarter")
    figures = [
        coverage_figure(table, bundled.posts, hostile, "quarter", "count"),
        totals_figure(theme_totals(bundled.tags, hostile)),
        cooccurrence_figure(cooccurrence(bundled.tags), hostile),
        terms_figure(pd.Series({payload: 3, "ok": 1}), "#0072B2", payload),
    ]
    for fig in figures:
        texts = list(strings(fig.to_plotly_json()))
        assert not [t for t in texts if "<a " in t or "<img" in t]
        assert any(html.escape(payload) in t for t in texts)
    coverage = figures[0]
    assert coverage.data[0].name == html.escape(payload)
    assert html.escape(payload) in coverage.data[1].text
    assert figures[2].data[0].x[0] == html.escape(payload)
    assert figures[3].data[0].y[0] == html.escape(payload)
    assert figures[3].layout.title.text == f"{html.escape(payload)}: terms that matched most"
