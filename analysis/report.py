"""A report to keep: one self-contained HTML file that opens offline and prints to A4.

:func:`build_report` writes the whole story of a corpus under the user's filters:
what was chosen, how tagging works (the codebook in full), coverage over time,
theme totals and co-occurrence, the posts behind every theme, how well the
tagger agrees with hand labels, and the data's known problems. Every chart is
an interactive Plotly figure followed by a table of its numbers, so the report
is readable without JavaScript, by a screen reader, and on paper.

This module prepares plain data (sentences, and tables as headers and rows); the page
is laid out by the Jinja2 template ``templates/report.html.j2`` with its styles in
``templates/report.css``. Autoescaping is on, so text from posts (titles, urls,
findings that quote them) is HTML-escaped wherever the template puts it, and a url
becomes a link only when it is ``http`` or ``https`` (:func:`analysis.formatting.safe_url`).

The file stands alone: plotly.js is embedded once, inline; the styles are in
the page; nothing is fetched from anywhere (a Content-Security-Policy says so
to the browser too).

Numbers and tables come from the same functions as the dashboard and the XLSX
workbook (:mod:`analysis.coverage`, :mod:`analysis.filters`, :mod:`analysis.tables`,
:func:`analysis.metrics.quality_table`), so the report, the pages and the files agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from analysis.corpus import Corpus
from analysis.coverage import (
    NO_THEME,
    cooccurrence,
    coverage_over_time,
    date_note,
    headline,
    theme_totals,
)
from analysis.figures import (
    cooccurrence_figure,
    coverage_figure,
    series_style,
    totals_figure,
)
from analysis.filenames import report_filename  # noqa: F401  (the report's name, for the pages)
from analysis.filters import Filters, chosen_series, in_view, with_themes
from analysis.formatting import (
    count,
    decimal,
    format_bound,
    format_date,
    month_range,
    number,
    percent,
    safe_url,
    whole,
)
from analysis.metrics import SMALL_SAMPLE, QualityReport, quality_table
from analysis.tables import (
    cooccurrence_table,
    coverage_table,
    disagreements_table,
    posts_table,
    totals_table,
)

TAG_MODES = ("machine", "reviewed")

#: The report's sections in order: (element id, heading). The first is the title (an h1).
SECTIONS = (
    ("title", "Anchor Themes report"),
    ("filters", "Filters in force"),
    ("method", "Method"),
    ("coverage", "Coverage over time"),
    ("totals", "Theme totals and co-occurrence"),
    ("posts", "Posts by theme"),
    ("quality", "Tagging quality"),
    ("data-notes", "Data notes"),
)

#: Layout width of every chart, in CSS pixels. Print CSS zooms charts to fit an A4 page.
CHART_WIDTH = 880

#: (granularity, measure) of the coverage charts, in the order they appear.
COVERAGE_CHARTS = (
    ("quarter", "count"),
    ("quarter", "share"),
    ("year", "count"),
    ("year", "share"),
)

_PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}

#: The page and its styles, beside this module (the report is written wherever analysis/ is).
TEMPLATES = Path(__file__).resolve().parent / "templates"

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,  # every value is escaped unless it is Markup
    undefined=jinja2.StrictUndefined,  # a misspelt name fails loudly instead of vanishing
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

_NO_POSTS = "No posts are in view under these filters."


def _cell(text: object, *, colour: str = "", href: str | None = None, strong: bool = False):
    """A table cell with more than text: a colour square before it, a link or emphasis."""
    return {"text": text, "colour": colour, "href": href, "strong": strong}


def _table(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[object] = (),
    nowrap: Iterable[object] = (),
    caption: str | None = None,
    cls: str = "",
) -> dict:
    """A table for the template: ``numeric`` columns (by header) align right, ``nowrap``
    columns keep each cell on one line."""
    numeric, nowrap = set(numeric), set(nowrap)
    classes = [
        " ".join(name for name, on in (("num", h in numeric), ("nowrap", h in nowrap)) if on)
        for h in headers
    ]
    return {
        "headers": list(headers),
        "rows": [list(row) for row in rows],
        "classes": classes,
        "caption": caption,
        "cls": cls,
    }


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_generated_at(moment: datetime) -> str:
    """``24 Nov 2026, 14:05 UTC`` (a naive datetime is taken to be UTC already)."""
    moment = _utc(moment)
    return f"{format_date(moment, 'day')}, {moment:%H:%M} UTC"


class _Charts:
    """Turns figures into what the template shows, with plotly.js inline in the first only."""

    def __init__(self) -> None:
        self.plotlyjs_included = False

    def figure(self, fig: go.Figure, name: str, caption: str = "") -> dict:
        fig.update_layout(width=CHART_WIDTH)
        config = {
            **_PLOTLY_CONFIG,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": name},
        }
        div = fig.to_html(
            full_html=False,
            include_plotlyjs=not self.plotlyjs_included,
            include_mathjax=False,
            div_id=name,
            config=config,
        )
        self.plotlyjs_included = True
        # Markup: Plotly's own HTML, a div and scripts. It is safe to place as it is because
        # Plotly writes the figure as JSON with every "<" escaped as \u003c, so no text in
        # it can close the script or open an element; and the figures escape post text in
        # hover labels themselves (see analysis.figures). Nothing else here is Markup.
        return {"html": Markup(div), "title": fig.layout.title.text or "", "caption": caption}


def build_report(
    corpus: Corpus,
    tags: pd.DataFrame | None = None,
    *,
    filters: Filters | None = None,
    tag_mode: str = "machine",
    quality: QualityReport | None = None,
    generated_at: datetime | None = None,
) -> str:
    """One self-contained HTML document reporting on ``corpus`` under ``filters``.

    ``tags`` (default ``corpus.tags``) is a boolean DataFrame indexed like
    ``corpus.posts`` with a column per theme id: pass the reviewed tags when the
    user chose them, and say so with ``tag_mode`` (``"machine"`` or
    ``"reviewed"``), which the report states. Posts in the report are those in
    view under ``filters`` (date range and search); its theme choice picks the
    coverage series and the themes whose posts are listed, as on the dashboard.
    ``quality`` is :func:`analysis.metrics.quality_report` of the tagger's tags
    against hand labels; without it the report says no labels were supplied.
    ``generated_at`` (default: now) is shown in UTC.
    """
    if tag_mode not in TAG_MODES:
        raise ValueError(f"tag_mode must be one of {', '.join(TAG_MODES)} (got {tag_mode!r})")
    tags = _aligned_tags(corpus, corpus.tags if tags is None else tags)
    filters = filters or Filters()
    visible = in_view(corpus.posts, filters)
    posts = corpus.posts[visible]
    view_tags = tags[visible]
    series = chosen_series(view_tags, filters.themes)
    charts = _Charts()
    return _TEMPLATES.get_template("report.html.j2").render(
        title=f"Anchor Themes report: {corpus.name}",
        headings=dict(SECTIONS),
        contents=SECTIONS[1:],
        tag_mode_sentence=_tag_mode_sentence(tag_mode),
        top=_title_part(corpus, posts, view_tags, tag_mode, _utc(generated_at)),
        filters=_filters_part(corpus, filters, posts, view_tags),
        method=_method_part(corpus),
        coverage=_coverage_part(corpus, posts, view_tags, series, charts),
        totals=_totals_part(corpus, posts, view_tags, filters, charts),
        posts=_posts_part(corpus, posts, view_tags, series),
        quality=_quality_part(quality),
        notes=_notes_part(corpus, tags, posts),
    )


def _aligned_tags(corpus: Corpus, tags: pd.DataFrame) -> pd.DataFrame:
    ids = corpus.codebook.ids
    missing = [theme_id for theme_id in ids if theme_id not in tags.columns]
    if missing:
        raise ValueError(f"tags have no column for theme {', '.join(missing)}")
    if not tags.index.sort_values().equals(corpus.posts.index.sort_values()):
        raise ValueError("tags must be indexed like corpus.posts, one row per post")
    return tags.loc[corpus.posts.index, ids].eq(True)  # a missing value is no tag, not a tag


def _tag_mode_sentence(tag_mode: str) -> str:
    if tag_mode == "reviewed":
        return (
            "Tag mode: reviewed. Themes are the tagger's tags as corrected by a person, "
            "so some may have been added or removed by hand."
        )
    return "Tag mode: machine. Themes are the tagger's tags, not reviewed by a person."


def _title_part(
    corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, tag_mode: str, moment: datetime
) -> dict:
    codebook = corpus.codebook
    figures = headline(posts, tags)
    dated = (
        f"{figures.dated} dated ({figures.published_dates} published, "
        f"{figures.inferred_dates} inferred, {figures.estimated_dates} estimated)"
    )
    return {
        "corpus": corpus.name,
        "generated": format_generated_at(moment),
        "version": codebook.version,
        "source": codebook.source,
        "tag_mode": tag_mode,
        "key": [
            f"{count(figures.posts)} in view of {len(corpus.posts)} in the file; {dated}.",
            f"Dates: {month_range(figures.first, figures.last) or 'none'}.",
            f"{count(figures.untagged)} with no theme.",
        ],
        "themes": [
            {
                "label": theme.label,
                "colour": theme.colour,
                "posts": count(figures.per_theme[theme.id]),
                "share": percent(figures.share(theme.id)),
            }
            for theme in codebook.themes
        ],
    }


def _filters_part(corpus: Corpus, filters: Filters, posts: pd.DataFrame, tags: pd.DataFrame):
    codebook = corpus.codebook
    labels = {**codebook.labels, NO_THEME: codebook.no_theme_label}
    items = []
    if filters.themes is not None:
        chosen = [labels[s] for s in chosen_series(tags, filters.themes)]
        items.append(f"Themes: {', '.join(chosen) if chosen else 'none chosen'}.")
    if filters.start or filters.end:
        # The date slider chooses whole months: say them as months.
        if filters.start and filters.end:
            span = f"{format_bound(filters.start)} to {format_bound(filters.end, last=True)}"
        elif filters.start:
            span = f"from {format_bound(filters.start)}"
        else:
            span = f"up to {format_bound(filters.end, last=True)}"
        items.append(
            f"Date range: {span} (a post dated only to a month or year is kept when that "
            "month or year overlaps the range)."
        )
    if not filters.include_undated:
        items.append("Undated posts: left out.")
    if filters.search.strip():
        items.append(
            f"Search: “{filters.search.strip()}” (every word must appear in the title, "
            "summary, text or author, in any case)."
        )
    summary = (
        f"In view under the date range and search: {count(len(posts))} of {len(corpus.posts)}."
    )
    if filters.themes is not None:
        listed = int(with_themes(tags, filters.themes).sum())
        summary += (
            f" Of these, {count(listed)} {'carries' if listed == 1 else 'carry'} a chosen theme; "
            "the coverage charts show only the "
            "chosen themes and “Posts by theme” lists only their posts. Theme totals and "
            "co-occurrence count every theme of the posts in view."
        )
    return {"items": items, "summary": summary}


def _method_part(corpus: Corpus) -> dict:
    codebook = corpus.codebook
    return {
        "intro": f"Codebook version {codebook.version} ({codebook.source}) defines "
        f"{len(codebook.themes)} themes, in the order used throughout this report.",
        "themes": codebook.themes,
        "title_weight": number(codebook.title_weight),
        "text_weight": number(codebook.text_weight),
        "min_score": number(codebook.min_score),
        "no_theme_label": codebook.no_theme_label,
    }


def _coverage_part(
    corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, series: list[str], charts: _Charts
) -> dict:
    if posts.empty:
        return {"empty": _NO_POSTS}
    if not series:
        return {"empty": "No theme is chosen, so there is nothing to chart."}
    tables = {
        granularity: coverage_over_time(posts, tags, granularity, series)
        for granularity in dict.fromkeys(granularity for granularity, _ in COVERAGE_CHARTS)
    }
    parts = []
    for granularity, measure in COVERAGE_CHARTS:
        table = tables[granularity]
        note = date_note(posts, granularity)
        if table.empty:
            parts.append({"figure": None, "note": note})
            break
        fig = coverage_figure(table, posts, corpus.codebook, granularity, measure)
        name = f"anchor-themes-coverage-by-{granularity}-{measure}"
        parts.append(
            {
                "figure": charts.figure(fig, name, note),
                "table": _coverage_data(table, corpus, granularity, measure),
            }
        )
    return {"empty": None, "charts": parts}


def _coverage_data(table: pd.DataFrame, corpus: Corpus, granularity: str, measure: str) -> dict:
    """The numbers behind one coverage chart: a period per row, a theme per column."""
    data = coverage_table(table, corpus.codebook).set_index(["Period", "Theme"])
    periods = list(dict.fromkeys(data.index.get_level_values("Period")))
    themes = list(dict.fromkeys(data.index.get_level_values("Theme")))
    rows = []
    for period in periods:
        cells: list[object] = [period, int(data.loc[(period, themes[0]), "All posts in period"])]
        for theme in themes:
            row = data.loc[(period, theme)]
            posts, approximate = int(row["Posts"]), int(row["With approximate dates"])
            if measure == "share":
                cells.append(percent(row["Share of period's posts"]))
            else:
                cells.append(f"{posts} ({approximate} approx.)" if approximate else posts)
        rows.append(cells)
    word = granularity
    if measure == "share":
        caption = (
            f"Data for the chart above: share of each {word}'s dated posts that carry each "
            f"theme. “All posts” counts every dated post in view in the {word}."
        )
    else:
        caption = (
            f"Data for the chart above: posts per theme per {word}; in brackets, how many of "
            "them have approximate dates."
        )
    headers = [word.capitalize(), "All posts", *themes]
    return _table(headers, rows, numeric=headers[1:], caption=caption, cls="data keep")


def _totals_part(
    corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, filters: Filters, charts: _Charts
) -> dict:
    codebook = corpus.codebook
    if posts.empty:
        return {"empty": _NO_POSTS}
    totals = theme_totals(tags, codebook)
    totals_chart = totals_figure(totals)
    if filters.start or filters.end:  # say the chart counts only the date range
        totals_chart.update_layout(title_text="Posts per theme, posts in the date range")
    shown = totals_table(totals)  # the Overview page's table
    shown["Theme"] = [
        _cell(t, colour=c) for t, c in zip(shown["Theme"], totals["colour"], strict=True)
    ]
    shown["Share of posts"] = shown["Share of posts"].map(percent)
    matrix = cooccurrence(tags)
    pairs = cooccurrence_table(matrix, codebook)
    pairs["Theme"] = pairs["Theme"].map(lambda label: _cell(label, strong=True))
    return {
        "empty": None,
        "chart": charts.figure(totals_chart, "anchor-themes-totals"),
        "table": _frame_table(
            shown,
            numeric=shown.columns[1:],
            caption=f"Data for the chart above: posts per theme among the {len(posts)} posts "
            "in view. A post can carry several themes, so the rows can add up to more than that.",
            cls="data keep",
        ),
        "matrix_chart": charts.figure(
            cooccurrence_figure(matrix, codebook), "anchor-themes-co-occurrence"
        ),
        "matrix": _frame_table(
            pairs,
            numeric=pairs.columns[1:],
            caption="Data for the chart above: posts carrying both the row's and the column's "
            "theme; the diagonal is each theme's own total.",
            cls="data keep",
        ),
    }


def _frame_table(frame: pd.DataFrame, **options) -> dict:
    return _table(list(frame.columns), frame.itertuples(index=False), **options)


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as text for people: whole numbers, scores to 3 places, — where missing."""
    shown = frame.astype(object)
    for column in frame.columns:
        if pd.api.types.is_integer_dtype(frame[column]):
            shown[column] = frame[column].map(whole)
        elif pd.api.types.is_float_dtype(frame[column]):
            shown[column] = frame[column].map(decimal)
        else:
            shown[column] = frame[column].map(lambda v: whole(None) if pd.isna(v) else v)
    return shown


