"""A corpus ready to explore: posts loaded, tagged with a codebook, and checked.

This is what the dashboard holds in its cache and what the command line works on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from analysis.codebook import Codebook, load_codebook
from analysis.datachecks import Finding, find_issues
from analysis.loading import BUNDLED_POSTS, read_posts
from analysis.post_checks import LIMITS, Limits
from analysis.tagging import TagResult, ThemeTagger


@dataclass(frozen=True)
class Corpus:
    """Posts (the loader's columns), their tagging and the data checks' findings.

    ``bundled`` says the posts are the bundled file, set by whoever opened it: a name
    says nothing (an upload or a path may be called anything).
    """

    name: str
    posts: pd.DataFrame
    codebook: Codebook
    tagger: ThemeTagger
    result: TagResult
    findings: list[Finding]
    bundled: bool = False

    @property
    def tags(self) -> pd.DataFrame:
        """One boolean column per theme id, in codebook order, indexed like ``posts``."""
        return self.result.tags

    def post(self, post_id: str) -> pd.Series:
        """One post's row by id."""
        return self.posts.loc[self.posts["id"] == post_id].iloc[0]


def open_corpus(
    source: str | Path | BinaryIO = BUNDLED_POSTS,
    codebook: Codebook | None = None,
    name: str | None = None,
    limits: Limits = LIMITS,
    bundled: bool = False,
) -> Corpus:
    """Load posts, tag them with ``codebook`` (default: the bundled one) and check them.

    ``limits`` bounds the file (see :class:`analysis.post_checks.Limits`): a server passes
    :data:`analysis.post_checks.UPLOAD_LIMITS` for a file uploaded through the browser.
    ``bundled`` marks the corpus as the bundled posts (see :attr:`Corpus.bundled`).
    """
    codebook = codebook or load_codebook()
    posts_file = read_posts(source, name, limits)
    tagger = ThemeTagger(codebook).fit()
    return Corpus(
        name=posts_file.name,
        posts=posts_file.posts,
        codebook=codebook,
        tagger=tagger,
        result=tagger.tag(posts_file.posts),
        findings=find_issues(posts_file.posts),
        bundled=bundled,
    )
