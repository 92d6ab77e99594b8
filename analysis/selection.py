"""The posts behind a clicked bar or heatmap cell, read from the chart's ``customdata``.

Coverage bars carry ``[series id, "post-id;post-id;..."]`` and heatmap cells
``[row theme id, column theme id]`` (see :mod:`analysis.figures`), so a click
needs no lookup by position: what was drawn says which posts it stands for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.coverage import NO_THEME


@dataclass(frozen=True)
class Picked:
    """Posts chosen by clicking a chart, and a phrase saying what was clicked."""

    ids: tuple[str, ...]
    description: str


def posts_behind(
    points: Sequence[Mapping], tags: pd.DataFrame, posts: pd.DataFrame, codebook: Codebook
) -> Picked | None:
    """The posts behind the clicked points (bars or heatmap cells); None when nothing is."""
    labels = {**codebook.labels, NO_THEME: codebook.no_theme_label}
    ids: list[str] = []
    parts: list[str] = []
    for point in points:
        data = point.get("customdata")
        if not data or len(data) != 2:
            continue
        first, second = data
        if first in tags.columns and second in tags.columns:  # a heatmap cell
            both = tags[first] & tags[second]
            found = list(posts.loc[both[both].index, "id"])
            who = labels[first] if first == second else f"{labels[first]} and {labels[second]}"
            parts.append(who)
        elif first in labels:  # a coverage bar
            found = [post_id for post_id in str(second).split(";") if post_id]
            parts.append(f"{labels[first]}, {point.get('x', '')}".rstrip(", "))
        else:
            continue
        ids.extend(post_id for post_id in found if post_id not in ids)
    if not parts:
        return None
    return Picked(tuple(ids), "; ".join(dict.fromkeys(parts)))
