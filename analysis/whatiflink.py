"""What if? edits in a link: a short query parameter that rebuilds the edited codebook.

The What if? page edits the file's codebook in memory (:mod:`analysis.whatif`); so that a
copied link reproduces the edited charts in a fresh browser, :func:`encode` writes the
difference between the file's codebook and the edited one as one parameter value, and
:func:`decode` rebuilds the edited codebook from it. The value lists, separated by ``;``:

- an edited theme of the file as ``id:+term,+term,-term`` (terms added, terms removed;
  ``~term`` and ``^term`` for context terms added and removed; ``!phrase`` and ``=phrase``
  for exclusions added and removed);
- a theme added in the workshop as ``+Label:term,term`` (then ``id:~term,!phrase`` for its
  context terms and exclusions).

For example ``workforce:+employ*;+Procurement:procure*,supply chain*``. The characters
``% ; : , +`` inside a label or term are percent-escaped, so any label survives.

The value comes from a link, so it is untrusted: :func:`decode` reads at most
:data:`MAX_VALUE` characters, rebuilds each part with the same functions the page uses
(every term goes through the codebook's term checks, every edit through its limits) and
skips a part it cannot use with a note for :func:`analysis.viewstate.notice`.
:func:`fit` keeps a link within :data:`MAX_LINK` characters by leaving the edits out, and
says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from analysis.codebook import Codebook, CodebookError, Theme, normalise_term
from analysis.formatting import clip
from analysis.viewstate import link
from analysis.whatif import (
    add_context_terms,
    add_exclusions,
    add_theme,
    remove_context_terms,
    remove_exclusions,
    set_terms,
)

#: The query parameter that carries the edits.
PARAM = "whatif"
#: The longest link shared: many mail clients, chat tools and browsers cut longer ones.
MAX_LINK = 2_000
#: The longest parameter value read from a link; anything longer is ignored, unread.
MAX_VALUE = MAX_LINK
#: The most parts (edited or added themes) read from one value.
MAX_PARTS = 60

_ESCAPES = {
    "%": "%25",
    ";": "%3B",
    ":": "%3A",
    ",": "%2C",
    "+": "%2B",
    "~": "%7E",
    "^": "%5E",
    "!": "%21",
    "=": "%3D",
}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def _split_kept(base: Theme, terms: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The base terms an edit removed, and the terms it added (in the edited order).

    The edited list is read as the longest run at its start that keeps the base terms'
    order, then everything else; so applying "remove, then append" gives it back exactly.
    """
    return _split_list(base.terms, terms)


