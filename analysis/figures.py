"""Plotly figures in one shared style. Colours and labels come from the codebook.

Hover text carries each post's title and date. Titles, theme labels and terms are
untrusted text, so they are HTML-escaped (:func:`escape`) before they reach Plotly, which
reads a few tags (``<a href>``, ``<b>``, ``<br>``...) in every text it draws: legend
names, tick labels, titles, bar text and hover text.
"""

from __future__ import annotations

import functools
import html
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.codebook import Codebook
from analysis.coverage import is_approximate
from analysis.filters import Filters
from analysis.findings import cooccurrence_note
from analysis.formatting import count, format_bound, percent
from analysis.selection import COOCCURRENCE, COVERAGE, TERMS, TOTALS, mark, period_key
from analysis.viewstate import TAG_MODES

# Arial first: Plotly measures legend text in the first family and clips it when that
# family is missing and a wider fallback is drawn instead.
FONT = "Arial, Helvetica, Liberation Sans, sans-serif"
APPROXIMATE_PATTERN = "/"
APPROXIMATE_NOTE = "Hatched = approximate date"
_PERIOD_WORD = {"month": "month", "quarter": "quarter", "year": "year"}
_HOVER_TITLES = 12
#: A period with fewer posts than this gives shares that swing with one post: flagged.
FEW_POSTS = 5
#: Opacity of share bars in periods with fewer than FEW_POSTS posts.
FEW_OPACITY = 0.5
FEW_NOTE = f"Lighter = fewer than {FEW_POSTS} posts in the period"
_WHATIF_SUFFIX = "+what-if"  # analysis.whatif.VERSION_SUFFIX, without importing the editor
_SEARCH_SHOWN = 40
_SUBTITLE_WIDTH = 80
#: ``meta`` of the co-occurrence matrix's trace: its cells keep their own text colours.
MATRIX = "matrix"


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


def post_lines(posts: pd.DataFrame, granularity: str = "day") -> dict[str, str]:
    """Post id -> one escaped hover line: title, date and, when not published, its status.

    Vectorised over the posts (a caller passes only the posts it shows: see
    :func:`coverage_figure`); a repeated id keeps its last post's line.
    """
    if posts.empty:
        return {}
    when = _format_dates(posts["published"], posts["date_precision"])
    status = posts["date_status"]
    is_text = pd.Series([isinstance(value, str) for value in status], index=status.index)
    noted = (is_text & ~status.isin(["published", ""]).fillna(True).astype(bool)).to_numpy(bool)
    notes = np.where(noted, ", " + status.astype(object).astype(str), "")
    if granularity != "day":
        imprecise = is_approximate(posts, granularity).to_numpy(bool) & ~noted
        notes = np.where(imprecise, ", date imprecise", notes)
    titles = [escape(title) for title in posts["title"]]
    return {
        post_id: f"• {title} ({date}{note})"
        for post_id, title, date, note in zip(posts["id"], titles, when, notes, strict=True)
    }


def _format_dates(published: pd.Series, precision: pd.Series) -> list[str]:
    """:func:`analysis.formatting.format_date` over a column: ``17 Nov 2022``, ``Jul 2023``,
    ``2023`` at each post's precision, ``No date`` where there is none."""
    stamps = pd.to_datetime(published)
    month = stamps.dt.strftime("%b %Y")
    text = stamps.dt.day.astype("Int64").astype(str) + " " + month
    text = text.where(precision.ne("month").fillna(True), month)
    year = stamps.dt.year.astype("Int64").astype(str)
    text = text.where(precision.ne("year").fillna(True), year)
    return text.where(stamps.notna(), "No date").astype(str).tolist()


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


def _share(part: int, total: int) -> str:
    return percent(part / total) if total else "0%"


def _coverage_hover(
    label: str,
    period: str,
    word: str,
    part: int,
    bar: int,
    total: int,
    ids: tuple[str, ...],
    lines: dict[str, str],
    kind: str,
) -> str:
    """Hover text of one part of a coverage bar: what it counts, its share with the n behind
    it, a warning for a period with few posts, and the titles of its posts."""
    of = (
        f"{_share(part, total)} of the {word}'s {count(total)}"
        if total
        else f"the {word} has no posts"
    )
    rows = [f"<b>{escape(label)}</b>, {period}", f"{count(part)} {kind} ({of})"]
    if bar != part:
        rows.append(f"Whole bar: {count(bar)} ({_share(bar, total)})")
    if 0 < total < FEW_POSTS:
        rows.append(
            f"<i>Only {count(total)} this {word}: fewer than {FEW_POSTS}, "
            "so a share here rests on very few posts</i>"
        )
    rows += [lines[i] for i in ids[:_HOVER_TITLES]]
    if part > _HOVER_TITLES:
        rows.append(f"… and {part - _HOVER_TITLES} more")
    return "<br>".join(rows)


