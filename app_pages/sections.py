"""The Overview page's sections: headline figures, the three charts (each with its clicked
posts, data table and downloads), the findings in words and the data checks."""

from __future__ import annotations

import streamlit as st

from analysis.codebook import Codebook
from analysis.coverage import (
    GRANULARITIES,
    MEASURES,
    Headline,
    cooccurrence,
    cooccurrence_pairs,
    coverage_over_time,
    date_note,
    theme_totals,
)
from analysis.datachecks import Finding
from analysis.figures import (
    cooccurrence_figure,
    coverage_figure,
    date_range,
    few_posts_note,
    filters_in_force,
    totals_figure,
)
from analysis.filenames import filename
from analysis.filters import chosen_series
from analysis.findings import cooccurrence_note
from analysis.formatting import count, month_range
from analysis.selection import COOCCURRENCE, COVERAGE, TOTALS, Drawn
from analysis.tables import cooccurrence_pairs_table, coverage_table, totals_table
from app_pages import charts, clicks, notices
from app_pages.text import md, safe
from app_pages.view import View, setting

#: Presenting, a chart is this tall: the findings and the controls above it, its legend
#: below, all in view on a 1280×720 shared screen.
PRESENT_HEIGHT = 400


def headline_metrics(figures: Headline, codebook: Codebook) -> None:
    """The headline figures: posts, dates, posts with no theme, and each theme's count."""
    cols = st.columns([1, 1, 2, 1])
    cols[0].metric("Posts", safe(figures.posts), help="Posts in the date range and search.")
    cols[1].metric(
        "Dated posts",
        safe(figures.dated),
        help=md(
            "{} published, {} inferred, {} estimated.",
            figures.published_dates,
            figures.inferred_dates,
            figures.estimated_dates,
        ),
    )
    cols[2].metric("Date range", safe(month_range(figures.first, figures.last) or "No dates"))
    cols[3].metric("Posts with no theme", safe(figures.untagged))
    for col, theme in zip(st.columns(len(codebook.themes)), codebook.themes, strict=True):
        col.metric(
            safe(theme.label),
            safe(count(figures.per_theme[theme.id])),
            f"{figures.share(theme.id):.0%} of posts",  # a numeric spec: the text guard trusts it
            delta_color="off",
            delta_arrow="off",
        )


def coverage_section(view: View, drawn: Drawn) -> None:
    """Coverage over time: period and measure, the chart, its posts, its table and downloads."""
    posts, tags, codebook = view.posts, view.tags, view.corpus.codebook
    left, right = st.columns([2, 1])
    setting("measure")
    labels = "collapsed" if view.presenting else "visible"  # the options speak for themselves
    granularity = left.segmented_control(
        "Period",
        GRANULARITIES,
        required=True,
        format_func=str.capitalize,
        key="granularity",
        label_visibility=labels,
        persist_state="session",  # kept while another page is shown
    )
    measure = right.segmented_control(
        "Measure",
        MEASURES,
        required=True,
        format_func={"count": "Number of posts", "share": "Share of posts"}.get,
        key="measure",
        label_visibility=labels,
        persist_state="session",
    )
    series = chosen_series(tags, view.filters.themes)
    if not series:
        notices.empty_state("for no theme: choose at least one theme")
        return
    table = coverage_over_time(posts, tags, granularity, series)
    name = filename("coverage", *series, granularity, measure, ext="csv").removesuffix(".csv")
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode)
    figure = coverage_figure(table, posts, codebook, granularity, measure, subtitle=subtitle)
    points = clicks.chart(figure, "coverage", name, present_height=PRESENT_HEIGHT)
    listed = st.container()
    few = few_posts_note(table, granularity) if measure == "share" else ""
    st.caption(
        safe(" ".join(part for part in (few, date_note(posts, granularity)) if part))
        + " Click a bar, or select rows of the table below, to list their posts."
    )
    with st.expander("Data behind this chart, and downloads"):
        data = coverage_table(table, codebook)
        points += clicks.table(data, "coverage", COVERAGE, table)
        charts.downloads(data, figure, name)
    with listed:
        clicks.show(points, drawn, "coverage", view.presenting)


def totals_section(view: View, drawn: Drawn) -> None:
    """Posts per theme: the chart, its posts, its table and downloads."""
    posts, tags, codebook = view.posts, view.tags, view.corpus.codebook
    totals = theme_totals(tags, codebook)
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode, themes=False)
    figure = totals_figure(totals, subtitle=subtitle, total=len(posts))
    points = clicks.chart(figure, "totals", "anchor-themes-totals", present_height=PRESENT_HEIGHT)
    listed = st.container()
    st.caption("Click a bar, or select rows of the table below, to list its posts.")
    with st.expander("Data behind this chart, and downloads"):
        data = totals_table(totals, total=len(posts))
        points += clicks.table(data, "totals", TOTALS, totals)
        charts.downloads(data, figure, "anchor-themes-totals")
    with listed:
        clicks.show(points, drawn, "totals", view.presenting)


def together_section(view: View, drawn: Drawn) -> None:
    """Themes together: the co-occurrence chart, its posts, its table and downloads."""
    tags, codebook = view.tags, view.corpus.codebook
    matrix = cooccurrence(tags)
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode, themes=False)
    figure = cooccurrence_figure(matrix, codebook, subtitle=subtitle)
    points = clicks.chart(
        figure, "cooccurrence", "anchor-themes-co-occurrence", present_height=PRESENT_HEIGHT
    )
    listed = st.container()
    note = cooccurrence_note(matrix)  # also under the chart's title, for its image
    st.caption(
        safe(note + " " if note else "")
        + "Click a cell, or select rows of the table below, to list the posts that carry "
        "both themes."
    )
    with st.expander("Data behind this chart, and downloads"):
        pairs = cooccurrence_pairs(matrix)
        data = cooccurrence_pairs_table(pairs, codebook)
        points += clicks.table(data, "cooccurrence", COOCCURRENCE, pairs)
        charts.downloads(data, figure, "anchor-themes-co-occurrence")
    with listed:
        clicks.show(points, drawn, "cooccurrence", view.presenting)


#: The charts, by their setting's value (presentation mode shows one at a time).
CHARTS = {
    "coverage": ("Coverage over time", coverage_section),
    "totals": ("Posts per theme", totals_section),
    "together": ("Themes together", together_section),
}


def data_checks(findings: list[Finding]) -> None:
    """What the data checks found in the posts file (:mod:`analysis.datachecks`), row by row."""
    if not findings:
        st.success("No problems found in the posts file.")
    for finding in findings:
        with st.expander(safe(finding.message)):
            st.dataframe(
                {"Row": finding.rows, "Title": finding.titles},
                hide_index=True,
            )


def said_here(sentences: list[str]) -> None:
    """The findings in words, one paragraph (escaped: theme labels come from the codebook)."""
    with st.container(key="findings"):
        st.markdown(safe(" ".join(sentences)))


def themes_heading(filters) -> str:
    """The heading over the charts of every date in view: it names the date filter in force."""
    if filters.start is None and filters.end is None:
        return "Themes across all dates"
    return f"Themes, {date_range(filters.start, filters.end)}"
