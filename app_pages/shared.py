"""Streamlit glue shared by the pages: the cached corpus, the sidebar, the review store.

Thin by design: every number, label and figure comes from :mod:`analysis`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analysis import viewstate, whatiflink
from analysis.codebook import Codebook, CodebookError, load_codebook, parse_codebook
from analysis.corpus import Corpus, open_corpus
from analysis.coverage import GRANULARITIES, MEASURES, NO_THEME
from analysis.exports import csv_bytes
from analysis.figures import for_screen
from analysis.filters import Filters, in_view, with_themes
from analysis.formatting import count
from analysis.images import figure_image, find_browser
from analysis.loading import BUNDLED_POSTS, UPLOAD_LIMITS, LoadError
from analysis.metrics import QualityReport, load_labels, quality_report
from analysis.report import build_report, report_filename
from analysis.review import reviewed_tags
from analysis.review_passcode import configured_passcode
from analysis.review_store import ReviewStore, default_database_url
from app_pages import refresh, sources
from app_pages.text import md, safe

BUNDLED_NAME = "HALN blog posts (data/posts.csv)"
TAG_MODES = {"machine": "Machine tags", "reviewed": "Reviewed tags"}
#: The charts presentation mode shows one at a time (the Overview page draws them).
CHARTS = ("coverage", "totals", "together")
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "anchor-themes"},
}


@dataclass(frozen=True)
class View:
    """The corpus and what the sidebar chose.

    ``corpus`` is tagged with the codebook in use: the what-if codebook when a facilitator
    has edited one this session, else the file's; ``base_corpus`` always with the file's.
    ``all_tags`` are the tags in the chosen mode (machine, or reviewed: machine unless a
    human decided otherwise) for every post; ``visible`` marks posts in the date range and
    search, ``listed`` those of them with a chosen theme.
    """

    corpus: Corpus
    base_corpus: Corpus
    filters: Filters
    tag_mode: str
    all_tags: pd.DataFrame
    decisions: pd.DataFrame
    visible: pd.Series
    listed: pd.Series
    presenting: bool = False
    #: Labels coding these posts: the bundled ones for the bundled posts, the command
    #: line's --labels for its --posts; None when there are none.
    labels: pd.DataFrame | None = field(default=None, compare=False)

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
    if posts is None:
        return open_corpus(BUNDLED_POSTS, codebook=codebook, name=posts_name)
    return open_corpus(io.BytesIO(posts), codebook=codebook, name=posts_name, limits=UPLOAD_LIMITS)


@st.cache_resource(show_spinner=False, max_entries=8)
def _codebook(text: str, name: str) -> Codebook:
    return parse_codebook(text, name)


@st.cache_resource(show_spinner=False)
def _bundled_codebook() -> Codebook:
    return load_codebook()


@st.cache_data(show_spinner=False)
def _bundled_labels(codebook: Codebook) -> pd.DataFrame | None:
    """The bundled labels, or None for a codebook whose themes they do not code."""
    try:
        return load_labels(codebook=codebook)
    except LoadError:
        return None


#: Session key of the what-if codebook a facilitator edited (absent: the file's codebook).
WHATIF_KEY = "whatif_codebook"


def _data_sources() -> tuple[Corpus, Corpus, pd.DataFrame | None]:
    """The corpus in use, the corpus tagged with the file's codebook, and labels for its posts.

    Posts and codebook are files uploaded in the sidebar when they load cleanly, else the
    files named on the command line (:mod:`app_pages.sources`) when they do, else the
    bundled ones; a what-if codebook edited this session then replaces the file's. Labels
    are the bundled ones for the bundled posts and the command line's for its posts.
    Everything lives in this session only; nothing is written to ``data/``.
    """
    given = sources.given()
    problems = [given.problem] if given.problem else []
    with st.sidebar.expander("Data and codebook", expanded=False):
        codebook = sources.codebook(given, _bundled_codebook(), problems)
        upload = st.file_uploader("Use a codebook (TOML)", type=["toml"], key="codebook_upload")
        if upload is not None:
            try:
                codebook = _codebook(upload.getvalue().decode("utf-8-sig"), upload.name)
            except (CodebookError, UnicodeDecodeError) as error:
                st.error(md("{}. Keeping the codebook in use.", error))
            else:
                st.success(md("Tagging with {} (version {}).", upload.name, codebook.version))
        upload = st.file_uploader(
            "Use your own posts CSV",
            type=["csv"],
            key="upload",
            help="A title column and a summary, text or body column; dates optional. "
            "See the README for every column.",
        )
        uploaded = failed = None
        if upload is not None:
            try:
                corpus = _open(data := upload.getvalue(), upload.name, codebook)
            except LoadError as error:
                failed = error
            else:
                uploaded = data
        if uploaded is None:
            corpus = sources.posts(given, codebook, problems) or _open(None, BUNDLED_NAME, codebook)
            bundled = corpus.name == BUNDLED_NAME
            if failed is not None:
                shown = "the bundled HALN posts" if bundled else corpus.name
                st.error(md("{}. Showing {} instead.", failed, shown))
            # The posts refreshed from the blog replace these (the refresh panel, below).
            base = None if bundled else given.posts  # None: the bundled file
        else:
            base = uploaded
        said = st.empty()  # what is shown, said once the refresh panel has had its say
        refreshed = refresh.panel(base, corpus.name, review_passcode())
        if refreshed is not None:
            uploaded, corpus = refreshed, _open(refreshed, refresh.NAME, codebook)
        if uploaded is not None:
            said.success(md("Showing {} posts from {}.", len(corpus.posts), corpus.name))
        elif corpus.name == BUNDLED_NAME:
            said.caption("Showing the bundled Health Anchors Learning Network blog posts.")
        else:
            said.caption(md("Showing {} posts from {}.", len(corpus.posts), corpus.name))

    def tagged(with_codebook: Codebook) -> Corpus | None:
        """The posts shown, tagged with ``with_codebook``."""
        if uploaded is not None:
            return _open(uploaded, corpus.name, with_codebook)
        if corpus.name == BUNDLED_NAME:
            return _open(None, BUNDLED_NAME, with_codebook)
        return sources.posts(given, with_codebook, problems)

    _restore_whatif_from_url(codebook)
    whatif = st.session_state.get(WHATIF_KEY)
    current = corpus if whatif is None else tagged(whatif)
    if current is None:  # the command line's file could not be read again: use the bundled
        corpus, current = (_open(None, BUNDLED_NAME, c) for c in (codebook, whatif))
    # The main area says a what-if codebook is in use (app_pages.banner), on every page.
    labels = None
    if corpus.name == BUNDLED_NAME:
        labels = _bundled_labels(codebook)
    elif uploaded is None:  # the command line's posts, with its labels
        labels = sources.labels(given, codebook, problems)
    for problem in problems:  # outside the sidebar, at the top of the page
        st.error(safe(problem), icon=":material/error:")
    return current, corpus, labels


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


def _restore_whatif_from_url(codebook: Codebook) -> None:
    """On a session's first run, rebuild the What if? edits a link carries on ``codebook``.

    Not a widget, so no ``bind``: the edits are checked term by term
    (:func:`analysis.whatiflink.decode`) and what cannot be used is said in a toast.
    """
    if st.session_state.get("_whatif_read"):
        return
    st.session_state["_whatif_read"] = True
    value = st.query_params.get(whatiflink.PARAM)
    if not value:
        return
    edited, notes = whatiflink.decode(codebook, value)
    if edited is not None:
        st.session_state[WHATIF_KEY] = edited
    if notes:
        st.toast(safe(viewstate.notice(notes)), icon=":material/link_off:")


def whatif_link(params: dict) -> tuple[dict, str]:
    """``params`` with the What if? edits in use, when the link stays short enough to share;
    else without them, and the note that says so ('' when they fit or there are none)."""
    view = st.session_state.get("_view")
    edited = st.session_state.get(WHATIF_KEY)
    edits = "" if view is None else whatiflink.encode(view.base_corpus.codebook, edited)
    return whatiflink.fit(st.context.url or "", params, edits)


def _restore_view_from_url(allowed: viewstate.Allowed) -> None:
    """On a session's first run, set every setting a link carries (before any widget)."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    settings, notes = viewstate.read(params, allowed)
    for key, value in settings.items():
        st.session_state[key] = value
    if notes:
        st.toast(safe(viewstate.notice(notes)), icon=":material/link_off:")


