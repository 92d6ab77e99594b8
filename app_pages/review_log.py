"""The review log on the Review page: every decision the reader may see, filtered on the page,
and the CSV and XLSX of exactly what the filters show. Drawn only once its expander is
opened, so the page's first paint does not wait for it (issue 12)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.corpus import Corpus
from analysis.review_export import (
    filter_log,
    review_log_about,
    review_log_csv,
    review_log_filename,
    review_log_table,
    review_log_xlsx,
)
from analysis.review_store import DECISIONS
from app_pages import review_wording as words
from app_pages.text import safe

#: Session key of the log's expander (True while open).
OPEN = "review_log_open"
#: The filters' session keys, by :func:`filter_log` keyword.
FILTERS = {
    "who": "log_who",
    "themes": "log_themes",
    "rounds": "log_rounds",
    "decisions": "log_decisions",
}
SEARCH = "log_search"
#: The table's columns on screen, what a reader scans first leftmost (the files keep
#: :data:`analysis.review_export.LOG_COLUMNS`' order).
ON_SCREEN = (
    "who", "theme label", "decision", "comment", "round", "when (UTC)", "post", "machine tag",
    "value before", "applies", "settles a disagreement", "codebook version", "theme", "entry",
)  # fmt: skip


def section(history: pd.DataFrame, corpus: Corpus, rounds: pd.DataFrame, hidden: int) -> None:
    """The log of ``history`` (what the reader may see; ``rounds`` as from
    :meth:`ReviewStore.rounds`); ``hidden``: how many decisions of blind rounds are left out,
    which the section and the files then say."""
    box = st.expander(words.LOG_LABEL, key=OPEN, on_change="rerun", icon=":material/history:")
    if not box.open:
        return
    with box:
        if hidden:
            st.caption(words.LOG_HIDDEN)
        table = review_log_table(
            history, posts=corpus.posts, machine_tags=corpus.tags, codebook=corpus.codebook
        )
        chosen, text = _filters(table, corpus), st.session_state.get(SEARCH)
        shown = filter_log(table, **chosen, text=text)
        named = named_by(chosen, text)
        about = review_log_about(
            filters=chosen, text=text, rounds=rounds, shown=len(shown), seen=len(table),
            hidden=hidden,
        )  # fmt: skip
        st.caption(safe(words.log_count(len(shown), len(table))))
        blank = {"comment": shown["comment"].fillna(""), "round": shown["round"].fillna("")}
        st.dataframe(
            shown.assign(**blank), hide_index=True, column_order=ON_SCREEN, key="log_table"
        )  # no comment, no round: an empty cell, not "None"
        left, right = st.columns(2)
        left.download_button(
            "Review log (CSV)", lambda: review_log_csv(shown, about),
            file_name=review_log_filename("csv", filters=named), mime="text/csv",
            icon=":material/download:", on_click="ignore", key="log_csv",
        )  # fmt: skip
        right.download_button(
            "Review log (XLSX)", lambda: review_log_xlsx(shown, about),
            file_name=review_log_filename("xlsx", filters=named),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:", on_click="ignore", key="log_xlsx",
        )  # fmt: skip


def named_by(chosen: dict[str, list[str] | None], text: str | None) -> tuple[str, ...]:
    """Words naming the filters in force, for the download's file name: each chosen value
    (``no-round`` for decisions outside any round), then ``matching`` and the search text."""
    parts: list[str] = []
    for values in chosen.values():
        parts += [value or "no-round" for value in values or ()]
    if text and text.strip():
        parts += ["matching", text.strip()]
    return tuple(parts)


def _filters(table: pd.DataFrame, corpus: Corpus) -> dict[str, list[str] | None]:
    """Draw the filters over the table; their choices as :func:`filter_log` keywords (an empty
    choice filters nothing)."""
    labels = corpus.codebook.labels
    rounds = sorted(set(table["round"].dropna()))
    options = {
        "who": sorted(set(table["who"])),
        "themes": [t.id for t in corpus.codebook.themes]
        + sorted(set(table["theme"]) - set(labels)),
        "rounds": ["", *rounds],
        "decisions": list(DECISIONS),
    }
    shown = {
        "who": str,
        "themes": lambda theme: labels.get(theme, theme),
        "rounds": lambda name: name or "No round",
        "decisions": str.capitalize,
    }
    titles = {"who": "Who", "themes": "Theme", "rounds": "Round", "decisions": "Decision"}
    columns = st.columns([1, 1, 1, 1, 2])
    chosen: dict[str, list[str] | None] = {}
    for column, (name, key) in zip(columns, FILTERS.items(), strict=False):
        picked = column.multiselect(
            titles[name],
            options[name],
            format_func=shown[name],
            key=key,
            placeholder="All",
        )
        chosen[name] = picked or None
    columns[-1].text_input(words.LOG_SEARCH, key=SEARCH)
    return chosen
