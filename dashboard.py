"""Anchor Themes: which themes the UK's health anchor movement writes about, and when.

Run with ``streamlit run dashboard.py`` (or ``make run``). This entry point sets
up the page, the shared sidebar filters and the navigation; each page lives in
``app_pages/`` and all the work in ``analysis/``.

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder beside the
entry point as an old-style multipage app until st.navigation has run once in the
server process, so the first visitor to a shared link such as ``/explore`` would get
that page without its sidebar.
"""

import streamlit as st

from app_pages import shared

st.set_page_config(
    page_title="Anchor Themes",
    page_icon=":material/anchor:",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = st.navigation(
    {
        "Explore": [
            st.Page(
                "app_pages/overview.py", title="Overview", icon=":material/insights:", default=True
            ),
            st.Page("app_pages/explore.py", title="Explore posts", icon=":material/article:"),
            st.Page("app_pages/themes.py", title="Themes", icon=":material/sell:"),
        ],
        "Evaluate": [
            st.Page("app_pages/quality.py", title="Tagging quality", icon=":material/fact_check:"),
            st.Page("app_pages/review.py", title="Review", icon=":material/rate_review:"),
        ],
    }
)
st.sidebar.title("Anchor Themes")
st.sidebar.caption("Themes in the Health Anchors Learning Network blog, over time.")
view = shared.sidebar()
shared.report_button(view)
pages.run()
