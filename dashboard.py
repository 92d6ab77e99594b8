"""Anchor Themes: which themes the UK's health anchor movement writes about, and when.

Run with ``streamlit run dashboard.py`` (or ``make run``). This entry point sets
up the page, the shared sidebar filters and the navigation; each page lives in
``app_pages/`` and all the work in ``analysis/``.

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder beside the
entry point as an old-style multipage app until st.navigation has run once in the
server process, so the first visitor to a shared link such as ``/explore`` would get
that page without its sidebar.
"""

from pathlib import Path

import streamlit as st

from app_pages import banner, garbage, links, notices, reporting, sidebar, style

#: Material Symbols' rounded anchor, drawn from the font Streamlit bundles. A PNG file,
#: not ":material/anchor:" (which the browser fetches from fonts.gstatic.com) nor an SVG
#: (sent inline): Streamlit serves the file's bytes from our own server, at /media/.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"

# What the imports made lives as long as the server: out of every collection from now on,
# so none falls in the middle of a fresh server's first run (app_pages/garbage.py).
garbage.freeze_new_imports(collect=False)

presenting = style.presenting()
st.set_page_config(
    page_title="Anchor Themes",
    page_icon=FAVICON,
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "expanded",
)
if presenting:
    style.presentation_style()

sections = {
    "Explore": [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/insights:", default=True
        ),
        st.Page("app_pages/explore.py", title="Explore posts", icon=":material/article:"),
        st.Page("app_pages/themes.py", title="Themes", icon=":material/sell:"),
    ],
    "Workshop": [
        st.Page("app_pages/whatif.py", title="What if?", icon=":material/science:"),
    ],
    "Evaluate": [
        st.Page(
            "app_pages/tagging_quality.py",
            title="Tagging quality",
            icon=":material/fact_check:",
            url_path="quality",  # the address shared links have always used
        ),
        st.Page("app_pages/review.py", title="Review", icon=":material/rate_review:"),
    ],
}
# Our own page links (below) carry the filters along, which Streamlit's menu would drop.
pages = st.navigation(sections, position="hidden")
st.sidebar.title("Anchor Themes")
st.sidebar.caption("Themes in the Health Anchors Learning Network blog, over time.")
menu = st.sidebar.container()
view = sidebar.sidebar()
links.menu(menu, sections)
reporting.report_button(view)
share = st.sidebar.container()
banner.show(view)  # above every page, presentation mode too
notices.pending_toast()  # what the last click did, said after the rerun that redrew it
try:
    pages.run()
finally:  # also when a page stops early: the address bar always holds the view
    links.sync_url(share)
    garbage.freeze_new_imports()  # so Streamlit's collection after each run stays cheap
