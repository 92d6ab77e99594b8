"""Overview: headline figures, coverage over time, theme totals, co-occurrence, data quality."""

import streamlit as st

from analysis.coverage import (
    GRANULARITIES,
    MEASURES,
    cooccurrence,
    coverage_over_time,
    date_note,
    headline,
    headline_sentence,
    theme_totals,
)
from analysis.exports import filename
from analysis.figures import cooccurrence_figure, coverage_figure, totals_figure
from analysis.filters import chosen_series
from analysis.formatting import count, month_range
from analysis.tables import cooccurrence_table, coverage_table, totals_table
from app_pages import shared
from app_pages.text import md, safe


def render() -> None:
    view = shared.view()
    corpus, codebook = view.corpus, view.corpus.codebook
    posts, tags = view.posts, view.tags

    if not view.presenting:
        st.title("Overview")
        st.caption(
            md(
                "{} · tagged with codebook {} · dates are marked where they are estimated or "
                "inferred",
                corpus.name,
                codebook.version,
            )
        )
    shared.mode_badge(view)

    if posts.empty:
        shared.empty_state("in this date range and search")
        return

    figures = headline(posts, tags)
    if not view.presenting:
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
                f"{figures.share(theme.id):.0%} of posts",
                delta_color="off",
                delta_arrow="off",
            )

    def coverage_section() -> None:
        left, right = st.columns([2, 1])
        shared.setting("granularity", "quarter")
        shared.setting("measure", "count")
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
            shared.empty_state("for no theme: choose at least one theme")
            return
        table = coverage_over_time(posts, tags, granularity, series)
        name = filename("coverage", *series, granularity, measure, ext="csv").removesuffix(".csv")
        figure = coverage_figure(table, posts, codebook, granularity, measure)
        shared.clickable_chart(figure, "coverage", name, view)
        st.caption(safe(date_note(posts, granularity)) + " Click a bar to list its posts.")
        with st.expander("Data behind this chart, and downloads"):
            data = coverage_table(table, codebook)
            st.dataframe(data, hide_index=True)
            shared.downloads(data, figure, name)

    def totals_section() -> None:
        totals = theme_totals(tags, codebook)
        figure = totals_figure(totals)
        shared.chart(figure, key="totals", filename="anchor-themes-totals")
        with st.expander("Data behind this chart, and downloads"):
            data = totals_table(totals)
            st.dataframe(data, hide_index=True)
            shared.downloads(data, figure, "anchor-themes-totals")

    def together_section() -> None:
        matrix = cooccurrence(tags)
        figure = cooccurrence_figure(matrix, codebook)
        shared.clickable_chart(figure, "cooccurrence", "anchor-themes-co-occurrence", view)
        st.caption("Click a cell to list the posts that carry both themes.")
        with st.expander("Data behind this chart, and downloads"):
            data = cooccurrence_table(matrix, codebook)
            st.dataframe(data, hide_index=True)
            shared.downloads(data, figure, "anchor-themes-co-occurrence")

    SECTIONS = {
        "coverage": ("Coverage over time", coverage_section),
        "totals": ("Posts per theme", totals_section),
        "together": ("Themes together", together_section),
    }

    if view.presenting:
        st.subheader(safe(headline_sentence(figures, codebook.labels)), anchor=False)
        shared.setting("chart", "coverage")
        chart = st.segmented_control(
            "Chart",
            list(SECTIONS),
            required=True,
            format_func=lambda key: SECTIONS[key][0],
            key="chart",
            label_visibility="collapsed",
            persist_state="session",
        )
        SECTIONS[chart][1]()
        return

    st.header("Coverage over time")
    coverage_section()
    st.header("Themes across all dates")
    left, right = st.columns(2)
    with left:
        totals_section()
    with right:
        together_section()

    st.header("Data quality")
    if not corpus.findings:
        st.success("No problems found in the posts file.")
    for finding in corpus.findings:
        with st.expander(safe(finding.message)):
            st.dataframe(
                {"Row": finding.rows, "Title": finding.titles},
                hide_index=True,
            )


render()
