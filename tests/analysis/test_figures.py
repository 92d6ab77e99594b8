"""analysis.figures: the coverage chart's solid and hatched bars, hover text and the other charts."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace

import pandas as pd
import pytest

from analysis.coverage import NO_THEME, cooccurrence, coverage_over_time, theme_totals
from analysis.figure_style import series_style
from analysis.figures import (
    APPROXIMATE_NOTE,
    FEW_NOTE,
    cooccurrence_figure,
    coverage_figure,
    few_posts_note,
    filters_in_force,
    terms_figure,
    totals_figure,
)
from analysis.filters import Filters

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
        assert hatched.marker.pattern.shape == "/"  # hatched: approximate dates
        assert hatched.marker.pattern.fgcolor == colour
        assert hatched.marker.line.color == colour
        assert hatched.showlegend is False
        assert solid.legendgroup == hatched.legendgroup == series_id
        assert solid.offsetgroup == hatched.offsetgroup  # stacked in one bar


def test_legend_entry_for_the_hatching(corpus, codebook):
    key = figure(corpus, codebook).data[-1]
    assert key.name == APPROXIMATE_NOTE
    assert key.marker.pattern.shape == "/"
    assert key.showlegend is not False
    assert key.hoverinfo == "skip"


def test_bar_heights_are_exact_and_approximate_counts(corpus, codebook):
    fig = figure(corpus, codebook)
    solid, hatched = fig.data[0], fig.data[1]  # Workforce: a (a day) and b (a month) in Q1
    assert list(solid.y) == [2, 0, 0, 0]
    assert list(hatched.y) == [0, 0, 0, 0]
    assert list(hatched.base) == list(solid.y)
    none_solid, none_hatched = fig.data[8], fig.data[9]
    assert list(none_solid.y) == [0, 0, 0, 0]
    assert list(none_hatched.y) == [1, 0, 0, 0]  # a year-only date on a quarterly chart
    assert list(solid.customdata[0]) == ["coverage", "workforce", "2023Q1", "exact"]
    assert list(hatched.customdata[3]) == ["coverage", "workforce", "2023Q4", "approximate"]


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


def test_cooccurrence_matrix_is_a_grid_of_clickable_cells(bundled, codebook):
    matrix = cooccurrence(bundled.tags)
    fig = cooccurrence_figure(matrix, codebook)
    (cells,) = fig.data
    assert cells.type == "bar"  # Streamlit reports clicks on bars, not on a heatmap
    labels = list(codebook.labels.values())
    n = len(labels)
    assert list(fig.layout.xaxis.ticktext) == labels == list(fig.layout.yaxis.ticktext)
    assert list(cells.x) == [c for _ in range(n) for c in range(n)]
    assert list(cells.base) == [n - 1 - r for r in range(n) for _ in range(n)]  # first row on top
    assert list(cells.y) == [1] * n * n and cells.width == 1
    assert [list(d) for d in cells.customdata[:2]] == [
        ["cooccurrence", "workforce", "workforce", ""],
        ["cooccurrence", "workforce", "living_wage", ""],
    ]
    assert fig.layout.yaxis.scaleanchor == "x"  # square cells
    assert fig.layout.yaxis.range == (0, n)


def shown_grid(fig) -> dict[tuple[str, str], str]:
    """(row label, column label) -> the count written in the cell drawn there, as a reader
    finds it: the row tick level with the cell's middle, the column tick under it."""
    (cells,) = fig.data
    rows = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    columns = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext, strict=True))
    return {
        (rows[base + 0.5], columns[x]): text
        for x, base, text in zip(cells.x, cells.base, cells.text, strict=True)
    }


