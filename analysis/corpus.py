"""A corpus ready to explore: posts loaded, tagged with a codebook, and checked.

This is what the dashboard holds in its cache and what the command line works on.

Opening a large file takes a while (a million posts: about a minute to read and tag on a
small machine), so :func:`open_corpus` takes a ``progress`` callback, called with the step
(:data:`READING`, :data:`TAGGING`, :data:`CHECKING`) and how many posts of how many are done,
the counts never going down. Tagging goes :data:`TAG_CHUNK` posts at a time, which also keeps
the tagger's per-post working lists to one chunk's worth of memory; tagging is a pure function
of each post, so the result is the same as tagging every post at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow
from scipy import sparse

from analysis.codebook import Codebook, load_codebook
from analysis.datachecks import Finding, find_issues
from analysis.loading import BUNDLED_POSTS, read_posts
from analysis.post_checks import LIMITS, Limits
from analysis.tagging import FIELDS, TagResult, ThemeTagger

#: The steps of opening a corpus, as a ``progress`` callback is told them.
READING, TAGGING, CHECKING = "reading", "tagging", "checking"
#: Posts tagged at a time: progress is told after each chunk.
TAG_CHUNK = 20_000

#: ``progress(step, done, total)``: ``done`` of ``total`` posts through ``step`` (both 0
#: while reading, when the number of posts is not known yet).
Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


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

    def retagged(self, codebook: Codebook, progress: Progress | None = None) -> Corpus:
        """The same posts and findings (shared, not copied) tagged with ``codebook``."""
        tagger = ThemeTagger(codebook).fit()
        result = tag_posts(tagger, self.posts, progress or _quiet)
        return replace(self, codebook=codebook, tagger=tagger, result=result)


def open_corpus(
    source: str | Path | BinaryIO = BUNDLED_POSTS,
    codebook: Codebook | None = None,
    name: str | None = None,
    limits: Limits = LIMITS,
    bundled: bool = False,
    progress: Progress | None = None,
) -> Corpus:
    """Load posts, tag them with ``codebook`` (default: the bundled one) and check them.

    ``limits`` bounds the file (see :class:`analysis.post_checks.Limits`): a server passes
    :data:`analysis.post_checks.UPLOAD_LIMITS` for a file uploaded through the browser.
    ``bundled`` marks the corpus as the bundled posts (see :attr:`Corpus.bundled`).
    ``progress`` is told each step as it goes (see :data:`Progress`).
    """
    report = progress or _quiet
    codebook = codebook or load_codebook()
    report(READING, 0, 0)
    posts_file = read_posts(source, name, limits)
    file_name, posts = posts_file.name, posts_file.posts
    del posts_file  # the file as written (every input column) is the command line's only
    tagger = ThemeTagger(codebook).fit()
    result = tag_posts(tagger, posts, report)
    report(CHECKING, 0, len(posts))
    findings = find_issues(posts)
    report(CHECKING, len(posts), len(posts))
    if len(posts) >= RELEASE_FROM:
        release_memory()
    return Corpus(
        name=file_name,
        posts=posts,
        codebook=codebook,
        tagger=tagger,
        result=result,
        findings=findings,
        bundled=bundled,
    )


#: Posts from which opening a file hands memory back (:func:`release_memory`). Below it
#: opening made a few megabytes at most, less than the full collection costs in time.
RELEASE_FROM = 10_000


def release_memory() -> None:
    """Hand back to the system the memory that opening a file used and no longer needs.

    Reading and tagging a large file makes and drops several copies of its text (the bytes,
    the parsed table, the app's columns, the tagger's lists). The allocators keep what was
    freed for later (pyarrow's memory pool, and glibc's malloc in every thread's arena), so a
    long-lived server would hold some four times the corpus it keeps; this returns it (at
    100,000 posts about 300 MB of a server's 570). Costs a full garbage collection (some
    70 ms before the server's modules are frozen, see ``app_pages/garbage.py``) and
    milliseconds more.
    """
    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def tag_posts(
    tagger: ThemeTagger,
    posts: pd.DataFrame,
    progress: Progress = _quiet,
    chunk: int | None = None,
) -> TagResult:
    """``tagger.tag(posts)``, ``chunk`` (default :data:`TAG_CHUNK`) posts at a time,
    telling ``progress`` after each."""
    total, chunk = len(posts), chunk or TAG_CHUNK
    progress(TAGGING, 0, total)
    if total <= chunk:
        result = tagger.tag(posts)
        progress(TAGGING, total, total)
        return result
    parts = []
    for start in range(0, total, chunk):
        parts.append(tagger.tag(posts.iloc[start : start + chunk]))
        progress(TAGGING, min(start + chunk, total), total)
    return _joined(parts)


def _joined(parts: list[TagResult]) -> TagResult:
    """One result from the results of consecutive chunks of posts."""
    width = len(parts[0].phrases)
    fields = [field for field in FIELDS if any(field in part.hits for part in parts)]

    def hits(field: str) -> sparse.csr_matrix:
        return sparse.vstack(
            [part.hits.get(field, sparse.csr_matrix((len(part.tags), width))) for part in parts],
            format="csr",
        )

    return TagResult(
        scores=pd.concat([part.scores for part in parts]),
        tags=pd.concat([part.tags for part in parts]),
        evidence=pd.concat([part.evidence for part in parts]),
        hits={field: hits(field) for field in fields},
        phrases=parts[0].phrases,
    )
