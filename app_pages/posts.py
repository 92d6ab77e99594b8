"""Posts on screen: the posts table every page draws alike, and one post's header."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explain import highlight
from analysis.formatting import format_date, safe_url
from app_pages.text import md, safe

#: The link column of every posts table.
LINK = st.column_config.LinkColumn(display_text="Open post")
#: Explore's fuller table: wide titles, and what each date status means.
DETAILED = {
    "Title": st.column_config.TextColumn(width="large"),
    "Date status": st.column_config.TextColumn(
        help="Published: stated for the post. Inferred: from what the post says. "
        "Estimated: from the order of the blog listing."
    ),
}


#: Posts Explore's table holds at once. More are listed a page at a time: a browser takes tens
#: of seconds to receive and draw a table of a million rows, and the server to build one.
PAGE_ROWS = 1_000


def table(data: pd.DataFrame, key: str, columns: list[str] | None = None, **kwargs):
    """Draw a table of posts (:func:`analysis.tables.posts_table` or alike): no index, links
    as 'Open post', ``columns`` in that order (None: all). ``kwargs`` go to ``st.dataframe``
    (``column_config`` is added to the link's)."""
    config = {"Link": LINK, **kwargs.pop("column_config", {})}
    return st.dataframe(
        data, hide_index=True, column_order=columns, column_config=config, key=key, **kwargs
    )


def show_post(post: pd.Series, matches, codebook) -> None:
    """A post's title, date, author, why its date, link, and its summary with theme terms
    marked; its full text, marked too, in an expander."""
    st.subheader(safe(post["title"]), anchor=False)
    details = [format_date(post["published"], post["date_precision"])]
    if isinstance(post["date_status"], str):
        details.append(f"date {post['date_status']}")
    if post["author"]:
        details.append(f"by {post['author']}")
    st.caption(safe(" · ".join(details)))
    if post["date_basis"]:
        st.caption(md("Why this date: {}", post["date_basis"]))
    if link := safe_url(post["url"]):
        st.link_button("Read the post", link, icon=":material/open_in_new:")

    st.markdown("**Summary**, with theme terms marked")
    summary = highlight(post["summary"], matches, "summary", codebook)
    st.html(f"<p style='font-size:1.05rem;line-height:1.6'>{summary}</p>")
    if post["text"]:
        with st.expander("Full text"):
            text = highlight(post["text"], matches, "text", codebook)  # escaped, then marked
            st.html(f"<p style='white-space:pre-line'>{text}</p>")


def comments(history: pd.DataFrame, post_id: str) -> pd.DataFrame:
    """The review log's comments on one post, oldest first: ``history``
    (:meth:`analysis.review_store.ReviewStore.history`) rows for ``post_id`` whose comment
    is not empty."""
    if history.empty or "comment" not in history:
        return history.iloc[0:0]
    said = history["comment"].fillna("").astype(str).str.strip().ne("")
    return history[said & history["post_id"].eq(post_id)]


def show_comments(history: pd.DataFrame, post_id: str, codebook) -> None:
    """What reviewers wrote about a post: who, when (UTC), the theme and decision, and the
    comment, each shown exactly as written."""
    from analysis.report import format_generated_at

    rows = comments(history, post_id)
    if rows.empty:
        return
    st.markdown(md("**Review comments** ({})", len(rows)))
    labels = codebook.labels
    for entry in rows.itertuples(index=False):
        with st.container(border=True):
            st.caption(
                md(
                    "{} · {} · {}: {}",
                    entry.reviewer,
                    format_generated_at(entry.decided_at),
                    labels.get(entry.theme, entry.theme),
                    entry.decision,
                )
            )
            st.markdown(safe(entry.comment))
