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

from datetime import datetime
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from analysis.codebook import NO_THEME
from analysis.corpus import Corpus
from analysis.coverage import cooccurrence, coverage_over_time, date_note, headline, theme_totals
from analysis.figures import cooccurrence_figure, coverage_figure, totals_figure
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
    utc,
    whole,
)
from analysis.metrics import SMALL_SAMPLE, QualityReport, quality_table
from analysis.tables import (
    cooccurrence_table,
    coverage_table,
    disagreements_table,
    machine_consensus_table,
    posts_table,
    reviewer_agreement_table,
    small_sample_note,
    totals_table,
)
from analysis.viewstate import TAG_MODES

#: The report's sections in order: (element id, heading). The first is the title (an h1).
SECTIONS = (
    ("title", "Anchor Themes report"),
    ("filters", "Filters in force"),
    ("method", "Method"),
    ("coverage", "Coverage over time"),
    ("totals", "Theme totals and co-occurrence"),
    ("posts", "Posts by theme"),
    ("quality", "Tagging quality"),
    ("comments", "Review comments"),
    ("data-notes", "Data notes"),
)

#: Layout width of every chart, in CSS pixels. Print CSS zooms charts to fit an A4 page.
CHART_WIDTH = 880

#: (granularity, measure) of the coverage charts, in the order they appear (the view's
#: period and measure, when given, come first).
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
# "3 posts", "17%": numbers in the report's sentences, as the pages write them
_TEMPLATES.filters.update(count=count, number=number, percent=percent)

_NO_POSTS = "No posts are in view under these filters."


def _cell(text: object, *, colour: str = "", href: str | None = None, strong: bool = False):
    """A table cell with more than text: a colour square before it, a link or emphasis."""
    return {"text": text, "colour": colour, "href": href, "strong": strong}


def _table(frame: pd.DataFrame, numeric=(), nowrap=(), cls: str = "data keep") -> dict:
    """``frame`` as the template's table: ``numeric`` columns (by header) align right,
    ``nowrap`` columns keep each cell on one line; ``cls`` is the table's class."""
    classes = [
        " ".join(name for name, on in (("num", h in numeric), ("nowrap", h in nowrap)) if on)
        for h in frame.columns
    ]
    rows = [list(row) for row in frame.itertuples(index=False)]
    return {"headers": list(frame.columns), "rows": rows, "classes": classes, "cls": cls}


