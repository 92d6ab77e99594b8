"""Streamlit glue shared by the pages: the cached corpus, the sidebar filters, chart display.

Thin by design: every number, label and figure comes from :mod:`analysis`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.codebook import load_codebook
from analysis.corpus import Corpus, open_corpus
from analysis.coverage import NO_THEME
from analysis.filters import Filters, in_view, with_themes
from analysis.loading import LoadError

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "anchor-themes"},
}


@dataclass(frozen=True)
class View:
    """The corpus and what the sidebar chose; ``visible`` are posts in the date range and search,
    ``listed`` those of them with a chosen theme."""

    corpus: Corpus
    filters: Filters
    visible: pd.Series
    listed: pd.Series

    @property
    def posts(self) -> pd.DataFrame:
        return self.corpus.posts[self.visible]

    @property
    def tags(self) -> pd.DataFrame:
        return self.corpus.tags[self.visible]

    @property
    def listed_posts(self) -> pd.DataFrame:
        return self.corpus.posts[self.listed]


@st.cache_resource(show_spinner=False)
def _bundled_corpus() -> Corpus:
    return open_corpus(codebook=load_codebook(), name="HALN blog posts (data/posts.csv)")


@st.cache_resource(show_spinner="Tagging your posts…", max_entries=4)
def _uploaded_corpus(data: bytes, name: str) -> Corpus:
    return open_corpus(io.BytesIO(data), codebook=load_codebook(), name=name)


def _corpus() -> Corpus:
    """The bundled posts, or the posts CSV uploaded in the sidebar when it loads cleanly."""
    with st.sidebar.expander("Data", expanded=False):
        upload = st.file_uploader(
            "Use your own posts CSV",
            type=["csv"],
            key="upload",
            help="A title column and a summary, text or body column; dates optional. "
            "See the README for every column.",
        )
        if upload is not None:
            try:
                corpus = _uploaded_corpus(upload.getvalue(), upload.name)
            except LoadError as error:
                st.error(f"{error}. Showing the bundled HALN posts instead.")
            else:
                st.success(f"Showing {len(corpus.posts)} posts from {corpus.name}.")
                return corpus
        st.caption("Showing the bundled Health Anchors Learning Network blog posts.")
    return _bundled_corpus()


def sidebar() -> View:
    """Render the shared filters and remember the view for the page about to run."""
    corpus = _corpus()
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
    filters = Filters(
        themes=None if set(themes) == set(options) else tuple(themes),
        start=start,
        end=end,
        search=search.strip(),
        include_undated=include_undated,
    )
    visible = in_view(corpus.posts, filters)
    view = View(corpus, filters, visible, visible & with_themes(corpus.tags, filters.themes))
    st.session_state["_view"] = view
    return view


def view() -> View:
    """The view the sidebar built for this run."""
    return st.session_state["_view"]


def chart(figure, key: str, filename: str) -> None:
    """Show a Plotly figure in the house style, with a PNG download named for its content."""
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": filename},
    }
    st.plotly_chart(figure, key=key, theme=None, config=config)


def empty_state(what: str) -> None:
    """A friendly note when the filters leave nothing to show."""
    st.info(
        f"No posts to show {what}. Widen the date range, clear the search or choose more "
        "themes in the sidebar.",
        icon=":material/filter_alt_off:",
    )
