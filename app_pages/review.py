"""Review: a person confirms, rejects or adds themes post by post, kept in an append-only log."""

import time

import streamlit as st

from analysis.explain import explain
from analysis.review import REVIEW_FILTERS, next_decisions, review_filter, review_status
from analysis.review_passcode import PasscodeAttempts
from analysis.tables import review_history_table
from app_pages import notices, review_access
from app_pages import posts as posts_glue
from app_pages import review_wording as words
from app_pages.text import md, safe
from app_pages.view import current_view

#: Session key of this session's tries at the passcode (see PasscodeAttempts).
ATTEMPTS_KEY = "_passcode_attempts"


def render() -> None:
    view = current_view()
    corpus, codebook = view.corpus, view.corpus.codebook

    st.title("Review tags")
    st.caption(words.INTRO)

    passcode = review_access.review_passcode()
    unlocked = passcode is not None and st.session_state.get("review_unlocked", False)
    if passcode is None:
        st.info(words.READ_ONLY, icon=":material/lock:")
    elif not unlocked:
        with st.form("unlock", clear_on_submit=True, border=True):
            given = st.text_input("Review passcode", type="password")
            if st.form_submit_button("Unlock editing", icon=":material/lock_open:"):
                tries = st.session_state.get(ATTEMPTS_KEY, PasscodeAttempts())
                result = tries.attempt(given, passcode, now=time.monotonic())
                st.session_state[ATTEMPTS_KEY] = result.attempts
                if result.unlocked:
                    st.session_state["review_unlocked"] = True
                    st.rerun()
                st.error(safe(words.passcode_message(result)))

    status = review_status(corpus.posts, corpus.tags, view.decisions)
    show = st.segmented_control(
        "Show",
        list(REVIEW_FILTERS),
        default="all",
        required=True,
        format_func=words.FILTER_LABELS.__getitem__,
        key="review_filter",
    )
    posts = corpus.posts[view.visible & review_filter(status, show)]
    st.caption(safe(words.tally(len(posts), status)))
    if posts.empty:
        notices.empty_state("for this choice")
        return

    post_id = st.selectbox(
        "Post",
        list(posts["id"]),
        format_func=dict(zip(posts["id"], posts["title"], strict=True)).__getitem__,
        key="review_post",
    )
    post = corpus.post(post_id)
    matches = corpus.tagger.matches(post)
    posts_glue.show_post(post, matches, codebook)

    reviewer = ""
    if unlocked:
        reviewer = st.text_input("Your name", key="reviewer", help="Recorded with each decision.")
    for reason, step in zip(
        explain(matches, corpus.result.scores.loc[post.name], codebook),
        next_decisions(post_id, corpus.tags.loc[post.name], view.decisions),
        strict=True,
    ):
        with st.container(border=True):
            left, right = st.columns([3, 2])
            left.markdown(md("**{}** · {}", reason.label, words.summary(step)))
            left.caption(safe(reason.reason))
            if not unlocked:
                continue
            buttons = right.container(horizontal=True)
            for decision in step.options:
                if buttons.button(
                    safe(words.action_label(decision, step.current)),
                    key=f"{decision}-{post_id}-{reason.theme}",
                    disabled=not reviewer.strip(),
                    help=None if reviewer.strip() else "Enter your name first.",
                ):
                    review_access.review_store().record(
                        post_id, reason.theme, decision, reviewer, codebook.version, step.current
                    )
                    st.toast(md("{}: {}.", reason.label, decision), icon=":material/check:")
                    st.rerun()

    with st.expander("History of this post"):
        history = review_history_table(review_access.review_store().history(), post_id, codebook)
        if history.empty:
            st.caption("No decisions yet.")
        else:
            st.dataframe(history, hide_index=True)


render()
