"""Page styles: larger type in presentation mode (captions are readable by the theme's text
colour, set in .streamlit/config.toml).

Our own static CSS only: no post text ever goes into it.
"""

from __future__ import annotations

import streamlit as st

#: Presentation mode's type and contrast.
PRESENTATION_CSS = """
<style>
  .stMain { font-size: 1.3rem; }
  .stMain h1 { font-size: 3rem; }
  .stMain h3 { font-size: 2.2rem; line-height: 1.25; color: inherit; }
  .stMain p, .stMain li, .stMain label { font-size: 1.3rem; }
  .stMain [data-testid="stCaptionContainer"] { font-size: 1.1rem; opacity: 0.9; }
  .stMain .block-container { padding-top: 3.6rem; padding-bottom: 1rem; max-width: 100%; }
  .stMain h3 { padding-top: 0.2rem; }
  /* The findings in words: read at a glance, leaving the chart in view at 1280×720. */
  .stMain .st-key-findings p { font-size: 1.1rem; line-height: 1.45; }
  /* Metric values larger than their labels, as on a slide. */
  .stMain [data-testid="stMetricValue"],
  .stMain [data-testid="stMetricValue"] p { font-size: 3.2rem; line-height: 1.2; }
  .stMain [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
  /* The list of clicked posts, in its dialog, as large as the page's type. */
  [data-testid="stDialog"] p { font-size: 1.3rem; }
  /* Tables are drawn on a canvas, so their type follows the page only when zoomed; the
     width is shrunk by as much, so the zoomed table still fits its column. */
  .stMain [data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]),
  [data-testid="stDialog"] [data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]) {
    zoom: 1.3;
    width: calc(100% / 1.3) !important;
  }
</style>
"""


def presenting() -> bool:
    """Whether presentation mode is on (by the toggle, or by a link's ``present=true``)."""
    if "present" in st.session_state:
        return bool(st.session_state["present"])
    return st.query_params.get("present", "").lower() in {"true", "1", "yes", "on"}


def presentation_style() -> None:
    """Larger type and higher contrast for a shared screen."""
    st.html(PRESENTATION_CSS)
