"""The Overview page's sections: headline figures, the three charts (each with its clicked
posts, data table and downloads), the findings in words and the data checks."""

from __future__ import annotations

import contextlib

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
    headline,
    headline_sentence,
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
from analysis.findings import cooccurrence_note, findings
from analysis.formatting import count, month_range, number, percent
from analysis.selection import COOCCURRENCE, COVERAGE, TOTALS, Drawn
from analysis.tables import cooccurrence_pairs_table, coverage_table, totals_table
from app_pages import charts, clicks, links, memo, notices, reporting
from app_pages.text import md, safe
from app_pages.view import View, setting

#: The label of the expander under each chart that holds its data table and downloads.
CHART_DATA = "Data behind this chart, and downloads"

#: Presenting, a chart is this tall: the findings and the controls above it, its legend
#: below, all in view on a 1280×720 shared screen.
PRESENT_HEIGHT = 400


def headline_metrics(figures: Headline, codebook: Codebook) -> None:
    """The headline figures: posts, dates, posts with no theme, and each theme's count."""
    cols = st.columns([1, 1, 2, 1])
    cols[0].metric("Posts", safe(number(figures.posts)), help="Posts in the date range and search.")
    cols[1].metric(
        "Dated posts",
        safe(number(figures.dated)),
        help=md(
            "{} published, {} inferred, {} estimated.",
            number(figures.published_dates),
            number(figures.inferred_dates),
            number(figures.estimated_dates),
        ),
    )
    cols[2].metric("Date range", safe(month_range(figures.first, figures.last) or "No dates"))
    cols[3].metric("Posts with no theme", safe(number(figures.untagged)))
    for col, theme in zip(st.columns(len(codebook.themes)), codebook.themes, strict=True):
        col.metric(
            safe(theme.label),
            safe(count(figures.per_theme[theme.id])),
            md("{} of posts", percent(figures.share(theme.id))),
            delta_color="off",
            delta_arrow="off",
        )


def behind(chart: str):
    """The expander under chart ``chart`` that holds its data table and downloads, or None
    while it is closed: what it holds is drawn only once opened (each table and download
    button sends its JavaScript with the page, slowing the first chart's paint)."""
    box = st.expander(CHART_DATA, key=data_key(chart), on_change="rerun")
    return box if box.open else None


def data_key(chart: str) -> str:
    """The session key of chart ``chart``'s data expander (True while it is open)."""
    return f"{chart}-data"


#: The key of :func:`period_part`, the fragment a period or measure change reruns alone.
PERIOD_PART = "overview-period"


def _view_changed() -> None:
    """A period, measure or (presenting) chart changed: :func:`period_part`, a fragment,
    reruns alone and writes the address bar itself. While the sidebar's link box is open it
    reruns too, so the link to copy follows; the rest of the app (sidebar, data, the other
    charts) does not."""
    from streamlit.errors import StreamlitAPIException

    if links.link_box_open():
        # Not drawn as fragments (an AppTest run, or before the first run): the app reruns.
        with contextlib.suppress(StreamlitAPIException):
            st.rerun(scope=[PERIOD_PART, links.LINK_BOX])


@st.fragment(key=PERIOD_PART)
def period_part(view: View, drawn: Drawn) -> None:
    """What follows the period and measure on the Overview: the findings in words (their
    gaps are counted per period), the headline figures and the coverage chart; presenting,
    the headline, the findings and the one chart shown. A fragment, so a period or measure
    change (or a click on the chart) reruns this part only."""
    try:
        _period_part(view, drawn)
    finally:  # rerun alone, it keeps what else shows the period current itself
        reporting.follow_period()
        links.write_url()


