"""Review: a person confirms, rejects or adds themes post by post, kept in an append-only log."""

import streamlit as st

from analysis.explain import explain, review_notes
from analysis.review import REVIEW_FILTERS, next_decisions, review_filter, review_status
from analysis.tables import review_history_table
from app_pages import notices, review_access, review_decisions, review_log, review_rounds
from app_pages import posts as posts_glue
from app_pages import review_wording as words
from app_pages.review_reviewer import reviewer as reviewer_named
from app_pages.text import safe
from app_pages.view import current_view


def render() -> None:
    view = current_view()
    corpus, codebook = view.corpus, view.corpus.codebook

    st.title("Review tags")
    st.caption(words.INTRO)

    reviewer = reviewer_named(review_access.review_passcode())
    store = review_access.review_store()
    rounds = store.rounds()
    chosen = review_rounds.picker(rounds, reviewer) if reviewer else None
    history = store.history()
    seen = review_rounds.seen_by(history, rounds, reviewer)
    who = review_decisions.Reviewing(reviewer, chosen, codebook.version) if reviewer else None

    status = review_status(corpus.posts, corpus.tags, seen.decisions)
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
    else:
        post_id = st.selectbox(
            "Post",
            list(posts["id"]),
            format_func=dict(zip(posts["id"], posts["title"], strict=True)).__getitem__,
            key="review_post",
        )
        post = corpus.post(post_id)
        matches = corpus.tagger.matches(post)
        posts_glue.show_post(post, matches, codebook)
        # In reviewed mode the reason starts with the decision that counts ("Added by Asha."),
        # from the decisions this reviewer may see, as the card's summary is.
        reviews = (
            review_notes(post_id, corpus.tags.loc[post.name], seen.decisions)
            if view.tag_mode == "reviewed"
            else None
        )
        review_decisions.cards(
            post_id,
            explain(matches, corpus.result.scores.loc[post.name], codebook, reviews),
            next_decisions(post_id, corpus.tags.loc[post.name], seen.decisions),
            who,
        )
        with st.expander("History of this post"):
            table = review_history_table(seen.history, post_id, codebook)
            if table.empty:
                st.caption("No decisions yet.")
            else:
                st.dataframe(table, hide_index=True)

    review_log.section(seen.history, corpus, rounds, hidden=len(history) - len(seen.history))


render()
