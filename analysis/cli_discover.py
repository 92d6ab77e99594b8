"""``python -m analysis discover``: groups of posts that share vocabulary the codebook may miss.

    python -m analysis discover posts.csv
    python -m analysis discover posts.csv --untagged --min-size 4 --groups 5

Prints each group found by :func:`analysis.discovery.discover` with its size, top terms,
the terms it would have as a What if? theme (and how many posts those find), and example
titles; or, when there is none, why (:func:`analysis.discovery.why_none`). Titles and terms
come from the file, so they are printed on one line each with anything unprintable escaped.
"""

from __future__ import annotations

import argparse

from analysis.formatting import clip, count, number

#: Characters of a title printed.
TITLE_CHARS = 100


def add_discover_command(commands, with_codebook: argparse.ArgumentParser) -> None:
    """``discover``: list groups of posts that share distinctive vocabulary."""
    from analysis.discovery import MIN_POSTS

    discover = commands.add_parser(
        "discover",
        parents=[with_codebook],
        help="find groups of posts that share vocabulary (themes the codebook may miss)",
        description="Find groups of posts that share distinctive words and phrases "
        "(TF-IDF and non-negative matrix factorisation), and print each with its number of "
        "posts, top terms, the terms it would have as a new theme and example titles. "
        f"Needs at least {MIN_POSTS} posts to search; with fewer, or when no group is "
        "found, it says why.",
    )
    discover.add_argument("input", metavar="POSTS.csv", help="posts CSV to search")
    discover.add_argument(
        "--untagged",
        action="store_true",
        help="search only the posts the codebook gives no theme",
    )
    discover.add_argument(
        "--min-size",
        type=_at_least_one,
        default=3,
        metavar="N",
        help="the fewest posts a group may have (default: 3)",
    )
    discover.add_argument(
        "--groups",
        type=_at_least_one,
        default=8,
        metavar="K",
        help="the most groups to list (default: 8)",
    )


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run_discover(args: argparse.Namespace) -> None:
    print(discover_text(args))


def discover_text(args: argparse.Namespace) -> str:
    """What ``discover`` prints, as one string."""
    from analysis.codebook import load_codebook
    from analysis.discovery import discover, why_none
    from analysis.loading import load_posts

    codebook = load_codebook(args.codebook)  # checked first: a bad codebook is a bad input
    posts = load_posts(args.input)
    mask = None
    searched = f"all {count(len(posts))}"
    if args.untagged:
        from analysis.tagging import ThemeTagger

        tags = ThemeTagger(codebook).fit().tag(posts).tags
        mask = ~tags.any(axis=1).to_numpy()
        searched = f"the {count(int(mask.sum()))} with no theme, of {number(len(posts))}"
    options = {"mask": mask, "min_size": args.min_size, "max_groups": args.groups}
    groups = discover(posts, **options)
    if not groups:
        return f"No groups among {searched}. {why_none(posts, **options)}"
    lines = [
        f"{count(len(groups), 'group')} among {searched} (at least {count(args.min_size)} each):"
    ]
    for position, group in enumerate(groups, start=1):
        found = f"found in {number(group.matched)} of its {count(group.size)}"
        if group.elsewhere:
            found += f" and {count(group.elsewhere)} outside it"
        lines += [
            "",
            f"{position}. {_shown(group.label)}: {count(group.size)}",
            f"   top terms: {_shown(', '.join(group.terms))}",
            f"   as a theme: {_shown(', '.join(group.theme_terms))} ({found})",
        ]
        lines += [f"   e.g. {_shown(title, TITLE_CHARS)}" for title in group.examples]
    return "\n".join(lines)


def _shown(text: str, limit: int = 200) -> str:
    """``text`` on one line, clipped, with anything unprintable (escape codes) escaped."""
    line = clip(text, limit)
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in line)