def _period_part(view: View, drawn: Drawn) -> None:
    clicks.start()
    said, figures = summary(view, setting("granularity"))
    if view.presenting:
        st.subheader(safe(headline_sentence(figures, view.corpus.codebook.labels)), anchor=False)
        said_here(said)
        setting("chart")
        chart = st.segmented_control(
            "Chart",
            list(CHARTS),
            required=True,
            format_func=lambda key: CHARTS[key][0],
            key="chart",
            label_visibility="collapsed",
            persist_state="session",
            on_change=_view_changed,
        )
        CHARTS[chart][1](view, drawn)
        return
    said_here(said)
    headline_metrics(figures, view.corpus.codebook)
    st.header("Coverage over time")
    coverage_section(view, drawn)


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
        on_change=_view_changed,
    )
    measure = right.segmented_control(
        "Measure",
        MEASURES,
        required=True,
        format_func={"count": "Number of posts", "share": "Share of posts"}.get,
        key="measure",
        label_visibility=labels,
        persist_state="session",
        on_change=_view_changed,
    )
    series = chosen_series(tags, view.filters.themes)
    if not series:
        notices.empty_state("for no theme: choose at least one theme")
        return
    name = filename("coverage", *series, granularity, measure, ext="csv").removesuffix(".csv")
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode)
    table, figure, note = _coverage(
        posts, tags, memo.view_key(view), codebook, granularity, measure, tuple(series), subtitle
    )
    points = clicks.chart(figure, "coverage", name, present_height=PRESENT_HEIGHT)
    listed = st.container()
    st.caption(safe(note) + " Click a bar, or select rows of the table below, to list their posts.")
    if (box := behind("coverage")) is not None:
        with box:
            data = coverage_table(table, codebook)
            points += clicks.table(data, "coverage", COVERAGE, table)
            charts.downloads(data, figure, name, _coverage_export(view, granularity, measure))
    with listed:
        clicks.show(points, drawn, "coverage", view.presenting)


def _coverage_export(view: View, granularity: str, measure: str):
    """The coverage chart's data buttons: the export of the view on screen with this period
    and measure (:func:`app_pages.reporting.export_view`), its coverage table as CSV and the
    whole workbook as XLSX, named for the view and built on click."""
    from app_pages import reporting

    shown = reporting.export_view(view, granularity, measure)

    def buttons(csv_column, xlsx_column) -> None:
        csv_column.download_button(
            "Data (CSV)", **reporting.export_file(view, shown, "coverage", "csv"),
            icon=":material/download:", key="coverage-csv",
        )  # fmt: skip
        xlsx_column.download_button(
            "Data (XLSX)", **reporting.export_file(view, shown, "coverage", "xlsx"),
            icon=":material/table_view:", key="coverage-xlsx",
        )  # fmt: skip

    return buttons


def totals_section(view: View, drawn: Drawn) -> None:
    """Posts per theme: the chart, its posts, its table and downloads."""
    posts, tags, codebook = view.posts, view.tags, view.corpus.codebook
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode, themes=False)
    totals, figure = _totals(tags, memo.view_key(view), codebook, subtitle, len(posts))
    points = clicks.chart(figure, "totals", "anchor-themes-totals", present_height=PRESENT_HEIGHT)
    listed = st.container()
    st.caption("Click a bar, or select rows of the table below, to list its posts.")
    if (box := behind("totals")) is not None:
        with box:
            data = totals_table(totals, total=len(posts))
            points += clicks.table(data, "totals", TOTALS, totals)
            charts.downloads(data, figure, "anchor-themes-totals")
    with listed:
        clicks.show(points, drawn, "totals", view.presenting)


def together_section(view: View, drawn: Drawn) -> None:
    """Themes together: the co-occurrence chart, its posts, its table and downloads."""
    tags, codebook = view.tags, view.corpus.codebook
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode, themes=False)
    matrix, figure, note = _together(tags, memo.view_key(view), codebook, subtitle)
    points = clicks.chart(
        figure, "cooccurrence", "anchor-themes-co-occurrence", present_height=PRESENT_HEIGHT
    )
    listed = st.container()
    st.caption(
        safe(note + " " if note else "")
        + "Click a cell, or select rows of the table below, to list the posts that carry "
        "both themes."
    )
    if (box := behind("cooccurrence")) is not None:
        with box:
            pairs = cooccurrence_pairs(matrix)
            data = cooccurrence_pairs_table(pairs, codebook)
            points += clicks.table(data, "cooccurrence", COOCCURRENCE, pairs)
            charts.downloads(data, figure, "anchor-themes-co-occurrence")
    with listed:
        clicks.show(points, drawn, "cooccurrence", view.presenting)


