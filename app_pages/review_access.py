"""The review log and the passcode that unlocks editing, from secrets or the environment."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import streamlit as st

from analysis.review_passcode import configured_passcode

if TYPE_CHECKING:  # SQLAlchemy is imported where the review log is first opened (issue 12)
    from analysis.review_store import ReviewStore


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def review_store() -> ReviewStore:
    """The review log: Streamlit secrets ``[connections.reviews] url``, else
    ANCHOR_THEMES_REVIEW_DB, else a SQLite file outside the repository."""
    from analysis.review_store import default_database_url

    url = _secrets().get("connections", {}).get("reviews", {}).get("url")
    return _store(url or default_database_url(os.environ))


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ReviewStore:
    from analysis.review_store import ReviewStore, engine_options

    return ReviewStore(st.connection("reviews", type="sql", url=url, **engine_options(url)).engine)


def review_passcode() -> str | None:
    """The passcode that unlocks editing, from secrets or the environment (None: read-only)."""
    return configured_passcode(os.environ, _secrets())
