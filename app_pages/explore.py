"""Explore posts: the posts in view, and why a chosen post carries its themes."""

import streamlit as st

from analysis.explain import explain, review_notes
from analysis.formatting import agree, count, number
from analysis.tables import posts_table
from app_pages import links, notices, reporting
from app_pages import posts as posts_glue
from app_pages.review_access import review_store
from app_pages.text import md, safe
from app_pages.view import current_view


def render() -> None:
    view = current_view()
    corpus, codebook = view.corpus, view.corpus.codebook

    st.title("Explore posts")
    notices.mode_badge(view)
    posts = view.listed_posts
    if posts.empty:
        notices.empty_state("for these filters")
        return

    st.caption(
        md(
            "{} of {} {} the filters, newest first. Select a row to see its summary and why it "
            "has each theme.",
            number(len(posts)),
            count(len(corpus.posts)),
            agree(len(posts), "matches", "match"),
        )
    )
    page = _page(posts)
    table = posts_table(posts.loc[page], view.all_tags.loc[page], codebook)
    state = posts_glue.table(
        table,
        "posts_table",
        ["Title", "Date", "Date status", "Themes", "Link"],
        column_config=posts_glue.DETAILED,
        height="content" if len(table) <= 25 else 560,
        placeholder="",
        on_select="rerun",
        selection_mode="single-row",
        selection_default=links.post_selection(table["id"]),
    )

    # The files are the export of the view on screen (the period and measure chosen under
    # Overview), what `python -m analysis export` writes for it; built when a button is
    # clicked, not on every rerun (selecting a row reruns the page).
    shown = reporting.export_view(view)
    left, right, _ = st.columns([1, 2, 2])
    left.download_button(
        "Posts (CSV)",
        **reporting.export_file(view, shown, "posts", "csv"),
        icon=":material/download:",
    )
    right.download_button(
        "Posts, coverage, codebook, quality (XLSX)",
        **reporting.export_file(view, shown, "workbook", "xlsx"),
        icon=":material/table_view:",
    )

    rows = state.selection.rows
    links.choose_post(table.iloc[rows[0]]["id"] if rows else None)
    if not rows:
        st.info(
            "Select a post in the table to see its summary and evidence.",
            icon=":material/touch_app:",
        )
        return

    post = corpus.post(st.session_state["post"])
    matches = corpus.tagger.matches(post)
    posts_glue.show_post(post, matches, codebook)
    posts_glue.show_comments(review_store().history(), post["id"], codebook)

    st.markdown("**Why each theme was or was not given**")
    scores = corpus.result.scores.loc[post.name]  # why the machine tagged it
    # In reviewed mode a reviewer's decision comes first: "Added by Asha." (the decisions
    # that count for everyone: no vote of a blind round).
    reviews = (
        review_notes(post["id"], corpus.tags.loc[post.name], view.decisions)
        if view.tag_mode == "reviewed"
        else None
    )
    for reason in explain(matches, scores, codebook, reviews):
        mark = ":material/check_circle:" if reason.given else ":material/remove:"
        verdict = "given" if reason.given else "not given"
        st.markdown(mark + md(" **{}**: {}", reason.label, verdict))
        st.caption(safe(reason.reason))


def _page(posts):
    """The index of the posts on the table's page, newest first (the order of
    :func:`analysis.tables.posts_table`): all of them up to :data:`app_pages.posts.PAGE_ROWS`, else a page
    chosen with a number input, starting on the chosen post's page when there is one."""
    if len(posts) <= posts_glue.PAGE_ROWS:
        return posts.index
    order = posts["published"].sort_values(ascending=False, na_position="last", kind="stable")
    pages = -(-len(order) // posts_glue.PAGE_ROWS)
    chosen = st.session_state.get("post")
    if "posts_page" not in st.session_state and chosen is not None:
        at = (posts.loc[order.index, "id"] == chosen).to_numpy().nonzero()[0]
        if len(at):
            st.session_state["posts_page"] = int(at[0]) // posts_glue.PAGE_ROWS + 1
    if st.session_state.get("posts_page", 1) > pages:  # fewer posts in view than before
        st.session_state["posts_page"] = pages
    page = st.columns([1, 2])[0].number_input(
        md("Page (of {}; {} posts a page)", number(pages), number(posts_glue.PAGE_ROWS)),
        min_value=1,
        max_value=pages,
        step=1,
        key="posts_page",
    )
    start = (int(page) - 1) * posts_glue.PAGE_ROWS
    return order.index[start : start + posts_glue.PAGE_ROWS]


render()
