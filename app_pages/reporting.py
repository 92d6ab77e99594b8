"""What the view reports: tagging quality against human labels, and the one-click report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explain import reviewed_evidence
from analysis.filenames import report_filename
from analysis.metrics import QualityReport, quality_report
from analysis.report import build_report
from app_pages import review_access
from app_pages.view import View


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
    """The one-click report: one HTML file for the current filters and tag mode, built on click."""
    corpus = view.corpus
    st.sidebar.download_button(
        "Download report",
        lambda: build_report(
            corpus,
            view.all_tags,
            filters=view.filters,
            tag_mode=view.tag_mode,
            quality=tagging_quality(view, machine=True),
            **_review_rounds(),
        ),
        file_name=report_filename("" if corpus.bundled else corpus.name),
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        type="primary",
        width="stretch",
        help="One self-contained HTML file (opens offline, prints to PDF): method, charts, "
        "posts by theme, tagging quality and data notes, for the filters and tags in use.",
    )