def format_generated_at(moment: datetime) -> str:
    """``24 Nov 2026, 14:05 UTC`` (a naive datetime is taken to be UTC already)."""
    moment = utc(moment)
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
    period: str | None = None,
    measure: str | None = None,
    review_history: pd.DataFrame | None = None,
    review_rounds: pd.DataFrame | None = None,
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
    ``generated_at`` (default: now, or ``SOURCE_DATE_EPOCH``:
    :func:`analysis.provenance.generated_time`) is shown in UTC. ``period`` and
    ``measure``, the view's (as on screen, or ``--period``/``--measure``), put that coverage
    chart first and are stated under the filters. ``review_history`` and
    ``review_rounds`` (:meth:`ReviewStore.history` and :meth:`ReviewStore.rounds`) add the
    comments reviewers gave on the posts in view ("Review comments") and, when the log has
    review rounds, agreement between each round's reviewers and between the machine and
    their consensus (:func:`_agreement_part`).
    """
    from analysis.provenance import generated_time

    if tag_mode not in TAG_MODES:
        raise ValueError(f"tag_mode must be one of {', '.join(TAG_MODES)} (got {tag_mode!r})")
    tags = _aligned_tags(corpus, corpus.tags if tags is None else tags)
    filters = filters or Filters()
    visible = in_view(corpus.posts, filters)
    posts = corpus.posts[visible]
    view_tags = tags[visible]
    series = chosen_series(view_tags, filters.themes)
    charts = _Charts()
    chosen = [(period, measure or "count")] if period else []
    order = tuple(dict.fromkeys([*chosen, *COVERAGE_CHARTS]))
    return _TEMPLATES.get_template("report.html.j2").render(
        headings=dict(SECTIONS),
        contents=SECTIONS[1:],
        codebook=corpus.codebook,
        tag_mode=tag_mode,
        top=_title_part(corpus, posts, view_tags, generated_time(generated_at)),
        filters=_filters_part(corpus, filters, posts, view_tags) | {"chart": chosen},
        coverage=_coverage_part(corpus, posts, view_tags, series, charts, order),
        totals=_totals_part(corpus, posts, view_tags, filters, charts),
        posts=_posts_part(corpus, posts, view_tags, series),
        quality=_quality_part(quality),
        comments=_comments_part(corpus, posts, review_history),
        agreement=_agreement_part(corpus, review_history, review_rounds),
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


def _title_part(corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, moment: datetime):
    figures = headline(posts, tags)
    return {
        "corpus": corpus.name,
        "generated": format_generated_at(moment),
        "figures": figures,
        "in_file": len(corpus.posts),
        "dates": month_range(figures.first, figures.last) or "none",
    }


def _filters_part(corpus: Corpus, filters: Filters, posts: pd.DataFrame, tags: pd.DataFrame):
    labels = corpus.codebook.series_labels
    chosen = None if filters.themes is None else chosen_series(tags, filters.themes)
    return {
        "themes": None if chosen is None else [labels[s] for s in chosen],
        # The date slider chooses whole months: the ends are said as months when they are.
        "start": format_bound(filters.start) if filters.start else None,
        "end": format_bound(filters.end, last=True) if filters.end else None,
        "include_undated": filters.include_undated,
        "search": filters.search.strip(),
        "in_view": len(posts),
        "in_file": len(corpus.posts),
        "listed": None if chosen is None else int(with_themes(tags, filters.themes).sum()),
    }


def _coverage_part(
    corpus: Corpus,
    posts: pd.DataFrame,
    tags: pd.DataFrame,
    series: list[str],
    charts: _Charts,
    order=COVERAGE_CHARTS,
) -> dict:
    if posts.empty:
        return {"empty": _NO_POSTS}
    if not series:
        return {"empty": "No theme is chosen, so there is nothing to chart."}
    tables = {
        granularity: coverage_over_time(posts, tags, granularity, series)
        for granularity in dict.fromkeys(granularity for granularity, _ in order)
    }
    parts = []
    for granularity, measure in order:
        table = tables[granularity]
        note = date_note(posts, granularity)
        if table.empty:
            parts.append({"figure": None, "note": note})
            break
        fig = coverage_figure(table, posts, corpus.codebook, granularity, measure)
        name = f"anchor-themes-coverage-by-{granularity}-{measure}"
        data = _coverage_data(table, corpus, granularity, measure)
        parts.append({"figure": charts.figure(fig, name, note), "table": data, "word": granularity})
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
    headers = [granularity.capitalize(), "All posts", *themes]
    table = _table(pd.DataFrame(rows, columns=headers), numeric=headers[1:])
    return {**table, "measure": measure}


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
        "table": _table(shown, numeric=shown.columns[1:]),
        "posts": len(posts),
        "matrix_chart": charts.figure(
            cooccurrence_figure(matrix, codebook), "anchor-themes-co-occurrence"
        ),
        "matrix": _table(pairs, numeric=pairs.columns[1:]),
    }


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
    labels, colours = codebook.series_labels, codebook.series_colours
    themes = []
    for series_id in series:
        member = codebook.untagged(tags) if series_id == NO_THEME else tags[series_id]
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
                "label": labels[series_id],
                "colour": colours[series_id],
                "posts": count(len(chosen)),
                "table": _table(
                    pd.DataFrame(rows, columns=headers), nowrap=("Date", "Date status"), cls="posts"
                )
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
        "compared": quality.posts_compared,
        "left_out": len(quality.unlabelled),
        "table": _table(table, numeric=table.columns[1:-1], cls="data quality keep"),
        "small_sample": SMALL_SAMPLE,
        "small_samples": quality.small_samples,
        "disagreements": None if disagreements.empty else _table(disagreements, cls="posts"),
    }


#: The columns of the report's review comments.
COMMENT_HEADERS = ["Post", "Theme", "Decision", "Reviewer", "When", "Comment"]


def _comments_part(corpus: Corpus, posts: pd.DataFrame, history: pd.DataFrame | None) -> dict:
    """The reviewers' comments on the posts in view, oldest first: the post (its title, a
    link when http(s)), theme, decision, who, when and the comment, all plain text (the
    template escapes them)."""
    if history is None or history.empty or "comment" not in history:
        return {"table": None, "supplied": history is not None}
    titles = dict(zip(posts["id"], posts["title"], strict=True))
    links = dict(zip(posts["id"], posts["url"], strict=True))
    commented = history[
        history["comment"].notna()
        & history["comment"].astype(str).str.strip().ne("")
        & history["post_id"].isin(titles)
    ]
    labels = corpus.codebook.labels
    rows = [
        [
            _cell(titles[entry.post_id], href=safe_url(links[entry.post_id])),
            labels.get(entry.theme, entry.theme),
            entry.decision,
            entry.reviewer,
            format_generated_at(entry.decided_at),
            entry.comment,
        ]
        for entry in commented.itertuples(index=False)
    ]
    if not rows:
        return {"table": None, "supplied": True}
    frame = pd.DataFrame(rows, columns=COMMENT_HEADERS)
    return {"table": _table(frame, nowrap=("When",), cls="posts comments"), "supplied": True}


def _agreement_part(
    corpus: Corpus, history: pd.DataFrame | None, rounds: pd.DataFrame | None
) -> dict | None:
    """Each review round's agreement figures for the template; None without rounds.

    A blind round is named but its figures are left out, as on the Tagging quality page.
    Figures are over every post of the round (the filters do not apply: a round is one
    piece of work) and against the machine tags.
    """
    if history is None or rounds is None or rounds.empty:
        return None
    # scikit-learn, krippendorff and the review log's SQLAlchemy: only for a report with rounds
    from analysis.agreement import (
        ALPHA,
        KAPPA,
        MIN_UNITS,
        disagreements,
        machine_agreement,
        reviewer_agreement,
    )

    codebook = corpus.codebook
    parts = []
    for name, blind in zip(rounds["round"], rounds["blind"].astype(bool), strict=True):
        if blind:
            parts.append({"round": name, "blind": True})
            continue
        between = reviewer_agreement(history, name, codebook)
        machine = machine_agreement(corpus.posts, corpus.tags, history, name, codebook)
        reviewers = reviewer_agreement_table(between, MIN_UNITS)
        consensus = machine_consensus_table(machine, MIN_UNITS)
        small = between.loc[between["small_sample"] & (between["measure"] != ""), "label"]
        small_machine = machine.loc[machine["small_sample"] & (machine["n"] > 0), "label"]
        parts.append(
            {
                "round": name,
                "blind": False,
                "reviewers": history.loc[history["round"] == name, "reviewer"].nunique(),
                "between": _table(reviewers, numeric=_AGREEMENT_NUMBERS),
                "machine": _table(consensus, numeric=_AGREEMENT_NUMBERS),
                "small": _small(small, MIN_UNITS, "posts coded by two or more reviewers"),
                "small_machine": _small(small_machine, MIN_UNITS, "posts with a consensus"),
                "unsettled": len(disagreements(history, name)),
            }
        )
    return {"rounds": parts, "minimum": MIN_UNITS, "kappa": KAPPA, "alpha": ALPHA}


#: Columns of the agreement tables that hold numbers (aligned right).
_AGREEMENT_NUMBERS = (
    "Reviewers",
    "Posts coded by two or more (n)",
    "Posts with a consensus (n)",
    "Agree with machine",
    "Value",
    "Cohen's kappa",
    "All agree",
)


def _small(labels: pd.Series, minimum: int, units: str) -> str:
    return small_sample_note(labels, minimum, units) if len(labels) else ""


def _notes_part(corpus: Corpus, tags: pd.DataFrame, posts: pd.DataFrame) -> dict:
    return {
        "dates": [
            ("Dates in the file", headline(corpus.posts, tags)),
            ("Dates of the posts in view", headline(posts, tags.loc[posts.index])),
        ],
        "duplicates": sum(f.kind.startswith("duplicate_") for f in corpus.findings),
        "findings": [finding.message for finding in corpus.findings],
    }
