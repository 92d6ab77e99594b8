"""Tagging posts with codebook themes: a scikit-learn transformer over all posts at once.

Each text field is tokenised once by the codebook's single regular expression
(:meth:`analysis.codebook.Codebook.phrase_pattern`, whose match says which phrase it
is, so no match is read twice); the distinct phrases found in a field give, in the same
pass, that post's row of a sparse post-by-phrase matrix and its evidence, and one sparse
product with the phrase-by-theme matrix gives every score::

    score = title_weight * (distinct theme terms in the title)
            + (distinct theme terms in the summary)
            + text_weight * (distinct theme terms in the text)

A post gets a theme when the codebook's rule says so (:meth:`Codebook.applies
<analysis.codebook.Codebook.applies>`: the score reaches ``min_score``, and is above 0). A
post may get several themes or none. The result is deterministic: it depends
only on the codebook and the text of that post, so any batch of posts can be tagged
on its own (the command line tags a large file a chunk at a time; see the README for
Dask and Spark).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from analysis.codebook import Codebook

#: Fields tagged, in the order evidence lists them. ``title`` is weighted by the codebook.
FIELDS = ("title", "summary", "text")


@dataclass(frozen=True)
class Match:
    """One phrase found in one field of one post."""

    field: str
    start: int
    end: int
    phrase: str
    themes: tuple[str, ...]  # empty when the phrase is an exclusion


@dataclass(frozen=True)
class TagResult:
    """Scores, yes/no tags and evidence, one row per post (in input order), one column per theme."""

    scores: pd.DataFrame
    tags: pd.DataFrame
    evidence: pd.DataFrame
    hits: dict[str, sparse.csr_matrix]  # field -> posts x phrases, 1 where the phrase matched
    phrases: list[str]

    def themes(self, separator: str = ";") -> pd.Series:
        """Each post's themes as ids in codebook order joined by ``separator`` ('' for none)."""
        ids = np.array(self.tags.columns, dtype=object)
        return pd.Series(
            [separator.join(ids[row]) for row in self.tags.to_numpy()],
            index=self.tags.index,
            dtype=str,
        )

    def term_counts(self, theme_terms: tuple[str, ...], rows=None) -> pd.Series:
        """How many posts each of ``theme_terms`` matched in (any field), most first.

        ``rows`` (a boolean mask over posts) limits the count to those posts.
        """
        columns = [self.phrases.index(term) for term in theme_terms]
        keep = slice(None) if rows is None else np.asarray(rows, dtype=bool)
        matched = sum(self.hits[field][keep][:, columns] for field in self.hits)
        counts = np.asarray((matched > 0).sum(axis=0)).ravel()
        series = pd.Series(counts, index=list(theme_terms), name="posts")
        return series[series > 0].sort_values(ascending=False, kind="stable")