def _posts_part(corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, series: list[str]):
    codebook = corpus.codebook
    if posts.empty:
        return {"empty": _NO_POSTS}
    if not series:
        return {"empty": "No theme is chosen, so no posts are listed."}
    table = posts_table(posts, tags, codebook)  # the Explore page's table
    evidence = corpus.result.evidence
    styles = series_style(codebook)
    themes = []
    for series_id in series:
        label, colour = styles[series_id]
        member = ~tags.any(axis=1) if series_id == NO_THEME else tags[series_id]
        chosen = table[member.reindex(table.index)]
        headers = ["Title", "Date", "Date status"]
        if series_id != NO_THEME:
            headers.append("Matched terms")
        rows = []
        for index, post in chosen.iterrows():
            # Only an http(s) address becomes a link (posts_table has checked it; so again here).
            title = _cell(post["Title"], href=safe_url(post["Link"]))
            cells = [title, post["Date"], post["Date status"]]
            if series_id != NO_THEME:
                cells.append(evidence.at[index, series_id] or "none: tag added in review")
            rows.append(cells)
        themes.append(
            {
                "label": label,
                "colour": colour,
                "posts": count(len(chosen)),
                "table": _table(headers, rows, nowrap=("Date", "Date status"), cls="posts")
                if rows
                else None,
            }
        )
    return {"empty": None, "themes": themes}


