"""Notes every page shows: which tags its numbers use, why there is nothing to show, and
what a click just did."""

from __future__ import annotations

import streamlit as st

from analysis.formatting import count
from app_pages.text import md, safe
from app_pages.view import View


def mode_badge(view: View) -> None:
    """Say which tags every number on the page uses."""
    colour = "blue" if view.tag_mode == "machine" else "violet"
    reviewed = view.tag_mode == "reviewed"  # machine tags need no look at the review log
    note = md(" · {}", count(len(view.decisions), "human decision")) if reviewed else ""
    label = safe(view.mode_label) + note
    if view.presenting:  # the badge's small type does not survive presentation's larger scale
        st.caption(":material/sell: " + label)
    else:
        st.badge(label, icon=":material/sell:", color=colour)


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


#: Session key of what the last click did, to say on the next run.
DONE = "_done_toast"


def toast_after_rerun(subject: str, outcome: str) -> None:
    """Say "subject: outcome." in a toast on the next run (both escaped when shown). An
    action that saves then calls ``st.rerun()`` to redraw: a toast sent in the same run can
    be lost with it (a Streamlit timing bug, streamlit/streamlit#7740)."""
    st.session_state[DONE] = (subject, outcome)


def pending_toast() -> None:
    """The toast :func:`toast_after_rerun` left, once (dashboard.py, on every run)."""
    if (done := st.session_state.pop(DONE, None)) is not None:
        st.toast(md("{}: {}.", *done), icon=":material/check:")