def _shown_ids(
    table: pd.DataFrame, posts: pd.DataFrame, granularity: str
) -> tuple[list[tuple[int, tuple[str, ...]]], list[tuple[int, tuple[str, ...]]]]:
    """For each row (bar) of a coverage table, its exact part and its approximate part, each
    as (how many posts, the ids of the first :data:`_HOVER_TITLES` of them, in order).

    Vectorised: every bar's ids in one array, looked up in one go, ranked within each bar
    and part, so only the ids a hover shows are ever picked out."""
    bars = len(table)
    sizes = np.fromiter((len(ids) for ids in table["post_ids"]), dtype=np.int64, count=bars)
    flat = np.fromiter(
        (i for ids in table["post_ids"] for i in ids), dtype=object, count=int(sizes.sum())
    )
    bar_of = np.repeat(np.arange(bars), sizes)
    approximate = pd.Series(is_approximate(posts, granularity).to_numpy(bool), index=posts["id"])
    approximate = approximate[~approximate.index.duplicated(keep="last")]
    where = approximate.index.get_indexer(flat)
    is_approx = approximate.to_numpy(bool)[where] if len(flat) else np.zeros(0, bool)
    parts = []
    for chosen in (~is_approx, is_approx):
        picked = np.flatnonzero(chosen)
        of_bar = bar_of[picked]
        rank = np.arange(len(picked)) - np.searchsorted(of_bar, of_bar, side="left")
        first = picked[rank < _HOVER_TITLES]
        counts = np.bincount(of_bar, minlength=bars)
        ids: list[list[str]] = [[] for _ in range(bars)]
        for bar, post_id in zip(bar_of[first], flat[first], strict=True):
            ids[bar].append(post_id)
        parts.append([(int(n), tuple(i)) for n, i in zip(counts, ids, strict=True)])
    return parts[0], parts[1]


def _posts_with_ids(posts: pd.DataFrame, shown) -> pd.DataFrame:
    """The posts whose ids a hover shows."""
    wanted = {i for part in shown for _, ids in part for i in ids}
    return posts[posts["id"].isin(wanted)]


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
    fig.update_xaxes(
        showgrid=False,
        title_text=f"{word.capitalize()} of the post's date",
        type="category",
        categoryorder="array",
        categoryarray=list(dict.fromkeys(table["period_label"])),
    )
    if share:
        # The axis ends at 100%: the labels over full bars get their room above the plot.
        fig.update_yaxes(
            title_text=f"Share of the {word}'s posts",
            tickformat=".0%",
            range=[0, 1],
            domain=[0, 0.7],
        )
    else:
        tallest = float(table["posts"].max()) if len(table) else 0.0
        fig.update_yaxes(
            title_text="Posts",
            range=[0, max(tallest, 1e-9) * 1.45],
            rangemode="tozero",
            dtick=1 if _small(table) else None,
        )
    return fig


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
                f"{n} ({percent(share)})"
                for n, share in zip(totals["posts"], totals["share"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=[mark(TOTALS, series) for series in totals["series"]],
            hovertext=[
                f"<b>{label}</b><br>{n} of {count(total)} ({_share(n, total)})"
                for label, n in zip(labels, totals["posts"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    style(fig, "Posts per theme", height=320 if not subtitle else 340, subtitle=subtitle)
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_xaxes(title_text="Posts (a post can carry several themes)", rangemode="tozero")
    fig.update_layout(margin={"r": 60, "b": 10}, showlegend=False)
    return fig


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
            marker={
                "color": counts,
                "colorscale": "Blues",
                "cmin": 0,
                "cmax": top,
                "line": {"color": "#FFFFFF", "width": 2},
                "showscale": False,  # each cell says its count: a colour scale adds nothing
            },
            text=[str(n) for n in counts],
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
            text=top.to_numpy(),
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