def setting(key: str, default):
    """A setting's current value, first giving it ``default`` so its widget needs none."""
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


def sidebar() -> View:
    """Render the shared sidebar and remember the view for the page about to run."""
    corpus, base_corpus, coded = _data_sources()
    codebook = corpus.codebook
    options = [*codebook.ids, NO_THEME]
    labels = {**codebook.labels, NO_THEME: codebook.no_theme_label}
    dates = corpus.posts["published"].dropna()
    # The date slider steps by whole months: its options are the months' first days.
    months = viewstate.month_starts(dates.min().date(), dates.max().date()) if len(dates) else []
    first, last = (months[0], months[-1]) if months else (None, None)
    allowed = viewstate.Allowed(
        themes=options,
        choices={
            "tag_mode": list(TAG_MODES),
            "granularity": GRANULARITIES,
            "measure": MEASURES,
            "chart": CHARTS,
        },
        first=first,
        last=last,
    )
    st.session_state["_allowed"] = allowed
    _restore_view_from_url(allowed)

    setting("present", False)
    st.sidebar.toggle(
        "Presentation mode",
        key="present",
        help="For screen-sharing: larger type, one chart at a time, sidebar tucked away.",
    )
    st.sidebar.header("Filters")
    # The browser sends the multiselect's choice back as the labels it showed, so a codebook
    # that only relabels a theme would silently drop it from the filter: labels count too.
    shown = [(option, labels[option]) for option in options]
    previous = st.session_state.get("_theme_options")
    if previous is not None and previous != shown:
        # Another codebook: "every theme" stays every theme; otherwise keep what still exists.
        before = [option for option, _ in previous]
        chosen = st.session_state.get("themes", before)
        everything = set(chosen) >= set(before)
        st.session_state["themes"] = options if everything else [t for t in chosen if t in options]
    st.session_state["_theme_options"] = shown
    setting("themes", options)
    themes = st.sidebar.multiselect(
        "Themes",
        options,
        format_func=labels.__getitem__,
        key="themes",
        help="Charts show these themes; tables list posts with any of them.",
    )
    start = end = None
    if len(months) > 1:
        chosen = st.session_state.get("dates")
        span, st.session_state["_date_span"] = st.session_state.get("_date_span"), (first, last)
        if not chosen or any(month not in months for month in chosen) or chosen == span:
            # Other posts: a range they do not cover, or all dates, becomes all their dates.
            st.session_state["dates"] = (first, last)
        start, end = st.sidebar.select_slider(
            "Dates",
            options=months,
            value=(first, last),  # the default, and what makes it a range slider
            format_func=lambda month: safe(month.strftime("%b %Y")),
            key="dates",
            help="Whole months. A post dated only to a month or year is kept when that month "
            "or year overlaps.",
        )
        if (start, end) == (first, last):
            start = end = None
        else:
            end = viewstate.month_end(end)  # the whole of the last month
    include_undated = True
    if dates.size < len(corpus.posts):
        setting("include_undated", True)
        include_undated = st.sidebar.checkbox("Include undated posts", key="include_undated")
    setting("search", "")
    search = st.sidebar.text_input(
        "Search titles and summaries",
        key="search",
        placeholder="e.g. apprentice",
        help="Every word must appear, in any case.",
    )
    setting("tag_mode", "machine")
    tag_mode = st.sidebar.segmented_control(
        "Tags",
        list(TAG_MODES),
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
        base_corpus=base_corpus,
        filters=filters,
        tag_mode=tag_mode,
        all_tags=all_tags,
        decisions=decisions,
        visible=visible,
        listed=visible & with_themes(all_tags, filters.themes),
        presenting=bool(st.session_state.get("present")),
        labels=coded,
    )
    st.session_state["_view"] = view
    return view


