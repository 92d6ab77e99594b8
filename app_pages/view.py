"""The view a page shows: the corpus and what the sidebar chose, and the settings behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import streamlit as st

from analysis.corpus import Corpus
from analysis.filters import Filters
from analysis.viewstate import DEFAULTS, TAG_MODES

#: Session key of the view the sidebar built for this run.
KEY = "_view"


@dataclass(frozen=True)
class View:
    """The corpus and what the sidebar chose.

    ``corpus`` is tagged with the codebook in use: the what-if codebook when a facilitator
    has edited one this session, else the file's; ``base_corpus`` always with the file's.
    ``all_tags`` are the tags in the chosen mode (machine, or reviewed: machine unless a
    human decided otherwise) for every post; ``visible`` marks posts in the date range and
    search, ``listed`` those of them with a chosen theme.
    """

    corpus: Corpus
    base_corpus: Corpus
    filters: Filters
    tag_mode: str
    all_tags: pd.DataFrame
    visible: pd.Series
    listed: pd.Series
    presenting: bool = False
    #: Labels coding these posts: the bundled ones for the bundled posts, the command
    #: line's --labels for its --posts; None when there are none.
    labels: pd.DataFrame | None = field(default=None, compare=False)
    #: Reads the review log's current decisions (:attr:`decisions`).
    read_decisions: Callable[[], pd.DataFrame] | None = field(
        default=None, compare=False, repr=False
    )

    @cached_property
    def decisions(self) -> pd.DataFrame:
        """The review log's current decisions, read when first asked for: machine tags on
        the Overview need none, and opening the log loads SQLAlchemy (issue 12)."""
        return self.read_decisions()

    @property
    def posts(self) -> pd.DataFrame:
        return self.corpus.posts[self.visible]

    @property
    def tags(self) -> pd.DataFrame:
        return self.all_tags[self.visible]

    @property
    def listed_posts(self) -> pd.DataFrame:
        return self.corpus.posts[self.listed]

    @property
    def mode_label(self) -> str:
        return TAG_MODES[self.tag_mode]


def current_view() -> View:
    """The view the sidebar built for this run."""
    return st.session_state[KEY]


def setting(key: str, default=None):
    """A setting's current value, first giving it its default (``default``, else
    :data:`analysis.viewstate.DEFAULTS`'s) so its widget needs none."""
    if key not in st.session_state:
        st.session_state[key] = DEFAULTS[key] if default is None else default
    return st.session_state[key]
