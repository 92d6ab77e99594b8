"""Charts in the house style, with their toolbar and their downloads (CSV, PNG, SVG); the
codebook's downloads (TOML, CSV)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.codebook import Codebook
from analysis.codebook_file import codebook_toml
from analysis.exports import codebook_csv, csv_bytes
from analysis.figure_style import for_screen
from analysis.filenames import filename
from analysis.images import figure_image, find_browser
from app_pages import memo
from app_pages.text import md

#: The Plotly toolbar of every chart; its PNG is 2x and named for what it shows.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "anchor-themes"},
}


def chart(
    figure,
    key: str,
    filename: str,
    present_height: int | None = None,
    present_gap: int = 0,
    **kwargs,
):
    """Show a Plotly figure in the house style, adapted to a dark theme and to presentation
    mode; its toolbar PNG is named ``filename``. Presenting, ``present_height`` is its height
    (for a page with more above it) and ``present_gap`` pixels more part the title from the
    plot (for the larger tick labels of a bar chart's top row)."""
    dark = st.context.theme.type == "dark"
    presenting = bool(st.session_state.get("present"))
    how = (dark, presenting, present_height if presenting else None, present_gap * presenting)
    figure = memo.screen_copy(figure, how, lambda: _screen(figure, dark, presenting, *how[2:]))
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": filename},
    }
    return st.plotly_chart(figure, key=key, theme=None, config=config, **kwargs)


def _screen(figure, dark: bool, presenting: bool, present_height, present_gap):
    """A copy of ``figure`` adapted to a dark theme and to presentation mode."""
    figure = for_screen(figure, dark=dark, presenting=presenting)
    if presenting and present_height:
        figure.update_layout(height=present_height)
    if presenting and present_gap:
        figure.update_layout(margin_t=(figure.layout.margin.t or 0) + present_gap)
    return figure


def downloads(data: pd.DataFrame, figure, name: str, export=None) -> None:
    """Download the numbers behind a chart as CSV, and the chart as PNG or SVG.

    ``export``, when given, draws the data's buttons instead of the table's CSV: a function
    of two columns (the coverage chart's: the view's export as CSV and XLSX).
    Images come from kaleido and need a Chrome/Chromium on the server; where there is
    none the buttons say so instead of failing.
    """
    cols = st.columns(4 if export else 3)
    if export:
        export(cols[0], cols[1])
    else:
        cols[0].download_button(
            "Data (CSV)", lambda: csv_bytes(data), file_name=f"{name}.csv", mime="text/csv",
            icon=":material/download:", on_click="ignore", key=f"{name}-csv",
        )  # fmt: skip
    browser = find_browser()
    images = cols[-2:]
    for col, fmt, mime in ((images[0], "png", "image/png"), (images[1], "svg", "image/svg+xml")):
        col.download_button(
            md("Chart ({})", fmt.upper()), lambda fmt=fmt: figure_image(figure, fmt),
            file_name=f"{name}.{fmt}", mime=mime, icon=":material/image:",
            on_click="ignore", key=f"{name}-{fmt}", disabled=browser is None,
            help=None if browser else "Needs Chrome or Chromium on the server (apt-get install "
            "chromium); the chart's own camera button still saves a PNG.",
        )  # fmt: skip


#: The codebook's downloads: the TOML file the app loads again, and the ``tag,description``
#: CSV that qualitative-coding tools import; each as (bytes from a codebook, MIME type).
CODEBOOK_FORMATS = {"toml": (codebook_toml, "application/toml"), "csv": (codebook_csv, "text/csv")}
#: The buttons' labels, by format; What if?'s edited codebook has its own.
CODEBOOK_LABELS = {"toml": "Codebook (TOML)", "csv": "Codebook (CSV: tag, description)"}


def codebook_download(where, codebook: Codebook, fmt: str, edited: bool = False, **kwargs):
    """A button in ``where`` (a column, or a container) that downloads ``codebook`` as
    ``fmt`` ("toml" or "csv"), named for its version; ``edited``: labelled as What if?'s
    edited codebook. ``kwargs`` go to ``download_button``."""
    data, mime = CODEBOOK_FORMATS[fmt]
    label = "Download edited codebook (TOML)" if edited else CODEBOOK_LABELS[fmt]
    where.download_button(
        label, data(codebook), file_name=filename("codebook", codebook.version, ext=fmt),
        mime=mime, icon=":material/download:", on_click="ignore", **kwargs,
    )  # fmt: skip
