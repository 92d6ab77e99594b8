"""Plotly figures in one shared style (:mod:`analysis.figure_style`). Colours and labels
come from the codebook.

Hover text carries each post's title and date (:mod:`analysis.hover`). Titles, theme labels
and terms are untrusted text, so they are HTML-escaped before they reach Plotly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from analysis.codebook import Codebook
from analysis.figure_style import (
    MATRIX,
    escape,
    lighten,
    reserve_margins,
    series_style,
    style,
)
from analysis.filters import Filters
from analysis.findings import cooccurrence_note
from analysis.formatting import count, format_bound, number, percent
from analysis.hover import (
    FEW_POSTS,
    _coverage_hover,
    _posts_with_ids,
    _share,
    _shown_ids,
    post_lines,
)
from analysis.selection import COOCCURRENCE, COVERAGE, TERMS, TOTALS, mark, period_key
from analysis.viewstate import TAG_MODES

APPROXIMATE_PATTERN = "/"
APPROXIMATE_NOTE = "Hatched = approximate date"
_PERIOD_WORD = {"month": "month", "quarter": "quarter", "year": "year"}
#: Opacity of share bars in periods with fewer than FEW_POSTS posts.
FEW_OPACITY = 0.5
FEW_NOTE = f"Lighter = fewer than {FEW_POSTS} posts in the period"
_WHATIF_SUFFIX = "+what-if"  # analysis.whatif.VERSION_SUFFIX, without importing the editor
_SEARCH_SHOWN = 40


def filters_in_force(
    filters: Filters | None,
    codebook: Codebook,
    tag_mode: str = "machine",
    themes: bool = True,
) -> str:
    """The filters behind a chart in a line of plain text, for its title.

    E.g. ``Workforce, Health justice · Jan 2023 – Mar 2024 · search “nhs” · reviewed tags``
    or ``All themes · all dates · machine tags``. ``themes=False`` leaves the theme
    choice out, for charts that count every theme whatever is chosen (totals and
    co-occurrence). An edited codebook (What if?) is said too. Not escaped: :func:`style`
    escapes it for Plotly; a page shows it through its escaping helper.
    """
    filters = filters or Filters()
    parts = []
    if themes:
        labels = codebook.series_labels
        if filters.themes is None:
            parts.append("all themes")
        elif not filters.themes:
            parts.append("no theme chosen")
        else:
            parts.append(", ".join(labels.get(t, t) for t in filters.themes))
    parts.append(date_range(filters.start, filters.end))
    if not filters.include_undated:
        parts.append("undated posts left out")
    search = " ".join(filters.search.split())
    if search:
        shown = search if len(search) <= _SEARCH_SHOWN else search[: _SEARCH_SHOWN - 1] + "…"
        parts.append(f"search “{shown}”")
    parts.append(TAG_MODES[tag_mode].lower() if tag_mode in TAG_MODES else f"{tag_mode} tags")
    if codebook.version.endswith(_WHATIF_SUFFIX):
        parts.append("edited codebook (What if?)")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def date_range(start, end) -> str:
    """A date filter in words: ``Jan 2023 – Mar 2024`` (whole months), ``from 3 Feb 2023``,
    ``to 16 Dec 2022``, or ``all dates`` when neither end is set."""
    if start and end:
        return f"{format_bound(start)} – {format_bound(end, last=True)}"
    if start:
        return f"from {format_bound(start)}"
    if end:
        return f"to {format_bound(end, last=True)}"
    return "all dates"


def coverage_figure(
    table: pd.DataFrame,
    posts: pd.DataFrame,
    codebook: Codebook,
    granularity: str = "quarter",
    measure: str = "count",
    subtitle: str = "",
) -> go.Figure:
    """Grouped bars: one bar per series per period, hatched where dates are approximate.

    ``table`` is :func:`analysis.coverage.coverage_over_time`. Each bar is two
    stacked parts in the series colour: solid for posts with published dates,
    hatched and lighter for posts whose dates are estimated, inferred or less
    precise than the period. Each part's ``customdata`` is its mark
    (``["coverage", series, period, "exact" | "approximate"]``,
    :mod:`analysis.selection`); its hover gives the count, the share with the
    period's total beside it, and a warning when the period has fewer than
    :data:`FEW_POSTS` posts. By share, the axis ends at 100% and bars of such
    periods are lighter, with a legend key saying so. ``subtitle`` (plain text, e.g.
    :func:`filters_in_force`) goes under the title.
    """
    word = _PERIOD_WORD[granularity]
    share = measure == "share"
    title = (
        f"Share of posts in each {word} that carry each theme"
        if share
        else f"Posts per theme per {word}"
    )
    fig = go.Figure()
    shown = _shown_ids(table, posts, granularity)
    lines = post_lines(_posts_with_ids(posts, shown), granularity)
    styles = series_style(codebook)
    few_any = False
    for series_id in table["series"].unique():
        label, colour = styles[series_id]
        name = escape(label)
        in_series = (table["series"] == series_id).to_numpy()
        rows = table[in_series]
        exact_ids = [shown[0][n] for n in np.flatnonzero(in_series)]
        approx_ids = [shown[1][n] for n in np.flatnonzero(in_series)]
        exact = rows["share_exact" if share else "exact"]
        approx = rows["share_approximate" if share else "approximate"]
        x = rows["period_label"]
        keys = [period_key(period) for period in rows["period"]]
        totals = rows["total"].astype(int).tolist()
        bars = rows["posts"].astype(int).tolist()
        few = [total < FEW_POSTS for total in totals]
        few_any = few_any or any(few)
        opacity = [FEW_OPACITY if small else 1.0 for small in few] if share else 1.0

        def hover(ids_per_bar, kind, x=x, bars=bars, totals=totals, label=label):
            return [
                _coverage_hover(label, p, word, part, bar, total, ids, lines, kind)
                for p, (part, ids), bar, total in zip(x, ids_per_bar, bars, totals, strict=True)
            ]

        fig.add_bar(
            x=x,
            y=exact,
            name=name,
            legendgroup=series_id,
            offsetgroup=series_id,
            marker={
                "color": colour,
                "line": {"color": colour, "width": 1},
                "opacity": opacity,
            },
            customdata=[mark(COVERAGE, series_id, key, "exact") for key in keys],
            hovertext=hover(exact_ids, "with published dates"),
            hoverinfo="text",
        )
        fig.add_bar(
            x=x,
            y=approx,
            base=exact.to_numpy(),
            name=f"{name} (approximate dates)",
            legendgroup=series_id,
            offsetgroup=series_id,
            showlegend=False,
            marker={
                "color": lighten(colour),
                "line": {"color": colour, "width": 1},
                "pattern": {"shape": APPROXIMATE_PATTERN, "fgcolor": colour, "solidity": 0.35},
                "opacity": opacity,
            },
            customdata=[mark(COVERAGE, series_id, key, "approximate") for key in keys],
            # The theme's name over each bar with posts: colour never carries it alone.
            text=[name if total else "" for total in rows["posts"]],
            textposition="outside",
            textangle=-90,
            textfont={"size": 11, "color": "#595959"},
            cliponaxis=False,
            hovertext=hover(approx_ids, "with estimated or inferred dates"),
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
    if share and few_any:
        fig.add_bar(  # a legend key for the lighter bars of periods with few posts
            x=[None],
            y=[None],
            name=FEW_NOTE,
            legendgroup="few",
            marker={"color": "#595959", "opacity": FEW_OPACITY},
            hoverinfo="skip",
        )
    style(fig, title, subtitle=subtitle)
    # Direct labels keep their size (Plotly would shrink them to the bar's width) and get
    # headroom above the tallest bar.
    fig.update_layout(
        barmode="group", hovermode="closest", uniformtext={"minsize": 11, "mode": "show"}
    )
    periods = list(dict.fromkeys(table["period_label"]))
    fig.update_xaxes(
        showgrid=False,
        title_text=f"{word.capitalize()} of the post's date",
        type="category",
        categoryorder="array",
        categoryarray=periods,
    )
    if share:
        # The axis ends at 100%: the labels over full bars get their room above the plot.
        fig.update_yaxes(
            title_text=f"Share of the {word}'s posts",
            tickformat=".0%",
            range=[0, 1],
            domain=[0, 0.7],
        )
        top_label = "100%"
    else:
        tallest = float(table["posts"].max()) if len(table) else 0.0
        top = max(tallest, 1e-9) * 1.45  # room for the labels over the tallest bars
        fig.update_yaxes(
            title_text="Posts",
            range=[0, top],
            rangemode="tozero",
            dtick=1 if _small(table) else None,
        )
        top_label = _widest_count(top)
    return reserve_margins(fig, left=[top_label], under=periods)


def _widest_count(top: float) -> str:
    """About the widest tick label Plotly writes on a count axis up to ``top``: the number,
    or thousands as "40k" and millions as "1.5M" (its SI suffixes)."""
    n = int(top)
    if n >= 1_000_000:
        return f"{n // 1_000_000}.5M"
    return f"{n // 1000}k" if n >= 10_000 else str(n)


def few_posts_note(table: pd.DataFrame, granularity: str) -> str:
    """A caption for a share chart: how many periods have fewer than :data:`FEW_POSTS` posts
    ('' when none has). ``table`` is :func:`analysis.coverage.coverage_over_time`."""
    if table.empty:
        return ""
    totals = table.groupby("period", sort=True)["total"].first()
    few = int((totals < FEW_POSTS).sum())
    if not few:
        return ""
    word = _PERIOD_WORD[granularity]
    periods = count(len(totals), word)
    are = "has" if few == 1 else "have"
    return (
        f"Lighter bars: {few} of {periods} {are} fewer than {FEW_POSTS} posts, so their "
        "shares rest on very few posts (hover a bar for its numbers)."
    )


def _small(table: pd.DataFrame) -> bool:
    return bool(len(table)) and int(table["posts"].max()) <= 8


def totals_figure(totals: pd.DataFrame, subtitle: str = "", total: int | None = None) -> go.Figure:
    """Horizontal bars of posts per theme (``analysis.coverage.theme_totals``), labelled directly.

    ``total`` is the number of posts the shares are of (default: worked out from the
    shares). Each bar's ``customdata`` is its mark (``["totals", series, "", ""]``).
    """
    if total is None:
        known = totals[totals["share"] > 0]
        total = round(float(known["posts"].iloc[0] / known["share"].iloc[0])) if len(known) else 0
    labels = [escape(label) for label in totals["label"]]
    fig = go.Figure(
        go.Bar(
            x=totals["posts"],
            y=labels,
            orientation="h",
            marker={"color": list(totals["colour"])},
            text=[
                f"{number(n)} ({percent(share)})"
                for n, share in zip(totals["posts"], totals["share"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=[mark(TOTALS, series) for series in totals["series"]],
            hovertext=[
                f"<b>{label}</b><br>{number(n)} of {count(total)} ({_share(n, total)})"
                for label, n in zip(labels, totals["posts"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    style(fig, "Posts per theme", height=320 if not subtitle else 340, subtitle=subtitle)
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_xaxes(title_text="Posts (a post can carry several themes)", rangemode="tozero")
    fig.update_layout(margin={"r": 60, "b": 60}, showlegend=False)  # b: the axis's ticks, title
    return reserve_margins(fig, left=labels)


def cooccurrence_figure(matrix: pd.DataFrame, codebook: Codebook, subtitle: str = "") -> go.Figure:
    """The co-occurrence matrix as a grid of square cells, each with its count written on it.

    A cell is the number of posts carrying both its row's and its column's theme; the
    diagonal is each theme's own total. Cells are bars of height one stacked in a grid
    (not a heatmap, whose clicks Streamlit does not report), coloured by count; each
    cell's ``customdata`` is its mark (``["cooccurrence", row theme, column theme, ""]``)
    and its hover never names a theme twice. When no post carries two themes the
    subtitle says so (:func:`analysis.findings.cooccurrence_note`).
    """
    ids = list(matrix.index)
    cells = len(ids)
    labels = {theme_id: escape(codebook.labels[theme_id]) for theme_id in ids}
    values = matrix.to_numpy()
    top = max(int(values.max()) if values.size else 0, 1)
    xs, bases, counts, data, hover = [], [], [], [], []
    for r, row in enumerate(ids):
        for c, column in enumerate(ids):
            n = int(values[r, c])
            xs.append(c)
            bases.append(cells - 1 - r)  # the first theme's row at the top, as a table reads
            counts.append(n)
            data.append(mark(COOCCURRENCE, row, column))
            hover.append(
                f"<b>{labels[row]}</b>: {count(n)}"
                if row == column
                else f"<b>{labels[row]}</b> and <b>{labels[column]}</b>: {count(n)} carrying both"
            )
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=[1] * len(xs),
            base=bases,
            width=1,
            meta=MATRIX,
            # Each cell's own colour, darker for more posts, on Plotly's "Blues" scale; not
            # the counts with a colour scale, which a bar's hover label and text cannot read
            # (Plotly warns once per cell and falls back to black). Each cell says its count,
            # so no colour scale is shown.
            marker={
                "color": sample_colorscale("Blues", [n / top for n in counts]),
                "line": {"color": "#FFFFFF", "width": 2},
            },
            text=[number(n) for n in counts],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont={
                "size": 16,
                "color": ["#FFFFFF" if n > 0.55 * top else "#262730" for n in counts],
            },
            customdata=data,
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    note = cooccurrence_note(matrix)
    style(
        fig,
        "Themes that appear together (posts carrying both)",
        height=420,
        subtitle="\n".join(part for part in (subtitle, note) if part),
    )
    order = [labels[theme_id] for theme_id in ids]
    # Numeric axes with the labels as tick text: Plotly keeps cells square (scaleanchor)
    # only between numeric axes.
    fig.update_xaxes(
        range=[-0.5, max(cells, 1) - 0.5],
        tickvals=list(range(cells)),
        ticktext=order,
        showgrid=False,
        zeroline=False,
        constrain="domain",
        constraintoward="left",
    )
    fig.update_yaxes(
        range=[0, max(cells, 1)],
        tickvals=[cells - 0.5 - r for r in range(cells)],
        ticktext=order,
        showgrid=False,
        zeroline=False,
        scaleanchor="x",  # square cells
        constrain="domain",
    )
    fig.update_layout(barmode="overlay", bargap=0, hovermode="closest", margin={"b": 10})
    return fig


def terms_figure(
    counts: pd.Series,
    colour: str,
    label: str,
    limit: int = 10,
    theme_id: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Horizontal bars of how many posts each of a theme's terms matched in.

    With ``theme_id``, each bar's ``customdata`` is its mark (``["terms", theme id,
    term, ""]``), so a click lists the posts whose evidence holds the term.
    """
    top = counts.head(limit)
    terms = [escape(term) for term in top.index]
    fig = go.Figure(
        go.Bar(
            x=top.to_numpy(),
            y=terms,
            orientation="h",
            marker={"color": colour},
            text=[number(int(n)) for n in top.to_numpy()],
            textposition="outside",
            cliponaxis=False,
            customdata=[mark(TERMS, theme_id, term) for term in top.index],
            hovertext=[
                f"<b>{term}</b><br>matched in {count(int(n))}"
                for term, n in zip(terms, top.to_numpy(), strict=True)
            ],
            hoverinfo="text",
        )
    )
    style(
        fig,
        f"{escape(label)}: terms that matched most",
        height=max(220, 60 + 34 * len(top)) + (20 if subtitle else 0),
        subtitle=subtitle,
    )
    fig.update_yaxes(autorange="reversed", title_text="Codebook term")
    fig.update_xaxes(
        title_text="Posts", rangemode="tozero", dtick=1 if len(top) and top.max() <= 8 else None
    )
    fig.update_layout(showlegend=False, margin={"r": 40, "b": 10})
    return fig
