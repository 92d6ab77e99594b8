"""Themes the codebook misses: groups of posts that share words no theme lists, on What if?.

What if? shows it with one call (:func:`panel`). The groups are
:func:`analysis.discovery.discover`'s, over the posts no theme tags (in the tag mode in use)
or, with the toggle, over every post; worked out once per (posts, which posts) and only
while the panel is open. "Make it a theme" adds a group as a new What if? theme
(:meth:`analysis.discovery.Group.as_theme`), so every page counts with it.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from analysis.codebook import Codebook
from analysis.formatting import count, number
from app_pages import data_sources, memo
from app_pages.text import md
from app_pages.view import View

MAKE = "Make it a theme"
MADE = "A theme in What if?"
#: Fewer posts searched than this and the panel says its groups may be chance.
FEW_POSTS = 100


def _engine():
    """:mod:`analysis.discovery`, imported once the panel is opened (scikit-learn is slow to
    import, and the page's first paint does not need it)."""
    from analysis import discovery

    return discovery


@st.cache_resource(show_spinner="Looking for groups of posts…", max_entries=16)
def _discovered(_posts, _mask, posts_key: str, mask_key: str | None) -> tuple[tuple, str]:
    """The groups among these posts (named by their digest), or those ``_mask`` keeps, and
    why there are none when there are none."""
    engine = _engine()
    groups = tuple(engine.discover(_posts, mask=_mask))
    return groups, "" if groups else engine.why_none(_posts, mask=_mask)


def discovered(view: View, everything: bool) -> tuple[tuple, str]:
    """:func:`analysis.discovery.discover` over the view's posts: all of them with
    ``everything``, else those with no theme in the tags in use; worked out once for each.
    With no group, :func:`analysis.discovery.why_none`'s reason."""
    posts = view.corpus.posts
    mask = mask_key = None
    if not everything:
        mask = Codebook.untagged(view.all_tags)
        mask_key = hashlib.blake2b(mask.to_numpy(dtype=bool).tobytes(), digest_size=16).hexdigest()
    return _discovered(posts, mask, memo.view_key(view)[0], mask_key)


def _made(group, codebook: Codebook) -> bool:
    """Whether the codebook in use has a theme made from ``group`` (its label is taken)."""
    taken = {label.casefold() for label in codebook.labels.values()}
    return group.label.casefold() in taken


def _as_theme(codebook: Codebook, group) -> Codebook:
    return group.as_theme(codebook)


def panel(view: View) -> None:
    """The "Themes the codebook misses" panel: groups found only once it is opened."""
    st.subheader("Themes the codebook misses", anchor=False)
    st.caption(
        "Groups of posts that share words of their own, found by topic modelling (NMF over "
        "TF-IDF). Each could be a theme nobody wrote: read its example posts before making it one."
    )
    box = st.expander("Groups of posts", key="discovery-open", on_change="rerun")
    if not box.open:  # modelling takes a while: only once someone asks
        return
    with box:
        _groups(view)


def _groups(view: View) -> None:
    everything = st.toggle(
        "All posts",
        key="discovery_all",
        help="Off: only the posts no theme tags. On: every post, tagged or not.",
    )
    posts = view.corpus.posts
    pool = len(posts) if everything else int(Codebook.untagged(view.all_tags).sum())
    which = "posts" if everything else "posts with no theme"
    groups, reason = discovered(view, everything)
    if not groups:
        st.info(
            md("No group found among the {} {}. {}", number(pool), which, reason),
            icon=":material/search_off:",
        )
        return
    st.caption(
        md("{} among the {} {}.", count(len(groups), "group"), number(pool), which)
        + (
            md(
                " {} posts are few: a group of a handful of posts may share its words by "
                "chance, so read its posts before making it a theme.",
                pool,
            )
            if pool < FEW_POSTS
            else ""
        )
    )
    codebook = view.corpus.codebook  # the What if? codebook, or the file's
    for position, group in enumerate(groups):
        with st.container(border=True, key=f"discovery-{position}"):
            text, button = st.columns([3, 1], vertical_alignment="center")
            text.markdown(md("**{}** · {}", group.label, count(group.size)))
            terms = group.theme_terms or group.terms
            outside = md(" and {} outside it", count(group.elsewhere)) if group.elsewhere else ""
            text.caption(
                md(
                    "Top terms: {}  \nAs a theme: {} (found in {} of its posts",
                    ", ".join(group.terms),
                    ", ".join(terms),
                    number(group.matched),
                )
                + outside
                + md(")  \nFor example: {}", "; ".join(group.examples))
            )
            made = _made(group, codebook)
            if button.button(
                MADE if made else MAKE,
                icon=":material/check:" if made else ":material/new_label:",
                key=f"discovery-make-{position}",
                disabled=made,
                help="Adds a What if? theme with these terms: every page counts with it.",
            ):
                data_sources.edit_codebook(_as_theme, codebook, group)
