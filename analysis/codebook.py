"""The codebook: the themes a post can be tagged with, read from a TOML file.

The codebook is the one source of truth for theme ids, labels, colours, order,
definitions and the terms that signal each theme. Everything else (the tagger,
charts, tables, the command line) reads it from here.

Terms are written in the term language of :mod:`analysis.codebook_terms` (its names are
importable from here too). The limits below bound a codebook; a term's own limits
(:data:`MAX_TERM_LENGTH`, :data:`MAX_TERM_WORDS`) are the term language's. The file format
(reading and writing TOML) is :mod:`analysis.codebook_file`; ``load_codebook`` and
``parse_codebook`` are importable from here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# The term language, offered from here as it always was (``as`` marks a re-export).
from analysis.codebook_terms import MAX_TERM_LENGTH as MAX_TERM_LENGTH
from analysis.codebook_terms import MAX_TERM_WORDS as MAX_TERM_WORDS
from analysis.codebook_terms import CodebookError as CodebookError
from analysis.codebook_terms import _shown_text
from analysis.codebook_terms import check_terms as check_terms
from analysis.codebook_terms import compile_phrases as compile_phrases
from analysis.codebook_terms import normalise_term as normalise_term
from analysis.codebook_terms import term_problem as term_problem
from analysis.codebook_terms import term_regex as term_regex
from analysis.codebook_terms import term_tokens as term_tokens
from analysis.formatting import number

if TYPE_CHECKING:
    import pandas as pd

BUNDLED_CODEBOOK = Path(__file__).resolve().parent.parent / "data" / "codebook.toml"

#: The largest codebook file read, in bytes (checked before parsing, so TOML is never
#: parsed for more than about a second). The bundled one is under 6 KB; one at every
#: other limit below takes about 300 KB.
MAX_CODEBOOK_BYTES = 1_000_000
#: Themes per codebook: more colours than a chart legend can keep apart already.
MAX_THEMES = 50
#: Terms per theme, and context terms and exclusions per theme (the bundled codebook's
#: largest theme has 32).
MAX_THEME_TERMS = 200
#: Distinct terms, context terms and exclusions in the whole codebook (the bundled one has
#: about 100).
#: Terms sharing a beginning share their pieces, but where a * or hyphen may match nothing
#: their order has to be kept, which costs time per character; with the term length, this
#: bounds the worst case (about 6 µs per character, against 0.05 for the bundled codebook;
#: bench/terms.py measures it).
MAX_TERMS = 2_000
#: Characters in a theme's or the no-theme label, and in the version.
MAX_LABEL_LENGTH = 100
#: Characters in a theme's definition (white space folded).
MAX_DEFINITION_LENGTH = 2_000

#: The series id of posts carrying none of the themes (charts, tables, filters, the URL).
NO_THEME = "none"
#: The fields a post is tagged on, in the order evidence lists them, as the method names them.
FIELD_NAMES = {"title": "title", "summary": "summary", "text": "full text"}
_WEIGHT_KEYS = {"title": " (title_weight)", "text": " (text_weight)"}
#: How lists of a theme's context terms are headed (exports, the report, the Themes page).
CONTEXT_TERMS_NOTE = "Context terms, counted only alongside a term"
#: The context-terms rule, as :attr:`Codebook.method` says it (for codebooks that use it).
_CONTEXT_RULE = (
    "A term listed under context_terms counts in the same way, but only in a post where at "
    "least one of that theme's own terms is also found (in any field): on its own it adds "
    "nothing. "
)


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook."""

    id: str
    label: str
    colour: str
    definition: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    #: Terms that count only in a post where one of ``terms`` is also found (in any field):
    #: broad words (housing, debt) that signal the theme only alongside a specific one.
    context_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """A distinct term or exclusion, with the themes it counts for (none for an exclusion)
    and those it is a context term of (counting only alongside one of their terms)."""

    text: str
    themes: tuple[str, ...]
    context: tuple[str, ...] = ()

    @property
    def regex(self) -> str:
        return term_regex(self.text)