def _settings() -> dict:
    return {key: st.session_state.get(key) for key in viewstate.KEYS}


def view_params() -> dict:
    """The link's parameters for the settings chosen so far (the What if? edits aside)."""
    return viewstate.write(_settings(), st.session_state["_allowed"])


def menu(container, sections: dict) -> None:
    """Links to every page that keep the shared settings (filters, tags, presentation)."""
    shared = {key: value for key, value in view_params().items() if key in viewstate.SHARED}
    for section, pages in sections.items():
        container.caption(safe(section))
        for page in pages:
            container.page_link(page, query_params=shared)


def sync_url(share) -> None:
    """Write the view into the address bar, and show the link to copy in ``share``.

    Why our own sync and not Streamlit 1.67's ``bind="query-params"`` (tried first): a bound
    parameter is removed from the address bar whenever its widget is not drawn, so a link
    copied on Explore would lose the Overview's period and measure; a bound parameter cannot
    be written through ``st.query_params``, which the settings that are not widgets need
    (``post``, ``whatif``, ``present``, read before ``st.set_page_config``); and binding
    drops a bad value silently, where :func:`analysis.viewstate.read` checks each value
    against this corpus and codebook and says what it ignored. Widgets keep their values
    across pages with ``persist_state="session"`` instead.
    """
    allowed = st.session_state.get("_allowed")
    if allowed is None:
        return
    params, too_long = whatif_link(view_params())
    st.query_params.from_dict(params)
    with share.expander("Link to this view", icon=":material/link:"):
        st.caption("Copy it with the button at its right; it opens this exact view.")
        if too_long:
            st.warning(safe(too_long), icon=":material/link_off:")
        st.code(viewstate.link(st.context.url or "", params), language=None, wrap_lines=True)


def view() -> View:
    """The view the sidebar built for this run."""
    return st.session_state["_view"]


