"""The codebook's phrases found in posts: one scan of each field, giving every post's scores and
evidence, with numpy only (no scikit-learn, no scipy).

:class:`PhraseMatcher` is the tagging both :class:`analysis.tagging.ThemeTagger` (the
dashboard's scikit-learn transformer) and the command line's ``tag`` use, so they cannot
differ; ``tag`` uses it directly (:func:`analysis.batch.tag_rows`) and so starts without
importing scikit-learn and scipy, about a second of processor time before the first row.

Each text field is tokenised once by the codebook's single regular expression
(:meth:`analysis.codebook.Codebook.phrase_pattern`, whose match says which phrase it is);
the distinct phrases found in a field give, in the same pass, the post's evidence and how
many distinct terms of each theme that field holds. Scores follow from those counts::

    score = title_weight * (distinct theme terms in the title)
            + (distinct theme terms in the summary)
            + text_weight * (distinct theme terms in the text)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.codebook import Codebook, term_tokens

#: Fields tagged, in the order evidence lists them. ``title`` is weighted by the codebook.
FIELDS = ("title", "summary", "text")


@dataclass
class Scan:
    """What one pass over some posts found.

    ``indices`` and ``indptr`` are a posts x (field, phrase) hits matrix in CSR form (column
    ``field * len(phrases) + phrase``, distinct phrases in column order); ``evidence`` holds,
    per theme (codebook order), each post's evidence text ('' for none); ``own`` and
    ``context`` hold, per field, the distinct own terms and context terms of each theme
    found there, as ``(post, theme, count)`` triples.
    """

    n_posts: int
    indices: list[int]
    indptr: list[int]
    evidence: list[list[str]]
    own: list[tuple[list[int], list[int], list[int]]]
    context: list[tuple[list[int], list[int], list[int]]]


class PhraseMatcher:
    """A codebook compiled for scanning: its one regular expression and, per phrase, the
    themes it is a term and a context term of (as columns in codebook order)."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        phrases = codebook.phrases()
        self.pattern, order = codebook.phrase_pattern()
        self.phrases = [phrase.text for phrase in phrases]
        column = {text: m for m, text in enumerate(self.phrases)}
        #: a match's lastindex -> its phrase's column
        self.group_index: list[int | None] = [None, *(column[text] for text in order)]
        theme_index = {theme_id: n for n, theme_id in enumerate(codebook.ids)}
        self.themes_of = [tuple(theme_index[t] for t in phrase.themes) for phrase in phrases]
        self.context_of = [tuple(theme_index[t] for t in phrase.context) for phrase in phrases]
        self.has_context = codebook.has_context_terms
        # Phrases found by their text (see _by_text): exact when every phrase ends a word.
        self.by_text = all(_ends_a_word(text) for text in self.phrases)
        self.plain = codebook.pattern() if self.by_text else None
        self._column_of: dict[str, int] = {}

    def _by_text(self, found: list[str], text: str) -> set[int]:
        """The columns of the phrases matched in ``text``, from the texts of the matches
        (``found``, by the pattern without groups: :meth:`re.Pattern.findall` makes no match
        objects, a fifth of the scan): which phrase a text is, is remembered.

        Exact when every phrase ends with a letter or digit (then ``\\b``) or a ``*``: the
        first phrase whose expression matches at a position then depends only on the text
        matched, the character after it being no letter or digit (``\\b``, or all of them
        taken by the ``*``) as at the end of that text alone; ``__init__`` checks it. A text
        the grouped pattern does not match whole (never, by that argument) sends the whole
        field to the grouped pattern."""
        columns = set()
        known = self._column_of
        for matched in found:
            column = known.get(matched)
            if column is None:
                whole = self.pattern.fullmatch(matched)
                if whole is None:
                    return {self.group_index[m.lastindex] for m in self.pattern.finditer(text)}
                column = self.group_index[whole.lastindex]
                if len(known) < _KNOWN_TEXTS:
                    known[matched] = column
            columns.add(column)
        return columns

    def scan(self, columns: Sequence[Sequence[str]], evidence: bool = True) -> Scan:
        """One pass over every field of every post. ``columns`` holds each of :data:`FIELDS`
        as a list of text, one per post ('' where a post has none).

        Each text is scanned once by the codebook's single expression; the distinct phrases
        found in a field give its row of hits, its counts of each theme's terms and (with
        ``evidence``) that field's part of the evidence, so nothing is looked up again
        afterwards. Most fields match nothing and cost one scan."""
        n_posts = len(columns[0])
        width = len(self.phrases)
        phrase_at = self.group_index
        names, themes_of = self.phrases, self.themes_of
        # Context terms need the whole post before their evidence can be written: only then
        # is it known whether a term of the theme was found. None when no theme has any.
        context_of = self.context_of if self.has_context else None
        finditer = self.pattern.finditer
        findall = self.plain.findall if self.by_text else None
        by_text = self._by_text
        found: list[list[str]] = [[""] * n_posts for _ in self.codebook.ids]
        own = [([], [], []) for _ in FIELDS]
        context = [([], [], []) for _ in FIELDS]
        indices: list[int] = []
        indptr = [0]
        for row, texts in enumerate(zip(*columns, strict=True)):
            parts: dict[int, list[str]] | None = None
            fields: list[tuple[str, dict[int, list[str]], dict[int, list[str]]]] | None = None
            for offset, text in enumerate(texts):
                if not text:
                    continue
                text = text.lower()
                if findall is not None:
                    texts_found = findall(text)
                    if not texts_found:
                        continue
                    matched = by_text(texts_found, text)
                else:
                    matched = {phrase_at[m.lastindex] for m in finditer(text)}
                    if not matched:
                        continue
                ordered = sorted(matched)
                base = offset * width
                indices.extend([base + column for column in ordered])
                by_theme: dict[int, list[str]] = {}
                for column in ordered:
                    for theme in themes_of[column]:
                        if theme in by_theme:
                            by_theme[theme].append(names[column])
                        else:
                            by_theme[theme] = [names[column]]
                _count(own[offset], row, by_theme)
                if context_of is not None:
                    by_context: dict[int, list[str]] = {}
                    for column in ordered:
                        for theme in context_of[column]:
                            by_context.setdefault(theme, []).append(names[column])
                    _count(context[offset], row, by_context)
                    if evidence and (by_theme or by_context):
                        fields = [*(fields or []), (FIELDS[offset], by_theme, by_context)]
                elif evidence and by_theme:
                    if parts is None:
                        parts = {}
                    field = FIELDS[offset]
                    for theme, terms in by_theme.items():
                        part = f"{field}: {', '.join(terms)}"
                        if theme in parts:
                            parts[theme].append(part)
                        else:
                            parts[theme] = [part]
            indptr.append(len(indices))
            if fields:
                parts = _evidence(fields)
            if parts:
                for theme, part in parts.items():
                    found[theme][row] = part[0] if len(part) == 1 else "; ".join(part)
        return Scan(n_posts, indices, indptr, found, own, context)

    def scores(self, scan: Scan, fields: Sequence[str] = FIELDS) -> np.ndarray:
        """Scores, shape ``(posts, themes)``, columns in codebook order: each field's
        distinct terms of a theme times the field's weight, added up in ``fields`` order
        (fields not listed found nothing); context terms by :meth:`Codebook.score`."""
        weights = self.codebook.field_weights
        shape = (scan.n_posts, len(self.codebook.ids))
        own = [_counts(scan.own[FIELDS.index(f)], shape) for f in fields]
        total = sum(weights[f] * counts for f, counts in zip(fields, own, strict=True))
        total = np.zeros(shape) + total  # a float array even when no field is listed
        if not self.has_context:
            return total
        context = sum(weights[f] * _counts(scan.context[FIELDS.index(f)], shape) for f in fields)
        anchored = sum(own, np.zeros(shape)) > 0  # an own term, in any field
        return self.codebook.score(total, np.zeros(shape) + context, anchored)


