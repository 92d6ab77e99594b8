"""Explore posts: the posts in view, and why a chosen post carries its themes."""

import streamlit as st

from analysis.explain import explain, review_notes
from analysis.formatting import agree, count
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
            len(posts),
            count(len(corpus.posts)),
            agree(len(posts), "matches", "match"),
        )
    )
    tags = view.all_tags.loc[posts.index]
    table = posts_table(posts, tags, codebook)
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


render()
