"""The Suggestions panel: codebook edits learned from labelled posts, tried in What if? in one click.

Tagging quality and What if? each show it with one call (:func:`panel`). The suggestions are
:func:`analysis.suggestions.suggest`'s, learned from the labels in use (the labels file that
came with the posts, or one uploaded on Tagging quality) and, in reviewed mode, from the
reviewers' decisions too (:func:`analysis.suggestions.labels_from_reviews`), against the
file's codebook. They are worked out once per (posts, labels, codebook), and only while the
panel is open. "Try in What if?" applies one to the What if? codebook
(:func:`app_pages.data_sources.edit_codebook`), so every page counts with it, the banner offers
the reset, and the edited codebook downloads from What if?.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.codebook import Codebook, CodebookError
from analysis.formatting import count, decimal, number
from app_pages import data_sources, memo
from app_pages.text import md, safe
from app_pages.view import View

#: Fewer labelled posts than this and the panel says its figures rest on few posts.
FEW_LABELLED = 50
#: Folds of the cross-validation behind each suggestion's figures.
FOLDS = 5
#: The suggestions tried in What if? this session, by what they do (theme, action, term).
APPLIED_KEY = "_suggestions_applied"
TRY = "Try in What if?"
APPLIED = "Applied in What if?"


def _engine():
    """:mod:`analysis.suggestions`, imported once the panel is opened (scikit-learn is slow to
    import, and the page's first paint does not need it)."""
    from analysis import suggestions

    return suggestions


def learning_labels(view: View, uploaded: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """The labels the suggestions learn from: ``uploaded``, else the labels that came with the
    posts; in reviewed mode with the reviewers' latest decisions in place of the labels of
    the posts they reviewed. None when there is nothing to learn from."""
    labels = uploaded if uploaded is not None else view.labels
    if not _learns_from_reviews(view):
        return labels
    codebook = view.base_corpus.codebook
    reviewed = _engine().labels_from_reviews(view.base_corpus.posts, view.decisions, codebook)
    return combined(labels, reviewed)


def _learns_from_reviews(view: View) -> bool:
    return view.tag_mode == "reviewed" and not view.decisions.empty


def labelled_count(view: View, uploaded: pd.DataFrame | None = None) -> int:
    """How many posts shown the suggestions learn from (worked out without learning)."""
    labels = uploaded if uploaded is not None else view.labels
    ids = pd.Index([] if labels is None else labels["id"])
    if _learns_from_reviews(view):
        ids = ids.union(pd.Index(view.decisions["post_id"]))
    return int(view.base_corpus.posts["id"].isin(ids).sum())


def combined(labels: pd.DataFrame | None, reviewed: pd.DataFrame) -> pd.DataFrame:
    """``labels`` with the rows of ``reviewed`` (the reviewers' decisions as labels) in place of
    theirs for the same posts, and added for posts ``labels`` has no row for."""
    if labels is None or labels.empty:
        return reviewed.reset_index(drop=True)
    if reviewed.empty:
        return labels
    kept = labels[~labels["id"].isin(reviewed["id"])]
    return pd.concat(
        [kept, reviewed[labels.columns.intersection(reviewed.columns)]], ignore_index=True
    )


@st.cache_resource(show_spinner="Learning suggestions from the labels…", max_entries=16)
def _suggested(_posts, _labels, posts_key: str, labels_key: str, codebook: Codebook):
    """The ranked suggestions for these posts, labels and codebook (named by their digests)."""
    return tuple(_engine().suggest(_posts, _labels, codebook, folds=FOLDS))


def suggested(view: View, labels: pd.DataFrame) -> tuple:
    """:func:`analysis.suggestions.suggest` for the view's posts, ``labels`` and the file's
    codebook, worked out once for each of them."""
    posts, codebook = view.base_corpus.posts, view.base_corpus.codebook
    return _suggested(posts, labels, memo.view_key(view)[0], memo.frame_digest(labels), codebook)


def _applied() -> set:
    """What was tried this session; forgotten once the file's codebook is back in use."""
    if data_sources.whatif_codebook() is None:
        st.session_state.pop(APPLIED_KEY, None)
        return set()
    return st.session_state.setdefault(APPLIED_KEY, set())


def _what(suggestion) -> tuple[str, str, str]:
    return suggestion.theme, suggestion.action, suggestion.term


def _is_applied(suggestion, codebook: Codebook, applied: set) -> bool:
    """Whether the codebook in use already carries ``suggestion``: applying it again changes
    nothing, or it was tried this session and cannot be applied again (a term dropped)."""
    try:
        return suggestion.apply(codebook) == codebook
    except CodebookError:
        return _what(suggestion) in applied


def _apply(codebook: Codebook, suggestion) -> Codebook:
    """The What if? edit of ``suggestion`` (for :func:`data_sources.edit_codebook`)."""
    edited = suggestion.apply(codebook)
    st.session_state.setdefault(APPLIED_KEY, set()).add(_what(suggestion))
    return edited


def _titles(posts: pd.DataFrame, ids) -> str:
    titles = posts.set_index("id")["title"]
    return "; ".join(str(titles.get(post, post)) for post in ids)


def panel(view: View, labels: pd.DataFrame | None = None, *, key: str = "suggestions") -> None:
    """The Suggestions panel for ``view``, learning from ``labels`` (None: the labels that came
    with the posts). Its suggestions are worked out only once it is opened; ``key`` names its
    widgets (one panel per page)."""
    st.subheader("Suggestions", anchor=False)
    labelled = labelled_count(view, labels)
    reviews = view.tag_mode == "reviewed"
    if not labelled:
        st.caption(
            "Suggestions learn from labelled posts, and these posts came with no labels: "
            "upload a labels CSV on Tagging quality to see suggestions there"
            + (", or record decisions on the Review page." if reviews else ".")
        )
        return
    source = "the labels and reviewers' decisions on" if reviews else "the labels of"
    st.caption(
        "Terms to add, drop or guard, learned from "
        + source
        + md(" {} posts, against the file's codebook. ", number(labelled))
        + "Try one in What if? and every page counts with it."
    )
    box = st.expander("Suggested codebook edits", key=f"{key}-open", on_change="rerun")
    if not box.open:  # learning takes a while: only once someone asks
        return
    with box:
        _suggestions(view, learning_labels(view, labels), labelled, key)


def _suggestions(view: View, labels: pd.DataFrame, labelled: int, key: str) -> None:
    posts, base = view.base_corpus.posts, view.base_corpus.codebook
    found = suggested(view, labels)
    st.caption(
        md(
            "Figures are estimated by {}-fold cross-validation over the {} labelled posts: each "
            "suggestion is scored only on posts it was not learned from. Posts gained and lost "
            "are among all the labelled posts.",
            FOLDS,
            number(labelled),
        )
    )
    if labelled < FEW_LABELLED:
        st.warning(
            md(
                "{} labelled posts are few: one post more or less moves these figures a lot. "
                "Read the suggestions as leads to check, not as proof; label more posts for "
                "firmer ones.",
                number(labelled),
            ),
            icon=":material/warning:",
        )
    if not found:
        st.info("No edit to the codebook does better on these labels.", icon=":material/check:")
        return
    codebook = view.corpus.codebook  # the What if? codebook, or the file's
    applied = _applied()
    labels_of = base.labels
    for theme in base.ids:
        mine = [(n, s) for n, s in enumerate(found) if s.theme == theme]
        if not mine:
            continue
        st.markdown(md("**{}**", labels_of[theme]))
        for position, suggestion in mine:
            with st.container(border=True, key=f"{key}-{position}"):
                text, button = st.columns([3, 1], vertical_alignment="center")
                text.markdown(safe(suggestion.text))
                before, after = suggestion.before, suggestion.after
                # The sentence gives F1 before and after; precision and recall say why.
                figures = md(
                    "Precision {} → {}, recall {} → {}",
                    *map(decimal, (before["precision"], after["precision"])),
                    *map(decimal, (before["recall"], after["recall"])),
                )
                gains = loses = ""
                if suggestion.gained:
                    gains = md(
                        "  \nGains {}: {}",
                        count(len(suggestion.gained)),
                        _titles(posts, suggestion.gained),
                    )
                if suggestion.lost:
                    loses = md(
                        "  \nLoses {}: {}",
                        count(len(suggestion.lost)),
                        _titles(posts, suggestion.lost),
                    )
                text.caption(figures + (gains + loses or "  \nTags and untags no labelled post."))
                done = _is_applied(suggestion, codebook, applied)
                if button.button(
                    APPLIED if done else TRY,
                    icon=":material/check:" if done else ":material/science:",
                    key=f"{key}-try-{position}",
                    disabled=done,
                    help="The What if? codebook carries it: reset from the banner."
                    if done
                    else "Add this edit to the What if? codebook: every page counts with it.",
                ):
                    data_sources.edit_codebook(_apply, codebook, suggestion)
