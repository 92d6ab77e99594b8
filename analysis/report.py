"""A report to keep: one self-contained HTML file that opens offline and prints to A4.

:func:`build_report` writes the whole story of a corpus under the user's filters:
what was chosen, how tagging works (the codebook in full), coverage over time,
theme totals and co-occurrence, the posts behind every theme, how well the
tagger agrees with hand labels, and the data's known problems. Every chart is
an interactive Plotly figure followed by a table of its numbers, so the report
is readable without JavaScript, by a screen reader, and on paper.

The file stands alone: plotly.js is embedded once, inline; the styles are in
the page; nothing is fetched from anywhere (a Content-Security-Policy says so
to the browser too). Text from posts (titles, urls, findings that quote them)
is untrusted: it is HTML-escaped everywhere, and a url becomes a link only when
it is ``http`` or ``https``.

Numbers come from the same functions as the dashboard (:mod:`analysis.coverage`,
:mod:`analysis.filters`, :mod:`analysis.tables`), so the report and the pages agree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go

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
from analysis.filters import Filters, chosen_series, in_view, with_themes
from analysis.formatting import count, format_bound, format_date, month_range, safe_url
from analysis.loading import slugify
from analysis.metrics import SMALL_SAMPLE, QualityReport
from analysis.tables import coverage_table, posts_table

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


class _Html(str):
    """Markup that is already safe to place in the page; any other text is escaped."""


def _e(value: object) -> _Html:
    """``value`` as safe markup: escaped unless it already is markup."""
    if isinstance(value, _Html):
        return value
    return _Html(html.escape(str(value), quote=True))


def _link(text: object, url: object) -> _Html:
    """``text`` linked to ``url`` when the url is http(s); otherwise the text alone."""
    href = safe_url(url)
    if href is None:
        return _e(text)
    return _Html(f'<a href="{_e(href)}" rel="noopener noreferrer">{_e(text)}</a>')


def _swatch(colour: str) -> _Html:
    return _Html(f'<span class="swatch" style="background:{_e(colour)}" aria-hidden="true"></span>')


def _table(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[int] = (),
    nowrap: Iterable[int] = (),
    caption: object | None = None,
    cls: str = "",
) -> _Html:
    """A table; cells are escaped unless they are markup. ``numeric`` columns align right;
    ``nowrap`` columns keep each cell on one line."""
    classes = {n: ["num"] for n in numeric}
    for n in nowrap:
        classes.setdefault(n, []).append("nowrap")

    def cell(tag: str, n: int, value: object) -> str:
        names = f' class="{" ".join(classes[n])}"' if n in classes else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{names}{scope}>{_e(value)}</{tag}>"

    head = "".join(cell("th", n, h) for n, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", n, v) for n, v in enumerate(row)) + "</tr>" for row in rows
    )
    caption_html = f"<caption>{_e(caption)}</caption>" if caption is not None else ""
    class_html = f' class="{_e(cls)}"' if cls else ""
    return _Html(
        f"<table{class_html}>{caption_html}<thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _p(text: object, cls: str = "") -> _Html:
    class_html = f' class="{_e(cls)}"' if cls else ""
    return _Html(f"<p{class_html}>{_e(text)}</p>")


def _list(items: Iterable[object], cls: str = "") -> _Html:
    class_html = f' class="{_e(cls)}"' if cls else ""
    return _Html(f"<ul{class_html}>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")


def _join(parts: Iterable[object]) -> _Html:
    return _Html("\n".join(_e(part) for part in parts))


def _number(value: float) -> str:
    """2.0 -> ``2``, 1.5 -> ``1.5``."""
    return f"{value:g}"


def _ratio(value: float) -> str:
    """A precision, recall, F1 or kappa to two places; ``n/a`` when undefined."""
    return "n/a" if pd.isna(value) else f"{value:.2f}"


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_generated_at(moment: datetime) -> str:
    """``24 Nov 2026, 14:05 UTC`` (a naive datetime is taken to be UTC already)."""
    moment = _utc(moment)
    return f"{format_date(moment, 'day')}, {moment:%H:%M} UTC"


def report_filename(corpus_name: str, generated_at: datetime | None = None) -> str:
    """A file name for a report: ``anchor-themes-report-2026-11-24.html``.

    The corpus name, when it gives one, goes in as a short slug (``.csv`` left
    out): ``report_filename("my posts.csv", …)`` is
    ``anchor-themes-report-my-posts-2026-11-24.html``. Pass ``""`` for no name.
    The date is the UTC date of ``generated_at`` (default: now).
    """
    slug = slugify(re.sub(r"\.csv\b", "", corpus_name or "", flags=re.IGNORECASE), 40)
    day = _utc(generated_at).strftime("%Y-%m-%d")
    return f"anchor-themes-report-{slug + '-' if slug else ''}{day}.html"


class _Charts:
    """Turns figures into report markup, embedding plotly.js inline with the first only."""

    def __init__(self) -> None:
        self.plotlyjs_included = False

    def figure(self, fig: go.Figure, name: str, caption: object | None = None) -> _Html:
        fig.update_layout(width=CHART_WIDTH)
        title = fig.layout.title.text or ""
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
        caption_html = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
        return _Html(
            f'<figure class="chart" role="group" aria-label="{_e(title)}">'
            f'<div class="plot">{div}</div>{caption_html}</figure>'
        )


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
    moment = _utc(generated_at)
    charts = _Charts()

    sections = [
        _title_section(corpus, posts, view_tags, tag_mode, moment),
        _filters_section(corpus, filters, posts, view_tags),
        _method_section(corpus, tag_mode),
        _coverage_section(corpus, posts, view_tags, series, charts),
        _totals_section(corpus, posts, view_tags, filters, charts),
        _posts_section(corpus, posts, view_tags, series),
        _quality_section(quality),
        _data_notes_section(corpus, tags, posts),
    ]
    title = f"Anchor Themes report: {corpus.name}"
    return _page(title, sections)


def _aligned_tags(corpus: Corpus, tags: pd.DataFrame) -> pd.DataFrame:
    ids = corpus.codebook.ids
    missing = [theme_id for theme_id in ids if theme_id not in tags.columns]
    if missing:
        raise ValueError(f"tags have no column for theme {', '.join(missing)}")
    if not tags.index.sort_values().equals(corpus.posts.index.sort_values()):
        raise ValueError("tags must be indexed like corpus.posts, one row per post")
    return tags.loc[corpus.posts.index, ids].eq(True)  # a missing value is no tag, not a tag


def _section(section_id: str, body: Iterable[object], cls: str = "") -> _Html:
    heading = dict(SECTIONS)[section_id]
    level = "h1" if section_id == "title" else "h2"
    class_html = f' class="{_e(cls)}"' if cls else ""
    return _Html(
        f'<section id="{_e(section_id)}"{class_html}>'
        f"<{level}>{_e(heading)}</{level}>\n{_join(body)}</section>"
    )


def _tag_mode_sentence(tag_mode: str) -> str:
    if tag_mode == "reviewed":
        return (
            "Tag mode: reviewed. Themes are the tagger's tags as corrected by a person, "
            "so some may have been added or removed by hand."
        )
    return "Tag mode: machine. Themes are the tagger's tags, not reviewed by a person."


def _title_section(
    corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, tag_mode: str, moment: datetime
) -> _Html:
    codebook = corpus.codebook
    figures = headline(posts, tags)
    meta = _Html(
        '<dl class="meta">'
        f"<dt>Posts</dt><dd>{_e(corpus.name)}</dd>"
        f"<dt>Generated</dt><dd>{_e(format_generated_at(moment))}</dd>"
        f"<dt>Codebook</dt><dd>version {_e(codebook.version)} ({_e(codebook.source)})</dd>"
        f"<dt>Tags</dt><dd>{_e(tag_mode)}</dd>"
        "</dl>"
    )
    dated = (
        f"{figures.dated} dated ({figures.published_dates} published, "
        f"{figures.inferred_dates} inferred, {figures.estimated_dates} estimated)"
    )
    key = [
        f"{count(figures.posts)} in view of {len(corpus.posts)} in the file; {dated}.",
        f"Dates: {month_range(figures.first, figures.last) or 'none'}.",
        f"{count(figures.untagged)} with no theme.",
    ]
    themes = _Html(
        '<ul class="key-themes">'
        + "".join(
            f"<li>{_swatch(theme.colour)}<strong>{_e(theme.label)}</strong>: "
            f"{_e(count(figures.per_theme[theme.id]))} "
            f"({figures.share(theme.id):.0%} of posts in view)</li>"
            for theme in codebook.themes
        )
        + "</ul>"
    )
    contents = _Html(
        '<nav class="contents" aria-label="Contents"><ol>'
        + "".join(
            f'<li><a href="#{_e(sid)}">{_e(heading)}</a></li>' for sid, heading in SECTIONS[1:]
        )
        + "</ol></nav>"
    )
    return _section(
        "title",
        [meta, _p(_tag_mode_sentence(tag_mode)), _list(key, "key"), themes, contents],
    )


def _filters_section(
    corpus: Corpus, filters: Filters, posts: pd.DataFrame, tags: pd.DataFrame
) -> _Html:
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
    body: list[object] = []
    if not items:
        body.append(_p("Filters: none: all posts.", "filters-none"))
    else:
        body.append(_list(items, "filters-list"))
    listed = int(with_themes(tags, filters.themes).sum())
    summary = (
        f"In view under the date range and search: {count(len(posts))} of {len(corpus.posts)}."
    )
    if filters.themes is not None:
        summary += (
            f" Of these, {count(listed)} {'carries' if listed == 1 else 'carry'} a chosen theme; "
            "the coverage charts show only the "
            "chosen themes and “Posts by theme” lists only their posts. Theme totals and "
            "co-occurrence count every theme of the posts in view."
        )
    body.append(_p(summary))
    return _section("filters", body)


def _method_section(corpus: Corpus, tag_mode: str) -> _Html:
    codebook = corpus.codebook
    themes = []
    for theme in codebook.themes:
        terms = ", ".join(f"<code>{_e(term)}</code>" for term in theme.terms)
        exclude = (
            ", ".join(f"<code>{_e(term)}</code>" for term in theme.exclude)
            if theme.exclude
            else "none"
        )
        themes.append(
            f'<div class="theme-card" style="border-left-color:{_e(theme.colour)}">'
            f"<h3>{_swatch(theme.colour)}{_e(theme.label)} <small>({_e(theme.id)})</small></h3>"
            f"<p>{_e(theme.definition)}</p>"
            f'<p class="terms"><strong>Terms:</strong> {terms}</p>'
            f'<p class="terms"><strong>Exclusions:</strong> {exclude}</p></div>'
        )
    weight, threshold = _number(codebook.title_weight), _number(codebook.min_score)
    how = _Html(
        "<h3>How tagging works</h3>"
        "<p>One regular expression is compiled from every theme's terms and exclusions, and "
        "each post's title, summary and text are scanned with it. Terms match whole words in "
        "any case: <code>*</code> matches any word ending, a space also matches a hyphen or "
        "line break, a hyphen is optional, and straight and curly apostrophes match each "
        "other. Where phrases overlap, the one starting first wins, and at the same start the "
        "longest; an exclusion is matched like a term but counts for nothing, so it stops the "
        "shorter terms inside it counting.</p>"
        '<p class="formula">score = title_weight × (distinct theme terms in the title) + '
        "(distinct theme terms in the summary) + text_weight × (distinct theme terms in the "
        "text)</p>"
        f"<p>Here title_weight is <strong>{_e(weight)}</strong>, text_weight "
        f"<strong>{_e(_number(codebook.text_weight))}</strong>, and a post carries a theme "
        f"when its score reaches min_score, <strong>{_e(threshold)}</strong>. A post can carry "
        "several themes or none (shown as “"
        f"{_e(codebook.no_theme_label)}”). The same codebook and text always give the same "
        "tags.</p>"
        f"<p>{_e(_tag_mode_sentence(tag_mode))}</p>"
    )
    intro = _p(
        f"Codebook version {codebook.version} ({codebook.source}) defines "
        f"{len(codebook.themes)} themes, in the order used throughout this report."
    )
    return _section("method", [intro, _Html("".join(themes)), how])


def _coverage_section(
    corpus: Corpus,
    posts: pd.DataFrame,
    tags: pd.DataFrame,
    series: list[str],
    charts: _Charts,
) -> _Html:
    codebook = corpus.codebook
    if posts.empty:
        return _section("coverage", [_p("No posts are in view under these filters.")], "major")
    if not series:
        return _section(
            "coverage", [_p("No theme is chosen, so there is nothing to chart.")], "major"
        )
    body: list[object] = [
        _p(
            "Each bar is a theme's posts in a period. Solid: posts with a published date "
            "precise to the period. Hatched and lighter: posts whose date is estimated, "
            "inferred, or known less precisely than the period. Shares are of all dated "
            "posts in view in the period, so a post with several themes counts in each."
        )
    ]
    tables = {
        granularity: coverage_over_time(posts, tags, granularity, series)
        for granularity in dict.fromkeys(granularity for granularity, _ in COVERAGE_CHARTS)
    }
    for granularity, measure in COVERAGE_CHARTS:
        table = tables[granularity]
        note = date_note(posts, granularity)
        if table.empty:
            body.append(_p(note))
            break
        fig = coverage_figure(table, posts, codebook, granularity, measure)
        name = f"anchor-themes-coverage-by-{granularity}-{measure}"
        body.append(charts.figure(fig, name, note))
        body.append(_coverage_data(table, corpus, granularity, measure))
    return _section("coverage", body, cls="major")


def _coverage_data(table: pd.DataFrame, corpus: Corpus, granularity: str, measure: str) -> _Html:
    """The numbers behind one coverage chart: a period per row, a theme per column."""
    data = coverage_table(table, corpus.codebook).set_index(["Period", "Theme"])
    periods = list(dict.fromkeys(data.index.get_level_values("Period")))
    themes = list(dict.fromkeys(data.index.get_level_values("Theme")))
    rows = []
    for period in periods:
        cells: list[object] = [period, int(data.loc[(period, themes[0]), "All posts in period"])]
        for theme in themes:
            row = data.loc[(period, theme)]
            if measure == "share":
                share = row["Share of period's posts"]
                cells.append(f"{share:.0%}")
            else:
                approximate = int(row["With approximate dates"])
                cells.append(
                    f"{int(row['Posts'])} ({approximate} approx.)"
                    if approximate
                    else int(row["Posts"])
                )
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
    return _table(
        [word.capitalize(), "All posts", *themes],
        rows,
        numeric=range(1, len(themes) + 2),
        caption=caption,
        cls="data keep",
    )


def _totals_section(
    corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, filters: Filters, charts: _Charts
) -> _Html:
    codebook = corpus.codebook
    if posts.empty:
        return _section("totals", [_p("No posts are in view under these filters.")], "major")
    totals = theme_totals(tags, codebook)
    totals_chart = totals_figure(totals)
    if filters.start or filters.end:  # say the chart counts only the date range
        totals_chart.update_layout(title_text="Posts per theme, posts in the date range")
    totals_table = _table(
        ["Theme", "Posts", "Share of posts in view"],
        [
            [_Html(f"{_swatch(colour)}{_e(label)}"), int(posts_n), f"{share:.0%}"]
            for label, colour, posts_n, share in zip(
                totals["label"], totals["colour"], totals["posts"], totals["share"], strict=True
            )
        ],
        numeric=(1, 2),
        caption=f"Data for the chart above: posts per theme among the {len(posts)} posts in "
        "view. A post can carry several themes, so the rows can add up to more than that.",
        cls="data keep",
    )
    matrix = cooccurrence(tags)
    labels = codebook.labels
    matrix_table = _table(
        ["", *(labels[c] for c in matrix.columns)],
        [
            [_Html(f"<strong>{_e(labels[r])}</strong>"), *(int(v) for v in matrix.loc[r])]
            for r in matrix.index
        ],
        numeric=range(1, len(matrix.columns) + 1),
        caption="Data for the chart above: posts carrying both the row's and the column's "
        "theme; the diagonal is each theme's own total.",
        cls="data keep",
    )
    body = [
        charts.figure(totals_chart, "anchor-themes-totals"),
        totals_table,
        charts.figure(cooccurrence_figure(matrix, codebook), "anchor-themes-co-occurrence"),
        matrix_table,
    ]
    return _section("totals", body, cls="major")


def _posts_section(
    corpus: Corpus, posts: pd.DataFrame, tags: pd.DataFrame, series: list[str]
) -> _Html:
    codebook = corpus.codebook
    if posts.empty:
        return _section("posts", [_p("No posts are in view under these filters.")], "major")
    if not series:
        return _section("posts", [_p("No theme is chosen, so no posts are listed.")], "major")
    table = posts_table(posts, tags, codebook)
    evidence = corpus.result.evidence
    body: list[object] = [
        _p(
            "For each theme, its posts in view, newest first. “Matched terms” are the codebook "
            "terms found in the post, and where (title, summary or text)."
        )
    ]
    styles = series_style(codebook)
    for series_id in series:
        label, colour = styles[series_id]
        member = ~tags.any(axis=1) if series_id == NO_THEME else tags[series_id]
        chosen = table[member.reindex(table.index)]
        heading = _Html(
            f'<h3 class="theme-heading" style="border-left-color:{_e(colour)}">'
            f"{_swatch(colour)}{_e(label)} <small>({_e(count(len(chosen)))})</small></h3>"
        )
        if chosen.empty:
            body.append(_Html(f'<div class="theme-posts">{heading}{_p("No posts.")}</div>'))
            continue
        headers = ["Title", "Date", "Date status"]
        rows = []
        for index, post in chosen.iterrows():
            cells: list[object] = [_link(post["Title"], post["Link"]), post["Date"]]
            cells.append(post["Date status"])
            if series_id != NO_THEME:
                cells.append(evidence.at[index, series_id] or "none: tag added in review")
            rows.append(cells)
        if series_id != NO_THEME:
            headers.append("Matched terms")
        body.append(
            _Html(
                f'<div class="theme-posts">{heading}{_table(headers, rows, nowrap=(1, 2), cls="posts")}</div>'
            )
        )
    return _section("posts", body, cls="major")


def _quality_section(quality: QualityReport | None) -> _Html:
    if quality is None:
        return _section(
            "quality",
            [
                _p(
                    "No labels were supplied, so this report does not measure how well the "
                    "tagger agrees with hand-coding."
                )
            ],
            cls="major",
        )
    per_theme = quality.per_theme
    rows = [
        [
            row.label,
            row.positives,
            row.tagged,
            row.true_positives,
            row.false_positives,
            row.misses,
            _ratio(row.precision),
            _ratio(row.recall),
            _ratio(row.f1),
            _ratio(row.kappa),
        ]
        for row in per_theme.itertuples(index=False)
    ]
    for name, averages in (("Micro average", quality.micro), ("Macro average", quality.macro)):
        rows.append(
            [
                _Html(f"<strong>{_e(name)}</strong>"),
                "",
                "",
                "",
                "",
                "",
                _ratio(averages["precision"]),
                _ratio(averages["recall"]),
                _ratio(averages["f1"]),
                "",
            ]
        )
    left_out = (
        f"; {count(len(quality.unlabelled))} without a label row are left out"
        if quality.unlabelled
        else ""
    )
    body: list[object] = [
        _p(
            f"The tagger's tags compared with a hand-coding of {count(quality.posts_compared)}"
            f"{left_out}. Precision: of the posts tagged with a theme, the share the labels agree with. "
            "Recall: of the posts labelled with a theme, the share the tagger found. F1 "
            "combines the two; Cohen's kappa is agreement beyond chance (1 is perfect, 0 "
            "chance). Micro averages pool every post and theme; macro averages weigh each "
            "theme equally."
        ),
        _table(
            [
                "Theme",
                "Labelled yes",
                "Tagged",
                "Agreed",
                "False positives",
                "Misses",
                "Precision",
                "Recall",
                "F1",
                "Kappa",
            ],
            rows,
            numeric=range(1, 10),
            nowrap=(0,),
            caption="Agreement with hand labels, theme by theme.",
            cls="data quality keep",
        ),
    ]
    if quality.small_samples:
        body.append(
            _p(
                f"Small samples: fewer than {SMALL_SAMPLE} hand-labelled posts carry "
                f"{', '.join(quality.small_samples)}, so their figures rest on very few posts "
                "and can swing a lot with one post. Read them with caution.",
                "warning",
            )
        )
    disagreements = quality.disagreements
    body.append(_Html("<h3>Disagreements</h3>"))
    if disagreements.empty:
        body.append(_p("None: the tagger and the labels agree on every post and theme."))
    else:
        body.append(
            _table(
                ["Post", "Theme", "Kind", "Evidence", "Labeller's note"],
                [
                    [row.title, row.theme, row.kind, row.evidence, row.note]
                    for row in disagreements.itertuples(index=False)
                ],
                caption="A false positive is a theme the tagger gave that the labels do not; "
                "a miss is a labelled theme the tagger did not give.",
                cls="posts",
            )
        )
    return _section("quality", body, cls="major")


def _data_notes_section(corpus: Corpus, tags: pd.DataFrame, posts: pd.DataFrame) -> _Html:
    everything = headline(corpus.posts, tags)
    in_view_figures = headline(posts, tags.loc[posts.index])
    undated_all = everything.posts - everything.dated
    undated_view = in_view_figures.posts - in_view_figures.dated
    duplicates = [f for f in corpus.findings if f.kind.startswith("duplicate_")]
    counts = [
        f"Dates in the file ({count(everything.posts)}): {everything.published_dates} "
        f"published, {everything.estimated_dates} estimated, {everything.inferred_dates} "
        f"inferred, {undated_all} undated.",
        f"Dates of the posts in view ({count(in_view_figures.posts)}): "
        f"{in_view_figures.published_dates} published, {in_view_figures.estimated_dates} "
        f"estimated, {in_view_figures.inferred_dates} inferred, {undated_view} undated.",
        (
            f"Duplicates: {len(duplicates)} group{'s' if len(duplicates) != 1 else ''} of posts "
            f"shar{'es' if len(duplicates) == 1 else 'e'} a title or summary (listed below)."
            if duplicates
            else "Duplicates: no two posts share a title or summary."
        ),
    ]
    body: list[object] = [
        _p(
            "An estimated date is a best guess (for the bundled HALN posts, from a post's place "
            "in the blog listing); an inferred date is worked out from what the post says. "
            "Neither is a published date, so the charts hatch them."
        ),
        _list(counts),
        _Html("<h3>Data-quality findings</h3>"),
    ]
    if corpus.findings:
        body.append(
            _p(
                "About the whole file, not only the posts in view. Rows are numbered as a "
                "spreadsheet shows them (the header is row 1)."
            )
        )
        body.append(_list((f.message for f in corpus.findings), "findings"))
    else:
        body.append(_p("No problems found in the posts file."))
    return _section("data-notes", body)


_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)

_CSS = """
:root {
  --ink: #262730; --muted: #5b5d66; --rule: #d7d9de; --band: #f4f5f7; --accent: #0072B2;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 24px 24px 48px; max-width: 1000px; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", sans-serif;
  background: #fff;
}
h1 { font-size: 2rem; margin: 0.2em 0 0.4em; }
h2 {
  font-size: 1.5rem; margin: 2.2em 0 0.6em; padding-bottom: 0.2em;
  border-bottom: 3px solid var(--accent);
}
h3 { font-size: 1.15rem; margin: 1.6em 0 0.5em; }
h3 small, h1 small { color: var(--muted); font-weight: normal; font-size: 0.85em; }
p, li { max-width: 75ch; }
a { color: #0a5a8c; }
code {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.88em; background: var(--band); padding: 0 0.25em; border-radius: 3px;
}
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 1em; margin: 0 0 1em; }
.meta dt { font-weight: 600; color: var(--muted); }
.meta dd { margin: 0; }
.key-themes { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.6em; }
.swatch {
  display: inline-block; width: 0.85em; height: 0.85em; margin-right: 0.45em;
  border-radius: 2px; vertical-align: -0.05em;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.contents ol { columns: 2; padding-left: 1.4em; }
.theme-card, .theme-heading { border-left: 6px solid var(--rule); padding-left: 0.8em; }
.theme-card { margin: 1em 0 1.4em; }
.theme-card h3 { margin: 0 0 0.3em; }
.theme-card p { margin: 0.3em 0; }
.terms { font-size: 0.95em; }
.formula {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  background: var(--band); padding: 0.6em 0.8em; border-radius: 4px; max-width: none;
}
.warning { border-left: 4px solid #E69F00; background: #fff6e5; padding: 0.5em 0.8em; }
figure.chart { margin: 1.4em 0 0.6em; }
figure.chart .plot { overflow-x: auto; overflow-y: hidden; }
figure.chart figcaption { color: var(--muted); font-size: 0.92em; margin-top: 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1.4em; font-size: 0.92em; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 0.35em; }
th, td { padding: 0.35em 0.55em; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { text-align: left; background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafafb; }
table.posts td:first-child { width: 45%; }
.findings li { margin-bottom: 0.4em; }

@page { margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { margin-top: 1.4em; }
  section.major > h2 { margin-top: 0; }
  h2, h3 { break-after: avoid; }
  .contents, .modebar-container { display: none !important; }
  section.major { break-before: page; }
  figure.chart, .theme-card, tr, .warning, .formula, table.keep { break-inside: avoid; }
  figure.chart .plot { overflow: visible; zoom: 0.77; }
  thead { display: table-header-group; }
  caption { break-after: avoid; }
  table.posts a[href]::after {
    content: " (" attr(href) ")"; color: var(--muted); font-size: 0.85em; word-break: break-all;
  }
  tbody tr:nth-child(even) td, th, code, .formula, .warning {
    -webkit-print-color-adjust: exact; print-color-adjust: exact;
  }
  a { color: inherit; text-decoration: none; }
}
"""


def _page(title: str, sections: Sequence[_Html]) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Anchor Themes">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )
