"""Click-through for every chart: a mark, or a row of the chart's data table, lists its posts.

One path for every chart on every page. :func:`chart` draws a figure whose marks carry
``customdata`` (:mod:`analysis.selection`) and reports the clicked points; :func:`table`
draws the chart's data table with row selection, for people using a keyboard; :func:`show`
lists exactly the posts behind what was picked, says what was clicked and how many, and
offers a way back. In presentation mode the list opens in a dialog, so it is in view on a
shared 1280×720 screen instead of below the fold.

Which posts a mark stands for is worked out afresh by :func:`analysis.selection.resolve`
from the posts and tags the chart was drawn from (:class:`analysis.selection.Drawn`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.formatting import count
from analysis.selection import Drawn, Picked, resolve, row_marks
from analysis.tables import posts_table
from app_pages import charts
from app_pages import posts as posts_glue
from app_pages.text import md

#: Session key of the chart whose list is open in a dialog this run (only one dialog at a time).
_DIALOG = "_clicks_dialog"
LISTED_COLUMNS = ["Title", "Date", "Date status", "Themes", "Link"]


def _round(key: str) -> int:
    return st.session_state.get(f"_{key}_round", 0)


def clear(key: str) -> None:
    """Forget what was picked on chart ``key`` (its marks and its table's rows): their
    widgets get new keys, so they are drawn afresh with nothing selected."""
    st.session_state[f"_{key}_round"] = _round(key) + 1


def start() -> None:
    """Call at the top of a page with clickable charts: no dialog is open yet this run."""
    st.session_state[_DIALOG] = None


def chart(figure, key: str, filename: str, **kwargs) -> list[dict]:
    """Draw ``figure`` (house style, :func:`app_pages.charts.chart`, which takes ``kwargs``)
    so a click on a mark reruns the page, and return the clicked points (empty when none)."""
    event = charts.chart(
        figure,
        key=f"{key}-{_round(key)}",
        filename=filename,
        on_select="rerun",
        selection_mode="points",
        **kwargs,
    )
    return list(event["selection"]["points"])  # item access: a state set by a test is a dict


def table(
    data: pd.DataFrame, key: str, chart_name: str, frame, theme_id: str = "", **kwargs
) -> list[dict]:
    """Draw a chart's data table whose rows can be selected (click or keyboard), and return
    the selected rows as the points of their marks.

    ``data`` is shown, ``frame`` is what it was built from, row for row (as
    :func:`analysis.selection.row_marks` takes it).
    """
    event = st.dataframe(
        data,
        hide_index=True,
        key=f"{key}-rows-{_round(key)}",
        on_select="rerun",
        selection_mode="multi-row",
        **kwargs,
    )
    return row_marks(chart_name, frame, list(event["selection"]["rows"]), theme_id)


def show(points: list[dict], drawn: Drawn, key: str, presenting: bool) -> Picked | None:
    """List the posts behind ``points`` (clicked marks and selected rows of chart ``key``),
    inline or, in presentation mode, in a dialog. Returns what was picked (None: nothing)."""
    picked = resolve(points, drawn)
    if picked is None:
        return None
    if presenting and st.session_state.get(_DIALOG) is None:
        st.session_state[_DIALOG] = key
        _dialog(picked, drawn, key)
    else:
        with st.container(border=True, key=f"{key}-listed"):
            _listing(picked, drawn, key)
    return picked


def _listing(picked: Picked, drawn: Drawn, key: str) -> None:
    st.markdown(md("**Posts behind {}**: {}", picked.description, count(len(picked.ids))))
    posts = drawn.posts
    chosen = posts[posts["id"].astype(str).isin(picked.ids)]
    listed = posts_table(chosen, drawn.tags.loc[chosen.index], drawn.codebook)
    posts_glue.table(listed, f"{key}-posts-{_round(key)}", LISTED_COLUMNS, placeholder="")
    if st.button("Back to all posts", key=f"back-{key}", icon=":material/arrow_back:"):
        clear(key)
        st.rerun()


def _dialog(picked: Picked, drawn: Drawn, key: str) -> None:
    @st.dialog("Posts behind the clicked mark", width="large", on_dismiss=lambda: clear(key))
    def listed() -> None:
        _listing(picked, drawn, key)

    listed()