def quality(
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
    return quality_report(corpus.posts, tags, corpus.result.evidence, labels, codebook)


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
    note = md(" · {}", count(decided, "human decision")) if view.tag_mode == "reviewed" else ""
    label = safe(view.mode_label) + note
    if view.presenting:  # the badge's small type does not survive presentation's larger scale
        st.caption(":material/sell: " + label)
    else:
        st.badge(label, icon=":material/sell:", color=colour)


def chart(
    figure,
    key: str,
    filename: str,
    present_height: int | None = None,
    present_gap: int = 0,
    **kwargs,
):
    """Show a Plotly figure in the house style, adapted to a dark theme and to presentation
    mode; its toolbar PNG is 2x and named for what it shows. Presenting, ``present_height``
    is its height (for a page with more above it) and ``present_gap`` pixels more part the
    title from the plot (for the larger tick labels of a bar chart's top row)."""
    dark = st.context.theme.type == "dark"
    presenting = bool(st.session_state.get("present"))
    figure = for_screen(figure, dark=dark, presenting=presenting)
    if presenting and present_height:
        figure.update_layout(height=present_height)
    if presenting and present_gap:
        figure.update_layout(margin_t=(figure.layout.margin.t or 0) + present_gap)
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
        "Data (CSV)", lambda: csv_bytes(data), file_name=f"{name}.csv", mime="text/csv",
        icon=":material/download:", on_click="ignore", key=f"{name}-csv",
    )  # fmt: skip
    browser = find_browser()
    for col, fmt, mime in ((cols[1], "png", "image/png"), (cols[2], "svg", "image/svg+xml")):
        col.download_button(
            md("Chart ({})", fmt.upper()), lambda fmt=fmt: figure_image(figure, fmt),
            file_name=f"{name}.{fmt}", mime=mime, icon=":material/image:",
            on_click="ignore", key=f"{name}-{fmt}", disabled=browser is None,
            help=None if browser else "Needs Chrome or Chromium on the server (apt-get install "
            "chromium); the chart's own camera button still saves a PNG.",
        )  # fmt: skip


def presenting() -> bool:
    """Whether presentation mode is on (by the toggle, or by a link's ``present=true``)."""
    if "present" in st.session_state:
        return bool(st.session_state["present"])
    return st.query_params.get("present", "").lower() in {"true", "1", "yes", "on"}


#: Every page's own static CSS (no post text in it). Streamlit's captions are 60% grey,
#: below WCAG AA contrast on the sidebar; drawing them in the text colour at 80% passes
#: in light and dark themes alike.
BASE_CSS = """
<style>
  [data-testid="stCaptionContainer"] { color: inherit; opacity: 0.8; }
</style>
"""


def base_style() -> None:
    """Styles every page needs: readable captions."""
    st.html(BASE_CSS)


#: Presentation mode's type and contrast: our own static CSS, no post text in it.
PRESENTATION_CSS = """
<style>
  .stMain { font-size: 1.3rem; }
  .stMain h1 { font-size: 3rem; }
  .stMain h3 { font-size: 2.2rem; line-height: 1.25; color: inherit; }
  .stMain p, .stMain li, .stMain label { font-size: 1.3rem; }
  .stMain [data-testid="stCaptionContainer"] { font-size: 1.1rem; opacity: 0.9; }
  .stMain .block-container { padding-top: 3.6rem; padding-bottom: 1rem; max-width: 100%; }
  .stMain h3 { padding-top: 0.2rem; }
  /* The findings in words: read at a glance, leaving the chart in view at 1280×720. */
  .stMain .st-key-findings p { font-size: 1.1rem; line-height: 1.45; }
  /* Metric values larger than their labels, as on a slide. */
  .stMain [data-testid="stMetricValue"],
  .stMain [data-testid="stMetricValue"] p { font-size: 3.2rem; line-height: 1.2; }
  .stMain [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
  /* The list of clicked posts, in its dialog, as large as the page's type. */
  [data-testid="stDialog"] p { font-size: 1.3rem; }
  /* Tables are drawn on a canvas, so their type follows the page only when zoomed; the
     width is shrunk by as much, so the zoomed table still fits its column. */
  .stMain [data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]),
  [data-testid="stDialog"] [data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]) {
    zoom: 1.3;
    width: calc(100% / 1.3) !important;
  }
</style>
"""


def presentation_style() -> None:
    """Larger type and higher contrast for a shared screen."""
    st.html(PRESENTATION_CSS)


def empty_state(what: str) -> None:
    """A friendly note when the filters leave nothing to show."""
    st.info(
        md(
            "No posts to show {}. Widen the date range, clear the search or choose more "
            "themes in the sidebar.",
            what,
        ),
        icon=":material/filter_alt_off:",
    )
