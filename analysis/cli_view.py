"""The ``report``, ``export`` and ``reviews`` commands of :mod:`analysis.cli`, and the view
options ``report`` and ``export`` share: themes, dates, search and tag mode, read into
:class:`analysis.filters.Filters` as the dashboard's sidebar reads them.

Light to import (heavy modules are imported inside the commands); :mod:`analysis.cli` imports
this module only when it builds its parser or runs one of these commands.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from analysis.cli import CliError, open_output
from analysis.codebook import load_codebook
from analysis.coverage import GRANULARITIES, MEASURES
from analysis.loading import BUNDLED_POSTS
from analysis.viewstate import CHOICE_DEFAULTS, TAG_MODES


def run_report(args: argparse.Namespace) -> None:
    with open_output(args.output) as f:  # fails at once when the output cannot be written
        f.write(_report(args).encode("utf-8"))


def _report(args: argparse.Namespace) -> str:
    from analysis.corpus import open_corpus
    from analysis.report import build_report

    codebook = load_codebook(args.codebook)
    corpus = open_corpus(args.input, codebook)
    filters = view_filters(args, codebook)
    quality = _quality(args, corpus)
    current = _decisions(args) if args.tag_mode == "reviewed" else None
    tags = None
    if current is not None:
        from analysis.review import reviewed_tags

        tags = reviewed_tags(corpus.posts, corpus.tags, current)
    return build_report(
        corpus,
        tags,
        filters=filters,
        tag_mode=args.tag_mode,
        quality=quality,
        period=args.period,
        measure=args.measure,
        **_review_log(args),
    )


def _review_log(args: argparse.Namespace) -> dict:
    """The review log's every decision and its rounds (the report's review comments and
    agreement between reviewers, as the dashboard's report has them), read without creating
    a log; nothing when there is none."""
    from analysis.review_store import ReviewStore, default_database_url

    url = default_database_url({"ANCHOR_THEMES_REVIEW_DB": args.db} if args.db else os.environ)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return {}
    store = ReviewStore(url)
    try:
        return {"review_history": store.history(), "review_rounds": store.rounds()}
    finally:
        store.engine.dispose()


def add_chart_options(command: argparse.ArgumentParser) -> None:
    """``--period`` and ``--measure``: the coverage chart's settings, as under Overview's chart."""
    command.add_argument("--period", choices=GRANULARITIES, default=CHOICE_DEFAULTS["granularity"])
    command.add_argument(
        "--measure",
        choices=MEASURES,
        default=CHOICE_DEFAULTS["measure"],
        help="posts or share of the period's posts: which an export's coverage table puts "
        "first, and a report's first coverage chart shows",
    )


def _quality(args: argparse.Namespace, corpus):
    """Tagging quality against ``--labels`` (the bundled labels for the bundled posts), or None."""
    from analysis.metrics import BUNDLED_LABELS, load_labels, quality_report

    labels_path = args.labels
    if labels_path is None and _same_file(args.input, BUNDLED_POSTS):
        labels_path = str(BUNDLED_LABELS)
    if labels_path is None:
        return None
    labels = load_labels(labels_path, corpus.codebook)
    return quality_report(
        corpus.posts, corpus.tags, corpus.result.evidence, labels, corpus.codebook
    )


def _same_file(first: str | Path, second: str | Path) -> bool:
    try:
        return Path(first).resolve().samefile(Path(second).resolve())
    except OSError:
        return False


# --- reviews: the review log as CSV or XLSX -----------------------------------------------------


def add_reviews_command(commands, with_codebook: argparse.ArgumentParser) -> None:
    """``reviews``: write the review log (every decision) as CSV or XLSX."""
    reviews = commands.add_parser(
        "reviews",
        parents=[with_codebook],
        help="write the review log (who decided what, when, and why) as CSV or XLSX",
        description="Write every decision of the review log, oldest first: who, when (UTC), "
        "post, theme, machine tag (with --posts), value before, decision, comment, round, "
        "whether it settles a disagreement, and the codebook version. The format follows "
        "the output's extension (.csv or .xlsx).",
    )
    reviews.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="the review log: a SQLAlchemy URL or a SQLite file (default: "
        "ANCHOR_THEMES_REVIEW_DB, else reviews.sqlite in the user's data folder, as the "
        "dashboard uses)",
    )
    reviews.add_argument(
        "--posts",
        metavar="POSTS.csv",
        default=None,
        help="posts to tag with the codebook, to fill the machine tag column (default: none, "
        "and the column is empty)",
    )
    reviews.add_argument(
        "-o",
        "--output",
        metavar="FILE.csv|FILE.xlsx",
        required=True,
        help="where to write the log; '-' writes CSV to standard output",
    )


def _table_format(output: str) -> str:
    """``"csv"`` or ``"xlsx"``, as ``output``'s extension says (``-``, standard output: CSV)."""
    suffix = "csv" if output == "-" else Path(output).suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise CliError(f"{output}: the output must end in .csv or .xlsx")
    return suffix


