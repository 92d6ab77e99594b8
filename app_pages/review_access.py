"""The review log and the passcode that unlocks editing, from secrets or the environment."""

from __future__ import annotations

import os

import streamlit as st

from analysis.review_passcode import configured_passcode
from analysis.review_store import ReviewStore, default_database_url, engine_options


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def review_store() -> ReviewStore:
    """The review log: Streamlit secrets ``[connections.reviews] url``, else
    ANCHOR_THEMES_REVIEW_DB, else a SQLite file outside the repository."""
    url = _secrets().get("connections", {}).get("reviews", {}).get("url")
    return _store(url or default_database_url(os.environ))


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ReviewStore:
    return ReviewStore(st.connection("reviews", type="sql", url=url, **engine_options(url)).engine)


def review_passcode() -> str | None:
    """The passcode that unlocks editing, from secrets or the environment (None: read-only)."""
    return configured_passcode(os.environ, _secrets())
