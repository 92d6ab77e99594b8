"""Review rounds on the Review page: choose or open a round, say whether it is blind, and the
decisions a reviewer may see (in a blind round, only their own: :func:`visible_history`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.agreement import visible_history
from analysis.review_rounds import resolve
from app_pages import review_access
from app_pages import review_wording as words
from app_pages.text import safe

#: Session key of the round picker (kept while another page is shown).
PICKER = "review_round"
#: The picker's option for opening a new round (no round name can be empty text).
NEW = ""
#: Session keys of the new-round form and of its last complaint.
NEW_NAME, NEW_BLIND, PROBLEM = "new_round_name", "new_round_blind", "_new_round_problem"


@dataclass(frozen=True)
class Seen:
    """What one reviewer may see of the log: the rows (:func:`visible_history`) and the
    decisions that count in them (:func:`resolve`)."""

    history: pd.DataFrame
    decisions: pd.DataFrame


def seen_by(history: pd.DataFrame, rounds: pd.DataFrame, reviewer: str | None) -> Seen:
    """The log as ``reviewer`` may see it (None: someone not reviewing, who sees no decision of
    a blind round)."""
    visible = visible_history(history, rounds, reviewer or "")
    return Seen(visible, resolve(visible))


def picker(rounds: pd.DataFrame, reviewer: str) -> str | None:
    """Draw the round picker (and the new-round form, and the chosen round's state); the round
    decisions now belong to, or None for none."""
    names = list(rounds["round"])
    if st.session_state.get(PICKER) not in [None, NEW, *names]:
        st.session_state[PICKER] = None  # a round this log does not have (another log's)
    chosen = st.selectbox(
        words.ROUND_LABEL,
        [None, *names, NEW],
        format_func=_option,
        key=PICKER,
        help=words.ROUND_HELP,
        persist_state="session",
    )
    if chosen == NEW:
        _new_round_form(names, reviewer)
        return None
    if chosen is None:
        return None
    setting = rounds.set_index("round").loc[chosen]
    blind, set_by = bool(setting["blind"]), str(setting["set_by"])
    state = safe(words.round_state(chosen, blind, set_by, reviewer))
    if blind:
        st.info(state, icon=":material/visibility_off:")
    else:
        st.caption(state)
    if set_by == reviewer:  # the round's opener may change whether it is blind
        st.button(
            words.LIFT_BLIND if blind else words.MAKE_BLIND,
            key="round_blind_switch",
            on_click=_set_blind,
            args=(chosen, not blind, reviewer),
        )
    return chosen


def _option(name: str | None) -> str:
    """What the picker shows for an option (a selectbox shows its text as written)."""
    if name is None:
        return words.NO_ROUND
    return words.NEW_ROUND if name == NEW else name


def _new_round_form(names: list[str], reviewer: str) -> None:
    with st.form("new_round", border=True):
        st.text_input(words.NEW_ROUND_NAME, key=NEW_NAME, max_chars=80)
        st.checkbox(words.BLIND_LABEL, value=True, key=NEW_BLIND)
        st.form_submit_button(
            words.OPEN_ROUND, icon=":material/add:", on_click=_open_round, args=(names, reviewer)
        )
    if problem := st.session_state.pop(PROBLEM, None):
        st.error(safe(problem))


def _open_round(names: list[str], reviewer: str) -> None:
    """The form's callback: open the round and choose it (before the picker is drawn)."""
    name = (st.session_state.get(NEW_NAME) or "").strip()
    if not name:
        st.session_state[PROBLEM] = words.ROUND_NAME_NEEDED
        return
    if name in names:
        st.session_state[PROBLEM] = words.round_taken(name)
        return
    review_access.review_store().set_round(name, bool(st.session_state.get(NEW_BLIND)), reviewer)
    st.session_state[PICKER] = name
    st.session_state[NEW_NAME] = ""


def _set_blind(name: str, blind: bool, reviewer: str) -> None:
    review_access.review_store().set_round(name, blind, reviewer)
