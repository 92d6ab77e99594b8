"""The command line: the dashboard's engine for people who script.

    python -m analysis tag posts.csv -o tagged.csv
    python -m analysis tag posts.csv --codebook my-codebook.toml > tagged.csv
    python -m analysis report posts.csv -o report.html --labels labels.csv
    python -m analysis fetch https://blog.example/blog -o posts.csv --merge posts.csv
    python -m analysis reviews -o review-log.xlsx --posts posts.csv
    python -m analysis export posts.csv --themes workforce --start 01/2023 --end 06/2024 \
        --period month -o view.xlsx

Errors are one line on standard error, with exit status 2. An output file is
replaced only once the new one is complete.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import BinaryIO

from analysis.codebook import BUNDLED_CODEBOOK, CodebookError, load_codebook
from analysis.loading import read_posts
from analysis.post_checks import LoadError

PROG = "python -m analysis"


class CliError(Exception):
    """A problem to report in one line and exit 2."""


def build_parser() -> argparse.ArgumentParser:
    from analysis.cli_discover import add_discover_command
    from analysis.cli_suggest import add_suggest_command
    from analysis.cli_view import (
        _view_options,
        add_chart_options,
        add_export_command,
        add_reviews_command,
    )

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
    view_options = _view_options()
    report = commands.add_parser(
        "report",
        parents=[with_codebook, view_options],
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
    add_chart_options(report)
    add_fetch_command(commands)
    add_reviews_command(commands, with_codebook)
    add_export_command(commands, with_codebook, view_options)
    add_discover_command(commands, with_codebook)
    add_suggest_command(commands, with_codebook)
    return parser


def run_tag(args: argparse.Namespace, block_size: int | None = None) -> None:
    """Tag the input a chunk at a time (:func:`analysis.chunks.iter_posts`), writing each
    chunk's rows before the next is read, so memory stays flat however long the file: the
    output is byte for byte what tagging the whole file at once writes. Tagging is a pure
    function of each post, so the chunks are independent.

    Every check on the file as a whole is made before anything is written. A problem in a
    later chunk (a repeated id, a bad date status) is still one line and exit 2, and an
    output file is left untouched; on standard output the rows before it are already out.
    """
    from analysis.batch import tag_rows
    from analysis.chunks import iter_posts
    from analysis.csvwriter import write_csv_parts
    from analysis.matching import PhraseMatcher

    matcher = PhraseMatcher(load_codebook(args.codebook))
    # closed on any error, so pyarrow's reader is not left open until the interpreter ends
    with closing(iter_posts(args.input, block_size=block_size)) as chunks:
        first = next(chunks)  # the whole-file checks, before the output is opened
        with open_output(args.output) as f:
            write_csv_parts(
                (
                    tag_rows(part.raw, part.posts, matcher)
                    for part in itertools.chain([first], chunks)
                ),
                f,
            )


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from analysis.cli_discover import run_discover
    from analysis.cli_suggest import run_suggest
    from analysis.cli_view import run_export, run_report, run_reviews

    try:
        if args.command == "tag":
            run_tag(args)
        elif args.command == "report":
            run_report(args)
        elif args.command == "fetch":
            return run_fetch(args)
        elif args.command == "reviews":
            run_reviews(args)
        elif args.command == "export":
            run_export(args)
        elif args.command == "discover":
            run_discover(args)
        elif args.command == "suggest":
            run_suggest(args)
        sys.stdout.flush()  # inside the try: a reader that has gone is met here, not at exit
    except (LoadError, CodebookError, CliError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _reader_gone()
    return 0


#: The exit status of a Unix tool whose reader has gone (killed by SIGPIPE: 128 + 13).
EXIT_PIPE = 141


def _reader_gone() -> int:
    """Standard output's reader has gone (``... | head``): stop quietly, as Unix tools do.

    What is still buffered for standard output is thrown away (pointed at the null device,
    so Python's own flush at exit raises nothing), no traceback is printed, and the status
    is :data:`EXIT_PIPE`."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # a stand-in stdout with no descriptor
        pass
    return EXIT_PIPE


# --- fetch: the blog's posts into the posts format ----------------------------------------------


def add_fetch_command(commands) -> None:
    """``fetch``: read a blog's posts into the posts format, merging into a file if asked."""
    from analysis.crawling import CACHE_ENV, HALN_BLOG_URL, CrawlSettings

    defaults = CrawlSettings()
    fetch = commands.add_parser(
        "fetch",
        help="read a blog's posts (index page, feed or sitemap) into a posts CSV",
        description="Find the post pages of a blog (following the index's pagination, and "
        "the feeds and sitemaps it offers), read each one's title, date (with its precision "
        "and where it was found), author, summary and full text, and write the posts CSV the "
        "dashboard reads. Politely: robots.txt is obeyed, requests name the project, wait "
        "between them and are cached on disk. Pages that cannot be read, and posts without a "
        "date, are listed in the summary; the rest are still written.",
        epilog="Exit status: 0 when written (even if some pages could not be read), 1 when "
        "the blog could not be read at all (nothing is written), 2 on bad input.",
    )
    fetch.add_argument(
        "url",
        metavar="URL",
        nargs="?",
        default=HALN_BLOG_URL,
        help=f"the blog's index page, feed or sitemap (default: {HALN_BLOG_URL})",
    )
    fetch.add_argument(
        "-o", "--output", metavar="OUT.csv", required=True,
        help="where to write the posts ('-' for standard output; the summary then goes to "
        "standard error). May be the --merge file itself: it is replaced only when complete.",
    )  # fmt: skip
    fetch.add_argument(
        "--merge", metavar="EXISTING.csv", default=None,
        help="merge into this posts file: its posts keep their ids and every field filled in; "
        "the blog's dates replace estimated and inferred ones; new posts are added; nothing "
        "is deleted",
    )  # fmt: skip
    fetch.add_argument(
        "--max-pages", type=_positive(int), default=defaults.max_pages, metavar="N",
        help=f"read at most N pages, index and posts together (default: {defaults.max_pages})",
    )  # fmt: skip
    fetch.add_argument(
        "--delay", type=_positive(float, zero=True), default=defaults.delay, metavar="SECONDS",
        help=f"wait between requests (default: {defaults.delay:g}; a longer Crawl-delay in "
        "robots.txt wins)",
    )  # fmt: skip
    fetch.add_argument(
        "--timeout", type=_positive(float), default=defaults.timeout, metavar="SECONDS",
        help=f"give up on an answer after this long (default: {defaults.timeout:g})",
    )  # fmt: skip
    fetch.add_argument(
        "--retries", type=_positive(int, zero=True), default=defaults.retries, metavar="N",
        help=f"retries of a connection error, 429 or 5xx (default: {defaults.retries})",
    )  # fmt: skip
    fetch.add_argument(
        "--cache-dir", metavar="DIR", default=None,
        help=f"where responses are cached (default: ${CACHE_ENV}, else the user cache folder)",
    )  # fmt: skip
    fetch.add_argument(
        "--cache-hours", type=_positive(float, zero=True), default=defaults.cache_hours,
        metavar="HOURS",
        help=f"re-use cached answers this long (default: {defaults.cache_hours:g})",
    )  # fmt: skip
    fetch.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")


def _positive(kind, zero: bool = False):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0 or (value == 0 and not zero) or value != value:
            raise argparse.ArgumentTypeError(f"must be more than 0{' or 0' if zero else ''}")
        return value

    return parse


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch, merge, write atomically, and print the summary; 1 when the blog is unreadable."""
    from analysis.crawling import CrawlSettings, Unreachable
    from analysis.exports import csv_bytes
    from analysis.fetching import FetchError, refresh, summary_lines

    existing = read_posts(args.merge) if args.merge else None
    settings = CrawlSettings(
        delay=args.delay,
        max_pages=args.max_pages,
        timeout=args.timeout,
        retries=args.retries,
        cache=not args.no_cache,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        cache_hours=args.cache_hours,
    )
    progress = None
    if sys.stderr.isatty():
        progress = lambda step: print(f"\r\033[K{step.message}"[:200], end="", file=sys.stderr)  # noqa: E731
    try:
        result = refresh(args.url, existing, settings, progress)
    except (FetchError, Unreachable) as error:
        print(f"{PROG}: error: {error}; nothing was written", file=sys.stderr)
        return 1
    finally:
        if progress:
            print("\r\033[K", end="", file=sys.stderr)
    with open_output(args.output) as f:
        f.write(csv_bytes(result.table))
    out = sys.stderr if args.output == "-" else sys.stdout
    print("\n".join(summary_lines(result, merged=existing is not None)), file=out)
    return 0