def _split_list(base: tuple[str, ...], edited: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """:func:`_split_kept` for any list (terms, exclusions): removed, then added."""
    kept: list[str] = []
    position = 0
    for term in edited:
        try:
            found = base.index(term, position)
        except ValueError:
            break
        kept.append(term)
        position = found + 1
    removed = [term for term in base if term not in kept]
    return removed, list(edited[len(kept) :])


def encode(base: Codebook, edited: Codebook | None) -> str:
    """The edits from ``base`` to ``edited`` as a parameter value ('' for none)."""
    if edited is None:
        return ""
    before = {theme.id: theme for theme in base.themes}
    parts = []
    for theme in edited.themes:
        old = before.get(theme.id)
        if old is None:
            terms = ",".join(_escape(term) for term in theme.terms)
            parts.append(f"+{_escape(theme.label)}:{terms}")
            extra = [f"~{_escape(term)}" for term in theme.context_terms]
            extra += [f"!{_escape(phrase)}" for phrase in theme.exclude]
            parts += [f"{theme.id}:{','.join(extra)}"] if extra else []
            continue
        removed, added = _split_kept(old, theme.terms)
        changes = [f"+{_escape(t)}" for t in added] + [f"-{_escape(t)}" for t in removed]
        changes += [f"~{_escape(t)}" for t in theme.context_terms if t not in old.context_terms]
        changes += [f"^{_escape(t)}" for t in old.context_terms if t not in theme.context_terms]
        unexcluded, excluded = _split_list(old.exclude, theme.exclude)
        changes += [f"={_escape(p)}" for p in unexcluded] + [f"!{_escape(p)}" for p in excluded]
        if changes:
            parts.append(f"{theme.id}:{','.join(changes)}")
    return ";".join(parts)


def decode(base: Codebook, value: str) -> tuple[Codebook | None, list[str]]:
    """The codebook ``value`` describes, built from ``base``, and a note per part skipped.

    None when nothing usable is left (the file's codebook is then in use). Parts are
    applied in order; a part that names an unknown theme, holds a term outside the term
    language, or would break the codebook's limits is skipped whole, and the others kept.
    """
    value = value or ""
    if len(value) > MAX_VALUE:
        return None, [f"{PARAM}: edits longer than {MAX_VALUE:,} characters (not read)"]
    notes: list[str] = []
    codebook = base
    parts = [part for part in value.split(";") if part.strip()]
    if len(parts) > MAX_PARTS:
        notes.append(f"{PARAM}: more than {MAX_PARTS} edits (the rest not read)")
        parts = parts[:MAX_PARTS]
    for part in parts:
        head, colon, body = part.partition(":")
        shown = clip(unquote(part))
        if not colon:
            notes.append(f"{PARAM}: {shown} (not an edit)")
            continue
        pieces = [unquote(piece) for piece in body.split(",") if piece.strip()]
        try:
            if head.startswith("+"):
                codebook = add_theme(codebook, unquote(head[1:]), pieces)
            else:
                codebook = _edit_terms(codebook, unquote(head), pieces)
        except CodebookError as error:
            notes.append(f"{PARAM}: {shown} ({error})")
    if codebook is base:
        return None, notes
    return codebook, notes


def _edit_terms(codebook: Codebook, theme_id: str, pieces: list[str]) -> Codebook:
    """``codebook`` with theme ``theme_id``'s ``-term`` pieces removed and ``+term`` ones added,
    then its ``~term`` context terms added and ``^term`` ones removed, then its ``=phrase``
    exclusions removed and ``!phrase`` ones added."""
    if theme_id not in codebook.ids:
        raise CodebookError("not a theme here")
    if not pieces or any(piece[:1] not in "+-~^!=" for piece in pieces):
        raise CodebookError("each term needs a + or a - in front")
    removed = {normalise_term(piece[1:]) for piece in pieces if piece.startswith("-")}
    added = [piece[1:] for piece in pieces if piece.startswith("+")]
    kept = [term for term in codebook.theme(theme_id).terms if term not in removed]
    codebook = set_terms(codebook, theme_id, [*kept, *added])
    if context := [piece[1:] for piece in pieces if piece.startswith("~")]:
        codebook = add_context_terms(codebook, theme_id, context)
    dropped = {normalise_term(piece[1:]) for piece in pieces if piece.startswith("^")}
    if dropped := dropped & set(codebook.theme(theme_id).context_terms):
        codebook = remove_context_terms(codebook, theme_id, dropped)
    unexcluded = {normalise_term(piece[1:]) for piece in pieces if piece.startswith("=")}
    if unexcluded := unexcluded & set(codebook.theme(theme_id).exclude):
        codebook = remove_exclusions(codebook, theme_id, unexcluded)
    if excluded := [piece[1:] for piece in pieces if piece.startswith("!")]:
        codebook = add_exclusions(codebook, theme_id, excluded)
    return codebook


def fit(base_url: str, params: Mapping[str, list[str] | str], edits: str) -> tuple[dict, str]:
    """``params`` with the edits added when the link stays within :data:`MAX_LINK`
    characters; else without them, and a note saying so ('' when they fit or are none)."""
    params = {key: value for key, value in params.items() if key != PARAM}
    if not edits:
        return params, ""
    with_edits = {**params, PARAM: edits}
    if len(link(base_url, with_edits)) <= MAX_LINK:
        return with_edits, ""
    return params, (
        f"The What if? edits are not in this link: with them it would be longer than "
        f"{MAX_LINK:,} characters, too long to share safely. Whoever opens it sees the "
        "file's codebook; download the edited codebook to share the edits."
    )
