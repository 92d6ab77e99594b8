"""Findings in words: what the numbers of a view say, in two or three plain sentences.

:func:`findings` reads posts and their tags as the Overview charts them and says
which themes are most and least covered, how many posts carry no theme, where
coverage has gaps over time and where it changes most between one period and
the next. :func:`cooccurrence_note` says when the co-occurrence matrix has
nothing off its diagonal.

Sentences are plain UK-English text (no Markdown, no HTML): theme labels come
from the codebook, which may be uploaded, so a page shows them through its
escaping helper. Counts agree with their nouns and verbs ("1 post carries",
"9 posts carry").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.codebook import NO_THEME, Codebook
from analysis.coverage import coverage_over_time, is_approximate
from analysis.formatting import agree, count, names, number

#: Periods listed by name in a sentence at most; beyond that the longest run is given.
_LISTED = 5


def findings(
    posts: pd.DataFrame,
    tags: pd.DataFrame,
    codebook: Codebook,
    granularity: str = "quarter",
    themes: Sequence[str] | None = None,
) -> list[str]:
    """Two or three sentences about the posts in view.

    ``posts`` and ``tags`` are the posts in view and their tags (one boolean column
    per theme, indexed like ``posts``); ``themes`` limits the themes spoken of (theme
    ids; ``"none"`` and unknown ids are ignored; default every theme). The first
    sentence names the most and least covered themes with their counts and how many
    posts carry no theme; the second the gaps over time at ``granularity`` (periods
    in which no post carries a theme, or else the theme that goes longest without a
    post); the third the biggest change in a theme's posts between consecutive
    periods. Sentences that have nothing to say are left out.
    """
    if posts.empty:
        return ["No posts are in view."]
    chosen = [t for t in (tags.columns if themes is None else themes) if t in tags.columns]
    sentences = [_coverage_sentence(tags, chosen, codebook)]
    if chosen and tags[chosen].to_numpy().any():
        dated = posts["published"].notna()
        if not dated.any():
            sentences.append(
                "No post in view has a date, so nothing can be said about coverage over time."
            )
        else:
            table = coverage_over_time(posts, tags, granularity, chosen)
            sentences.append(_gaps_sentence(table, chosen, codebook, granularity))
            change = _change_sentence(table, posts, codebook, granularity)
            if change:
                sentences.append(change)
    return [sentence for sentence in sentences if sentence]


def _coverage_sentence(tags: pd.DataFrame, chosen: list[str], codebook: Codebook) -> str:
    total = len(tags)
    untagged = int(codebook.untagged(tags).sum())
    if untagged == total:
        if total == 1:
            return "The one post in view carries no theme."
        return f"None of the {count(total)} in view carries a theme."
    carry = agree(untagged, "carries", "carry")
    if untagged:
        no_theme = f"{number(untagged)} of the {count(total)} {carry} no theme"
    elif total == 1:
        no_theme = "the one post carries a theme"
    else:
        no_theme = f"every one of the {count(total)} carries at least one theme"
    if not chosen:
        return f"No theme is chosen; {no_theme}."
    labels = codebook.labels
    per_theme = {t: int(tags[t].sum()) for t in chosen}
    top, bottom = max(per_theme.values()), min(per_theme.values())
    leaders = [labels[t] for t, n in per_theme.items() if n == top]
    laggards = [labels[t] for t, n in per_theme.items() if n == bottom]
    if len(chosen) == 1:
        return f"{leaders[0]} is on {number(top)} of {count(total)}; {no_theme}."
    if top == bottom:
        return f"Each theme shown is on {number(top)} of {count(total)}; {no_theme}."
    most = (
        f"{leaders[0]} is the most covered theme ({number(top)} of {count(total)})"
        if len(leaders) == 1
        else f"{names(leaders)} are the most covered themes ({number(top)} of {count(total)} each)"
    )
    few = "no posts" if bottom == 0 else count(bottom)
    least = (
        f"{laggards[0]} the least ({few})"
        if len(laggards) == 1
        else f"{names(laggards)} the least ({few} each)"
    )
    return f"{most}, {least}; {no_theme}."


def _periods(table: pd.DataFrame) -> pd.DataFrame:
    """One row per period: its label, all posts in it and posts with any chosen theme."""
    themed = table.groupby("period", sort=True)["post_ids"].agg(
        lambda column: len(set().union(*column))
    )
    first = table.groupby("period", sort=True)[["period_label", "total"]].first()
    return first.assign(themed=themed)


def _runs(flags: np.ndarray) -> tuple[int, int]:
    """Length and start of the longest run of True in ``flags`` (the earliest when tied)."""
    best, best_start, start = 0, 0, None
    for n, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = n
        elif not flag and start is not None:
            if n - start > best:
                best, best_start = n - start, start
            start = None
    return best, best_start


def _span(labels: list[str], length: int, start: int, word: str) -> str:
    last = f" to {labels[start + length - 1]}" if length > 1 else ""
    return f"{count(length, word)}, {labels[start]}{last}"


def _gaps_sentence(
    table: pd.DataFrame, chosen: list[str], codebook: Codebook, granularity: str
) -> str:
    periods = _periods(table)
    labels = periods["period_label"].tolist()
    every = count(len(periods), granularity)
    gap = (periods["themed"] == 0).to_numpy()
    empty = int((periods["total"] == 0).sum())
    if gap.any():
        n = int(gap.sum())
        sentence = (
            f"In every {granularity} shown" if n == len(periods) else f"In {n} of {every}"
        ) + (
            " no post carries a theme"
            if len(chosen) > 1
            else f" no post carries {_label(chosen, codebook)}"
        )
        if empty:
            sentence += (
                f" ({empty} of them with no post at all)" if empty < n else " (no post at all)"
            )
        if n <= _LISTED and n < len(periods):
            return sentence + ": " + names([labels[i] for i in np.flatnonzero(gap)]) + "."
        length, start = _runs(gap)
        if n == len(periods):
            return sentence + "."
        return sentence + f"; the longest run is {_span(labels, length, start, granularity)}."
    longest = (0, 0, "")
    for theme in chosen:
        without = (table.loc[table["series"] == theme, "posts"] == 0).to_numpy()
        length, start = _runs(without)
        if length > longest[0]:
            longest = (length, start, theme)
    if not longest[0]:
        if len(chosen) == 1:
            return f"{_label(chosen, codebook)} appears in every {granularity}."
        return f"Every theme shown appears in every {granularity}."
    length, start, theme = longest
    return (
        f"Every {granularity} has a post with a theme; {codebook.labels[theme]} goes longest "
        f"without one: {_span(labels, length, start, granularity)}."
    )


def _label(chosen: list[str], codebook: Codebook) -> str:
    return codebook.labels[chosen[0]]


def _change_sentence(
    table: pd.DataFrame, posts: pd.DataFrame, codebook: Codebook, granularity: str
) -> str:
    best = None  # (size, period position, theme order) of the biggest change
    for order, theme in enumerate(dict.fromkeys(table["series"])):
        if theme == NO_THEME:
            continue
        rows = table[table["series"] == theme].reset_index(drop=True)
        counts = rows["posts"].to_numpy()
        for n in range(1, len(counts)):
            size = abs(int(counts[n]) - int(counts[n - 1]))
            if size and (best is None or size > best[0]):
                best = (size, n, order, theme, rows)
    if best is None:
        if table["period"].nunique() < 2:
            return ""
        return f"No theme's number of posts changes from one {granularity} to the next."
    _, n, _, theme, rows = best
    before, after = rows.iloc[n - 1], rows.iloc[n]
    rises = after["posts"] > before["posts"]
    ids = set(before["post_ids"]) | set(after["post_ids"])
    involved = posts[posts["id"].isin(ids)]
    approximate = bool(is_approximate(involved, granularity).any())
    sentence = (
        f"The biggest change between consecutive {granularity}s: "
        f"{codebook.labels[theme]} {'rises' if rises else 'falls'} from "
        f"{count(int(before['posts']))} in {before['period_label']} to {number(int(after['posts']))} "
        f"in {after['period_label']}"
    )
    return sentence + (" (some of these dates are approximate)." if approximate else ".")


def cooccurrence_note(matrix: pd.DataFrame) -> str:
    """A sentence for an empty co-occurrence matrix ('' when some post carries two themes).

    ``matrix`` is :func:`analysis.coverage.cooccurrence` of the tags in view.
    """
    themes = len(matrix.index)
    if themes == 0:
        return "No theme is shown, so no two themes can appear together."
    if themes == 1:
        return "Only one theme is shown, so no two themes can appear together."
    values = matrix.to_numpy()
    if not np.diag(values).any():
        return "No post in view carries a theme, so no two themes appear together."
    off_diagonal = values[~np.eye(themes, dtype=bool)]
    if not off_diagonal.any():
        return (
            "No post in view carries two themes, so every cell off the diagonal is 0; "
            "the diagonal counts each theme's own posts."
        )
    return ""


def untagged_note(tags: pd.DataFrame, codebook: Codebook) -> str:
    """How many posts in view carry none of the themes: ``9 of 18 posts in view carry no
    theme.`` (a page puts the codebook's ``no_theme_label`` before it)."""
    untagged = int(codebook.untagged(tags).sum())
    carry = agree(untagged, "carries", "carry")
    return f"{number(untagged)} of {count(len(tags))} in view {carry} no theme."
