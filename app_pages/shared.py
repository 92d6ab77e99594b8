"""Streamlit glue shared by the pages: the cached corpus, the sidebar, the review store.

Thin by design: every number, label and figure comes from :mod:`analysis`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.codebook import BUNDLED_CODEBOOK, Codebook, CodebookError, parse_codebook
from analysis.corpus import Corpus, open_corpus
from analysis.coverage import NO_THEME
from analysis.exports import csv_bytes
from analysis.filters import Filters, in_view, with_themes
from analysis.images import figure_image, find_browser
from analysis.loading import BUNDLED_POSTS, LoadError
from analysis.metrics import QualityReport, load_labels, quality_report
from analysis.report import build_report, report_filename
from analysis.review import ReviewStore, configured_passcode, default_database_url, reviewed_tags

BUNDLED_NAME = "HALN blog posts (data/posts.csv)"
TAG_MODES = {"machine": "Machine tags", "reviewed": "Reviewed tags"}
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "anchor-themes"},
}


@dataclass(frozen=True)
class View:
    """The corpus and what the sidebar chose.

    ``all_tags`` are the tags in the chosen mode (machine, or reviewed: machine unless a
    human decided otherwise) for every post; ``visible`` marks posts in the date range and
    search, ``listed`` those of them with a chosen theme.
    """

    corpus: Corpus
    filters: Filters
    tag_mode: str
    all_tags: pd.DataFrame
    decisions: pd.DataFrame
    visible: pd.Series
    listed: pd.Series

    @property
    def posts(self) -> pd.DataFrame:
        return self.corpus.posts[self.visible]

    @property
    def tags(self) -> pd.DataFrame:
        return self.all_tags[self.visible]

    @property
    def listed_posts(self) -> pd.DataFrame:
        return self.corpus.posts[self.listed]

    @property
    def mode_label(self) -> str:
        return TAG_MODES[self.tag_mode]


@st.cache_resource(show_spinner="Tagging posts…", max_entries=8)
def _open(posts: bytes | None, posts_name: str, codebook: Codebook) -> Corpus:
    source = BUNDLED_POSTS if posts is None else io.BytesIO(posts)
    return open_corpus(source, codebook=codebook, name=posts_name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _codebook(text: str, name: str) -> Codebook:
    return parse_codebook(text, name)


def _data_sources() -> Corpus:
    """The bundled posts and codebook, or files uploaded in the sidebar when they load cleanly.

    Uploads live in this session only; nothing is written to ``data/``.
    """
    with st.sidebar.expander("Data and codebook", expanded=False):
        codebook = _codebook(BUNDLED_CODEBOOK.read_text(encoding="utf-8"), BUNDLED_CODEBOOK.name)
        upload = st.file_uploader("Use a codebook (TOML)", type=["toml"], key="codebook_upload")
        if upload is not None:
            try:
                codebook = _codebook(upload.getvalue().decode("utf-8-sig"), upload.name)
            except (CodebookError, UnicodeDecodeError) as error:
                st.error(f"{error}. Using the bundled codebook instead.")
            else:
                st.success(f"Tagging with {upload.name} (version {codebook.version}).")
        posts, name = None, BUNDLED_NAME
        upload = st.file_uploader(
            "Use your own posts CSV",
            type=["csv"],
            key="upload",
            help="A title column and a summary, text or body column; dates optional. "
            "See the README for every column.",
        )
        if upload is not None:
            posts, name = upload.getvalue(), upload.name
        try:
            corpus = _open(posts, name, codebook)
        except LoadError as error:
            st.error(f"{error}. Showing the bundled HALN posts instead.")
            corpus = _open(None, BUNDLED_NAME, codebook)
        if posts is None:
            st.caption("Showing the bundled Health Anchors Learning Network blog posts.")
        elif corpus.name == name:
            st.success(f"Showing {len(corpus.posts)} posts from {name}.")
    return corpus


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def review_store() -> ReviewStore:
    """The review log: Streamlit secrets ``[connections.reviews] url``, else
    ANCHOR_THEMES_REVIEW_DB, else a SQLite file outside the repository."""
    url = _secrets().get("connections", {}).get("reviews", {}).get("url")
    return _store(url or default_database_url(os.environ))


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ReviewStore:
    extra = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    return ReviewStore(st.connection("reviews", type="sql", url=url, **extra).engine)


def review_passcode() -> str | None:
    """The passcode that unlocks editing, from secrets or the environment (None: read-only)."""
    return configured_passcode(os.environ, _secrets())


def sidebar() -> View:
    """Render the shared sidebar and remember the view for the page about to run."""
    corpus = _data_sources()
    codebook = corpus.codebook
    st.sidebar.header("Filters")
    options = [*codebook.ids, NO_THEME]
    labels = {**codebook.labels, NO_THEME: codebook.no_theme_label}
    themes = st.sidebar.multiselect(
        "Themes",
        options,
        default=options,
        format_func=labels.__getitem__,
        key="themes",
        help="Charts show these themes; tables list posts with any of them.",
    )
    dates = corpus.posts["published"].dropna()
    start = end = None
    if len(dates) and dates.min() < dates.max():
        first, last = dates.min().date(), dates.max().date()
        start, end = st.sidebar.slider(
            "Dates",
            min_value=first,
            max_value=last,
            value=(first, last),
            format="MMM YYYY",
            key="dates",
            help="A post dated only to a month or year is kept when that month or year overlaps.",
        )
        if (start, end) == (first, last):
            start = end = None
    include_undated = True
    if dates.size < len(corpus.posts):
        include_undated = st.sidebar.checkbox(
            "Include undated posts", value=True, key="include_undated"
        )
    search = st.sidebar.text_input(
        "Search titles and summaries",
        key="search",
        placeholder="e.g. apprentice",
        help="Every word must appear, in any case.",
    )
    tag_mode = st.sidebar.segmented_control(
        "Tags",
        list(TAG_MODES),
        default="machine",
        required=True,
        format_func=TAG_MODES.__getitem__,
        key="tag_mode",
        help="Machine: as the codebook tags them. Reviewed: machine tags unless a reviewer "
        "confirmed, rejected or added a theme.",
    )
    decisions = review_store().current()
    all_tags = (
        reviewed_tags(corpus.posts, corpus.tags, decisions)
        if tag_mode == "reviewed"
        else corpus.tags
    )
    filters = Filters(
        themes=None if set(themes) == set(options) else tuple(themes),
        start=start,
        end=end,
        search=search.strip(),
        include_undated=include_undated,
    )
    visible = in_view(corpus.posts, filters)
    view = View(
        corpus=corpus,
        filters=filters,
        tag_mode=tag_mode,
        all_tags=all_tags,
        decisions=decisions,
        visible=visible,
        listed=visible & with_themes(all_tags, filters.themes),
    )
    st.session_state["_view"] = view
    return view


def view() -> View:
    """The view the sidebar built for this run."""
    return st.session_state["_view"]


def quality(
    view: View, labels: pd.DataFrame | None = None, machine: bool = False
) -> QualityReport | None:
    """Tagging quality of the view's tags (or the machine's, with ``machine``) against
    ``labels``, or the bundled labels when the bundled posts are shown; None when there are
    no labels to compare with."""
    if labels is None and view.corpus.name == BUNDLED_NAME:
        labels = load_labels(codebook=view.corpus.codebook)
    if labels is None:
        return None
    corpus = view.corpus
    tags = corpus.tags if machine else view.all_tags
    return quality_report(corpus.posts, tags, corpus.result.evidence, labels, corpus.codebook)


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
            quality=quality(view, machine=True),
        ),
        file_name=report_filename("" if corpus.name == BUNDLED_NAME else corpus.name),
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        type="primary",
        width="stretch",
        help="One self-contained HTML file (opens offline, prints to PDF): method, charts, "
        "posts by theme, tagging quality and data notes, for the filters and tags in use.",
    )


def mode_badge(view: View) -> None:
    """Say which tags every number on the page uses."""
    colour = "blue" if view.tag_mode == "machine" else "violet"
    decided = len(view.decisions)
    note = f" · {decided} human decisions" if view.tag_mode == "reviewed" else ""
    st.badge(f"{view.mode_label}{note}", icon=":material/sell:", color=colour)


def chart(figure, key: str, filename: str, **kwargs):
    """Show a Plotly figure in the house style; its toolbar PNG is 2x and named for its content."""
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": filename},
    }
    return st.plotly_chart(figure, key=key, theme=None, config=config, **kwargs)


def downloads(data: pd.DataFrame, figure, name: str) -> None:
    """Download the numbers behind a chart as CSV, and the chart as PNG or SVG.

    Images come from kaleido and need a Chrome/Chromium on the server; where there is
    none the buttons say so instead of failing.
    """
    cols = st.columns(3)
    cols[0].download_button(
        "Data (CSV)", csv_bytes(data), file_name=f"{name}.csv", mime="text/csv",
        icon=":material/download:", on_click="ignore", key=f"{name}-csv",
    )  # fmt: skip
    browser = find_browser()
    for col, fmt, mime in ((cols[1], "png", "image/png"), (cols[2], "svg", "image/svg+xml")):
        col.download_button(
            f"Chart ({fmt.upper()})", lambda fmt=fmt: figure_image(figure, fmt),
            file_name=f"{name}.{fmt}", mime=mime, icon=":material/image:",
            on_click="ignore", key=f"{name}-{fmt}", disabled=browser is None,
            help=None if browser else "Needs Chrome or Chromium on the server (apt-get install "
            "chromium); the chart's own camera button still saves a PNG.",
        )  # fmt: skip


def empty_state(what: str) -> None:
    """A friendly note when the filters leave nothing to show."""
    st.info(
        f"No posts to show {what}. Widen the date range, clear the search or choose more "
        "themes in the sidebar.",
        icon=":material/filter_alt_off:",
    )
