"""Where the posts, codebook and labels shown come from, tagged and cached.

Uploads in the sidebar, else the files named on the command line (:mod:`app_pages.sources`),
else the bundled ones; a what-if codebook edited this session (or carried by a link)
replaces the file's. Everything lives in this session only; nothing is written to ``data/``.
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from analysis import viewstate, whatiflink
from analysis.codebook import Codebook, CodebookError, load_codebook, parse_codebook
from analysis.corpus import Corpus, open_corpus
from analysis.loading import BUNDLED_POSTS
from analysis.metrics import load_labels
from analysis.post_checks import UPLOAD_LIMITS, LoadError
from app_pages import refresh, sources
from app_pages.review_access import review_passcode
from app_pages.text import md, safe

#: What the bundled posts are called on screen (a name only: :attr:`Corpus.bundled` says which).
BUNDLED_NAME = "HALN blog posts (data/posts.csv)"


def _open(posts: bytes | None, posts_name: str, codebook: Codebook, where=None) -> Corpus:
    """``posts`` as uploaded (or refreshed) CSV bytes; None: the bundled file. Read once
    (shared by every session, see :func:`app_pages.sources.loaded`), with a progress bar in
    ``where`` while it is opened, and tagged again for another codebook without reading it
    again; a file that cannot be used raises :class:`LoadError` each time it is asked for."""

    def read(progress) -> Corpus:
        if posts is None:
            return open_corpus(
                BUNDLED_POSTS, codebook=codebook, name=posts_name, bundled=True, progress=progress
            )
        return open_corpus(
            io.BytesIO(posts),
            codebook=codebook,
            name=posts_name,
            limits=UPLOAD_LIMITS,
            progress=progress,
        )

    large = posts is not None and len(posts) >= sources.LARGE_FILE
    return sources.opened(("open", posts, posts_name), read, codebook, where, posts_name, large)


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


#: Session key of the sidebar's "Data and codebook" box: True while it is open.
DATA_OPEN = "data_open"
#: Session keys of its uploaders, the codebook's and the posts'.
UPLOADS = ("codebook_upload", "upload")


def data_sources() -> tuple[Corpus, Corpus, pd.DataFrame | None]:
    """The corpus in use, the corpus tagged with the file's codebook, and labels for its posts.

    Posts and codebook are files uploaded in the sidebar when they load cleanly, else the
    files named on the command line (:mod:`app_pages.sources`) when they do, else the
    bundled ones; a what-if codebook edited this session then replaces the file's. Labels
    are the bundled ones for the bundled posts and the command line's for its posts.
    Everything lives in this session only; nothing is written to ``data/``.
    """
    given = sources.given()
    problems = [given.problem] if given.problem else []
    opening = st.empty()  # a progress bar while a large file is opened, above the page
    box = st.sidebar.expander("Data and codebook", key=DATA_OPEN, on_change="rerun")
    # Uploaders are drawn while the box is open or while they hold a file (an uploader left
    # out of a run drops its file): closed and empty, a fresh browser's first chart came
    # 0.05 to 0.09 s sooner without them (issue 12).
    uploading = box.open or any(st.session_state.get(key) is not None for key in UPLOADS)
    with box:
        codebook = sources.codebook(given, _bundled_codebook(), problems)
        upload = uploading and st.file_uploader(
            "Use a codebook (TOML)", type=["toml"], key="codebook_upload"
        )
        if upload:
            try:
                codebook = _codebook(upload.getvalue().decode("utf-8-sig"), upload.name)
            except (CodebookError, UnicodeDecodeError) as error:
                st.error(md("{}. Keeping the codebook in use.", error))
            else:
                st.success(md("Tagging with {} (version {}).", upload.name, codebook.version))
        upload = uploading and st.file_uploader(
            "Use your own posts CSV",
            type=["csv"],
            key="upload",
            help="A title column and a summary, text or body column; dates optional. "
            "See the README for every column.",
        )
        uploaded = failed = None
        if upload:
            try:
                corpus = _open(data := upload.getvalue(), upload.name, codebook, opening)
            except LoadError as error:
                failed = error
            else:
                uploaded = data
        if uploaded is None:
            corpus = sources.posts(given, codebook, problems, opening) or _open(
                None, BUNDLED_NAME, codebook, opening
            )
            if failed is not None:
                shown = "the bundled HALN posts" if corpus.bundled else corpus.name
                st.error(md("{}. Showing {} instead.", failed, shown))
            # The posts refreshed from the blog replace these (the refresh panel, below).
            base = None if corpus.bundled else given.posts  # None: the bundled file
        else:
            base = uploaded
        said = st.empty()  # what is shown, said once the refresh panel has had its say
        refreshed = refresh.panel(base, corpus.name, review_passcode())
        if refreshed is not None:
            uploaded, corpus = refreshed, _open(refreshed, refresh.NAME, codebook, opening)
        if uploaded is not None:
            said.success(md("Showing {} posts from {}.", len(corpus.posts), corpus.name))
        elif corpus.bundled:
            said.caption("Showing the bundled Health Anchors Learning Network blog posts.")
        else:
            said.caption(md("Showing {} posts from {}.", len(corpus.posts), corpus.name))

    def tagged(with_codebook: Codebook) -> Corpus | None:
        """The posts shown, tagged with ``with_codebook``."""
        if uploaded is not None:
            return _open(uploaded, corpus.name, with_codebook, opening)
        if corpus.bundled:
            return _open(None, BUNDLED_NAME, with_codebook, opening)
        return sources.posts(given, with_codebook, problems, opening)

    _restore_whatif_from_url(codebook)
    whatif = st.session_state.get(WHATIF_KEY)
    current = corpus if whatif is None else tagged(whatif)
    if current is None:  # the command line's file could not be read again: use the bundled
        corpus, current = (_open(None, BUNDLED_NAME, c, opening) for c in (codebook, whatif))
    # The main area says a what-if codebook is in use (app_pages.banner), on every page.
    labels = None
    if corpus.bundled:
        labels = _bundled_labels(codebook)
    elif uploaded is None:  # the command line's posts, with its labels
        labels = sources.labels(given, codebook, problems)
    for problem in problems:  # outside the sidebar, at the top of the page
        st.error(safe(problem), icon=":material/error:")
    return current, corpus, labels


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


def whatif_codebook() -> Codebook | None:
    """The codebook edited on What if? this session (None: the file's is in use)."""
    return st.session_state.get(WHATIF_KEY)


def edit_codebook(edit, codebook: Codebook, *args) -> None:
    """Apply one What if? edit (a function of :mod:`analysis.whatif`: ``edit(codebook,
    *args)``) and rerun with the edited codebook, or say why it cannot be done."""
    try:
        st.session_state[WHATIF_KEY] = edit(codebook, *args)
    except CodebookError as error:
        st.error(safe(error), icon=":material/error:")
    else:
        st.rerun()
