"""The house style of every figure: readable type, the ``plotly_white`` template built once,
a legend at the foot, and the adaptation to a dark theme or a shared screen (:func:`for_screen`).

Titles, theme labels and terms are untrusted text, so they are HTML-escaped
(:func:`escape`) before they reach Plotly, which reads a few tags (``<a href>``, ``<b>``,
``<br>``...) in every text it draws: legend names, tick labels, titles, bar text and hover text.
"""

from __future__ import annotations

import functools
import html
import textwrap

import plotly.graph_objects as go

from analysis.codebook import Codebook

# Arial first: Plotly measures legend text in the first family and clips it when that
# family is missing and a wider fallback is drawn instead.
FONT = "Arial, Helvetica, Liberation Sans, sans-serif"
_SUBTITLE_WIDTH = 80
#: ``meta`` of the co-occurrence matrix's trace: its cells keep their own text colours.
MATRIX = "matrix"


#: Advance widths of Arial and its metric twins Helvetica and Liberation Sans (the house
#: font and its fallbacks), in thousandths of an em; any other character counts as wide.
_ARIAL = {
    **dict.fromkeys(" !,./:;I[\\]ft", 278),
    **dict.fromkeys("0123456789#$?L_abdeghnopqu", 556),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("Mm", 833),
    **dict.fromkeys("Jckssvxyz", 500),
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("()-`r", 333),
    **dict.fromkeys("+<=>~", 584),
    "W": 944, "%": 889, "@": 1015, '"': 355, "'": 191, "*": 389, "^": 469, "|": 260,
    "{": 334, "}": 334,
}  # fmt: skip
_WIDE = 1000


def text_width(text: str, size: float) -> float:
    """About how many pixels ``text`` takes set in the house font at ``size`` px."""
    return size * sum(_ARIAL.get(char, _WIDE) for char in text) / 1000


#: What Plotly's automargin adds, at the house style's 15px type, to the widest tick label
#: on a plot's left (its padding and the axis title's room) and under a plot with a one-row
#: legend at the foot (tick labels, axis title, legend), as measured in Chromium.
_LEFT_EXTRA = 41
_FOOT = 120
_TICK_HEIGHT = 17
#: How wide a plot of the full-width charts is at 1280px with the sidebar open.
_PLOT_WIDTH = 760


def reserve_margins(
    fig: go.Figure, *, left: list[str] | None = None, under: list[str] | None = None
) -> go.Figure:
    """Reserve the room the house style's labels will take, so Plotly draws ``fig`` once.

    Plotly's automargin (on in the template) draws a chart, measures its labels and, when
    they need more room than the margins give, draws it all again: about half of a chart's
    drawing time. ``left`` are the y-axis's widest tick labels: the left margin is set to
    what automargin will find for them. ``under`` are the x-axis's category labels: when
    they cannot lie flat side by side on a full-width plot, Plotly turns them upright, and
    the bottom margin holds the longest. Automargin stays on, so a label wider than
    reckoned (another font, a narrow screen) still gets its room, at the cost of the
    second draw.
    """
    margin = {}
    if left:
        margin["l"] = round(max(text_width(label, 15) for label in left) + _LEFT_EXTRA)
    if under:
        widest = max(text_width(label, 15) for label in under)
        flat = len(under) * (widest + 10) <= _PLOT_WIDTH
        upright = len(under) * 2 * _TICK_HEIGHT > _PLOT_WIDTH  # not even at 30 degrees
        if flat or upright:
            margin["b"] = round(_FOOT + (0 if flat else widest - _TICK_HEIGHT + 6))
    fig.update_layout(margin=margin)
    return fig


def escape(text: object) -> str:
    """Untrusted text (labels, terms, search words) made inert for Plotly, which reads a
    few HTML tags and entities in its text: ``<``, ``>`` and ``&`` are escaped."""
    return html.escape(str(text), quote=False)


