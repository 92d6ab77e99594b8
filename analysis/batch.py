"""Tagging as a pure function of a batch of posts, for running it anywhere: in chunks, on
a Dask cluster (``dask.dataframe.map_partitions``) or in Spark (``mapInPandas``).

:func:`tag_batch` gives for a table of posts read as text exactly the rows that
``python -m analysis tag`` writes for them: every input column, then ``themes``,
``score_<id>`` and ``evidence_<id>``. Each row depends only on that row and the codebook,
so batches can be tagged in any order, on any machine, and put end to end. See the
README's "Past one machine" section.
"""

from __future__ import annotations

import pandas as pd

from analysis.chunks import posts_from_table
from analysis.codebook import Codebook, load_codebook


def tag_batch(
    raw: pd.DataFrame, codebook: Codebook | None = None, name: str = "posts"
) -> pd.DataFrame:
    """Every row and column of ``raw`` (posts read as text: a title column and a summary,
    text or body column) plus the themes, scores and evidence of each post, as the
    command line writes them. ``codebook`` defaults to the bundled one."""
    from analysis.tables import tagged_output
    from analysis.tagging import ThemeTagger

    codebook = codebook or load_codebook()
    posts = posts_from_table(raw, name)
    result = ThemeTagger(codebook).fit().tag(posts)
    return tagged_output(raw, result, codebook).set_axis(raw.index)
