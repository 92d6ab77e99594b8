"""Tagging posts with codebook themes: a scikit-learn transformer over all posts at once.

Each text field is tokenised once by the codebook's single regular expression
(:meth:`analysis.codebook.Codebook.phrase_pattern`, whose match says which phrase it
is, so no match is read twice); scikit-learn's ``CountVectorizer``
turns the matched phrases into a sparse post-by-phrase matrix, and one sparse
product with the phrase-by-theme matrix gives every score::

    score = title_weight * (distinct theme terms in the title)
            + (distinct theme terms in the summary)
            + text_weight * (distinct theme terms in the text)

A post gets a theme when the codebook's rule says so (:meth:`Codebook.applies
<analysis.codebook.Codebook.applies>`: the score reaches ``min_score``, and is above 0). A
post may get several themes or none. The result is deterministic: it depends
only on the codebook and the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer

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
        # One feature per (field, phrase), so every field of a post is read in one pass.
        self.vectorizer_ = CountVectorizer(
            analyzer=self._analyse,
            vocabulary={
                (field, text): n * len(phrases) + m
                for n, field in enumerate(FIELDS)
                for m, text in enumerate(self.phrases_)
            },
            binary=True,
            dtype=np.float64,
        )
        theme_index = {theme_id: n for n, theme_id in enumerate(book.ids)}
        rows, cols = [], []
        for n, phrase in enumerate(phrases):
            for theme_id in phrase.themes:
                rows.append(n)
                cols.append(theme_index[theme_id])
        self.weights_ = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(phrases), len(book.ids))
        )
        return self

    def _analyse(self, fields: tuple[str, ...]) -> list[tuple[str, str]]:
        """The (field, phrase) features of one post, from its field texts in :data:`FIELDS` order."""
        phrase, finditer = self._group_phrase, self.pattern_.finditer
        return [
            (field, phrase[m.lastindex])
            for field, text in zip(FIELDS, fields, strict=True)
            if text
            for m in finditer(text.lower())
        ]

    def _field_weights(self) -> dict[str, float]:
        book = self.codebook
        return {"title": book.title_weight, "summary": 1.0, "text": book.text_weight}

    def _hits(self, posts: pd.DataFrame) -> dict[str, sparse.csr_matrix]:
        if not hasattr(self, "pattern_"):
            self.fit()
        present = [f for f in FIELDS if f in posts.columns and posts[f].fillna("").str.len().any()]
        # Plain lists: iterating pandas' Arrow-backed strings one by one costs as much again.
        columns = [
            posts[f].fillna("").astype(str).tolist() if f in present else [""] * len(posts)
            for f in FIELDS
        ]
        matrix = self.vectorizer_.transform(zip(*columns, strict=True)).tocsc()
        width = len(self.phrases_)
        return {
            field: matrix[:, n * width : (n + 1) * width].tocsr()
            for n, field in enumerate(FIELDS)
            if field in present or field == "title"
        }

    def _scores(self, hits: dict[str, sparse.csr_matrix]) -> np.ndarray:
        weights = self._field_weights()
        total = sum(weights[field] * (matrix @ self.weights_) for field, matrix in hits.items())
        return np.asarray(total.todense()) if sparse.issparse(total) else np.asarray(total)

    def transform(self, posts: pd.DataFrame) -> np.ndarray:
        """Scores, shape ``(n_posts, n_themes)``, columns in codebook order."""
        return self._scores(self._hits(posts))

    def tag(self, posts: pd.DataFrame) -> TagResult:
        """Scores, tags and evidence for every post, indexed like ``posts``."""
        hits = self._hits(posts)
        ids = self.codebook.ids
        scores = pd.DataFrame(self._scores(hits), index=posts.index, columns=ids)
        tags = self.codebook.applies(scores)
        evidence = pd.DataFrame(
            {theme_id: self._evidence(hits, n) for n, theme_id in enumerate(ids)},
            index=posts.index,
        )
        return TagResult(
            scores=scores, tags=tags, evidence=evidence, hits=hits, phrases=list(self.phrases_)
        )

    def _evidence(self, hits: dict[str, sparse.csr_matrix], theme: int) -> list[str]:
        """Per post, e.g. ``title: workforce; summary: apprentice*, recruit*`` ('' if none)."""
        columns = self.weights_[:, theme].nonzero()[0]
        names = [self.phrases_[column] for column in columns]
        n_posts = next(iter(hits.values())).shape[0] if hits else 0
        parts: dict[int, list[str]] = {}  # only the posts with evidence
        for field, matrix in hits.items():
            sub = matrix[:, columns].tocsr()
            sub.sort_indices()
            indptr, indices = sub.indptr.tolist(), sub.indices.tolist()
            for row in np.flatnonzero(np.diff(sub.indptr)).tolist():
                found = ", ".join(names[i] for i in indices[indptr[row] : indptr[row + 1]])
                parts.setdefault(row, []).append(f"{field}: {found}")
        evidence = [""] * n_posts
        for row, part in parts.items():
            evidence[row] = "; ".join(part)
        return evidence

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