class ThemeTagger(TransformerMixin, BaseEstimator):
    """Tag posts with the themes of a codebook.

    Parameters
    ----------
    codebook : Codebook
        Themes, their terms and exclusions, the title and text weights and the threshold.

    Nothing is learned: :meth:`fit` compiles the codebook and returns ``self``.
    :meth:`transform` gives the score matrix; :meth:`tag` gives scores, tags and
    evidence together. Input is a DataFrame with a ``title`` column and a
    ``summary`` and/or ``text`` column.
    """

    def __init__(self, codebook: Codebook):
        self.codebook = codebook

    def fit(self, posts=None, y=None):
        book = self.codebook
        phrases = book.phrases()
        self.pattern_, order = book.phrase_pattern()
        self._group_phrase = [None, *order]  # a match's lastindex -> its phrase
        self.phrases_ = [phrase.text for phrase in phrases]
        self.phrase_themes_ = {phrase.text: phrase.themes for phrase in phrases}
        # One column of hits per (field, phrase), so every field of a post is read in one pass.
        column = {text: m for m, text in enumerate(self.phrases_)}
        self._group_index = [None, *(column[text] for text in order)]
        self._offsets = range(len(FIELDS))
        theme_index = {theme_id: n for n, theme_id in enumerate(book.ids)}
        rows, cols = [], []
        for n, phrase in enumerate(phrases):
            for theme_id in phrase.themes:
                rows.append(n)
                cols.append(theme_index[theme_id])
        self._phrase_theme_columns = [
            tuple(theme_index[theme_id] for theme_id in phrase.themes) for phrase in phrases
        ]
        self.weights_ = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(phrases), len(book.ids))
        )
        return self

    def _field_weights(self) -> dict[str, float]:
        return self.codebook.field_weights

    def _hits(self, posts: pd.DataFrame) -> dict[str, sparse.csr_matrix]:
        return self._match(posts, evidence=False)[0]

    def _match(
        self, posts: pd.DataFrame, evidence: bool = True
    ) -> tuple[dict[str, sparse.csr_matrix], list[list[str]]]:
        """One pass over every field of every post: the hits (per field, posts x phrases, 1
        where the phrase matched) and, with ``evidence``, each theme's evidence per post.

        Each text is scanned once by the codebook's single expression; the distinct phrases
        found in a field give both the row of the hits matrix and that field's part of the
        evidence, so nothing is looked up again afterwards. Most posts match nothing and
        cost one scan per field."""
        if not hasattr(self, "pattern_"):
            self.fit()
        present = [f for f in FIELDS if f in posts.columns and posts[f].fillna("").str.len().any()]
        # Plain lists: iterating pandas' Arrow-backed strings one by one costs as much again.
        columns = [
            posts[f].fillna("").astype(str).tolist() if f in present else [""] * len(posts)
            for f in FIELDS
        ]
        width = len(self.phrases_)
        phrase_at = self._group_index  # a match's lastindex -> its phrase's column
        names, themes_of = self.phrases_, self._phrase_theme_columns
        finditer = self.pattern_.finditer
        found: list[list[str]] = [[""] * len(posts) for _ in self.codebook.ids]
        indices: list[int] = []
        indptr = [0]
        for row, texts in enumerate(zip(*columns, strict=True)):
            parts: dict[int, list[str]] | None = None
            for offset, field, text in zip(self._offsets, FIELDS, texts, strict=True):
                if not text:
                    continue
                matched = {phrase_at[m.lastindex] for m in finditer(text.lower())}
                if not matched:
                    continue
                ordered = sorted(matched)
                indices.extend(offset * width + column for column in ordered)
                if not evidence:
                    continue
                by_theme: dict[int, list[str]] = {}
                for column in ordered:
                    for theme in themes_of[column]:
                        by_theme.setdefault(theme, []).append(names[column])
                if by_theme:
                    if parts is None:
                        parts = {}
                    for theme, terms in by_theme.items():
                        parts.setdefault(theme, []).append(f"{field}: {', '.join(terms)}")
            indptr.append(len(indices))
            if parts:
                for theme, part in parts.items():
                    found[theme][row] = "; ".join(part)
        matrix = sparse.csr_matrix(
            (np.ones(len(indices)), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(posts), len(FIELDS) * width),
        ).tocsc()
        hits = {
            field: matrix[:, n * width : (n + 1) * width].tocsr()
            for n, field in enumerate(FIELDS)
            if field in present or field == "title"
        }
        return hits, found

    def _scores(self, hits: dict[str, sparse.csr_matrix]) -> np.ndarray:
        weights = self._field_weights()
        total = sum(weights[field] * (matrix @ self.weights_) for field, matrix in hits.items())
        return np.asarray(total.todense()) if sparse.issparse(total) else np.asarray(total)

    def transform(self, posts: pd.DataFrame) -> np.ndarray:
        """Scores, shape ``(n_posts, n_themes)``, columns in codebook order."""
        return self._scores(self._hits(posts))

    def tag(self, posts: pd.DataFrame) -> TagResult:
        """Scores, tags and evidence for every post, indexed like ``posts``."""
        hits, evidence = self._match(posts)
        ids = self.codebook.ids
        scores = pd.DataFrame(self._scores(hits), index=posts.index, columns=ids)
        tags = self.codebook.applies(scores)
        evidence = pd.DataFrame(dict(zip(ids, evidence, strict=True)), index=posts.index)
        return TagResult(
            scores=scores, tags=tags, evidence=evidence, hits=hits, phrases=list(self.phrases_)
        )

    def matches(self, post: pd.Series | dict) -> list[Match]:
        """Every phrase found in one post, with its position: for highlighting and explaining."""
        if not hasattr(self, "pattern_"):
            self.fit()
        found = []
        for field in FIELDS:
            text = str(post.get(field, "") or "")
            for m in self.pattern_.finditer(_lower_keeping_length(text)):
                phrase = self._group_phrase[m.lastindex]
                found.append(Match(field, m.start(), m.end(), phrase, self.phrase_themes_[phrase]))
        return found


def _lower_keeping_length(text: str) -> str:
    """``text.lower()``, but leaving alone the rare characters whose lower case is longer,
    so positions in the result are positions in ``text``."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
