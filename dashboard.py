"""Anchor Themes: which themes the UK's health anchor movement writes about, and when.

Run with ``streamlit run dashboard.py`` (or ``make run``). This entry point sets
up the page, the shared sidebar filters and the navigation; each page lives in
``pages/`` and all the work in ``analysis/``.
"""

import streamlit as st

from pages import shared

st.set_page_config(
    page_title="Anchor Themes",
    page_icon=":material/anchor:",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon=":material/insights:", default=True),
        st.Page("pages/explore.py", title="Explore posts", icon=":material/article:"),
        st.Page("pages/themes.py", title="Themes", icon=":material/sell:"),
    ]
)
st.sidebar.title("Anchor Themes")
st.sidebar.caption("Themes in the Health Anchors Learning Network blog, over time.")
shared.sidebar()
pages.run()
