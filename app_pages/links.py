"""The view in the address bar: restored from a link, written back, and carried by page links."""

from __future__ import annotations

import streamlit as st

from analysis import viewstate, whatiflink
from app_pages.data_sources import WHATIF_KEY
from app_pages.text import safe
from app_pages.view import KEY as VIEW_KEY


def whatif_link(params: dict) -> tuple[dict, str]:
    """``params`` with the What if? edits in use, when the link stays short enough to share;
    else without them, and the note that says so ('' when they fit or there are none)."""
    view = st.session_state.get(VIEW_KEY)
    edited = st.session_state.get(WHATIF_KEY)
    edits = "" if view is None else whatiflink.encode(view.base_corpus.codebook, edited)
    return whatiflink.fit(st.context.url or "", params, edits)


def restore_view_from_url(allowed: viewstate.Allowed) -> None:
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
    if st.session_state.get("_allowed") is None:
        return
    with share:
        _link_box()


#: The key of the link box's fragment: a period change on the Overview reruns it with its
#: own fragment while the box is open (:func:`link_box_open`).
LINK_BOX = "link-box"

#: Session key of the link box's expander: True while it is open.
LINK_OPEN = "link-open"


def link_box_open() -> bool:
    """Whether the link box is open, so a change made in a fragment must redraw it."""
    return bool(st.session_state.get(LINK_OPEN))


def write_url() -> tuple[dict, str]:
    """Write the view into the address bar; the link's parameters and the note on What if?
    edits left out (:func:`whatif_link`). Fragments that change the view call it too, since
    they rerun without the sidebar."""
    params, too_long = whatif_link(view_params())
    st.query_params.from_dict(params)
    return params, too_long


@st.fragment(key=LINK_BOX)
def _link_box() -> None:
    params, too_long = write_url()
    box = st.expander("Link to this view", icon=":material/link:", key=LINK_OPEN, on_change="rerun")
    if not box.open:  # drawn once opened, not with the first chart
        return
    with box:
        st.caption("Copy it with the button at its right; it opens this exact view.")
        if too_long:
            st.warning(safe(too_long), icon=":material/link_off:")
        st.code(viewstate.link(st.context.url or "", params), language=None, wrap_lines=True)


def post_selection(ids) -> dict | None:
    """The posts table's ``selection_default``: the row of the post the view holds (a link's
    ``?post=<id>``, or the last one chosen), None when it holds none shown in ``ids``."""
    chosen = st.session_state.get("post")
    rows = [n for n, post_id in enumerate(ids) if post_id == chosen]
    return {"selection": {"rows": rows}} if rows else None


def choose_post(post_id: str | None) -> None:
    """Keep the chosen post in the view, so the address bar's link opens it (None: none)."""
    if post_id is None:
        st.session_state.pop("post", None)
    else:
        st.session_state["post"] = post_id
