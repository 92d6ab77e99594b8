"""What the view reports: tagging quality against human labels, the export of the view on
screen (every posts and coverage download), and the one-click report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import provenance
from analysis.codebook import NO_THEME
from analysis.explain import reviewed_evidence
from analysis.filenames import report_filename, view_filename
from analysis.filters import Filters
from analysis.loading import BUNDLED_POSTS
from analysis.metrics import QualityReport, quality_report
from analysis.viewstate import DEFAULTS
from app_pages import review_access
from app_pages.view import View

#: The MIME type of an XLSX download.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tagging_quality(
    view: View, labels: pd.DataFrame | None = None, machine: bool = False
) -> QualityReport | None:
    """Tagging quality of the view's tags (or the machine's, with ``machine``) against
    ``labels``, else the labels that came with the posts shown (:attr:`View.labels`); None
    when there are no labels to compare with."""
    # Labels code the file's themes: a theme added in a what-if has none to compare with.
    codebook = view.base_corpus.codebook
    if labels is None:
        labels = view.labels
    if labels is None:
        return None
    corpus = view.corpus
    tags = corpus.tags if machine else view.all_tags
    evidence = corpus.result.evidence
    if not machine and view.tag_mode == "reviewed":  # "added by Asha", not "no term matched"
        evidence = reviewed_evidence(corpus.posts, corpus.tags, evidence, view.decisions)
    return quality_report(corpus.posts, tags, evidence, labels, codebook)


def _review_rounds() -> dict:
    """The review log and its rounds, for the report's agreement between reviewers."""
    store = review_access.review_store()
    return {"review_history": store.history(), "review_rounds": store.rounds()}


def report_button(view: View) -> None:
    """The one-click report: one HTML file for the view on screen (filters, tag mode, and the
    coverage chart's period and measure, as the exports take them), with the review log's
    comments on the posts in view; built on click, as ``python -m analysis report`` builds
    it with the same view options."""
    corpus = view.corpus
    chosen = follow_period()  # read on click: the Overview's fragment keeps it current

    def report() -> str:
        from analysis.report import build_report  # Jinja2 and the report's styles: on click

        shown = export_view(view, chosen["period"], chosen["measure"])
        return build_report(
            corpus,
            view.all_tags,
            filters=shown.filters,
            tag_mode=shown.tag_mode,
            quality=tagging_quality(view, machine=True),
            period=shown.period,
            measure=shown.measure,
            **_review_rounds(),
        )

    st.sidebar.download_button(
        "Download report",
        report,
        file_name=report_filename("" if corpus.bundled else corpus.name),
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        type="primary",
        width="stretch",
        help="One self-contained HTML file (opens offline, prints to PDF): method, charts, "
        "posts by theme, tagging quality, review comments and data notes, for the view on "
        "screen.",
    )


#: Session key of the period and measure the report is built with (:func:`follow_period`).
CHOSEN_PERIOD = "_report_period"


def follow_period() -> dict:
    """The period and measure chosen under Overview's coverage chart, in a dict the report
    button reads when clicked. A period change reruns only the Overview's fragment, not the
    sidebar's button, so the fragment calls this too and the same dict follows."""
    state = st.session_state
    chosen = state.setdefault(CHOSEN_PERIOD, {})
    chosen["period"] = state.get("granularity", DEFAULTS["granularity"])
    chosen["measure"] = state.get("measure", DEFAULTS["measure"])
    return chosen


def export_view(view: View, period: str | None = None, measure: str | None = None):
    """The view on screen as an export describes it (:class:`analysis.provenance.View`):
    the sidebar's filters, the tag mode, and the period and measure chosen under Overview's
    coverage chart (``period`` and ``measure`` when given, else the session's, else the
    defaults). Chosen themes go in codebook order, as ``python -m analysis export
    --themes`` puts them, whatever order they were picked in."""
    filters = view.filters
    if filters.themes is not None:
        order = [*view.corpus.codebook.ids, NO_THEME]
        filters = Filters(
            themes=tuple(t for t in order if t in filters.themes),
            start=filters.start,
            end=filters.end,
            search=filters.search,
            include_undated=filters.include_undated,
        )
    state = st.session_state
    return provenance.View(
        filters,
        period or state.get("granularity", DEFAULTS["granularity"]),
        measure or state.get("measure", DEFAULTS["measure"]),
        view.tag_mode,
    )


def data_file(view: View) -> str:
    """The posts file's name as an export states it (``posts.csv`` for the bundled posts)."""
    corpus = view.corpus
    return (
        BUNDLED_POSTS.name
        if corpus.bundled
        else str(corpus.name).replace("\\", "/").rsplit("/", 1)[-1]
    )


def view_export(view: View, shown) -> object:
    """The export of ``shown`` (:func:`export_view`) over the view's posts: what
    ``python -m analysis export`` writes for the same view (see :mod:`analysis.view_export`).
    Called when a download is clicked, not on every run."""
    from analysis.view_export import view_export as export

    return export(
        view.corpus,
        shown,
        current=view.decisions,
        quality=tagging_quality(view, machine=True),
        data_file=data_file(view),
    )


def export_file(view: View, shown, kind: str, ext: str) -> dict:
    """A download button's file (``st.download_button`` keywords): the export of ``shown``
    as ``ext`` ("csv": the ``kind`` table, "posts" or "coverage"; "xlsx": the workbook),
    named for the view, built when the button is clicked."""

    def data() -> bytes:
        export = view_export(view, shown)
        if ext == "xlsx":
            return export.xlsx()
        return export.coverage_csv() if kind == "coverage" else export.posts_csv()

    return {
        "data": data,
        "file_name": view_filename(kind, shown, ext),
        "mime": XLSX if ext == "xlsx" else "text/csv",
        "on_click": "ignore",
    }
