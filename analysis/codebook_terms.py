"""The term language of a codebook: how a term is written, checked and compiled.

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

Limits: a term has at most :data:`MAX_TERM_LENGTH` characters and :data:`MAX_TERM_WORDS`
words (pieces between spaces and hyphens); a theme lists at most
:data:`~analysis.codebook.MAX_THEME_TERMS` terms and as many context terms and as many
exclusions; a codebook has at most :data:`~analysis.codebook.MAX_THEMES` themes,
:data:`~analysis.codebook.MAX_TERMS` distinct terms, context terms and exclusions in all, and
its file
at most :data:`~analysis.codebook.MAX_CODEBOOK_BYTES` bytes. Anything else raises
:class:`CodebookError` with a one-line message naming the file, the theme and the key,
or the term as typed.

Matching cannot backtrack. Each piece compiles to a regular expression that makes one
choice and keeps it: ``*`` is ``\\w*+``, a space ``[\\s\\-]++`` and a hyphen
``[\\s\\-]?+`` (possessive: they never give back what they took). Giving back could
never help, because what follows a ``*`` can never start with a word character and what
follows a space or a hyphen can never start with white space or a hyphen, so these match
exactly what the greedy forms would, with no second tries. All terms and exclusions are
compiled into one regular expression (:meth:`~analysis.codebook.Codebook.pattern`), a
tree of shared beginnings inside an atomic group, where a one-character look-ahead picks
which half of a long list of alternatives to try. The time to scan a text grows in step
with the text's length whatever the terms, and the limits bound the work per
character (``bench/terms.py`` measures it).

Where phrases overlap, the one starting first wins, and at the same start the
longest term wins (ties alphabetical), so an exclusion such as ``benefits of``
stops ``benefits`` counting.

The model that uses it is :mod:`analysis.codebook`, which also offers these names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

#: Characters per term: the bundled codebook's longest has 38.
MAX_TERM_LENGTH = 60
#: Words per term (pieces between spaces and hyphens): the bundled longest has 4. It bounds
#: how many words of a text one try of a term can read.
MAX_TERM_WORDS = 8

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


class CodebookError(ValueError):
    """A codebook file that cannot be used; the message names the file and the problem."""


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


# --- showing bad input in a one-line message ----------------------------------------------------

_CLIP = 40


def _shown_text(text: str) -> str:
    """``text`` quoted, clipped and with anything unprintable escaped: ``'café'``."""
    return "'" + _clip(_printable(text)).replace("'", "\\'") + "'"


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
