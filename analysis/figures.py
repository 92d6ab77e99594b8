"""Plotly figures in one shared style. Colours and labels come from the codebook.

Hover text carries each post's title and date. Titles, theme labels and terms are
untrusted text, so they are HTML-escaped (:func:`_text`) before they reach Plotly, which
reads a few tags (``<a href>``, ``<b>``, ``<br>``...) in every text it draws: legend
names, tick labels, titles, bar text and hover text.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analysis.codebook import Codebook
from analysis.coverage import NO_THEME, is_approximate
from analysis.formatting import format_date

# Arial first: Plotly measures legend text in the first family and clips it when that
# family is missing and a wider fallback is drawn instead.
FONT = "Arial, Helvetica, Liberation Sans, sans-serif"
APPROXIMATE_PATTERN = "/"
APPROXIMATE_NOTE = "Hatched = approximate date"
_PERIOD_WORD = {"month": "month", "quarter": "quarter", "year": "year"}
_HOVER_TITLES = 12


def style(fig: go.Figure, title: str, height: int = 460) -> go.Figure:
    """The house style: readable type for screen-sharing, light grid, legend at the foot."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        font={"family": FONT, "size": 15, "color": "#262730"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 90},
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


def _text(value: object) -> str:
    """Untrusted text for Plotly: shown as written, never a tag or link."""
    return html.escape(str(value))


def lighten(colour: str, amount: float = 0.55) -> str:
    """Mix a #RRGGBB colour with white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02X}{:02X}{:02X}".format(*mix)


def series_style(codebook: Codebook) -> dict[str, tuple[str, str]]:
    """Series id -> (label, colour), themes in codebook order then 'no theme'."""
    styles = {theme.id: (theme.label, theme.colour) for theme in codebook.themes}
    styles[NO_THEME] = (codebook.no_theme_label, codebook.no_theme_colour)
    return styles


def post_lines(posts: pd.DataFrame, granularity: str = "day") -> dict[str, str]:
    """Post id -> one escaped hover line: title, date and, when not published, its status."""
    approximate = is_approximate(posts, granularity) if granularity != "day" else None
    lines = {}
    for n, post in enumerate(posts.itertuples(index=False)):
        when = format_date(post.published, post.date_precision)
        status = post.date_status if isinstance(post.date_status, str) else ""
        note = f", {status}" if status and status != "published" else ""
        if approximate is not None and not note and approximate.iloc[n]:
            note = ", date imprecise"
        lines[post.id] = f"• {_text(post.title)} ({when}{note})"
    return lines


def _hover(
    label: str, period: str, count: int, ids: tuple[str, ...], lines: dict[str, str], kind: str
) -> str:
    head = f"<b>{_text(label)}</b>, {period}<br>{count} post{'s' if count != 1 else ''} {kind}"
    shown = [lines[i] for i in ids[:_HOVER_TITLES]]
    if len(ids) > _HOVER_TITLES:
        shown.append(f"… and {len(ids) - _HOVER_TITLES} more")
    return "<br>".join([head, *shown])


def coverage_figure(
    table: pd.DataFrame,
    posts: pd.DataFrame,
    codebook: Codebook,
    granularity: str = "quarter",
    measure: str = "count",
) -> go.Figure:
    """Grouped bars: one bar per series per period, hatched where dates are approximate.

    ``table`` is :func:`analysis.coverage.coverage_over_time`. Each bar is two
    stacked parts in the series colour: solid for posts with published dates,
    hatched and lighter for posts whose dates are estimated, inferred or less
    precise than the period. Post ids ride in ``customdata``.
    """
    word = _PERIOD_WORD[granularity]
    share = measure == "share"
    title = (
        f"Share of posts in each {word} that carry each theme"
        if share
        else f"Posts per theme per {word}"
    )
    fig = go.Figure()
    lines = post_lines(posts, granularity)
    approximate = dict(zip(posts["id"], is_approximate(posts, granularity), strict=True))
    styles = series_style(codebook)
    for series_id in table["series"].unique():
        label, colour = styles[series_id]
        shown = _text(label)
        rows = table[table["series"] == series_id]
        exact_ids = [tuple(i for i in ids if not approximate[i]) for ids in rows["post_ids"]]
        approx_ids = [tuple(i for i in ids if approximate[i]) for ids in rows["post_ids"]]
        exact = rows["share_exact" if share else "exact"]
        approx = rows["share_approximate" if share else "approximate"]
        x = rows["period_label"]
        fig.add_bar(
            x=x,
            y=exact,
            name=shown,
            legendgroup=series_id,
            offsetgroup=series_id,
            marker={"color": colour, "line": {"color": colour, "width": 1}},
            customdata=[[series_id, ";".join(ids)] for ids in exact_ids],
            hovertext=[
                _hover(label, p, len(ids), ids, lines, "with published dates")
                for p, ids in zip(x, exact_ids, strict=True)
            ],
            hoverinfo="text",
        )
        fig.add_bar(
            x=x,
            y=approx,
            base=exact.to_numpy(),
            name=f"{shown} (approximate dates)",
            legendgroup=series_id,
            offsetgroup=series_id,
            showlegend=False,
            marker={
                "color": lighten(colour),
                "line": {"color": colour, "width": 1},
                "pattern": {"shape": APPROXIMATE_PATTERN, "fgcolor": colour, "solidity": 0.35},
            },
            customdata=[[series_id, ";".join(ids)] for ids in approx_ids],
            # The theme's name over each bar with posts: colour never carries it alone.
            text=[shown if total else "" for total in rows["posts"]],
            textposition="outside",
            textangle=-90,
            textfont={"size": 11, "color": "#595959"},
            cliponaxis=False,
            hovertext=[
                _hover(label, p, len(ids), ids, lines, "with estimated or inferred dates")
                for p, ids in zip(x, approx_ids, strict=True)
            ],
            hoverinfo="text",
        )
    fig.add_bar(  # a legend key for the hatching
        x=[None],
        y=[None],
        name=APPROXIMATE_NOTE,
        legendgroup="approximate",
        marker={
            "color": "#FFFFFF",
            "line": {"color": "#595959", "width": 1},
            "pattern": {"shape": APPROXIMATE_PATTERN, "fgcolor": "#595959", "solidity": 0.35},
        },
        hoverinfo="skip",
    )
    style(fig, title)
    # Direct labels keep their size (Plotly would shrink them to the bar's width) and get
    # headroom above the tallest bar.
    fig.update_layout(
        barmode="group", hovermode="closest", uniformtext={"minsize": 11, "mode": "show"}
    )
    tallest = float(table["share" if share else "posts"].max()) if len(table) else 0.0
    fig.update_yaxes(range=[0, max(tallest, 1e-9) * 1.45])
    fig.update_xaxes(
        showgrid=False,
        title_text=f"{word.capitalize()} of the post's date",
        type="category",
        categoryorder="array",
        categoryarray=list(dict.fromkeys(table["period_label"])),
    )
    if share:
        fig.update_yaxes(
            title_text=f"Share of the {word}'s posts", tickformat=".0%", rangemode="tozero"
        )
    else:
        fig.update_yaxes(title_text="Posts", rangemode="tozero", dtick=1 if _small(table) else None)
    return fig


def _small(table: pd.DataFrame) -> bool:
    return bool(len(table)) and int(table["posts"].max()) <= 8


def totals_figure(totals: pd.DataFrame) -> go.Figure:
    """Horizontal bars of posts per theme (``analysis.coverage.theme_totals``), labelled directly."""
    fig = go.Figure(
        go.Bar(
            x=totals["posts"],
            y=totals["label"].map(_text),
            orientation="h",
            marker={"color": list(totals["colour"])},
            text=[
                f"{n} ({share:.0%})"
                for n, share in zip(totals["posts"], totals["share"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=totals["series"],
            hovertemplate="<b>%{y}</b><br>%{x} posts<extra></extra>",
        )
    )
    style(fig, "Posts per theme, all dates", height=320)
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_xaxes(title_text="Posts (a post can carry several themes)", rangemode="tozero")
    fig.update_layout(margin={"r": 60, "b": 10}, showlegend=False)
    return fig


def cooccurrence_figure(matrix: pd.DataFrame, codebook: Codebook) -> go.Figure:
    """Heatmap of posts carrying both themes; the diagonal is each theme's own total."""
    labels = [_text(codebook.labels[theme_id]) for theme_id in matrix.index]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=labels,
            y=labels,
            colorscale="Blues",
            zmin=0,
            text=matrix.to_numpy(),
            texttemplate="%{text}",
            textfont={"size": 16},
            hovertemplate="<b>%{y}</b> and <b>%{x}</b><br>%{z} posts<extra></extra>",
            colorbar={
                "title": {"text": "Posts"},
                "dtick": 1 if matrix.to_numpy().max() <= 8 else None,
            },
            customdata=[[[row, column] for column in matrix.columns] for row in matrix.index],
        )
    )
    style(fig, "Themes that appear together (posts carrying both)", height=420)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin={"b": 10})
    return fig


