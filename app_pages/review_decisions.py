"""One card per theme of the chosen post: where it stands, why, and (for a reviewer) the
decisions to record next, each with an optional comment."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analysis.explain import Explanation
from analysis.review import NextDecision
from analysis.review_store import COMMENT_LIMIT
from app_pages import notices, review_access
from app_pages import review_wording as words
from app_pages.text import md, safe


@dataclass(frozen=True)
class Reviewing:
    """Who records decisions and where: the reviewer's name, the round (None for none) and
    the codebook version they see."""

    reviewer: str
    round: str | None
    codebook_version: str


def comment_key(post_id: str, theme: str) -> str:
    """The session key of the comment box of one theme of one post."""
    return f"comment-{post_id}-{theme}"


def cards(
    post_id: str, reasons: list[Explanation], steps: list[NextDecision], who: Reviewing | None
):
    """A card per theme (``reasons`` and ``steps`` in the same order); the buttons and
    comment box only for a reviewer (``who``)."""
    for reason, step in zip(reasons, steps, strict=True):
        with st.container(border=True, key=f"card-{reason.theme}"):
            left, right = st.columns([3, 2])
            left.markdown(md("**{}** · {}", reason.label, words.summary(step)))
            left.caption(safe(reason.reason))
            if who is None:
                continue
            buttons = right.container(horizontal=True)
            for decision in step.options:
                buttons.button(
                    safe(words.action_label(decision, step.current)),
                    key=f"{decision}-{post_id}-{reason.theme}",
                    on_click=_record,
                    args=(post_id, reason, step, decision, who),
                )
            right.text_input(
                words.COMMENT_LABEL,
                key=comment_key(post_id, reason.theme),
                max_chars=COMMENT_LIMIT,
                help=words.COMMENT_HELP,
                placeholder="Comment (optional)",
                label_visibility="collapsed",
            )


def _record(post_id: str, reason: Explanation, step: NextDecision, decision: str, who: Reviewing):
    """A decision button's callback: record it with the card's comment, then empty the box."""
    key = comment_key(post_id, reason.theme)
    review_access.review_store().record(
        post_id,
        reason.theme,
        decision,
        who.reviewer,
        who.codebook_version,
        step.current,
        comment=st.session_state.get(key) or None,
        round=who.round,
    )
    st.session_state[key] = ""
    notices.toast_after_rerun(reason.label, decision)