def _quality_part(quality: QualityReport | None) -> dict | None:
    if quality is None:
        return None
    table = _shown(quality_table(quality))  # the Tagging quality page's table, the XLSX sheet
    averages = table.index >= len(quality.per_theme)  # the last two rows, shown in bold
    table["Theme"] = [_cell(t, strong=a) for t, a in zip(table["Theme"], averages, strict=True)]
    disagreements = disagreements_table(quality)
    return {
        "compared": count(quality.posts_compared),
        "left_out": count(len(quality.unlabelled)) if quality.unlabelled else "",
        "table": _frame_table(
            table,
            numeric=table.columns[1:-1],
            caption="Agreement with hand labels, theme by theme.",
            cls="data quality keep",
        ),
        "small_sample": SMALL_SAMPLE,
        "small_samples": quality.small_samples,
        "disagreements": None
        if disagreements.empty
        else _frame_table(
            disagreements,
            caption="A false positive is a theme the tagger gave that the labels do not; "
            "a miss is a labelled theme the tagger did not give.",
            cls="posts",
        ),
    }


def _notes_part(corpus: Corpus, tags: pd.DataFrame, posts: pd.DataFrame) -> dict:
    everything = headline(corpus.posts, tags)
    in_view_figures = headline(posts, tags.loc[posts.index])
    undated_all = everything.posts - everything.dated
    undated_view = in_view_figures.posts - in_view_figures.dated
    duplicates = [f for f in corpus.findings if f.kind.startswith("duplicate_")]
    return {
        "counts": [
            f"Dates in the file ({count(everything.posts)}): {everything.published_dates} "
            f"published, {everything.estimated_dates} estimated, {everything.inferred_dates} "
            f"inferred, {undated_all} undated.",
            f"Dates of the posts in view ({count(in_view_figures.posts)}): "
            f"{in_view_figures.published_dates} published, {in_view_figures.estimated_dates} "
            f"estimated, {in_view_figures.inferred_dates} inferred, {undated_view} undated.",
            (
                f"Duplicates: {count(len(duplicates), 'group')} of posts "
                f"shar{'es' if len(duplicates) == 1 else 'e'} a title or summary (listed below)."
                if duplicates
                else "Duplicates: no two posts share a title or summary."
            ),
        ],
        "findings": [finding.message for finding in corpus.findings],
    }