def test_matrix_cells_show_how_many_posts_carry_both_themes(codebook):
    tags = pd.DataFrame(False, index=["p", "q", "r", "s"], columns=codebook.ids)
    tags.loc["p", ["workforce", "living_wage"]] = True
    tags.loc["q", "workforce"] = True
    tags.loc["r", ["living_wage", "health_justice"]] = True  # s has no theme
    fig = cooccurrence_figure(cooccurrence(tags), codebook)
    grid = shown_grid(fig)
    assert grid[("Workforce", "Workforce")] == "2"  # p and q: the theme's own total
    assert grid[("Workforce", "Living wage")] == grid[("Living wage", "Workforce")] == "1"  # p
    assert grid[("Living wage", "Living wage")] == "2"  # p and r
    assert grid[("Living wage", "Health justice")] == "1"  # r
    assert grid[("Health justice", "Health justice")] == "1"
    assert grid[("Workforce", "Health justice")] == "0"
    assert {grid[("Racial equity", label)] for label in codebook.labels.values()} == {"0"}
    assert len(grid) == 16
    (cells,) = fig.data
    # Each cell has its own colour, darker for more posts: Plotly reads a list of colours
    # everywhere (hover labels, text), where numbers on a colour scale made it warn per cell.
    shade = {}
    for text, colour in zip(cells.text, cells.marker.color, strict=True):
        assert re.fullmatch(r"rgb\(\d+, \d+, \d+\)", colour), colour
        shade.setdefault(int(text), set()).add(sum(map(int, re.findall(r"\d+", colour))))
    assert all(len(sums) == 1 for sums in shade.values())  # one colour per count
    darkness = [shade[n].pop() for n in sorted(shade)]
    assert darkness == sorted(darkness, reverse=True) and len(set(darkness)) == len(darkness)


def test_matrix_hover_never_names_a_theme_twice(bundled, codebook):
    (cells,) = cooccurrence_figure(cooccurrence(bundled.tags), codebook).data
    hover = list(cells.hovertext)
    assert hover[15] == "<b>Health justice</b>: 4 posts"
    assert hover[5] == "<b>Living wage</b>: 1 post"
    assert hover[1] == "<b>Workforce</b> and <b>Living wage</b>: 0 posts carrying both"
    for label in codebook.labels.values():
        assert f"<b>{label}</b> and <b>{label}</b>" not in " ".join(hover)


def test_an_empty_matrix_says_so_under_its_title(bundled, codebook, read_csv, tagger):
    fig = cooccurrence_figure(cooccurrence(bundled.tags), codebook, subtitle="All dates")
    assert fig.layout.title.subtitle.text == (
        "All dates<br>No post in view carries two themes, so every cell off the diagonal is "
        "0; the<br>diagonal counts each theme's own posts."
    )
    assert fig.layout.margin.t == 60 + 22 * 3
    posts = read_csv("id,title,summary\na,Apprentices and the living wage,s\n").posts
    together = cooccurrence(tagger.tag(posts).tags)
    assert cooccurrence_figure(together, codebook).layout.title.subtitle.text is None


def test_terms_figure(codebook):
    counts = pd.Series({f"term{n}": 20 - n for n in range(12)})
    fig = terms_figure(counts, "#0072B2", "Workforce", limit=5)
    (bar,) = fig.data
    assert list(bar.y) == ["term0", "term1", "term2", "term3", "term4"]
    assert list(bar.x) == [20, 19, 18, 17, 16]
    assert bar.marker.color == "#0072B2"
    assert fig.layout.title.text == "Workforce: terms that matched most"


def test_coverage_bars_name_their_theme_so_colour_never_carries_it_alone(corpus, codebook):
    fig = figure(corpus, codebook)
    named = {
        (text, period)
        for trace in fig.data
        if trace.text is not None
        for text, period in zip(trace.text, trace.x, strict=True)
        if text
    }
    # Every bar drawn, and only those: Workforce a and b (Q1), Racial equity c (Q3),
    # Health justice e (Q4), No theme d (a year-only date, shown in Q1); f has no date.
    assert named == {
        ("Workforce", "2023 Q1"),
        ("Racial equity", "2023 Q3"),
        ("Health justice", "2023 Q4"),
        ("No theme", "2023 Q1"),
    }
    for trace in fig.data:
        if trace.text is not None:
            assert trace.textposition == "outside"


