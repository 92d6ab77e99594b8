"""Tagging posts with codebook themes: a scikit-learn-style transformer over all posts at once.

Every field is scanned once by :class:`analysis.matching.PhraseMatcher` (the codebook's
single regular expression), which gives each post's evidence and scores in the same pass;
the command line uses it directly, without scikit-learn. Here, the distinct phrases found
also make a sparse post-by-phrase matrix per field (:attr:`TagResult.hits`)::

    score = title_weight * (distinct theme terms in the title)
            + (distinct theme terms in the summary)
            + text_weight * (distinct theme terms in the text)

A theme's context terms are scored in the same way, and count only for posts in which one
of the theme's own terms is found in some field (the codebook's rule, :meth:`Codebook.score
<analysis.codebook.Codebook.score>`); a codebook without context terms costs nothing more.

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
from analysis.matching import FIELDS as FIELDS
from analysis.matching import PhraseMatcher, Scan, field_texts, scored_fields
from analysis.matching import context_note as context_note


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
        self.matcher_ = PhraseMatcher(book)  # the one scan, shared with the command line
        self.pattern_ = self.matcher_.pattern
        self.phrases_ = list(self.matcher_.phrases)
        self._group_phrase = [None, *(self.phrases_[n] for n in self.matcher_.group_index[1:])]
        self.phrase_themes_ = {phrase.text: phrase.themes for phrase in phrases}
        self.phrase_context_ = {phrase.text: phrase.context for phrase in phrases}
        # The phrase-by-theme matrices: what one hit of a phrase adds to each theme's score
        # (context terms' own matrix only when a theme has some).
        self.weights_ = _phrase_theme_matrix(self.matcher_.themes_of, len(book.ids))
        self.context_weights_ = None
        if book.has_context_terms:
            self.context_weights_ = _phrase_theme_matrix(self.matcher_.context_of, len(book.ids))
        return self

    def _scan(self, posts: pd.DataFrame, evidence: bool = True) -> tuple[Scan, list[str]]:
        """One pass over every field of every post (:meth:`PhraseMatcher.scan`), and the
        fields a score adds up."""
        if not hasattr(self, "matcher_"):
            self.fit()
        present, columns = field_texts(posts)
        return self.matcher_.scan(columns, evidence=evidence), scored_fields(present)

    def _hits(self, scan: Scan, fields: list[str]) -> dict[str, sparse.csr_matrix]:
        """Per field (those a score adds up), posts x phrases, 1 where the phrase matched."""
        width = len(self.phrases_)
        matrix = sparse.csr_matrix(
            (np.ones(len(scan.indices)), np.asarray(scan.indices, dtype=np.int32), scan.indptr),
            shape=(scan.n_posts, len(FIELDS) * width),
        ).tocsc()
        return {
            field: matrix[:, n * width : (n + 1) * width].tocsr()
            for n, field in enumerate(FIELDS)
            if field in fields
        }

    def transform(self, posts: pd.DataFrame) -> np.ndarray:
        """Scores, shape ``(n_posts, n_themes)``, columns in codebook order."""
        scan, fields = self._scan(posts, evidence=False)
        return self.matcher_.scores(scan, fields)

    def tag(self, posts: pd.DataFrame) -> TagResult:
        """Scores, tags and evidence for every post, indexed like ``posts``."""
        scan, fields = self._scan(posts)
        ids = self.codebook.ids
        scores = pd.DataFrame(self.matcher_.scores(scan, fields), index=posts.index, columns=ids)
        tags = self.codebook.applies(scores)
        evidence = pd.DataFrame(dict(zip(ids, scan.evidence, strict=True)), index=posts.index)
        return TagResult(
            scores=scores,
            tags=tags,
            evidence=evidence,
            hits=self._hits(scan, fields),
            phrases=list(self.phrases_),
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


def _phrase_theme_matrix(columns: list[tuple[int, ...]], n_themes: int) -> sparse.csr_matrix:
    """Phrases x themes, 1 where a phrase counts for a theme (``columns``: each phrase's)."""
    rows = [n for n, themes in enumerate(columns) for _ in themes]
    cols = [theme for themes in columns for theme in themes]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(columns), n_themes))


def _lower_keeping_length(text: str) -> str:
    """``text.lower()``, but leaving alone the rare characters whose lower case is longer,
    so positions in the result are positions in ``text``."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
