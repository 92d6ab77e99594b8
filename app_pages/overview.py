"""Overview: headline figures, coverage over time, theme totals, co-occurrence, data checks."""

import streamlit as st

from analysis.coverage import headline_sentence
from analysis.selection import Drawn
from app_pages import clicks, notices, sections
from app_pages.text import md, safe
from app_pages.view import current_view, setting


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

    clicks.start()
    drawn = Drawn(posts, tags, codebook)
    said, figures = sections.summary(view, setting("granularity"))

    if view.presenting:
        st.subheader(safe(headline_sentence(figures, codebook.labels)), anchor=False)
        sections.said_here(said)
        setting("chart")
        chart = st.segmented_control(
            "Chart",
            list(sections.CHARTS),
            required=True,
            format_func=lambda key: sections.CHARTS[key][0],
            key="chart",
            label_visibility="collapsed",
            persist_state="session",
        )
        sections.CHARTS[chart][1](view, drawn)
        return

    sections.said_here(said)
    sections.headline_metrics(figures, codebook)
    st.header("Coverage over time")
    sections.coverage_section(view, drawn)
    st.header(safe(sections.themes_heading(view.filters)))
    left, right = st.columns(2)
    with left:
        sections.totals_section(view, drawn)
    with right:
        sections.together_section(view, drawn)

    st.header("Data checks")
    sections.data_checks(corpus.findings)


render()