def run_reviews(args: argparse.Namespace) -> None:
    """Read the log (never creating one) and write it in the format the output names."""
    from analysis.review_store import ReviewStore, default_database_url

    suffix = _table_format(args.output)
    url = default_database_url({"ANCHOR_THEMES_REVIEW_DB": args.db} if args.db else os.environ)
    database = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") and not Path(database).is_file():
        raise CliError(f"{database}: no review log here")
    from analysis import review_export

    posts = machine = codebook = None
    codebook = load_codebook(args.codebook)
    if args.posts is not None:
        from analysis.corpus import open_corpus

        corpus = open_corpus(args.posts, codebook)
        posts, machine = corpus.posts, corpus.tags
    with open_output(args.output) as f:  # fails at once when the output cannot be written
        store = ReviewStore(url)
        try:
            table = review_export.review_log_table(
                store.history(), posts=posts, machine_tags=machine, codebook=codebook
            )
        finally:
            store.engine.dispose()
        if suffix == "csv":
            f.write(review_export.review_log_csv(table))
        else:
            f.write(review_export.review_log_xlsx(table))


# --- the view: the dashboard's filters as options -----------------------------------------------


def _view_options() -> argparse.ArgumentParser:
    """Options that choose the view as the dashboard's sidebar (and a copied link) does."""
    view = argparse.ArgumentParser(add_help=False)
    view.add_argument(
        "--themes",
        metavar="IDS",
        action="append",
        default=None,
        help="theme ids to show, comma-separated or repeated; 'none' for posts with no theme "
        "(default: all)",
    )
    view.add_argument(
        "--start",
        metavar="DATE",
        default=None,
        help="first month in view: a date (UK day first: 05/07/2023 is 5 July), a month "
        "(2023-07, Jul 2023) or a year; taken as the whole month, as the date slider does "
        "(default: the first post)",
    )
    view.add_argument(
        "--end",
        metavar="DATE",
        default=None,
        help="last month in view, read as --start and taken to the end of its month (a year: "
        "to 31 December) (default: the last post)",
    )
    view.add_argument(
        "--search", default="", help="keep posts with every word (any case) in a text field"
    )
    view.add_argument(
        "--exclude-undated",
        action="store_true",
        help="leave out posts with no date (default: undated posts are in view)",
    )
    view.add_argument(
        "--tag-mode",
        choices=tuple(TAG_MODES),
        default=CHOICE_DEFAULTS["tag_mode"],
        help="machine tags, or the tags after review (reads the review log; see --db)",
    )
    view.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="the review log for --tag-mode reviewed: a SQLAlchemy URL or a SQLite file "
        "(default: as the dashboard, ANCHOR_THEMES_REVIEW_DB or the user's data folder)",
    )
    view.add_argument(
        "--labels",
        metavar="LABELS.csv",
        default=None,
        help="hand labels to measure tagging quality against: an id column and a 0/1 column "
        "per theme id, optional note (default: the bundled data/labels.csv when IN.csv is the "
        "bundled data/posts.csv; otherwise none, and the report says no labels were supplied)",
    )
    return view


