"""The ``suggest`` command of :mod:`analysis.cli`: how labelled posts say the codebook should
change (:mod:`analysis.suggestions`), as a table, and the improved codebook as a file.

    python -m analysis suggest posts.csv --labels labels.csv
    python -m analysis suggest posts.csv --labels labels.csv --codebook in.toml -o out.toml

Light to import; the engine is imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from analysis.cli import CliError, open_output
from analysis.codebook import load_codebook
from analysis.formatting import decimal, number

#: What the table's columns mean, printed under it.
LEGEND = (
    "Gained and lost: labelled posts that gain or lose the theme once the suggestion is "
    "applied. Support: labelled posts it was learned from. Precision, recall and F1 are the "
    "theme's, before -> after, estimated by {folds}-fold cross-validation over the {posts} "
    "labelled posts: each post is scored by what was learned without it."
)

HEADERS = ("#", "Theme", "Action", "Term", "Gained", "Lost", "Support", "Precision", "Recall", "F1")


def add_suggest_command(commands, with_codebook: argparse.ArgumentParser) -> None:
    """``suggest``: ranked codebook suggestions from labelled posts, and the improved codebook."""
    suggest = commands.add_parser(
        "suggest",
        parents=[with_codebook],
        help="suggest terms to add, drop or exclude, learned from labelled posts",
        description="Compare the codebook's tags with hand labels and suggest, theme by theme, "
        "terms to add (words, stems with * and phrases the theme's labelled posts share), "
        "terms to drop and phrases to exclude (where a term tags posts not labelled with the "
        "theme). Each is printed with the labelled posts it gains and loses and the theme's "
        "precision, recall and F1 before and after, estimated by cross-validation. With -o, "
        "the codebook with every suggestion that raises cross-validated F1 is written.",
    )
    suggest.add_argument("input", metavar="POSTS.csv", help="posts CSV (as for tag)")
    suggest.add_argument(
        "--labels",
        metavar="LABELS.csv",
        required=True,
        help="hand labels: an id column and a 0/1 column per theme id (optional note)",
    )
    suggest.add_argument(
        "-o",
        "--output",
        metavar="OUT.toml",
        default=None,
        help="write the codebook with the suggestions that raise cross-validated F1 applied",
    )
    suggest.add_argument(
        "--per-theme", type=int, default=5, metavar="N", help="suggestions per theme (default 5)"
    )
    suggest.add_argument(
        "--folds", type=int, default=5, metavar="K", help="cross-validation folds (default 5)"
    )


def run_suggest(args: argparse.Namespace) -> None:
    from analysis.codebook_file import codebook_toml
    from analysis.loading import load_posts
    from analysis.metrics import load_labels
    from analysis.suggestions import improvements, suggest

    if args.per_theme < 1 or args.folds < 2:
        raise CliError("--per-theme must be at least 1 and --folds at least 2")
    codebook = load_codebook(args.codebook)
    posts = load_posts(args.input)
    labels = load_labels(args.labels, codebook)
    labelled = int(posts["id"].astype(str).isin(set(labels["id"])).sum())
    if labelled < 2:
        raise CliError(
            f"{args.labels}: {number(labelled)} of its ids match a post of {args.input}: "
            "at least 2 labelled posts are needed"
        )
    if args.output:  # fail at once, before the slow part, when it cannot be written
        with open_output(args.output):
            pass
    found = suggest(posts, labels, codebook, folds=args.folds, per_theme=args.per_theme)
    print(suggestion_table(found))
    print()
    print(textwrap.fill(LEGEND.format(folds=min(args.folds, labelled), posts=number(labelled)), 88))
    if args.output:
        better, made = improvements(codebook, found)
        applied = len(made)
        with open_output(args.output) as f:
            f.write(codebook_toml(better).encode("utf-8"))
        print(
            f"Wrote {args.output}: the codebook with {applied} suggestion"
            f"{'' if applied == 1 else 's'} applied (those that raise cross-validated F1 and still "
            "apply after the ones before)."
        )
    sys.stdout.flush()


def suggestion_table(found) -> str:
    """The suggestions as a plain-text table, one row each, best first."""
    if not found:
        return (
            "No suggestions: no term to add, drop or exclude changes the labelled posts "
            "without lowering cross-validated F1."
        )
    rows = [HEADERS]
    for n, s in enumerate(found, start=1):
        term = f"{s.term} (guards {s.guards})" if s.guards else s.term
        rows.append(
            (
                str(n),
                s.label or s.theme,
                s.action,
                term,
                f"+{len(s.gained)}",
                f"-{len(s.lost)}",
                str(s.support),
                *(_change(s, key) for key in ("precision", "recall", "f1")),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _change(s, key: str) -> str:
    """Before -> after, at the places the project shows scores with (SCORE_PLACES)."""
    return f"{decimal(s.before[key])} -> {decimal(s.after[key])}"
