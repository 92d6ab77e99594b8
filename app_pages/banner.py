"""The what-if banner: while the codebook is edited, every page says so in its main area.

In presentation mode the sidebar is tucked away, so a note there would leave the room
reading edited numbers as the file's: the banner sits above every page, with the one
button that goes back to the file's codebook.
"""

from __future__ import annotations

import streamlit as st

from analysis import whatif
from app_pages import data_sources, links
from app_pages.text import md, safe
from app_pages.view import View

RESET = "Reset to the file's codebook"


def _reset() -> None:
    st.session_state.pop(data_sources.WHATIF_KEY, None)


def show(view: View) -> None:
    """The banner, when a what-if codebook is in use."""
    edited = st.session_state.get(data_sources.WHATIF_KEY)
    if edited is None:
        return
    lines = whatif.edits(view.base_corpus.codebook, edited)
    _, too_long = links.whatif_link(links.view_params())
    with st.container(border=True, key="whatif_banner"):
        # One row, so the chart below still fits a 1280x720 shared screen.
        text, button = st.columns([5, 2], vertical_alignment="center")
        # Presenting, the room needs the edits, not the sentence: it keeps the banner one line.
        follows = "" if view.presenting else ": every chart and count follows it, not the file's"
        text.markdown(
            md(
                ":material/science: **What if? The codebook is edited** ({}){}.",
                "; ".join(lines) or f"codebook {edited.version}",
                follows,
            )
        )
        button.button(RESET, icon=":material/undo:", key="whatif_reset", on_click=_reset)
        if too_long:
            st.caption(":material/link_off: " + safe(too_long))