# What a rerun would build again unchanged is built once per view (issue 12): the frames
# and the codebook go unhashed, named by ``key`` (:func:`app_pages.memo.view_key`); the
# figures are shared by every session and never changed in place (app_pages.charts draws an
# adapted copy).


@st.cache_resource(show_spinner=False, max_entries=32)
def _coverage(_posts, _tags, key, _codebook, granularity, measure, series, subtitle):
    """The coverage table, its figure and the note under it."""
    table = coverage_over_time(_posts, _tags, granularity, list(series))
    figure = coverage_figure(table, _posts, _codebook, granularity, measure, subtitle=subtitle)
    few = few_posts_note(table, granularity) if measure == "share" else ""
    note = " ".join(part for part in (few, date_note(_posts, granularity)) if part)
    return table, figure, note


@st.cache_resource(show_spinner=False, max_entries=32)
def _totals(_tags, key, _codebook, subtitle, total):
    """Each theme's number of posts, and its figure."""
    totals = theme_totals(_tags, _codebook)
    return totals, totals_figure(totals, subtitle=subtitle, total=total)


@st.cache_resource(show_spinner=False, max_entries=32)
def _together(_tags, key, _codebook, subtitle):
    """The co-occurrence matrix, its figure and the note under it (also under the chart's
    title, for its image)."""
    matrix = cooccurrence(_tags)
    return (
        matrix,
        cooccurrence_figure(matrix, _codebook, subtitle=subtitle),
        cooccurrence_note(matrix),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def _summary(_posts, _tags, key, _codebook, granularity, themes):
    return findings(_posts, _tags, _codebook, granularity, themes), headline(_posts, _tags)


def summary(view: View, granularity: str) -> tuple[list[str], Headline]:
    """The findings in words (:func:`analysis.findings.findings`) and the headline figures
    of the view, built once per view and period."""
    posts, tags, codebook = view.posts, view.tags, view.corpus.codebook
    themes = view.filters.themes
    return _summary(posts, tags, memo.view_key(view), codebook, granularity, themes)


#: The charts, by their setting's value (presentation mode shows one at a time).
CHARTS = {
    "coverage": ("Coverage over time", coverage_section),
    "totals": ("Posts per theme", totals_section),
    "together": ("Themes together", together_section),
}


#: Session key of the Overview's choice of chart under its coverage chart (:func:`theme_charts`).
THEME_CHART = "theme_chart"


def theme_charts(view: View, drawn: Drawn) -> None:
    """Posts per theme or Themes together, below the coverage chart, chosen with buttons
    above them: only the chosen chart is drawn (each chart drawn at once put about 0.05 s on
    a fresh browser's first chart, issue 12), at the page's full width.

    Buttons, not ``st.tabs(..., on_change="rerun")`` (tried first): with stateful tabs,
    choosing one, visiting another page and coming back lost the sidebar's Tags choice now
    and then (``KeyError: None``; 2 runs in 6 of ``tests/browser/test_viewstate.py``). The
    buttons keep their choice across pages as the period does."""
    setting(THEME_CHART, "totals")
    chart = st.segmented_control(
        "Chart",
        ("totals", "together"),
        required=True,
        format_func=lambda key: CHARTS[key][0],
        key=THEME_CHART,
        label_visibility="collapsed",
        persist_state="session",  # kept while another page is shown
    )
    CHARTS[chart][1](view, drawn)


def data_checks(findings: list[Finding]) -> None:
    """What the data checks found in the posts file (:mod:`analysis.datachecks`), row by row."""
    if not findings:
        st.success("No problems found in the posts file.")
    for position, finding in enumerate(findings):
        box = st.expander(safe(finding.message), key=f"check-{position}", on_change="rerun")
        if box.open:  # the rows are drawn once opened, not with the first chart
            with box:
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
