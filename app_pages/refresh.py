"""Refresh from the blog: the sidebar's action (under Data and codebook) for whoever holds
the review passcode. Thin glue: the fetch, the merge and the summary are
:func:`analysis.fetching.refresh` and :func:`analysis.fetching.summary_lines`, the same as
``python -m analysis fetch --merge``.

After a refresh the session shows the merged posts, and they can be downloaded as CSV;
nothing is written to ``data/``. Offline, one line says so and nothing changes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import streamlit as st

from analysis.crawling import HALN_BLOG_URL, Unreachable
from analysis.exports import csv_bytes
from analysis.filenames import filename
from analysis.formatting import number
from analysis.loading import BUNDLED_POSTS, read_posts
from analysis.post_checks import LoadError
from app_pages.text import md

if TYPE_CHECKING:
    from analysis.fetching import Progress

#: Session key of the last refresh: the merged CSV, its summary and the posts' name.
KEY = "refreshed_posts"
#: The name the session's posts go by after a refresh.
NAME = "posts refreshed from the blog"


def panel(posts: bytes | str | None, name: str, passcode: str | None) -> bytes | None:
    """Draw the refresh action for the posts in use (CSV bytes, a file's path, or None for
    the bundled file) called ``name``; return the refreshed posts as CSV bytes once a
    refresh has worked this session, else None."""
    st.markdown("**Refresh from the blog**")
    if passcode is None or not st.session_state.get("review_unlocked"):
        st.caption(
            "For reviewers: unlock editing on the Review page to fetch new posts, real dates "
            "and full text from the blog."
            if passcode is not None
            else "Needs a review passcode (see the README, Human review)."
        )
        return None
    url = st.text_input("Blog address", value=HALN_BLOG_URL, key="refresh_url")
    if st.button("Refresh from the blog", key="refresh_button", icon=":material/sync:"):
        _refresh(url, posts, name)
    done = st.session_state.get(KEY)
    if done is None:
        return None
    # Plain text, not Markdown: titles and addresses from the blog can form no link.
    st.text("\n".join(f"• {line}" for line in done["lines"]))
    st.download_button(
        "Merged posts (CSV)",
        done["csv"],
        file_name=filename("posts", "refreshed", ext="csv"),
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="refresh_download",
    )
    if st.button("Stop using the refreshed posts", key="refresh_discard"):
        del st.session_state[KEY]
        st.rerun()
    return done["csv"]


def _refresh(url: str, posts: bytes | str | None, name: str) -> None:
    """Fetch and merge into the posts in use; on success keep the result in the session."""
    # The crawler's feed and page readers (lxml, charset detection): only when asked.
    from analysis.fetching import FetchError, refresh, summary_lines

    try:
        source = io.BytesIO(posts) if isinstance(posts, bytes) else posts or BUNDLED_POSTS
        existing = read_posts(source, name)
    except (LoadError, OSError) as error:
        st.error("The posts in use could not be read, so nothing was changed.")
        st.text(str(error))
        return
    bar = st.progress(0.0, text="Asking the blog…")

    def progress(step: Progress) -> None:
        done = step.done / step.total if step.total else 0.0
        where = urlsplit(step.url).path or "/"  # a path, escaped: it cannot form a link
        doing = (
            f"Reading post {number(step.done)} of {number(step.total)}"
            if step.total
            else "Finding posts"
        )
        bar.progress(min(done, 1.0), text=md("{}: {}", doing, where))

    try:
        result = refresh(url, existing, progress=progress)
    except Unreachable:
        st.warning(
            "Offline: the blog could not be reached, so nothing was changed.",
            icon=":material/cloud_off:",
        )
        return
    except FetchError as error:
        st.error("The blog could not be read, so nothing was changed.")
        st.text(str(error))
        return
    finally:
        bar.empty()
    st.session_state[KEY] = {"csv": csv_bytes(result.table), "lines": summary_lines(result)}
