"""Who is reviewing: the passcode and a name unlock editing; the name is kept for the session.

``st.session_state["review_unlocked"]`` is True once the passcode was right (the Refresh panel
reads it too) and ``st.session_state["reviewer"]`` holds the reviewer's name (Tagging quality
reads it to record who settles a disagreement). Both are plain session keys, not widget keys,
so they outlive a visit to another page.
"""

from __future__ import annotations

import time

import streamlit as st

from analysis.review_passcode import PasscodeAttempts
from app_pages import review_wording as words
from app_pages.text import md, safe

#: Session key: True once this session has given the right passcode.
UNLOCKED = "review_unlocked"
#: Session key: the reviewer's name (surrounding white space dropped), once given.
REVIEWER = "reviewer"
#: Session key of this session's tries at the passcode (see PasscodeAttempts).
ATTEMPTS_KEY = "_passcode_attempts"


def reviewer(passcode: str | None) -> str | None:
    """Draw the unlock form, the name form or "Reviewing as"; the reviewer's name once this
    session is unlocked and named, else None (read-only)."""
    if passcode is None:
        st.info(words.READ_ONLY, icon=":material/lock:")
        return None
    if not st.session_state.get(UNLOCKED, False):
        _unlock_form(passcode)
        return None
    name = (st.session_state.get(REVIEWER) or "").strip()
    if not name:
        _name_form()
        return None
    line = st.container(horizontal=True, vertical_alignment="center")
    line.markdown(md(":material/person: {}", words.reviewing_as(name)))
    line.button("Change name", key="change_reviewer", on_click=_forget_name, type="tertiary")
    return name


def _name_field():
    return st.text_input(words.NAME_LABEL, max_chars=words.NAME_LIMIT, help=words.NAME_HELP)


def _unlock_form(passcode: str) -> None:
    with st.form("unlock", clear_on_submit=True, border=True):
        given = st.text_input("Review passcode", type="password")
        name = _name_field()
        if not st.form_submit_button("Unlock editing", icon=":material/lock_open:"):
            return
    if not name.strip():  # no try at the passcode is spent on a missing name
        st.error(words.NAME_NEEDED)
        return
    tries = st.session_state.get(ATTEMPTS_KEY, PasscodeAttempts())
    result = tries.attempt(given, passcode, now=time.monotonic())
    st.session_state[ATTEMPTS_KEY] = result.attempts
    if result.unlocked:
        st.session_state[UNLOCKED] = True
        st.session_state[REVIEWER] = name.strip()
        st.rerun()
    st.error(safe(words.passcode_message(result)))


def _name_form() -> None:
    with st.form("reviewer_name", border=True):
        name = _name_field()
        if not st.form_submit_button("Save name", icon=":material/person:"):
            return
    if not name.strip():
        st.error(words.NAME_NEEDED)
        return
    st.session_state[REVIEWER] = name.strip()
    st.rerun()


def _forget_name() -> None:
    st.session_state.pop(REVIEWER, None)