def terms_figure(counts: pd.Series, colour: str, label: str, limit: int = 10) -> go.Figure:
    """Horizontal bars of how many posts each of a theme's terms matched in."""
    top = counts.head(limit)
    fig = go.Figure(
        go.Bar(
            x=top.to_numpy(),
            y=[_text(term) for term in top.index],
            orientation="h",
            marker={"color": colour},
            text=top.to_numpy(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="<b>%{y}</b><br>matched in %{x} posts<extra></extra>",
        )
    )
    style(fig, f"{_text(label)}: terms that matched most", height=max(220, 60 + 34 * len(top)))
    fig.update_yaxes(autorange="reversed", title_text="Codebook term")
    fig.update_xaxes(
        title_text="Posts", rangemode="tozero", dtick=1 if len(top) and top.max() <= 8 else None
    )
    fig.update_layout(showlegend=False, margin={"r": 40, "b": 10})
    return fig


def for_screen(fig: go.Figure, dark: bool = False, presenting: bool = False) -> go.Figure:
    """Adapt a house-style figure to the viewer: a dark theme, or presentation on a shared screen.

    Dark: transparent background, light text and faint grid, so the chart sits in a dark
    page. Presenting: larger type and a taller plot, legible at 1280×720 across a room.
    Colours of the data never change: they are the codebook's.
    """
    fig = go.Figure(fig)
    if dark:
        fig.update_layout(
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            font_color="#FAFAFA",
        )
        fig.update_xaxes(gridcolor="#3A3D46", linecolor="#808495", zerolinecolor="#808495")
        fig.update_yaxes(gridcolor="#3A3D46", linecolor="#808495", zerolinecolor="#808495")
        fig.update_traces(textfont_color="#D5D6DB", selector={"type": "bar"})
    if presenting:
        fig.update_layout(
            font_size=20,
            title_font_size=26,
            legend_font_size=20,
            hoverlabel_font_size=18,
            height=430,  # with the headline and controls, fits a 1280×720 shared screen
            margin_t=50,
        )
        fig.update_traces(textfont_size=20, selector={"type": "bar"})
        fig.update_traces(textfont_size=22, selector={"type": "heatmap"})
    return fig
