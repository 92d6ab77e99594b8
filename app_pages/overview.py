"""Overview: headline figures, coverage over time, theme totals, co-occurrence, data checks."""

import streamlit as st

from analysis.selection import Drawn
from app_pages import notices, sections
from app_pages.text import md, safe
from app_pages.view import current_view


def render() -> None:
    view = current_view()
    corpus, codebook = view.corpus, view.corpus.codebook
    posts, tags = view.posts, view.tags

    if not view.presenting:
        st.title("Overview")
        st.caption(
            md(
                "{} · tagged with codebook {} · dates are marked where they are estimated or "
                "inferred",
                corpus.name,
                codebook.version,
            )
        )
    if not view.presenting:  # presenting, every chart's subtitle names the tags instead
        notices.mode_badge(view)

    if posts.empty:
        notices.empty_state("in this date range and search")
        return

    drawn = Drawn(posts, tags, codebook)
    sections.period_part(view, drawn)  # a fragment: a period change reruns it alone
    if view.presenting:
        return
    st.header(safe(sections.themes_heading(view.filters)))
    sections.theme_charts(view, drawn)  # the one chosen, drawn when chosen

    st.header("Data checks")
    sections.data_checks(corpus.findings)


render()
