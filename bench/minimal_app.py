"""The yardstick for ``bench/workshop_load.py``: the least a Streamlit+Plotly app does.

One page over the same bundled posts and codebook as the dashboard: a sidebar
multiselect of themes (labelled "Themes", the same options as the dashboard's, "No
theme" last) and one Plotly bar chart of posts per theme per quarter, one trace per
chosen theme. Posts are read and tagged once per server (``st.cache_data``) with a plain
regular expression per theme; each rerun only filters and draws. A "Period" control
(month, quarter, year; quarter first, as on the dashboard's Overview) gives
``bench/page_speed.py`` the same change to time on both apps.

``streamlit run bench/minimal_app.py -- --posts FILE`` reads another posts file with the
same columns (``bench/page_speed.py`` passes its 100,000 synthetic posts).

It deliberately imports nothing from ``analysis``: it is what a page costs with none of
the dashboard's machinery, so the load test's ratios say what that machinery adds.

    streamlit run bench/minimal_app.py
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

DATA = Path(__file__).resolve().parent.parent / "data"
NO_THEME = "none"
POSTS = Path(sys.argv[2]) if sys.argv[1:2] == ["--posts"] else DATA / "posts.csv"
PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


def _pattern(terms: list[str]) -> re.Pattern:
    words = (re.escape(term.lower()).replace(r"\*", r"\w*") for term in terms)
    return re.compile(r"\b(?:" + "|".join(words) + r")\b")


@st.cache_data
def load() -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """Posts with one boolean column per theme (and 'none'), theme labels and colours."""
    posts = pd.read_csv(POSTS, dtype=str, keep_default_na=False)
    codebook = tomllib.loads((DATA / "codebook.toml").read_text(encoding="utf-8"))
    text = (posts["title"] + " " + posts["summary"]).str.lower()
    labels, colours = {}, {}
    for theme in codebook["themes"]:
        posts[theme["id"]] = text.str.contains(_pattern(theme["terms"]))
        labels[theme["id"]], colours[theme["id"]] = theme["label"], theme["colour"]
    posts[NO_THEME] = ~posts[list(labels)].any(axis=1)
    labels[NO_THEME] = codebook["no_theme"]["label"]
    colours[NO_THEME] = codebook["no_theme"]["colour"]
    published = pd.to_datetime(posts["published"], format="ISO8601", errors="coerce")
    for period, code in PERIODS.items():
        posts[period] = published.dt.to_period(code).astype(str)
    return posts[posts["quarter"] != "NaT"], labels, colours


st.set_page_config(page_title="Minimal yardstick", layout="wide")
posts, labels, colours = load()
themes = st.sidebar.multiselect(
    "Themes", list(labels), default=list(labels), format_func=labels.__getitem__
)
st.title("Posts per theme over time")
period = st.segmented_control(
    "Period", list(PERIODS), default="quarter", required=True, format_func=str.capitalize
)
counts = posts.groupby(period)[themes].sum().sort_index()
figure = go.Figure(
    [
        go.Bar(x=counts.index, y=counts[theme], name=labels[theme], marker_color=colours[theme])
        for theme in themes
    ],
    layout={"barmode": "stack", "legend_title_text": "Theme"},
)
st.plotly_chart(figure)