def strings(value):
    """Every string Plotly may draw in a figure's JSON-like dict, at any depth (``customdata``
    is never drawn: it carries the raw keys a click resolves)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "customdata":
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
    assert figures[2].layout.xaxis.ticktext[0] == html.escape(payload)
    assert figures[3].data[0].y[0] == html.escape(payload)
    assert figures[3].layout.title.text == f"{html.escape(payload)}: terms that matched most"


# --- honest charts: n beside every share, axes to 100%, few posts flagged, filters in titles ---


def test_a_share_axis_ends_at_100_percent_and_gives_labels_room_above(bundled, corpus, codebook):
    for granularity in ("month", "quarter", "year"):
        table = coverage_over_time(bundled.posts, bundled.tags, granularity)
        share = coverage_figure(table, bundled.posts, codebook, granularity, "share")
        assert share.layout.yaxis.range == (0, 1)
        assert share.layout.yaxis.domain == (0, 0.7)
    # The tallest count bar, Workforce in 2023 Q1 (posts a and b), gets 45% room above it.
    assert figure(corpus, codebook, "quarter", "count").layout.yaxis.range == (0, 2 * 1.45)


def test_share_hover_gives_the_n_and_the_period_total(corpus, codebook):
    fig = figure(corpus, codebook, "quarter", "share")
    solid = fig.data[0].hovertext[0]  # Workforce, 2023 Q1: posts a and b, of 3 dated posts
    assert solid.startswith(
        "<b>Workforce</b>, 2023 Q1<br>2 posts with published dates (67% of the quarter's 3 posts)"
        "<br><i>Only 3 posts this quarter: fewer than 5, so a share here rests on very few "
        "posts</i><br>• Apprentices start"
    )
    hatched = fig.data[9].hovertext[0]  # No theme, 2023 Q1: the year-only post d
    assert hatched.startswith(
        "<b>No theme</b>, 2023 Q1<br>1 post with estimated or inferred dates "
        "(33% of the quarter's 3 posts)<br>"
    )
    empty = fig.data[0].hovertext[1]
    assert (
        empty
        == "<b>Workforce</b>, 2023 Q2<br>0 posts with published dates (the quarter has no posts)"
    )


def test_hover_gives_the_whole_bar_when_it_has_two_parts(read_csv, tagger, codebook):
    posts = read_csv(
        "id,title,summary,date,date_status\n"
        + "".join(f"p{n},Apprentices {n},s,2023-0{n}-01,published\n" for n in range(1, 5))
        + "e,Apprentices e,s,2023-02-01,estimated\nf,Other,s,2023-03-01,published\n"
    ).posts
    tags = tagger.tag(posts).tags
    table = coverage_over_time(posts, tags, "year")
    fig = coverage_figure(table, posts, codebook, "year", "share")
    assert (
        fig.data[0]
        .hovertext[0]
        .startswith(
            "<b>Workforce</b>, 2023<br>4 posts with published dates (67% of the year's 6 posts)"
            "<br>Whole bar: 5 posts (83%)<br>• Apprentices"
        )
    )
    assert "fewer than 5" not in fig.data[0].hovertext[0]
    assert fig.data[0].marker.opacity == (1.0,)  # six posts: not flagged
    assert FEW_NOTE not in [trace.name for trace in fig.data]


def test_periods_with_few_posts_are_lighter_by_share_with_a_legend_key(bundled, codebook):
    table = coverage_over_time(bundled.posts, bundled.tags, "year")  # 2, 4, 10 and 2 posts
    share = coverage_figure(table, bundled.posts, codebook, "year", "share")
    assert [trace.marker.opacity for trace in share.data[:2]] == [(0.5, 0.5, 1.0, 0.5)] * 2
    key = share.data[-1]
    assert key.name == "Lighter = fewer than 5 posts in the period"
    assert key.marker.opacity == 0.5 and key.hoverinfo == "skip"
    count = coverage_figure(table, bundled.posts, codebook, "year", "count")
    assert count.data[0].marker.opacity == 1.0
    assert FEW_NOTE not in [trace.name for trace in count.data]
    assert few_posts_note(table, "year") == (
        "Lighter bars: 3 of 4 years have fewer than 5 posts, so their shares rest on very few "
        "posts (hover a bar for its numbers)."
    )
    by_quarter = coverage_over_time(bundled.posts, bundled.tags, "quarter")
    assert few_posts_note(by_quarter, "quarter").startswith("Lighter bars: 11 of 11 quarters have")
    assert few_posts_note(by_quarter.iloc[:0], "quarter") == ""


def test_no_lighter_note_when_every_period_has_enough_posts(read_csv, tagger):
    rows = "".join(f"p{n},Post {n},s,2023-01-0{n + 1}\n" for n in range(5))
    posts = read_csv("id,title,summary,date\n" + rows).posts
    table = coverage_over_time(posts, tagger.tag(posts).tags, "month")
    assert few_posts_note(table, "month") == ""
    table = coverage_over_time(posts.iloc[:4], tagger.tag(posts.iloc[:4]).tags, "month")
    assert few_posts_note(table, "month").startswith("Lighter bars: 1 of 1 month has fewer")


def test_totals_say_n_of_all_posts_and_carry_their_marks(bundled, codebook):
    fig = totals_figure(theme_totals(bundled.tags, codebook), subtitle="All dates · machine tags")
    (bar,) = fig.data
    assert list(bar.hovertext) == [
        "<b>Workforce</b><br>3 of 18 posts (17%)",
        "<b>Living wage</b><br>1 of 18 posts (6%)",
        "<b>Racial equity</b><br>1 of 18 posts (6%)",
        "<b>Health justice</b><br>4 of 18 posts (22%)",
        "<b>No theme</b><br>9 of 18 posts (50%)",
    ]
    assert [list(d) for d in bar.customdata] == [
        ["totals", series, "", ""] for series in [*codebook.ids, "none"]
    ]
    assert fig.layout.title.text == "Posts per theme"  # the dates are in the subtitle
    assert fig.layout.title.subtitle.text == "All dates · machine tags"
    one = totals_figure(theme_totals(bundled.tags.iloc[:1], codebook))
    assert one.data[0].hovertext[-1] == "<b>No theme</b><br>1 of 1 post (100%)"
    given = totals_figure(theme_totals(bundled.tags, codebook), total=36)
    assert given.data[0].hovertext[0] == "<b>Workforce</b><br>3 of 36 posts (8%)"


def test_term_bars_carry_their_marks_and_say_post_or_posts(codebook):
    counts = pd.Series({"workforce": 2, "apprentice*": 1})
    fig = terms_figure(counts, "#0072B2", "Workforce", theme_id="workforce", subtitle="x")
    (bar,) = fig.data
    assert [list(d) for d in bar.customdata] == [
        ["terms", "workforce", "workforce", ""],
        ["terms", "workforce", "apprentice*", ""],
    ]
    assert list(bar.hovertext) == [
        "<b>workforce</b><br>matched in 2 posts",
        "<b>apprentice*</b><br>matched in 1 post",
    ]
    assert fig.layout.title.subtitle.text == "x"


def test_untrusted_labels_terms_and_search_are_escaped_for_plotly(codebook):
    from dataclasses import replace

    hostile = "<a href='https://evil.example'>Work</a>"
    theme = replace(codebook.themes[0], label=hostile)
    book = replace(codebook, themes=(theme, *codebook.themes[1:]))
    escaped = "&lt;a href='https://evil.example'&gt;Work&lt;/a&gt;"
    fig = terms_figure(pd.Series({"<b>x</b>": 1}), "#0072B2", hostile, theme_id=theme.id)
    assert fig.layout.title.text == f"{escaped}: terms that matched most"
    assert list(fig.data[0].y) == ["&lt;b&gt;x&lt;/b&gt;"]
    tags = pd.DataFrame({t: [True] for t in book.ids})
    (bar,) = totals_figure(theme_totals(tags, book)).data
    assert bar.y[0] == escaped and "<a" not in bar.hovertext[0]
    (cells,) = cooccurrence_figure(cooccurrence(tags), book).data
    assert "<a" not in " ".join(cells.hovertext)
    subtitle = filters_in_force(Filters(search="<img src=x>"), book)
    assert (
        "&lt;img src=x&gt;"
        in totals_figure(theme_totals(tags, book), subtitle).layout.title.subtitle.text
    )


@pytest.mark.parametrize(
    ("filters", "tag_mode", "themes", "expected"),
    [
        (None, "machine", True, "All themes · all dates · machine tags"),
        (Filters(), "reviewed", False, "All dates · reviewed tags"),
        (
            Filters(
                themes=("workforce", "none"),
                start=dt.date(2023, 1, 1),
                end=dt.date(2024, 3, 31),
                search="  nhs   jobs ",
                include_undated=False,
            ),
            "reviewed",
            True,
            "Workforce, No theme · Jan 2023 – Mar 2024 · undated posts left out · "
            "search “nhs jobs” · reviewed tags",
        ),
        (Filters(themes=()), "machine", True, "No theme chosen · all dates · machine tags"),
        (Filters(start=dt.date(2022, 5, 16)), "machine", False, "From 16 May 2022 · machine tags"),
        (Filters(end=dt.date(2022, 12, 16)), "machine", False, "To 16 Dec 2022 · machine tags"),
        (Filters(end=dt.date(2022, 12, 31)), "machine", False, "To Dec 2022 · machine tags"),
        (
            Filters(search="x" * 50),
            "machine",
            False,
            "All dates · search “" + "x" * 39 + "…” · machine tags",
        ),
    ],
)
def test_filters_in_force(codebook, filters, tag_mode, themes, expected):
    assert filters_in_force(filters, codebook, tag_mode, themes=themes) == expected


def test_filters_in_force_says_when_the_codebook_is_edited(codebook):
    from analysis.whatif import add_terms

    edited = add_terms(codebook, "workforce", ["local economies"])
    assert filters_in_force(None, edited) == (
        "All themes · all dates · machine tags · edited codebook (What if?)"
    )


def test_titles_keep_their_text_and_state_the_filters_beneath(corpus, codebook):
    posts, tags = corpus
    table = coverage_over_time(posts, tags, "quarter")
    plain = coverage_figure(table, posts, codebook)
    assert plain.layout.title.text == "Posts per theme per quarter"
    assert plain.layout.title.subtitle.text is None and plain.layout.margin.t == 60
    with_filters = coverage_figure(table, posts, codebook, subtitle="Workforce · all dates")
    assert with_filters.layout.title.text == "Posts per theme per quarter"
    assert with_filters.layout.title.subtitle.text == "Workforce · all dates"
    assert with_filters.layout.margin.t == 82


def test_chart_text_separates_thousands_and_says_a_tiny_share_is_not_nothing(many_posts, codebook):
    posts, tags = many_posts
    (bar,) = totals_figure(theme_totals(tags, codebook)).data
    assert list(bar.x) == [71, 0, 0, 56_716, 43_213]  # the data: plain numbers
    assert list(bar.text) == ["71 (<1%)", "0 (0%)", "0 (0%)", "56,716 (57%)", "43,213 (43%)"]
    assert bar.hovertext[0] == "<b>Workforce</b><br>71 of 100,000 posts (<1%)"
    assert bar.hovertext[3] == "<b>Health justice</b><br>56,716 of 100,000 posts (57%)"
    fig = coverage_figure(
        coverage_over_time(posts, tags, "quarter"), posts, codebook, "quarter", "count"
    )
    workforce, health = fig.data[0], fig.data[6]
    assert list(workforce.y) == [0, 71] and list(health.y) == [1_000, 55_716]
    assert workforce.hovertext[1].startswith(
        "<b>Workforce</b>, 2023 Q2<br>71 posts with published dates "
        "(<1% of the quarter's 99,000 posts)<br>• A post (1 May 2023)"
    )
    assert health.hovertext[1].startswith(
        "<b>Health justice</b>, 2023 Q2<br>55,716 posts with published dates "
        "(56% of the quarter's 99,000 posts)"
    )
    assert health.hovertext[1].endswith("<br>… and 55,704 more")