def _bound(text: str | None, option: str, last: bool):
    """A ``--start``/``--end`` value as the first (or last) day of its month or year."""
    if text is None:
        return None
    from analysis.dates import parse_date
    from analysis.viewstate import month_end

    found, precision = parse_date(text)
    if found is None:
        raise CliError(f"{option}: {text!r} is not a date (try 2023-07, Jul 2023 or 05/07/2023)")
    if not last:
        return found.replace(day=1)
    if precision == "year":
        return found.replace(month=12, day=31)
    return month_end(found)


def view_filters(args: argparse.Namespace, codebook):
    """:class:`analysis.filters.Filters` from the view options, as the sidebar builds them."""
    from analysis.codebook import NO_THEME
    from analysis.filters import Filters

    themes = None
    if args.themes is not None:
        given = [t.strip() for value in args.themes for t in value.split(",") if t.strip()]
        known = [*codebook.ids, NO_THEME]
        unknown = [t for t in given if t not in known]
        if unknown:
            raise CliError(
                f"--themes: {', '.join(unknown)} (not a theme; choose from {', '.join(known)})"
            )
        chosen = tuple(t for t in known if t in given)
        themes = None if set(chosen) == set(known) else chosen
    start = _bound(args.start, "--start", last=False)
    end = _bound(args.end, "--end", last=True)
    if start and end and start > end:
        raise CliError(f"--start {args.start} is after --end {args.end}")
    return Filters(
        themes=themes,
        start=start,
        end=end,
        search=args.search.strip(),
        include_undated=not args.exclude_undated,
    )


def _decisions(args: argparse.Namespace):
    """The review decisions in force (``ReviewStore.current``), read without creating a log."""
    from analysis.review_store import ReviewStore, default_database_url

    url = default_database_url({"ANCHOR_THEMES_REVIEW_DB": args.db} if args.db else os.environ)
    database = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") and not Path(database).is_file():
        raise CliError(f"{database}: no review log here (needed for --tag-mode reviewed)")
    store = ReviewStore(url)
    try:
        return store.current()
    finally:
        store.engine.dispose()


# --- export: the dashboard's download for a view ------------------------------------------------


def add_export_command(commands, with_codebook, view_options) -> None:
    export = commands.add_parser(
        "export",
        parents=[with_codebook, view_options],
        help="write what the dashboard downloads for a view, as XLSX or CSV",
        description="Write the export of one view (the options mean what the dashboard's "
        "sidebar and a copied link mean). XLSX: About (the view, codebook version and "
        "SHA-256, data file, row counts, when), posts, coverage series, codebook, quality. "
        "CSV: one table (--table) after '# key: value' lines saying the same as About; read "
        "it with pandas.read_csv(path, comment='#').",
    )
    export.add_argument("input", metavar="POSTS.csv", help="posts CSV to export")
    add_chart_options(export)
    export.add_argument(
        "--table",
        choices=("posts", "coverage"),
        default="posts",
        help="the table a CSV holds (default: posts)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE.xlsx|FILE.csv",
        required=True,
        help="where to write; the extension picks the format; '-' writes CSV to standard output",
    )


def run_export(args: argparse.Namespace) -> None:
    suffix = _table_format(args.output)
    from analysis.corpus import open_corpus
    from analysis.provenance import View
    from analysis.view_export import view_export

    codebook = load_codebook(args.codebook)
    corpus = open_corpus(args.input, codebook)
    view = View(view_filters(args, codebook), args.period, args.measure, args.tag_mode)
    current = _decisions(args) if args.tag_mode == "reviewed" else None
    export = view_export(
        corpus,
        view,
        current=current,
        quality=_quality(args, corpus),
        data_file=Path(args.input).name,
    )
    with open_output(args.output) as f:
        if suffix == "xlsx":
            f.write(export.xlsx())
        elif args.table == "coverage":
            f.write(export.coverage_csv())
        else:
            f.write(export.posts_csv())
