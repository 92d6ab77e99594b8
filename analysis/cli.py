"""The command line: the dashboard's engine for people who script.

    python -m analysis tag posts.csv -o tagged.csv
    python -m analysis tag posts.csv --codebook my-codebook.toml > tagged.csv

Errors are one line on standard error, with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from analysis.codebook import BUNDLED_CODEBOOK, CodebookError, load_codebook
from analysis.loading import LoadError, read_posts

PROG = "python -m analysis"


class CliError(Exception):
    """A problem to report in one line and exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Anchor Themes: tag blog posts with the themes of a codebook.",
        epilog="Exit status: 0 on success, 2 on bad input (the message names the file, "
        "and the row and column where there is one).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    tag = commands.add_parser(
        "tag",
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
    tag.add_argument(
        "--codebook",
        metavar="CODEBOOK.toml",
        default=str(BUNDLED_CODEBOOK),
        help="codebook to tag with (default: the bundled data/codebook.toml)",
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
    """Write to standard output, or to a file replaced only once the new one is complete.

    pyarrow writes the CSV: about fifteen times faster than pandas on large files.
    """
    import pyarrow
    import pyarrow.csv

    data = pyarrow.Table.from_pandas(table, preserve_index=False)
    if output == "-":
        pyarrow.csv.write_csv(data, sys.stdout.buffer)
        return
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise CliError(f"{output}: cannot write here ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "wb") as f:
            pyarrow.csv.write_csv(data, f)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CliError(f"{output}: cannot write ({error.strerror or error})") from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "tag":
            run_tag(args)
    except (LoadError, CodebookError, CliError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    return 0
