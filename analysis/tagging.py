"""Tagging posts with codebook themes: a scikit-learn-style transformer over all posts at once.

Each text field is tokenised once by the codebook's single regular expression
(:meth:`analysis.codebook.Codebook.phrase_pattern`, whose match says which phrase it
is, so no match is read twice); the distinct phrases found in a field give, in the same
pass, that post's row of a sparse post-by-phrase matrix and its evidence, and one sparse
product with the phrase-by-theme matrix gives every score::

    score = title_weight * (distinct theme terms in the title)
            + (distinct theme terms in the summary)
            + text_weight * (distinct theme terms in the text)

A theme's context terms are scored in the same way by a second phrase-by-theme matrix, and
count only for posts in which one of the theme's own terms is found in some field (the
codebook's rule, :meth:`Codebook.score <analysis.codebook.Codebook.score>`); a codebook
without context terms costs nothing more.

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
    themes: tuple[str, ...]  # empty when the phrase is an exclusion (or only a context term)
    context: tuple[str, ...] = ()  # themes it is a context term of


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


class ThemeTagger:
    """Tag posts with the themes of a codebook.

    It keeps scikit-learn's transformer protocol (``fit``, ``transform``, ``fit_transform``,
    ``get_params``, ``set_params``) without deriving from its base classes: importing
    ``sklearn.base`` pulls in SciPy's statistics, about a second before the dashboard's first
    chart, which tagging never uses (issue 12).

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

    def get_params(self, deep: bool = True) -> dict:
        return {"codebook": self.codebook}

    def set_params(self, **params) -> ThemeTagger:
        for name, value in params.items():
            if name not in self.get_params():
                raise ValueError(f"Invalid parameter {name!r} for ThemeTagger")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        return f"ThemeTagger(codebook={self.codebook.version!r})"

    def fit_transform(self, posts: pd.DataFrame, y=None) -> np.ndarray:
        return self.fit(posts, y).transform(posts)

    def __sklearn_tags__(self):  # asked for only by scikit-learn, so it is loaded by then
        from sklearn.utils import Tags, TargetTags, TransformerTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=TransformerTags(),
        )

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
        # Context terms: their own phrase-by-theme matrix, used only when a theme has some.
        self.phrase_context_ = {phrase.text: phrase.context for phrase in phrases}
        self._phrase_context_columns = [
            tuple(theme_index[theme_id] for theme_id in phrase.context) for phrase in phrases
        ]
        self.context_weights_ = None
        if book.has_context_terms:
            rows, cols = [], []
            for n, columns in enumerate(self._phrase_context_columns):
                rows += [n] * len(columns)
                cols += columns
            self.context_weights_ = sparse.csr_matrix(
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
        # Context terms need the whole post before their evidence can be written: only then
        # is it known whether a term of the theme was found. None when no theme has any.
        context_of = self._phrase_context_columns if self.codebook.has_context_terms else None
        finditer = self.pattern_.finditer
        found: list[list[str]] = [[""] * len(posts) for _ in self.codebook.ids]
        indices: list[int] = []
        indptr = [0]
        for row, texts in enumerate(zip(*columns, strict=True)):
            parts: dict[int, list[str]] | None = None
            fields: list[tuple[str, dict[int, list[str]], dict[int, list[str]]]] | None = None
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
                if context_of is not None:
                    by_context: dict[int, list[str]] = {}
                    for column in ordered:
                        for theme in context_of[column]:
                            by_context.setdefault(theme, []).append(names[column])
                    if by_theme or by_context:
                        fields = [*(fields or []), (field, by_theme, by_context)]
                elif by_theme:
                    if parts is None:
                        parts = {}
                    for theme, terms in by_theme.items():
                        parts.setdefault(theme, []).append(f"{field}: {', '.join(terms)}")
            indptr.append(len(indices))
            if fields:
                parts = _evidence(fields)
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
        total = _dense(
            sum(weights[field] * (matrix @ self.weights_) for field, matrix in hits.items())
        )
        if self.context_weights_ is None:
            return total
        context = _dense(
            sum(weights[f] * (matrix @ self.context_weights_) for f, matrix in hits.items())
        )
        anchored = _dense(sum(hits.values()) @ self.weights_) > 0  # an own term, any field
        return self.codebook.score(total, context, anchored)

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
                themes, context = self.phrase_themes_[phrase], self.phrase_context_[phrase]
                found.append(Match(field, m.start(), m.end(), phrase, themes, context))
        return found


def _dense(matrix) -> np.ndarray:
    return np.asarray(matrix.todense()) if sparse.issparse(matrix) else np.asarray(matrix)


def context_note(alongside: str | None) -> str:
    """What evidence says after a context term: it counted alongside the theme term
    ``alongside``, or (None) it did not count, as no term of its theme was found."""
    if alongside is None:
        return "not counted without a term of this theme"
    return f"counts alongside {alongside}"


def _evidence(
    fields: list[tuple[str, dict[int, list[str]], dict[int, list[str]]]],
) -> dict[int, list[str]]:
    """Theme (column) -> its evidence in one post, a part per field, from each field's terms
    and context terms found: ``["title: debt advice", "summary: housing (counts alongside
    debt advice)"]``."""
    first: dict[int, str] = {}  # each theme's first own term found, in field order
    for _, by_theme, _ in fields:
        for theme, terms in by_theme.items():
            first.setdefault(theme, terms[0])
    parts: dict[int, list[str]] = {}
    for field, by_theme, by_context in fields:
        for theme in (*by_theme, *(t for t in by_context if t not in by_theme)):
            terms = by_theme.get(theme, [])
            if theme in by_context:
                note = context_note(first.get(theme))
                terms = [*terms, *(f"{term} ({note})" for term in by_context[theme])]
            parts.setdefault(theme, []).append(f"{field}: {', '.join(terms)}")
    return parts


def _lower_keeping_length(text: str) -> str:
    """``text.lower()``, but leaving alone the rare characters whose lower case is longer,
    so positions in the result are positions in ``text``."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
