"""Tagging as a pure function of a batch of posts, for running it anywhere: in chunks, on
a Dask cluster (``dask.dataframe.map_partitions``) or in Spark (``mapInPandas``).

:func:`tag_batch` gives for a table of posts read as text exactly the rows that
``python -m analysis tag`` writes for them: every input column, then ``themes``,
``score_<id>`` and ``evidence_<id>``. Each row depends only on that row and the codebook,
so batches can be tagged in any order, on any machine, and put end to end. See the
README's "Past one machine" section.

Neither imports scikit-learn or scipy: tagging here is :class:`analysis.matching.PhraseMatcher`
alone, the scan :class:`analysis.tagging.ThemeTagger` makes too, so the rows are the ones
the dashboard's tagger gives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.chunks import posts_from_table
from analysis.codebook import Codebook, load_codebook
from analysis.matching import PhraseMatcher, field_texts, scored_fields


def tag_batch(
    raw: pd.DataFrame, codebook: Codebook | None = None, name: str = "posts"
) -> pd.DataFrame:
    """Every row and column of ``raw`` (posts read as text: a title column and a summary,
    text or body column) plus the themes, scores and evidence of each post, as the
    command line writes them. ``codebook`` defaults to the bundled one."""
    matcher = PhraseMatcher(codebook or load_codebook())
    posts = posts_from_table(raw, name)
    return tag_rows(raw, posts, matcher).set_axis(raw.index)


def tag_rows(raw: pd.DataFrame, posts: pd.DataFrame, matcher: PhraseMatcher) -> pd.DataFrame:
    """``raw``'s rows and columns (index dropped), then ``themes`` (matched theme ids in
    codebook order joined by ';'), ``score_<id>`` and ``evidence_<id>`` per theme, for
    ``posts`` (the app's columns of the same rows): what
    :func:`analysis.tables.tagged_output` makes of :meth:`ThemeTagger.tag
    <analysis.tagging.ThemeTagger.tag>`'s result, without a table of scores in between.
    Columns of an earlier tagging in ``raw`` are replaced."""
    codebook = matcher.codebook
    present, columns = field_texts(posts)
    scan = matcher.scan(columns)
    scores = matcher.scores(scan, scored_fields(present))
    added = {"themes": _themes(codebook.applies(scores), codebook.ids)}
    for n, theme_id in enumerate(codebook.ids):
        added[f"score_{theme_id}"] = scores[:, n]
    for n, theme_id in enumerate(codebook.ids):
        added[f"evidence_{theme_id}"] = np.array(scan.evidence[n], dtype=object)
    kept = raw.drop(columns=[c for c in added if c in raw.columns])
    return pd.concat([kept.reset_index(drop=True), pd.DataFrame(added)], axis=1)


def _themes(tags: np.ndarray, ids: tuple[str, ...] | list[str]) -> np.ndarray:
    """Each row's themes (``tags``: posts x themes, true where a theme applies) as ids in
    codebook order joined by ';', '' for none."""
    themes = np.full(len(tags), "", dtype=object)
    for row in np.flatnonzero(tags.any(axis=1)):
        themes[row] = ";".join(
            theme for theme, tagged in zip(ids, tags[row], strict=True) if tagged
        )
    return themes