#: The most matched texts :meth:`PhraseMatcher._by_text` remembers (a few MB).
_KNOWN_TEXTS = 100_000


def _ends_a_word(phrase: str) -> bool:
    """Whether a phrase's expression ends with ``\\b`` (after a letter or digit) or with a
    ``*`` (which takes every letter and digit after it)."""
    *_, before, end = ("", *term_tokens(phrase))
    return end == r"\b" or (end == "" and before == r"\w*+")


def field_texts(posts) -> tuple[list[str], list[list[str]]]:
    """The fields of a table of posts that hold some text, and each of :data:`FIELDS` as a
    plain list of text ('' where missing), as :meth:`PhraseMatcher.scan` takes them."""
    present = [f for f in FIELDS if f in posts.columns and posts[f].fillna("").str.len().any()]
    # Plain lists: iterating pandas' Arrow-backed strings one by one costs as much again.
    columns = [
        posts[f].fillna("").astype(str).tolist() if f in present else [""] * len(posts)
        for f in FIELDS
    ]
    return present, columns


def scored_fields(present: Sequence[str]) -> list[str]:
    """The fields a score adds up, in order: those holding text, and the title always."""
    return [f for f in FIELDS if f in present or f == "title"]


def _count(into: tuple[list[int], list[int], list[int]], row: int, by_theme: dict) -> None:
    rows, themes, counts = into
    for theme, terms in by_theme.items():
        rows.append(row)
        themes.append(theme)
        counts.append(len(terms))


def _counts(triples: tuple[list[int], list[int], list[int]], shape: tuple[int, int]) -> np.ndarray:
    """A dense (posts, themes) array of counts from ``(post, theme, count)`` triples."""
    counts = np.zeros(shape)
    rows, themes, values = triples
    if rows:
        counts[np.asarray(rows), np.asarray(themes)] = values
    return counts


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
