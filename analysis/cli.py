"""The command line: the dashboard's engine for people who script.

    python -m analysis tag posts.csv -o tagged.csv
    python -m analysis tag posts.csv --codebook my-codebook.toml > tagged.csv
    python -m analysis report posts.csv -o report.html --labels labels.csv

Errors are one line on standard error, with exit status 2. An output file is
replaced only once the new one is complete.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from analysis.codebook import BUNDLED_CODEBOOK, CodebookError, load_codebook
from analysis.loading import BUNDLED_POSTS, LoadError, read_posts

PROG = "python -m analysis"


class CliError(Exception):
    """A problem to report in one line and exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Anchor Themes: tag blog posts with the themes of a codebook, "
        "and report on them.",
        epilog="Exit status: 0 on success, 2 on bad input (the message names the file, "
        "and the row and column where there is one).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    with_codebook = argparse.ArgumentParser(add_help=False)  # an option every command takes
    with_codebook.add_argument(
        "--codebook",
        metavar="CODEBOOK.toml",
        default=str(BUNDLED_CODEBOOK),
        help="codebook to tag with (default: the bundled data/codebook.toml)",
    )
    tag = commands.add_parser(
        "tag",
        parents=[with_codebook],
        help="tag every post of a CSV with the codebook's themes",
        description="Read a posts CSV (a title column and a summary, text or body column; "
        "UTF-8, UTF-8 with BOM or Windows-1252) and write every input row and "
        "column plus: themes (matched theme ids in codebook order, joined by ';', "
        "empty when none), score_<id> and evidence_<id> for each theme.",
    )
    tag.add_argument("input", metavar="IN.csv", help="posts CSV to tag")
    tag.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv",
        default="-",
        help="where to write the tagged CSV (default: standard output)",
    )
    report = commands.add_parser(
        "report",
        parents=[with_codebook],
        help="write a self-contained HTML report on the posts of a CSV",
        description="Tag a posts CSV and write one HTML file that opens offline and prints "
        "to A4: the filters (none), the method and codebook, coverage over time, theme totals "
        "and co-occurrence, the posts of each theme, tagging quality against hand labels, and "
        "data-quality notes. Every chart is followed by a table of its numbers.",
    )
    report.add_argument("input", metavar="IN.csv", help="posts CSV to report on")
    report.add_argument(
        "-o",
        "--output",
        metavar="REPORT.html",
        required=True,
        help="where to write the report ('-' for standard output)",
    )
    report.add_argument(
        "--labels",
        metavar="LABELS.csv",
        default=None,
        help="hand labels to measure tagging quality against: an id column and a 0/1 column "
        "per theme id, optional note (default: the bundled data/labels.csv when IN.csv is the "
        "bundled data/posts.csv; otherwise none, and the report says no labels were supplied)",
    )
    return parser


def run_tag(args: argparse.Namespace) -> None:
    from analysis.tables import tagged_output
    from analysis.tagging import ThemeTagger

    codebook = load_codebook(args.codebook)
    posts_file = read_posts(args.input)
    result = ThemeTagger(codebook).fit().tag(posts_file.posts)
    table = tagged_output(posts_file.raw, result, codebook)
    write_csv(table, args.output)


def write_csv(table, output: str) -> None:
    """Write a table as CSV to standard output or a file (see :func:`open_output`), through
    the project's one CSV writer: cells that a spreadsheet would run as formulas are
    neutralised, as in the dashboard's downloads (see :mod:`analysis.csvwriter`)."""
    from analysis.csvwriter import write_csv as write_neutralised_csv

    with open_output(output) as f:
        write_neutralised_csv(table, f)


@contextmanager
def open_output(output: str) -> Iterator[BinaryIO]:
    """A binary stream to write to: standard output for ``-``, else a temporary file beside
    ``output`` that replaces it only when the ``with`` block finishes without an error.

    An existing output file is never left half-written: if anything fails, it is untouched
    and the temporary file is removed. The new file gets the permissions a plain write would.
    Opening first checks that ``output`` can be written before any slow work is done.
    """
    if output == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise CliError(f"{output}: cannot write here ({error.strerror or error})") from None
    try:
        os.fchmod(handle, _mode_for(target))
        with os.fdopen(handle, "wb") as f:
            yield f
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CliError(f"{output}: cannot write ({error.strerror or error})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """The permissions a plain write would give: the replaced file's, else 0o666 less the umask
    (a temporary file is made private, which would otherwise carry over to the output)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def run_report(args: argparse.Namespace) -> None:
    with open_output(args.output) as f:  # fails at once when the output cannot be written
        f.write(_report(args).encode("utf-8"))


def _report(args: argparse.Namespace) -> str:
    from analysis.corpus import open_corpus
    from analysis.metrics import BUNDLED_LABELS, load_labels, quality_report
    from analysis.report import build_report

    codebook = load_codebook(args.codebook)
    corpus = open_corpus(args.input, codebook)
    labels_path = args.labels
    if labels_path is None and _same_file(args.input, BUNDLED_POSTS):
        labels_path = str(BUNDLED_LABELS)
    quality = None
    if labels_path is not None:
        labels = load_labels(labels_path, codebook)
        quality = quality_report(
            corpus.posts, corpus.tags, corpus.result.evidence, labels, codebook
        )
    return build_report(corpus, quality=quality)


def _same_file(first: str | Path, second: str | Path) -> bool:
    try:
        return Path(first).resolve().samefile(Path(second).resolve())
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "tag":
            run_tag(args)
        elif args.command == "report":
            run_report(args)
    except (LoadError, CodebookError, CliError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    return 0