@dataclass(frozen=True)
class Codebook:
    """Themes in display order, plus how tagging weighs and thresholds their terms."""

    themes: tuple[Theme, ...]
    version: str = "unversioned"
    title_weight: float = 2.0
    min_score: float = 1.0
    text_weight: float = 1.0  # a term in a post's full text, against 1 in its summary
    no_theme_label: str = "No theme"
    no_theme_colour: str = "#8C8C8C"
    source: str = "codebook"

    @property
    def ids(self) -> list[str]:
        return [theme.id for theme in self.themes]

    @property
    def labels(self) -> dict[str, str]:
        return {theme.id: theme.label for theme in self.themes}

    @property
    def colours(self) -> dict[str, str]:
        return {theme.id: theme.colour for theme in self.themes}

    @property
    def series_labels(self) -> dict[str, str]:
        """Series id -> label: each theme in codebook order, then :data:`NO_THEME`."""
        return {**self.labels, NO_THEME: self.no_theme_label}

    @property
    def series_colours(self) -> dict[str, str]:
        """Series id -> colour: each theme in codebook order, then :data:`NO_THEME`."""
        return {**self.colours, NO_THEME: self.no_theme_colour}

    @staticmethod
    def untagged(tags: pd.DataFrame) -> pd.Series:
        """True for the posts carrying none of the themes (``tags``: one bool column per theme)."""
        return ~tags.any(axis=1)

    @property
    def field_weights(self) -> dict[str, float]:
        """Field -> what one distinct theme term found there adds to a post's score."""
        return {"title": self.title_weight, "summary": 1.0, "text": self.text_weight}

    def applies(self, scores):
        """The tagging rule: a theme applies when its score reaches ``min_score``.

        ``scores`` is one score or an array, Series or DataFrame of them; the answer has
        the same shape. A threshold of 0 still needs some evidence (a score above 0).
        """
        return (scores >= self.min_score) & (scores > 0)

    @property
    def has_context_terms(self) -> bool:
        """Whether any theme lists context terms (else :meth:`score` is its terms' score)."""
        return any(theme.context_terms for theme in self.themes)

    @staticmethod
    def score(terms, context, anchored):
        """The scoring rule for context terms: a theme's score is what its own terms add
        (``terms``), plus what its context terms add (``context``) only where one of its own
        terms is found in the post (``anchored``, true or false, in any field, whatever the
        weights). Scalars or arrays of one shape; the answer has that shape.
        """
        return terms + context * anchored

    @property
    def method(self) -> str:
        """The tagging rule in plain words, with this codebook's weights and threshold.

        The one account of how posts are tagged: the Themes page, the TOML header, the
        exports and the report all say it in these words.
        """
        counts = [
            f"{number(weight)} in the {FIELD_NAMES[field]}" + _WEIGHT_KEYS.get(field, "")
            for field, weight in self.field_weights.items()
        ]
        reaches = (
            f"reaches {number(self.min_score)} (min_score)"
            if self.min_score > 0
            else "is above 0 (min_score is 0)"
        )
        return (
            f"A post gets a theme when its score {reaches}. Each distinct term of the theme "
            f"found in a field adds to the score: {', '.join(counts[:-1])} and {counts[-1]}. "
            "Terms match whole words whatever their case. A "
            "phrase listed under exclude is matched like a term but counts for nothing, so "
            "the shorter terms inside it do not count either. "
            + (_CONTEXT_RULE if self.has_context_terms else "")
            + "A post can carry several themes, "
            f"or none (“{self.no_theme_label}”)."
        )

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def phrases(self) -> list[Phrase]:
        """Every distinct term, context term and exclusion, longest first (ties alphabetical).

        A phrase listed as a term counts for each theme that lists it, one listed as a
        context term for those themes only alongside one of their terms (its ``context``);
        a phrase listed only under ``exclude`` counts for none.
        """
        counts_for: dict[str, list[str]] = {}
        context_of: dict[str, list[str]] = {}
        for theme in self.themes:
            for term in theme.terms:
                counts_for.setdefault(term, [])
                if theme.id not in counts_for[term]:
                    counts_for[term].append(theme.id)
            for term in theme.context_terms:
                counts_for.setdefault(term, [])
                if theme.id not in context_of.setdefault(term, []):
                    context_of[term].append(theme.id)
            for phrase in theme.exclude:
                counts_for.setdefault(phrase, [])
        ordered = sorted(counts_for, key=lambda text: (-len(text), text))
        return [
            Phrase(text, tuple(counts_for[text]), tuple(context_of.get(text, ())))
            for text in ordered
        ]

    def pattern(self) -> re.Pattern[str]:
        """One compiled regular expression matching every phrase, for lower-cased text.

        It finds what the alternation of every phrase's :func:`term_regex`, in
        :meth:`phrases` order, finds, but phrases sharing a beginning share its
        pieces (a tree: ``d(?:ebt(?:[\\s\\-]++advice\\b|\\b)|...)``), so at each
        position the engine reads each character about once rather than once per
        phrase. Raises :class:`CodebookError` for a term outside the language.
        """
        return compile_phrases([phrase.text for phrase in self.phrases()])[0]

    def phrase_pattern(self) -> tuple[re.Pattern[str], list[str]]:
        """:meth:`pattern` with an empty group after each phrase, and the phrases in group order.

        For a match ``m``, ``phrases[m.lastindex - 1]`` is the phrase that matched.
        """
        return compile_phrases([phrase.text for phrase in self.phrases()], groups=True)


def check_limits(themes: Sequence[Theme], name: str = "") -> None:
    """Raise :class:`CodebookError` when ``themes`` go past the codebook's limits.

    With a file ``name``, messages start with it and name themes by id; without
    (What if?), they name themes by label.
    """
    prefix = f"{name}: " if name else ""
    _check_theme_count(len(themes), prefix)
    for theme in themes:
        where = f"{prefix}theme {_shown_text(theme.id)}" if name else theme.label
        _check_list_length(len(theme.terms), "terms", where)
        _check_list_length(len(theme.exclude), "exclude", where)
        _check_list_length(len(theme.context_terms), "context_terms", where)
    total = len(
        {
            phrase
            for theme in themes
            for phrase in (*theme.terms, *theme.context_terms, *theme.exclude)
        }
    )
    if total > MAX_TERMS:
        raise CodebookError(
            f"{prefix}{total:,} distinct terms, context terms and exclusions: "
            f"a codebook has at most {MAX_TERMS:,} in all"
        )


def _check_list_length(count: int, key: str, where: str) -> None:
    if count > MAX_THEME_TERMS:
        raise CodebookError(
            f"{where}: {key} lists {count:,} terms: at most {MAX_THEME_TERMS} per theme"
        )


def _check_theme_count(count: int, prefix: str) -> None:
    if count > MAX_THEMES:
        raise CodebookError(f"{prefix}{count} themes: a codebook has at most {MAX_THEMES}")


#: Names of the file format, importable from here as they always were.
_FILE_NAMES = ("load_codebook", "parse_codebook")


def __getattr__(name: str):
    """``load_codebook`` and ``parse_codebook`` live in :mod:`analysis.codebook_file` (which
    imports this module), and are handed out from here on first use."""
    if name in _FILE_NAMES:
        from analysis import codebook_file

        return getattr(codebook_file, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
