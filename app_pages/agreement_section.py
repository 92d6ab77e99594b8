"""The Tagging quality page's review part: agreement between reviewers in a round, the machine
against their consensus and against every decision reviewed mode counts, and the queue of
disagreements to settle."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.agreement import (
    ALPHA,
    KAPPA,
    MIN_UNITS,
    disagreements,
    machine_agreement,
    reviewer_agreement,
    settle,
)
from analysis.formatting import count, names
from analysis.review import agreement
from analysis.review_store import COMMENT_LIMIT
from analysis.tables import (
    agreement_table,
    machine_consensus_table,
    reviewer_agreement_table,
    small_sample_note,
)
from app_pages import notices, review_access
from app_pages.text import md, safe
from app_pages.view import View

#: Session key of the round picker.
ROUND_KEY = "agreement_round"
#: The answers a disagreement can be settled with, and their buttons, in button order.
SETTLE_LABELS = {True: "Settle: applies", False: "Settle: does not apply"}


def render(view: View) -> None:
    """The section, for the view's corpus and the review log."""
    store = review_access.review_store()
    rounds = store.rounds()
    st.subheader("Agreement between reviewers", anchor=False)
    if rounds.empty:
        st.caption(
            "No review round has been opened yet. In a round two or more people code the same "
            "posts; their agreement, and the machine's with their consensus, shows here."
        )
    else:
        chosen = st.selectbox(
            "Review round", list(rounds["round"]), index=len(rounds) - 1, key=ROUND_KEY
        )
        if bool(rounds.set_index("round").at[chosen, "blind"]):
            st.info(
                md(
                    "Round {} is blind: its agreement figures and disagreements show once "
                    "blindness is lifted, so nobody sees another reviewer's decisions while "
                    "coding.",
                    chosen,
                ),
                icon=":material/visibility_off:",
            )
        else:
            history = store.history()
            _between_reviewers(view, history, chosen)
            _machine_and_consensus(view, history, chosen)
            _queue(view, store, history, chosen)
    _machine_and_decisions(view, MIN_UNITS)


def _between_reviewers(view: View, history: pd.DataFrame, chosen: str) -> None:
    codebook = view.corpus.codebook
    figures = reviewer_agreement(history, chosen, codebook)
    st.caption(
        md(
            "Agreement beyond chance between the reviewers of round {}, theme by theme, over "
            "the posts at least two of them coded (n): {} when two reviewers coded a theme, "
            "{} (nominal) when more; the Measure column names which. 1 is perfect agreement, "
            "0 what chance alone gives. All agree: the share of those posts on which every "
            "reviewer gave the same answer.",
            chosen,
            KAPPA,
            ALPHA,
        )
    )
    st.dataframe(reviewer_agreement_table(figures, MIN_UNITS), hide_index=True)
    small = figures[figures["small_sample"] & (figures["measure"] != "")]
    if not small.empty:
        st.warning(
            safe(
                small_sample_note(small["label"], MIN_UNITS, "posts coded by two or more reviewers")
            ),
            icon=":material/warning:",
        )


def _machine_and_consensus(view: View, history: pd.DataFrame, chosen: str) -> None:
    corpus = view.corpus
    figures = machine_agreement(corpus.posts, corpus.tags, history, chosen, corpus.codebook)
    st.markdown("**Machine and the reviewers' consensus**")
    st.caption(
        md(
            "Cohen's kappa between the machine tags and the consensus of round {}: the answer "
            "its reviewers agree on, or the one that settled their disagreement. Posts still "
            "in dispute are left out.",
            chosen,
        )
    )
    st.dataframe(machine_consensus_table(figures, MIN_UNITS), hide_index=True)
    small = figures[figures["small_sample"] & (figures["n"] > 0)]
    if not small.empty:
        st.warning(
            safe(small_sample_note(small["label"], MIN_UNITS, "posts with a consensus")),
            icon=":material/warning:",
        )


def _queue(view: View, store, history: pd.DataFrame, chosen: str) -> None:
    corpus, codebook = view.corpus, view.corpus.codebook
    queue = disagreements(history, chosen)
    st.markdown("**Disagreements to settle**")
    if queue.empty:
        st.success(md("Nothing to settle in round {}.", chosen), icon=":material/check:")
        return
    reviewer = str(st.session_state.get("reviewer") or "").strip()
    unlocked = (
        review_access.review_passcode() is not None
        and bool(st.session_state.get("review_unlocked", False))
        and bool(reviewer)
    )
    st.caption(
        md(
            "{} in round {}: posts where its reviewers gave different answers and nobody has "
            "settled it. The settling answer is what reviewed mode then uses.",
            count(len(queue), "disagreement"),
            chosen,
        )
    )
    if not unlocked:
        st.info(
            "Read only. To settle these, unlock editing and give your name on the Review page.",
            icon=":material/lock:",
        )
    titles = dict(zip(corpus.posts["id"], corpus.posts["title"], strict=True))
    rows = dict(zip(corpus.posts["id"], corpus.posts.index, strict=True))
    labels = codebook.labels
    for item in queue.itertuples():
        label = labels.get(item.theme, item.theme)
        with st.container(border=True, key=f"dispute-{item.post_id}-{item.theme}"):
            st.markdown(md("**{}** · {}", titles.get(item.post_id, item.post_id), label))
            st.caption(
                md(
                    "Applies: {} · Does not apply: {}",
                    names(item.applies) or "nobody",
                    names(item.does_not_apply) or "nobody",
                )
            )
            for comment in item.comments:
                st.caption(md("Comment: {}", comment))
            if not unlocked:
                continue
            index = rows.get(item.post_id)
            machine = bool(corpus.tags.at[index, item.theme]) if index is not None else False
            why = st.text_input(
                "Why (optional, kept with the settling decision)",
                key=f"settle-comment-{item.post_id}-{item.theme}",
                max_chars=COMMENT_LIMIT,
            )
            buttons = st.container(horizontal=True)
            for applies in SETTLE_LABELS:
                if buttons.button(
                    SETTLE_LABELS[applies],
                    key=f"settle-{applies}-{item.post_id}-{item.theme}",
                    icon=":material/gavel:",
                ):
                    settle(
                        store, chosen, item.post_id, item.theme, applies, reviewer,
                        codebook.version, machine=machine, comment=why,
                    )  # fmt: skip
                    notices.toast_after_rerun(
                        "Settled", f"{label} {'applies' if applies else 'does not apply'}"
                    )
                    st.rerun()


def _machine_and_decisions(view: View, minimum: int) -> None:
    corpus = view.corpus
    st.subheader("Machine and every counted decision", anchor=False)
    table = agreement(corpus.posts, corpus.tags, view.decisions, corpus.codebook)
    if int(table["decisions"].sum()) == 0:
        st.caption("No reviewer has recorded a decision yet (see the Review page).")
        return
    st.caption(
        "Cohen's kappa between the machine tags and every decision reviewed mode counts, "
        "inside review rounds and outside them, over the posts reviewed for each theme (n). "
        "It differs from the round's figure above, which uses only that round's consensus."
    )
    st.dataframe(agreement_table(table, minimum), hide_index=True)
    small = table[(table["decisions"] > 0) & (table["decisions"] < minimum)]
    if not small.empty:
        st.warning(
            safe(small_sample_note(small["label"], minimum, "reviewed posts")),
            icon=":material/warning:",
        )