def style(fig: go.Figure, title: str, height: int = 460, subtitle: str = "") -> go.Figure:
    """The house style: readable type for screen-sharing, light grid, legend at the foot.

    ``title`` is Plotly text (escape anything untrusted in it); ``subtitle`` is plain
    text, such as :func:`filters_in_force`, escaped here and shown under the title,
    wrapped at about 80 characters and at each new line.
    """
    heading = {
        "text": title,
        "x": 0,
        "xanchor": "left",
        "yref": "container",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": 16},
        "font": {"size": 20},
    }
    lines = [
        escape(line)
        for part in subtitle.split("\n")
        for line in textwrap.wrap(part, _SUBTITLE_WIDTH)
    ]
    if lines:
        heading["subtitle"] = {"text": "<br>".join(lines), "font": {"size": 14}}
    _house_template(fig)
    fig.update_layout(
        title=heading,
        font={"family": FONT, "size": 15, "color": "#262730"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60 + 22 * len(lines), "b": 90},
        # Placed against the whole figure, so a long legend wraps instead of running off the
        # right edge; it sits at the foot, under the axis title, and grows upwards.
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "title": {"text": ""},
            "font": {"size": 14},
        },
        hoverlabel={"font": {"family": FONT, "size": 14}, "align": "left"},
        bargap=0.18,
    )
    return fig


@functools.lru_cache(maxsize=1)
def _plotly_white():
    """Plotly's ``plotly_white`` template, validated once per process."""
    import plotly.io as pio

    return pio.templates["plotly_white"]


def _house_template(fig: go.Figure, template=None) -> None:
    """Give ``fig`` the ``plotly_white`` template without validating it again.

    ``update_layout(template="plotly_white")`` re-validates the whole template (a deep,
    property-by-property copy) on every call. The template is validated once
    (:func:`_plotly_white`) and set the way Plotly sets its default template: with the
    layout's validation off for that one assignment, which stores a plain deep copy of
    its properties, so no figure shares (or can change) another's template. ``template``
    (a template's properties, already valid) is set instead of ``plotly_white``.
    """
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout["template"] = _plotly_white() if template is None else template
    finally:
        layout._validate = validate


def lighten(colour: str, amount: float = 0.55) -> str:
    """Mix a #RRGGBB colour with white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02X}{:02X}{:02X}".format(*mix)


def series_style(codebook: Codebook) -> dict[str, tuple[str, str]]:
    """Series id -> (label, colour), themes in codebook order then 'no theme'."""
    colours = codebook.series_colours
    return {series: (label, colours[series]) for series, label in codebook.series_labels.items()}


def for_screen(
    fig: go.Figure, dark: bool = False, presenting: bool = False, copy: bool = True
) -> go.Figure:
    """Adapt a house-style figure to the viewer: a dark theme, or presentation on a shared screen.

    Dark: transparent background, light text and faint grid, so the chart sits in a dark
    page. Presenting: larger type and a taller plot, legible at 1280×720 across a room.
    Colours of the data never change: they are the codebook's.

    With neither, there is nothing to adapt and ``fig`` itself is returned. Otherwise the
    adapted figure is a copy, and ``fig`` is left as it was (a page downloads it as drawn
    for light screens), unless ``copy=False``, which adapts ``fig`` in place.
    """
    if not (dark or presenting):
        return fig
    if copy:
        fig = _copy(fig)
    if dark:
        fig.update_layout(
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            font_color="#FAFAFA",
        )
        fig.update_xaxes(gridcolor="#3A3D46", linecolor="#808495", zerolinecolor="#808495")
        fig.update_yaxes(gridcolor="#3A3D46", linecolor="#808495", zerolinecolor="#808495")
        # The matrix's cells keep their own text colours, chosen against each cell's fill.
        fig.update_traces(textfont_color="#D5D6DB", selector=_not_matrix)
        fig.update_traces(marker_line_color="#0E1117", selector={"meta": MATRIX})
    if presenting:
        subtitle = fig.layout.title.subtitle.text
        lines = subtitle.count("<br>") + 1 if subtitle else 0
        fig.update_layout(
            font_size=20,
            title_font_size=26,
            title_subtitle_font_size=18,
            legend_font_size=20,
            hoverlabel_font_size=18,
            height=430,  # with the headline and controls, fits a 1280×720 shared screen
            margin_t=64 + 26 * lines,  # the 26px title, then each 18px subtitle line
        )
        fig.update_traces(textfont_size=20, selector=_not_matrix)
        fig.update_traces(textfont_size=22, selector={"meta": MATRIX})
    return fig


def _copy(fig: go.Figure) -> go.Figure:
    """A copy of ``fig``, as ``go.Figure(fig)`` makes, without re-validating its template."""
    props = fig.to_dict()
    template = props["layout"].pop("template", None)
    copied = go.Figure(props)
    if template is not None:
        _house_template(copied, template)
    return copied


def _not_matrix(trace) -> bool:
    return trace.type == "bar" and trace.meta != MATRIX
