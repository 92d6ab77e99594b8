"""A second yardstick for ``bench/page_speed.py``: the minimal page drawing the dashboard's
own coverage chart.

``bench/minimal_app.py`` draws one plain stacked bar per theme per period. The dashboard's
coverage chart is richer by design: each bar is two parts, solid for posts with published
dates and hatched for estimated ones (the data must say which dates are estimates), grouped
side by side, with hover text naming the posts. This page is the minimal app's page (a
Themes multiselect, a Period control, one chart) with that chart, built by ``analysis`` as
the Overview builds it, so ``dashboard / same chart`` says what the dashboard's page costs
beyond its chart and ``same chart / minimal`` what the chart itself costs.

    streamlit run bench/same_chart_app.py [-- --posts FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.corpus import open_corpus
from analysis.coverage import coverage_over_time
from analysis.figure_style import for_screen
from analysis.figures import coverage_figure

POSTS = Path(sys.argv[2]) if sys.argv[1:2] == ["--posts"] else None
PERIODS = ("month", "quarter", "year")


@st.cache_resource
def corpus():
    """The posts, tagged once per server."""
    return open_corpus(POSTS) if POSTS else open_corpus(bundled=True)


st.set_page_config(page_title="Same-chart yardstick", layout="wide")
posts = corpus()
labels = posts.codebook.series_labels
themes = st.sidebar.multiselect(
    "Themes", list(labels), default=list(labels), format_func=labels.__getitem__
)
st.title("Posts per theme over time")
period = st.segmented_control(
    "Period", PERIODS, default="quarter", required=True, format_func=str.capitalize
)
table = coverage_over_time(posts.posts, posts.tags, period, themes)
figure = coverage_figure(table, posts.posts, posts.codebook, period, "count")
st.plotly_chart(for_screen(figure, dark=False, presenting=False), theme=None)
