"""Reading and writing a codebook file: TOML in, :class:`~analysis.codebook.Codebook` out, and back.

:func:`load_codebook` and :func:`parse_codebook` read and validate a file; :func:`codebook_toml`
writes one, its inverse: ``parse_codebook(codebook_toml(book))`` gives ``book`` back for any
codebook the parser made (apart from ``source``).

The file
--------

``version`` (text or a number), ``[tagging]`` (``title_weight``, ``min_score``:
numbers of 0 or more), ``[no_theme]`` (``label``, ``colour``) and one or more
``[[themes]]`` tables with ``id``, ``label``, ``colour`` (``#RRGGBB``),
``definition``, ``terms`` and, optionally, ``context_terms`` (terms that count only in a
post where one of the theme's ``terms`` is also found; none may also be under ``terms`` or
``exclude``) and ``exclude``. A key the codebook does not
know is ignored, unless it looks like a misspelt one (the same but for case, or one
letter added, dropped, changed or swapped: ``term``, ``color``, ``lable``), which is
refused with a suggestion.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import textwrap
import tomllib
from pathlib import Path

from analysis.codebook import (
    BUNDLED_CODEBOOK,
    MAX_CODEBOOK_BYTES,
    MAX_DEFINITION_LENGTH,
    MAX_LABEL_LENGTH,
    Codebook,
    Theme,
    _check_list_length,
    _check_theme_count,
    check_limits,
)
from analysis.codebook_terms import (
    _CLIP,
    CodebookError,
    _clip,
    _printable,
    _shown_text,
    check_terms,
)

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

_KEYS = ("version", "tagging", "no_theme", "themes")
_TAGGING_KEYS = ("title_weight", "min_score", "text_weight")
_NO_THEME_KEYS = ("label", "colour")
_THEME_KEYS = ("id", "label", "colour", "definition", "terms", "context_terms", "exclude")

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
        exclude = _terms(raw, "exclude", where, required=False)
        context = _terms(raw, "context_terms", where, required=False)
        for term in context:
            for key, listed in (("terms", terms), ("exclude", exclude)):
                if term in listed:
                    raise CodebookError(
                        f"{where}: context_terms: the term {_shown_text(term)} is also "
                        f"under {key}: list it once"
                    )
        themes.append(
            Theme(
                id=theme_id,
                label=label,
                colour=colour,
                definition=definition,
                terms=terms,
                exclude=exclude,
                context_terms=context,
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


def _shown_name(name: str) -> str:
    """A file name fit for a one-line message: unprintable characters escaped, clipped."""
    return _clip(_printable(str(name)), 100)


def _one_line(error: object) -> str:
    return _printable(str(error))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _too_large(name: str) -> str:
    return f"{name}: too large for a codebook (at most {MAX_CODEBOOK_BYTES:,} bytes)"


# --- writing a file -----------------------------------------------------------------------------


#: Line width the TOML writer wraps definitions and term lists to.
TOML_WIDTH = 96

_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}

_TOML_INTRO = """\
# Anchor Themes codebook: the themes a post can be tagged with.
#
# Theme order here is the order everywhere: legends, tables, the CLI's columns.
#
"""

_TOML_TERMS = """\
#
# How to write a term:
#   - "apprentice*"      a trailing * matches any word ending (apprentice, apprenticeships)
#   - "living wage"      a phrase; spaces also match hyphens and line breaks
#   - "anti-racis*"      a hyphen also matches a space or nothing (anti-racism, anti racist)
#   - "guy's"            straight and typographic apostrophes match each other
# A * may only end a word ("job-seeker*", not "job*seeker*"); a term has at most 60
# characters and 8 words.
"""


def toml_header(codebook: Codebook) -> str:
    """The comment at the top of a written codebook: what it is, its method
    (:attr:`~analysis.codebook.Codebook.method`, wrapped) and the term language."""
    method = " ".join(_printable(codebook.method).split())  # a comment holds no control character
    lines = textwrap.wrap(method, TOML_WIDTH - 2, break_on_hyphens=False)
    return _TOML_INTRO + "".join(f"# {line}\n" for line in lines) + _TOML_TERMS


def codebook_toml(codebook: Codebook) -> str:
    """The codebook as TOML in the layout of ``data/codebook.toml``, ready to load again.

    A header (:func:`toml_header`), ``version``, then ``[tagging]`` (``title_weight``,
    ``min_score``, ``text_weight``), ``[no_theme]`` (``label``, ``colour``) and one ``[[themes]]`` table per theme (``id``, ``label``,
    ``colour``, ``definition``, ``terms``, ``context_terms`` when it has any, ``exclude``). Strings are escaped for TOML
    (quotes, backslashes, control characters), so any text survives: for a codebook
    that came from :func:`parse_codebook`,
    ``parse_codebook(codebook_toml(codebook))`` gives it back, apart from ``source``.
    (``parse_codebook`` tidies labels, definitions and terms, so a codebook built by
    hand comes back in that tidied form.) Long definitions are wrapped with TOML's
    line-ending backslash, which does not change their text.
    """
    lines = [
        toml_header(codebook),
        f"version = {toml_string(codebook.version)}",
        "",
        "[tagging]",
        "# A term in the title counts this many times a term in the summary.",
        f"title_weight = {_toml_float(codebook.title_weight)}",
        "# The score a post needs to get a theme (see the method above).",
        f"min_score = {_toml_float(codebook.min_score)}",
        "# A term in a post's full text counts this many times a term in the summary.",
        f"text_weight = {_toml_float(codebook.text_weight)}",
        "",
        "[no_theme]",
        f"label = {toml_string(codebook.no_theme_label)}",
        f"colour = {toml_string(codebook.no_theme_colour)}",
    ]
    for theme in codebook.themes:
        lines += [
            "",
            "[[themes]]",
            f"id = {toml_string(theme.id)}",
            f"label = {toml_string(theme.label)}",
            f"colour = {toml_string(theme.colour)}",
            _toml_long_string("definition", theme.definition),
            _toml_array("terms", theme.terms),
            *([_toml_array("context_terms", theme.context_terms)] if theme.context_terms else []),
            _toml_array("exclude", theme.exclude),
        ]
    return "\n".join(lines) + "\n"


def toml_string(text: str) -> str:
    """``text`` as a one-line TOML basic string, quoted, with every character TOML needs escaped.

    Quotes and backslashes are escaped, as are control characters (``\\n``, ``\\t``...
    or ``\\uXXXX``); every other character, typographic quotes and emoji included,
    is written as it is (the file is UTF-8).
    """
    return '"' + _toml_escape(text) + '"'


def _toml_escape(text: str) -> str:
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _toml_float(value: float) -> str:
    return repr(float(value))  # "2.0", "0.5", "1e-05", "inf": all valid TOML floats


def _toml_long_string(key: str, text: str) -> str:
    """``key = "text"`` on one line, or as a multi-line string wrapped at spaces if too long.

    A line ends in a space and TOML's line-ending backslash, which drops the line
    break and the white space after it; so lines break only before a non-space, and
    the text read back is exactly ``text``.
    """
    escaped = _toml_escape(text)
    one_line = f'{key} = "{escaped}"'
    pieces = re.findall(r" *[^ ]+ *", escaped)  # each ends in its spaces; the next starts after
    if len(one_line) <= TOML_WIDTH or len(pieces) < 2 or "".join(pieces) != escaped:
        return one_line
    lines, line = [], f'{key} = """'
    for piece in pieces:
        if line.strip() and not line.endswith('"""') and len(line) + len(piece) + 1 > TOML_WIDTH:
            lines.append(line + "\\")
            line = ""
        line += piece
    lines.append(line + '"""')
    return "\n".join(lines)


def _toml_array(key: str, items: tuple[str, ...]) -> str:
    """``key = [...]``: on one line if it fits, else two-space-indented lines of items."""
    quoted = [toml_string(item) for item in items]
    one_line = f"{key} = [{', '.join(quoted)}]"
    if len(one_line) <= TOML_WIDTH:
        return one_line
    lines, line = [f"{key} = ["], "  "
    for item in quoted:
        if line.strip() and len(line) + len(item) + 1 > TOML_WIDTH:
            lines.append(line.rstrip())
            line = "  "
        line += item + ", "
    lines.append(line.rstrip())
    lines.append("]")
    return "\n".join(lines)
