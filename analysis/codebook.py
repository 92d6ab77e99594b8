"""The codebook: the themes a post can be tagged with, read from a TOML file.

The codebook is the one source of truth for theme ids, labels, colours, order,
definitions and the terms that signal each theme. Everything else (the tagger,
charts, tables, the command line) reads it from here.

The term language
-----------------

A term is matched on whole words in lower-cased text. It is tidied first
(:func:`normalise_term`: lower case, runs of white space folded to one space, a
typographic apostrophe ``’`` made straight), then read character by character:

- a letter, digit or ``_`` (a *word character*, as Python's ``\\w``) matches itself;
- ``*`` ends a word and matches the rest of that word, any run of word characters,
  none included: ``apprentice*`` matches apprentice, apprentices, apprenticeship.
  A ``*`` must come straight after a word character and be followed by the end of
  the term, a space, an apostrophe or punctuation: ``job*seeker``, ``**``, ``a *``
  and ``job*-seeker`` (a hyphen may match nothing, which would put the ``*`` inside
  a word) are refused;
- a space matches any run of white space and hyphens: ``living wage`` matches
  living wage, living-wage and a line break between the two;
- a hyphen matches one white space character, one hyphen or nothing:
  ``anti-racis*`` matches anti-racism, anti racist and antiracist;
- an apostrophe ``'`` matches a straight or a typographic one: ``guy's`` matches guy’s;
- any other printable character (``,`` ``.`` ``&`` ``/`` ``"``...) matches itself.

A term starts with a word character, so it starts on a word boundary; a term
ending with a word character also ends on one (``debt`` does not match debts).
Between two words there is one space or one hyphen: ``a - b``, ``a--b`` and a
term ending with a hyphen are refused, as are characters that are not printable
(control characters, zero-width spaces and other format characters).

Limits: a term has at most :data:`MAX_TERM_LENGTH` characters and
:data:`MAX_TERM_WORDS` words (pieces between spaces and hyphens); a theme lists at
most :data:`MAX_THEME_TERMS` terms and as many exclusions; a codebook has at most
:data:`MAX_THEMES` themes, :data:`MAX_TERMS` distinct terms and exclusions in all,
and its file at most :data:`MAX_CODEBOOK_BYTES` bytes. Anything else raises
:class:`CodebookError` with a one-line message naming the file, the theme and the
key, or the term as typed.

Matching cannot backtrack. Each piece compiles to a regular expression that
makes one choice and keeps it: ``*`` is ``\\w*+``, a space ``[\\s\\-]++`` and a
hyphen ``[\\s\\-]?+`` (possessive: they never give back what they took). Giving
back could never help, because what follows a ``*`` can never start with a word
character and what follows a space or a hyphen can never start with white space or a
hyphen, so these match exactly what the greedy forms would, with no second tries. All terms and
exclusions are compiled into one regular expression (:meth:`Codebook.pattern`), a
tree of shared beginnings inside an atomic group, where a one-character look-ahead
picks which half of a long list of alternatives to try. The time to scan a text grows
in step with the text's length whatever the terms, and the limits below bound the
work per character (``bench/terms.py`` measures it).

Where phrases overlap, the one starting first wins, and at the same start the
longest term wins (ties alphabetical), so an exclusion such as ``benefits of``
stops ``benefits`` counting.

The file
--------

``version`` (text or a number), ``[tagging]`` (``title_weight``, ``min_score``:
numbers of 0 or more), ``[no_theme]`` (``label``, ``colour``) and one or more
``[[themes]]`` tables with ``id``, ``label``, ``colour`` (``#RRGGBB``),
``definition``, ``terms`` and, optionally, ``exclude``. A key the codebook does not
know is ignored, unless it looks like a misspelt one (the same but for case, or one
letter added, dropped, changed or swapped: ``term``, ``color``, ``lable``), which is
refused with a suggestion.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

BUNDLED_CODEBOOK = Path(__file__).resolve().parent.parent / "data" / "codebook.toml"

#: The largest codebook file read, in bytes (checked before parsing, so TOML is never
#: parsed for more than about a second). The bundled one is under 6 KB; one at every
#: other limit below takes about 300 KB.
MAX_CODEBOOK_BYTES = 1_000_000
#: Themes per codebook: more colours than a chart legend can keep apart already.
MAX_THEMES = 50
#: Terms per theme, and exclusions per theme (the bundled codebook's largest theme has 32).
MAX_THEME_TERMS = 200
#: Distinct terms and exclusions in the whole codebook (the bundled one has about 100).
#: Terms sharing a beginning share their pieces, but where a * or hyphen may match nothing
#: their order has to be kept, which costs time per character; with the term length, this
#: bounds the worst case (about 6 µs per character, against 0.05 for the bundled codebook;
#: bench/terms.py measures it).
MAX_TERMS = 2_000
#: Characters per term: the bundled codebook's longest has 38.
MAX_TERM_LENGTH = 60
#: Words per term (pieces between spaces and hyphens): the bundled longest has 4. It bounds
#: how many words of a text one try of a term can read.
MAX_TERM_WORDS = 8
#: Characters in a theme's or the no-theme label, and in the version.
MAX_LABEL_LENGTH = 100
#: Characters in a theme's definition (white space folded).
MAX_DEFINITION_LENGTH = 2_000

#: The series id of posts carrying none of the themes (charts, tables, filters, the URL).
NO_THEME = "none"
#: The fields a post is tagged on, in the order evidence lists them, as the method names them.
FIELD_NAMES = {"title": "title", "summary": "summary", "text": "full text"}
_WEIGHT_KEYS = {"title": " (title_weight)", "text": " (text_weight)"}

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_WORD_CHAR = re.compile(r"\w")

# The pieces a term compiles to (see the module docstring). Every one makes one choice.
_STAR = r"\w*+"
_SPACE = r"[\s\-]++"
_HYPHEN = r"[\s\-]?+"
_APOSTROPHE = "['\u2019]"
_WORD_END = r"\b"
_END = ""
#: Pieces that can match without reading a character, so cannot rule out another piece.
_MAY_BE_EMPTY = frozenset({_STAR, _HYPHEN, _WORD_END, _END})

_KEYS = ("version", "tagging", "no_theme", "themes")
_TAGGING_KEYS = ("title_weight", "min_score", "text_weight")
_NO_THEME_KEYS = ("label", "colour")
_THEME_KEYS = ("id", "label", "colour", "definition", "terms", "exclude")


class CodebookError(ValueError):
    """A codebook file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook."""

    id: str
    label: str
    colour: str
    definition: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """A distinct term or exclusion, with the themes it counts for (none for an exclusion)."""

    text: str
    themes: tuple[str, ...]

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
    def method(self) -> str:
        """The tagging rule in plain words, with this codebook's weights and threshold.

        The one account of how posts are tagged: the Themes page, the TOML header, the
        exports and the report all say it in these words.
        """
        counts = [
            f"{_g(weight)} in the {FIELD_NAMES[field]}" + _WEIGHT_KEYS.get(field, "")
            for field, weight in self.field_weights.items()
        ]
        reaches = (
            f"reaches {_g(self.min_score)} (min_score)"
            if self.min_score > 0
            else "is above 0 (min_score is 0)"
        )
        return (
            f"A post gets a theme when its score {reaches}. Each distinct term of the theme "
            f"found in a field adds to the score: {', '.join(counts[:-1])} and {counts[-1]}. "
            "Terms match whole words whatever their case. A "
            "phrase listed under exclude is matched like a term but counts for nothing, so "
            "the shorter terms inside it do not count either. A post can carry several themes, "
            f"or none (“{self.no_theme_label}”)."
        )

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def phrases(self) -> list[Phrase]:
        """Every distinct term and exclusion, longest first (ties alphabetical).

        A phrase listed as a term counts for each theme that lists it; a phrase
        listed only under ``exclude`` counts for none.
        """
        counts_for: dict[str, list[str]] = {}
        for theme in self.themes:
            for term in theme.terms:
                counts_for.setdefault(term, [])
                if theme.id not in counts_for[term]:
                    counts_for[term].append(theme.id)
            for phrase in theme.exclude:
                counts_for.setdefault(phrase, [])
        ordered = sorted(counts_for, key=lambda text: (-len(text), text))
        return [Phrase(text, tuple(counts_for[text])) for text in ordered]

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


def _g(value: float) -> str:
    return f"{value:g}"


def term_tokens(term: str) -> tuple[str, ...]:
    """The pieces of regular expression one term compiles to, its end included.

    The term is normalised (:func:`normalise_term`) and checked against the language
    (see the module docstring); raises :class:`CodebookError` naming the term when it
    is outside it.
    """
    norm = normalise_term(term)
    problem = term_problem(norm)
    if problem:
        raise CodebookError(f"the term {_shown_text(norm)} {problem}")
    pieces = []
    for char in norm:
        if char == "*":
            pieces.append(_STAR)
        elif char == " ":
            pieces.append(_SPACE)
        elif char == "-":
            pieces.append(_HYPHEN)
        elif char == "'":
            pieces.append(_APOSTROPHE)
        else:
            pieces.append(re.escape(char))
    pieces.append(_WORD_END if _WORD_CHAR.match(norm[-1]) else _END)
    return tuple(pieces)


def term_regex(term: str, head: bool = True) -> str:
    """The regular expression for one codebook term (see the module docstring).

    Terms start with a letter or digit, so the match starts on a word boundary;
    ``head=False`` leaves that ``\\b`` out for a caller that puts it in front once.
    Raises :class:`CodebookError` for a term outside the language.
    """
    return (r"\b" if head else "") + "".join(term_tokens(term))


def compile_phrases(
    phrases: Sequence[str], groups: bool = False
) -> tuple[re.Pattern[str], list[str]]:
    """One regular expression for ``phrases`` (tried in the order given), and the phrases
    in the order of their groups (with ``groups``, an empty group marks where each ends).

    Phrases that begin with the same pieces share them. Sharing moves a phrase ahead of
    others only when the piece that differs rules those out (two different characters,
    say), so the first phrase in ``phrases`` that matches at a position is still the one
    found there.
    """
    branches = [(term_tokens(text), text) for text in phrases]
    order: list[str] = []
    body = _alternation(branches, groups, order)[0] if branches else "(?!)"
    return re.compile(r"\b(?>" + body + ")"), order


def _alternation(
    branches: list[tuple[tuple[str, ...], str]], groups: bool, order: list[str]
) -> tuple[str, bool]:
    """The ordered alternation of ``branches`` (pieces, phrase), sharing common beginnings,
    and whether it has more than one alternative at its top (so needs brackets)."""
    shared: list[tuple[str, list[tuple[tuple[str, ...], str]]]] = []
    for pieces, text in branches:
        first, rest = pieces[0], pieces[1:]
        joined = None
        for candidate in reversed(shared):
            if candidate[0] == first:
                joined = candidate
                break
            if first in _MAY_BE_EMPTY or candidate[0] in _MAY_BE_EMPTY:
                break  # both could match here: keep their order
        if joined is None:
            shared.append((first, [(rest, text)]))
        else:
            joined[1].append((rest, text))
    out: list[tuple[str, str]] = []  # (first piece, the alternative)
    for first, members in shared:
        if len(members) == 1:
            rest, text = members[0]
            out.append((first, first + "".join(rest) + ("()" if groups else "")))
            if groups:
                order.append(text)
        else:  # only a phrase's end has no rest, and no two phrases end alike
            inner, several = _alternation(members, groups, order)
            out.append((first, first + ("(?:" + inner + ")" if several else inner)))
    # Alternatives whose first pieces each need a different character can be tried in any
    # order, so a long run of them is split in halves behind a one-character look-ahead:
    # the engine then tries a handful, not hundreds, at each position.
    runs: list[list[tuple[str, str]]] = []
    for first, alternative in out:
        if first in _MAY_BE_EMPTY or not runs or runs[-1][0][0] in _MAY_BE_EMPTY:
            runs.append([(first, alternative)])
        else:
            runs[-1].append((first, alternative))
    parts = [
        _halves(run) if len(run) > _HALVES_FROM else "|".join(a for _, a in run) for run in runs
    ]
    return "|".join(parts), len(out) > 1


#: Runs of alternatives longer than this are split in halves behind a look-ahead.
_HALVES_FROM = 24


def _halves(run: list[tuple[str, str]]) -> str:
    """``run`` (first piece, alternative), whose first pieces rule each other out, as
    ``(?=[first characters of the first half])(?:first half)|(?![...])(?:second half)``."""
    if len(run) <= _HALVES_FROM:
        return "|".join(alternative for _, alternative in run)
    middle = len(run) // 2
    chars = "".join(_first_chars(first) for first, _ in run[:middle])
    return f"(?=[{chars}])(?:{_halves(run[:middle])})|(?![{chars}])(?:{_halves(run[middle:])})"


def _first_chars(piece: str) -> str:
    """The characters ``piece`` can start with, written for a character class."""
    if piece == _SPACE:
        return r"\s\-"
    if piece == _APOSTROPHE:
        return "'\u2019"
    return piece  # a literal, escaped by re.escape, so fit for a class too


def term_problem(term: str) -> str | None:
    """What stops a normalised term being used (see the module docstring), or None.

    The answer completes ``the term 'x' ...``: ``"must start with a letter or digit"``.
    """
    if not term or not _WORD_CHAR.match(term[0]):
        return "must start with a letter or digit"
    if len(term) > MAX_TERM_LENGTH:
        return f"is too long ({len(term)} characters; at most {MAX_TERM_LENGTH})"
    for n, char in enumerate(term):
        after = term[n + 1 : n + 2]
        if not char.isprintable():
            return f"has a character terms cannot use ({_code_point(char)})"
        if char == "*":
            if term[n - 1] == "*":
                return "has two * in a row: one * at the end of a word matches any ending"
            if not _WORD_CHAR.match(term[n - 1]):
                return "has a * that does not follow a letter or digit: a * may only end a word"
            if after == "*":
                continue  # reported as ** at the next character
            if after and _WORD_CHAR.match(after):
                return "has a * inside a word: a * may only end a word"
            if after == "-":  # a hyphen may match nothing, which would put * inside a word
                return "has a * followed by a hyphen: a * ends a word, so put a space after it"
        elif char in " -":
            if after in (" ", "-"):
                return "has two spaces or hyphens in a row: put one between words"
            if not after:
                return "ends with a hyphen"
    words = len(re.split(r"[ \-]", term))
    if words > MAX_TERM_WORDS:
        return f"has too many words ({words}; at most {MAX_TERM_WORDS})"
    return None


def normalise_term(term: str) -> str:
    """Lower-case a term and fold its white space, as the tagger sees it."""
    return " ".join(term.lower().replace("\u2019", "'").split())


def check_terms(
    terms: Iterable[object] | str,
    where: str,
    quote: Callable[[str], str] | None = None,
    none: str = "",
) -> tuple[str, ...]:
    """``terms`` normalised and checked against the term language, repeats dropped.

    The one check for terms, whether from a file or typed on What if?. Raises
    :class:`CodebookError` ``"<where>: the term <quoted> <problem>"`` for the first term
    outside the language; ``quote`` shows the term (``'x'`` by default). With ``none``,
    no terms at all raises ``"<where>: <none>"``. A string is one term, not its characters.
    """
    if isinstance(terms, str):
        terms = [terms]
    checked: list[str] = []
    for term in terms:
        norm = normalise_term(str(term))
        problem = term_problem(norm)
        if problem:
            shown = (quote or _shown_text)(_clip(_printable(str(term).strip())))
            raise CodebookError(f"{where}: the term {shown} {problem}")
        if norm not in checked:
            checked.append(norm)
    if none and not checked:
        raise CodebookError(f"{where}: {none}")
    return tuple(checked)


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
    total = len({phrase for theme in themes for phrase in (*theme.terms, *theme.exclude)})
    if total > MAX_TERMS:
        raise CodebookError(
            f"{prefix}{total:,} distinct terms and exclusions: "
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


# --- reading a file -----------------------------------------------------------------------------


def load_codebook(path: str | Path = BUNDLED_CODEBOOK) -> Codebook:
    """Read and validate a codebook TOML file (at most :data:`MAX_CODEBOOK_BYTES` bytes)."""
    path = Path(path)
    name = _shown_name(path.name)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CODEBOOK_BYTES + 1)
    except OSError as error:
        raise CodebookError(f"{name}: cannot read the codebook ({_one_line(error)})") from None
    if len(data) > MAX_CODEBOOK_BYTES:
        raise CodebookError(_too_large(name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CodebookError(f"{name}: cannot read the codebook ({_one_line(error)})") from None
    return parse_codebook(text, path.name)


def parse_codebook(text: str, name: str = "codebook") -> Codebook:
    """Validate codebook TOML text; errors name the file, the theme and the key, on one line."""
    shown = _shown_name(name)
    if len(text) > MAX_CODEBOOK_BYTES or len(_utf8(text)) > MAX_CODEBOOK_BYTES:
        raise CodebookError(_too_large(shown))
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise CodebookError(f"{shown}: not valid TOML (nested too deeply)") from None
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(f"{shown}: not valid TOML ({_one_line(error)})") from None
    except ValueError:  # tomllib lets int() refuse a number of thousands of digits
        raise CodebookError(f"{shown}: not valid TOML (a number too long to read)") from None
    _known_keys(data, _KEYS, shown)

    raw_themes = data.get("themes")
    if raw_themes is None or raw_themes == []:
        raise CodebookError(f"{shown}: no [[themes]] defined")
    if not isinstance(raw_themes, list):
        raise CodebookError(
            f"{shown}: themes must be [[themes]] tables (got {_shown_value(raw_themes)})"
        )
    _check_theme_count(len(raw_themes), f"{shown}: ")

    themes: list[Theme] = []
    for number, raw in enumerate(raw_themes, start=1):
        where = f"{shown}: theme {number}"
        if not isinstance(raw, dict):
            raise CodebookError(f"{where}: must be a table (got {_shown_value(raw)})")
        theme_id = raw.get("id")
        if not isinstance(theme_id, str) or not _ID.fullmatch(theme_id):
            raise CodebookError(
                f"{where}: id must be 1 to 40 lower-case letters, digits and _, starting with "
                f"a letter (got {_shown_value(theme_id)})"
            )
        where = f"{shown}: theme '{theme_id}'"
        _known_keys(raw, _THEME_KEYS, where)
        if theme_id in {theme.id for theme in themes}:
            raise CodebookError(f"{where}: id is used twice")
        label = _text(raw, "label", where, MAX_LABEL_LENGTH)
        colour = _colour(raw, "colour", where)
        definition = _text(raw, "definition", where, MAX_DEFINITION_LENGTH)
        terms = _terms(raw, "terms", where, none="must list at least one term")
        themes.append(
            Theme(
                id=theme_id,
                label=label,
                colour=colour,
                definition=definition,
                terms=terms,
                exclude=_terms(raw, "exclude", where, required=False),
            )
        )
    check_limits(themes, shown)

    tagging = _table(data, "tagging", shown)
    no_theme = _table(data, "no_theme", shown)
    return Codebook(
        themes=tuple(themes),
        version=_version(data, shown),
        title_weight=_number(tagging, "title_weight", 2.0, f"{shown}: [tagging]"),
        min_score=_number(tagging, "min_score", 1.0, f"{shown}: [tagging]"),
        text_weight=_number(tagging, "text_weight", 1.0, f"{shown}: [tagging]"),
        no_theme_label=_text(
            no_theme, "label", f"{shown}: [no_theme]", MAX_LABEL_LENGTH, "No theme"
        ),
        no_theme_colour=_colour(no_theme, "colour", f"{shown}: [no_theme]", "#8C8C8C"),
        source=name,
    )


def _table(data: dict, key: str, where: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: [{key}] must be a table (got {_shown_value(value)})")
    _known_keys(value, _TAGGING_KEYS if key == "tagging" else _NO_THEME_KEYS, f"{where}: [{key}]")
    return value


def _known_keys(table: dict, known: tuple[str, ...], where: str) -> None:
    """Refuse a key that is not one of ``known`` but looks like a misspelling of one: the
    same but for case, or one letter added, dropped, changed or swapped (``color``)."""
    misspelt = _misspellings(known)
    for key in table:
        if key in known:
            continue
        meant = misspelt.get(key.lower())
        if meant:
            raise CodebookError(
                f"{where}: unknown key {_shown_text(key)} (did you mean {meant!r}?)"
            )


@functools.cache
def _misspellings(known: tuple[str, ...]) -> dict[str, str]:
    """Every string one edit away from a known key (or equal to it), to the key."""
    letters = "abcdefghijklmnopqrstuvwxyz_-"
    out: dict[str, str] = {}
    for word in known:
        splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
        out.update(dict.fromkeys((a + b[1:] for a, b in splits if b), word))  # dropped
        out.update(dict.fromkeys((a + b[1] + b[0] + b[2:] for a, b in splits if b[1:]), word))
        out.update(dict.fromkeys((a + c + b[1:] for a, b in splits if b for c in letters), word))
        out.update(dict.fromkeys((a + c + b for a, b in splits for c in letters), word))
    out.update({word: word for word in known})
    return out


def _version(data: dict, where: str) -> str:
    value = data.get("version", "unversioned")
    if isinstance(value, bool) or not isinstance(
        value, str | int | float | datetime.date | datetime.time
    ):
        raise CodebookError(
            f"{where}: version must be text or a number (got {_shown_value(value)})"
        )
    text = " ".join(str(value).split())
    if not text:
        raise CodebookError(f"{where}: version is empty")
    if len(text) > MAX_LABEL_LENGTH:
        raise CodebookError(
            f"{where}: version is too long ({len(text)} characters; at most {MAX_LABEL_LENGTH})"
        )
    return text


def _text(raw: dict, key: str, where: str, limit: int, default: str | None = None) -> str:
    value = raw.get(key, default)
    if value is not None and not isinstance(value, str):
        raise CodebookError(f"{where}: {key} must be text (got {_shown_value(value)})")
    if value is None or not value.strip():
        raise CodebookError(f"{where}: {key} is missing or empty")
    text = " ".join(value.split()) if key == "definition" else value.strip()
    if len(text) > limit:
        raise CodebookError(
            f"{where}: {key} is too long ({len(text):,} characters; at most {limit:,})"
        )
    return text


def _colour(raw: dict, key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise CodebookError(f"{where}: {key} must be #RRGGBB (got {_shown_value(value)})")
    return value.upper()


def _terms(
    raw: dict, key: str, where: str, required: bool = True, none: str = ""
) -> tuple[str, ...]:
    value = raw.get(key, [] if not required else None)
    if not isinstance(value, list):
        raise CodebookError(f"{where}: {key} must be a list of strings (got {_shown_value(value)})")
    for number, term in enumerate(value, start=1):
        if not isinstance(term, str):
            raise CodebookError(
                f"{where}: {key} must be a list of strings (item {number} is {_shown_value(term)})"
            )
    _check_list_length(len(value), key, where)  # before reading each term
    return check_terms(value, f"{where}: {key}", none=none)


def _number(raw: dict, key: str, default: float, where: str) -> float:
    value = raw.get(key, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not _finite(value)
        or value < 0
    ):
        raise CodebookError(
            f"{where}: {key} must be a number of 0 or more (got {_shown_value(value)})"
        )
    return float(value)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


# --- showing bad input in a one-line message ----------------------------------------------------

_CLIP = 40


def _shown_value(value: object) -> str:
    """A short, one-line description of a TOML value, for a message."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return _shown_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**_CLIP else _CLIP + 1
        return str(value) if digits <= _CLIP else "a very long number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # a date or time


def _shown_text(text: str) -> str:
    """``text`` quoted, clipped and with anything unprintable escaped: ``'café'``."""
    return "'" + _clip(_printable(text)).replace("'", "\\'") + "'"


def _shown_name(name: str) -> str:
    """A file name fit for a one-line message: unprintable characters escaped, clipped."""
    return _clip(_printable(str(name)), 100)


def _one_line(error: object) -> str:
    return _printable(str(error))


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    return repr(char)[1:-1]  # \x00, \u200b, \n...


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _clip(text: str, limit: int = _CLIP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _too_large(name: str) -> str:
    return f"{name}: too large for a codebook (at most {MAX_CODEBOOK_BYTES:,} bytes)"
