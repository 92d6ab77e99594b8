"""What if? Editing a codebook in memory during a workshop, and saying what changed.

A facilitator asks the room "what if we counted procurement as workforce?" and
tries it: :func:`add_terms`, :func:`remove_terms`, :func:`add_context_terms` (terms that
count only alongside one of the theme's own), :func:`remove_context_terms`,
:func:`add_exclusions`, :func:`remove_exclusions` (phrases the theme excludes) and :func:`add_theme` each
return a new :class:`~analysis.codebook.Codebook` (codebooks are frozen, so the
one they start from is never changed, and nothing is written to disk).
:func:`parse_terms` splits what the facilitator typed into terms.

Every edited codebook keeps the file's tagging settings (``title_weight``,
``min_score``, ``text_weight``, the no-theme label and colour) and its ``source``, and gets the
version ``<file version>+what-if``, so charts, downloads and reports say
plainly that they came from an edited codebook.

Edits are checked as :func:`~analysis.codebook.parse_codebook` checks a file, by
the same functions: terms by :func:`~analysis.codebook.check_terms` (normalised,
and within the term language: a ``*`` only at the end of a word, and so on), and
the edited codebook by :func:`~analysis.codebook.check_limits` (terms per theme,
terms in all, themes). Anything unusable raises
:class:`~analysis.codebook.CodebookError` with a one-line message fit to show the
room, naming the theme and the term as typed.

:func:`compare` then says, theme by theme, which posts gained or lost the
theme (:class:`ThemeChange`), :func:`change_table` lists them by title, and
:func:`edits` describes the term edits in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from analysis.codebook import NO_THEME, Codebook, CodebookError, Theme, check_limits, check_terms
from analysis.filenames import slug
from analysis.formatting import agree, count, names, safe_url

#: Appended to the file's version once a codebook has been edited here.
VERSION_SUFFIX = "+what-if"

#: Colours for new themes, tried in order; the first not already used by a theme (or by
#: "no theme") is taken. First the Okabe–Ito colours the bundled codebook leaves spare
#: (sky blue, vermilion, yellow, black), then, as a fallback, Paul Tol's colour-blind-safe
#: "muted" scheme (indigo, cyan, teal, green, olive, sand, rose, wine, purple). When every
#: one is taken, colours are reused in the same order (see :func:`new_colour`).
SPARE_COLOURS = ("#56B4E9", "#D55E00", "#F0E442", "#000000")
FALLBACK_COLOURS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)

#: The longest label a new theme may have, so tabs, legends and tables stay readable.
MAX_LABEL = 60

#: Labels a new theme may not have (compared without regard to case), besides the existing
#: themes' and the no-theme label: tables put theme labels beside a ``Theme`` column.
RESERVED_LABELS = ("Theme",)

#: A new theme's definition, before its terms.
DEFINITION_PREFIX = "Added in a workshop: "

_SEPARATORS = re.compile(r"[,;\r\n]+")


# --- reading what the facilitator typed ---------------------------------------------------------


def parse_terms(text: str) -> list[str]:
    """Split typed text into terms on commas, semicolons and new lines.

    Pieces are trimmed and empty ones dropped, so ``"procure*, supply chain*;;"``
    gives ``["procure*", "supply chain*"]`` and ``" , ; "`` gives ``[]``. Terms are
    not otherwise changed or checked here: the edit functions do that.
    """
    return [piece.strip() for piece in _SEPARATORS.split(text or "") if piece.strip()]


def _checked_terms(terms: Iterable[str], where: str, none: str) -> list[str]:
    """``terms`` normalised and checked by :func:`~analysis.codebook.check_terms`, as a
    file's are, quoted for the room; ``none`` says what to do when there are none."""
    return list(check_terms(terms, where, quote=_quoted, none=none))


# --- editing a codebook -------------------------------------------------------------------------


def whatif_version(version: str) -> str:
    """``version`` marked as edited here: ``2026.11.1`` becomes ``2026.11.1+what-if`` (once)."""
    return version if version.endswith(VERSION_SUFFIX) else version + VERSION_SUFFIX


def _edited(codebook: Codebook, themes: Iterable[Theme]) -> Codebook:
    """``codebook`` with ``themes`` and the what-if version; every other setting kept.

    Raises :class:`CodebookError` when the edit would go past the codebook's limits.
    """
    themes = tuple(themes)
    check_limits(themes)
    return replace(codebook, themes=themes, version=whatif_version(codebook.version))


def _theme(codebook: Codebook, theme_id: str) -> Theme:
    try:
        return codebook.theme(theme_id)
    except KeyError:
        raise CodebookError(f"The codebook has no theme with the id {_quoted(theme_id)}") from None


def add_terms(codebook: Codebook, theme_id: str, terms: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` also lists ``terms``.

    Terms are normalised (lower case, white space folded) and must each be within the
    term language (:mod:`analysis.codebook`: start with a letter or digit, a ``*`` only
    at the end of a word...); terms the theme already lists, and repeats, are ignored,
    and new ones go after the theme's own. Raises :class:`CodebookError` for an unknown
    theme, an unusable term, no terms at all, or a theme or codebook past its limits.
    """
    theme = _theme(codebook, theme_id)
    checked = _checked_terms(terms, theme.label, "type at least one term to add")
    new = [term for term in checked if term not in theme.terms]
    context = tuple(term for term in theme.context_terms if term not in new)
    edited = replace(theme, terms=(*theme.terms, *new), context_terms=context)
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def add_context_terms(codebook: Codebook, theme_id: str, terms: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` also lists ``terms`` as context
    terms: they count only in a post where one of the theme's own terms is also found.

    Terms are checked as in :func:`add_terms`. One of the theme's own terms becomes a
    context term (so a broad word such as "housing" no longer tags a post on its own); one
    it excludes is refused; repeats are ignored. Raises :class:`CodebookError` as
    :func:`add_terms` does, and when no term of its own would be left to the theme.
    """
    theme = _theme(codebook, theme_id)
    checked = _checked_terms(terms, theme.label, "type at least one context term to add")
    excluded = [term for term in checked if term in theme.exclude]
    if excluded:
        raise CodebookError(
            f"{theme.label}: {_listed(excluded)} is excluded, so cannot be a context term"
        )
    kept = tuple(term for term in theme.terms if term not in checked)
    if not kept:
        raise CodebookError(
            f"{theme.label}: cannot make every term a context term: a context term counts "
            "only alongside one of the theme's terms"
        )
    new = [term for term in checked if term not in theme.context_terms]
    edited = replace(theme, terms=kept, context_terms=(*theme.context_terms, *new))
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def remove_context_terms(codebook: Codebook, theme_id: str, terms: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` no longer lists ``terms`` as context
    terms. Raises :class:`CodebookError` for an unknown theme, no terms, or a term that is
    not one of the theme's context terms."""
    theme = _theme(codebook, theme_id)
    gone = _checked_terms(terms, theme.label, "choose at least one context term to remove")
    missing = [term for term in gone if term not in theme.context_terms]
    if missing:
        raise CodebookError(f"{theme.label}: there is no context term {_listed(missing)} to remove")
    kept = tuple(term for term in theme.context_terms if term not in gone)
    edited = replace(theme, context_terms=kept)
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def add_exclusions(codebook: Codebook, theme_id: str, phrases: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` also lists ``phrases`` under exclude
    (a post's match inside an excluded phrase does not count for the theme).

    Phrases are checked and normalised as :func:`add_terms` checks terms; phrases already
    excluded, and repeats, are ignored, and new ones go after the theme's own. Raises
    :class:`CodebookError` for an unknown theme, an unusable phrase or no phrase at all.
    """
    theme = _theme(codebook, theme_id)
    # check_terms's own quoting, as the suggestions' exclusions have always said it
    checked = check_terms(list(phrases), theme.label, none="choose a phrase to exclude")
    new = tuple(dict.fromkeys(p for p in checked if p not in theme.exclude))
    edited = replace(theme, exclude=(*theme.exclude, *new))
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def remove_exclusions(codebook: Codebook, theme_id: str, phrases: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` no longer excludes ``phrases``.

    Raises :class:`CodebookError` for an unknown theme, no phrase, or a phrase the theme
    does not exclude.
    """
    theme = _theme(codebook, theme_id)
    gone = _checked_terms(phrases, theme.label, "choose at least one exclusion to remove")
    missing = [p for p in gone if p not in theme.exclude]
    if missing:
        raise CodebookError(f"{theme.label}: there is no exclusion {_listed(missing)} to remove")
    edited = replace(theme, exclude=tuple(p for p in theme.exclude if p not in gone))
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def remove_terms(codebook: Codebook, theme_id: str, terms: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` no longer lists ``terms``.

    Terms are normalised as in :func:`add_terms`; repeats are ignored. Raises
    :class:`CodebookError` for an unknown theme, no terms, a term the theme does not
    list, or an edit that would leave the theme with no term (a theme needs at least one).
    """
    theme = _theme(codebook, theme_id)
    gone = _checked_terms(terms, theme.label, "choose at least one term to remove")
    missing = [term for term in gone if term not in theme.terms]
    if missing:
        listed = ", ".join(_quoted(term) for term in missing)
        raise CodebookError(f"{theme.label}: there is no term {listed} to remove")
    kept = tuple(term for term in theme.terms if term not in gone)
    if not kept:
        raise CodebookError(
            f"{theme.label}: cannot remove every term: a theme needs at least one term"
        )
    edited = replace(theme, terms=kept)
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def set_terms(codebook: Codebook, theme_id: str, terms: Iterable[str]) -> Codebook:
    """A copy of ``codebook`` in which theme ``theme_id`` lists exactly ``terms``, in order.

    For rebuilding an edit from a link (:mod:`analysis.whatiflink`): terms are checked and
    normalised as in :func:`add_terms`, repeats dropped. Raises :class:`CodebookError` for an
    unknown theme, no terms at all, or a theme or codebook past its limits.
    """
    theme = _theme(codebook, theme_id)
    checked = _checked_terms(terms, theme.label, "a theme needs at least one term")
    context = tuple(term for term in theme.context_terms if term not in checked)
    edited = replace(theme, terms=tuple(checked), context_terms=context)
    return _edited(codebook, (edited if t.id == theme_id else t for t in codebook.themes))


def new_theme_id(label: str) -> str:
    """The id for a theme labelled ``label``: a lower-case ASCII slug with underscores.

    Accents are dropped (é → e), apostrophes vanish, every other run of characters
    that is not a letter or digit becomes one ``_``: ``"Supply chain & procurement"``
    gives ``"supply_chain_procurement"``. An id must start with a letter (as the
    codebook file requires), so one that would start with a digit gets ``theme_`` in
    front (``"2030 goals"`` gives ``"theme_2030_goals"``). '' when nothing usable is left.
    """
    theme_id = slug(label, sep="_")
    return f"theme_{theme_id}" if theme_id[:1].isdigit() else theme_id


def new_colour(codebook: Codebook) -> str:
    """The colour for a theme added to ``codebook``.

    The first of :data:`SPARE_COLOURS`, then :data:`FALLBACK_COLOURS`, that no theme
    (nor "no theme") uses yet, compared without regard to case. Should all thirteen be
    taken, they are reused in order, one per theme beyond the thirteenth.
    """
    palette = (*SPARE_COLOURS, *FALLBACK_COLOURS)
    used = {colour.upper() for colour in codebook.series_colours.values()}
    spare = [colour for colour in palette if colour.upper() not in used]
    return spare[0] if spare else palette[len(codebook.themes) % len(palette)]


def add_theme(
    codebook: Codebook, label: str, terms: Iterable[str], definition: str = ""
) -> Codebook:
    """A copy of ``codebook`` with a new theme after the existing ones.

    Its id comes from the label (:func:`new_theme_id`), its colour from :func:`new_colour`,
    and its definition, when none is given, is ``"Added in a workshop: "`` followed by
    its terms. White space in the label and definition is folded. Raises
    :class:`CodebookError` when the label is empty, too long (over :data:`MAX_LABEL`
    characters), gives no usable id, or clashes with an existing theme's id or label, the
    no-theme label or id (``none``) or a :data:`RESERVED_LABELS` one; and for terms as
    :func:`add_terms` does.
    """
    label = " ".join(str(label).split())
    if not label:
        raise CodebookError("A new theme needs a label")
    if len(label) > MAX_LABEL:
        raise CodebookError(
            f"The label {_quoted(label)} is too long (at most {MAX_LABEL} characters)"
        )
    new_id = new_theme_id(label)
    if not new_id:
        raise CodebookError(
            f"The label {_quoted(label)} needs at least one letter (a to z) or digit, "
            "to make the theme's id"
        )
    taken = {text.casefold() for text in (*codebook.series_labels.values(), *RESERVED_LABELS)}
    if label.casefold() in taken:
        raise CodebookError(
            f"The label {_quoted(label)} is already in use or reserved: choose another label"
        )
    if new_id in codebook.ids:
        clash = codebook.theme(new_id).label
        raise CodebookError(
            f"The label {_quoted(label)} gives the id {_quoted(new_id)}, which the theme "
            f"{_quoted(clash)} already has: choose another label"
        )
    if new_id == NO_THEME:
        raise CodebookError(
            f"The label {_quoted(label)} gives the id {_quoted(NO_THEME)}, kept for posts "
            "with no theme: choose another label"
        )
    checked = _checked_terms(terms, label, "type at least one term for the new theme")
    theme = Theme(
        id=new_id,
        label=label,
        colour=new_colour(codebook),
        definition=" ".join(definition.split()) or DEFINITION_PREFIX + ", ".join(checked),
        terms=tuple(checked),
    )
    return _edited(codebook, (*codebook.themes, theme))


# --- what changed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeChange:
    """How one theme's posts changed between two codebooks.

    ``gained`` are the ids of posts tagged with the theme after the edit but not
    before, ``lost`` those tagged before but not after, both in the posts' order.
    ``new_theme`` marks a theme only the edited codebook has, ``removed_theme`` one
    only the original has.
    """

    id: str
    label: str
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    new_theme: bool = False
    removed_theme: bool = False

    @property
    def changed(self) -> bool:
        """Whether any post gained or lost the theme."""
        return bool(self.gained or self.lost)

    @property
    def summary(self) -> str:
        """One line for the room: ``Workforce: +3 posts, −1 post`` (a typographic minus).

        Only the non-zero parts are given; ``Workforce: no change`` when there are
        none. A new theme reads ``Procurement (new theme): +2 posts`` (``no posts`` when
        it tags none), a removed one ``Procurement (removed): −2 posts``.
        """
        parts = []
        if self.gained:
            parts.append("+" + count(len(self.gained)))
        if self.lost:
            parts.append("\u2212" + count(len(self.lost)))
        note = " (new theme)" if self.new_theme else " (removed)" if self.removed_theme else ""
        nothing = "no posts" if self.new_theme else "no change"
        return f"{self.label}{note}: {', '.join(parts) or nothing}"


def _column(tags: pd.DataFrame, theme: str, index: pd.Index) -> pd.Series:
    """``tags[theme]`` as booleans over ``index``; all False when the theme is not there."""
    if theme not in tags.columns:
        return pd.Series(False, index=index)
    return tags[theme].reindex(index, fill_value=False).fillna(False).astype(bool)


def compare(
    posts: pd.DataFrame,
    before_tags: pd.DataFrame,
    after_tags: pd.DataFrame,
    before_codebook: Codebook,
    after_codebook: Codebook,
) -> list[ThemeChange]:
    """One :class:`ThemeChange` per theme: those of ``after_codebook`` in its order, then
    any that only ``before_codebook`` has, in its order.

    ``before_tags`` and ``after_tags`` are boolean tables indexed like ``posts`` (which
    needs an ``id`` column), one column per theme id, as
    :attr:`analysis.corpus.Corpus.tags`. A theme missing from a table counts as on no post.
    """
    ids = posts["id"].astype(str)
    after_ids = set(after_codebook.ids)
    themes = [
        *((theme, False) for theme in after_codebook.themes),
        *((theme, True) for theme in before_codebook.themes if theme.id not in after_ids),
    ]
    changes = []
    for theme, removed in themes:
        before = _column(before_tags, theme.id, posts.index)
        after = _column(after_tags, theme.id, posts.index)
        changes.append(
            ThemeChange(
                id=theme.id,
                label=theme.label,
                gained=tuple(ids[after & ~before]),
                lost=tuple(ids[before & ~after]),
                new_theme=not removed and theme.id not in before_codebook.ids,
                removed_theme=removed,
            )
        )
    return changes


def change_table(posts: pd.DataFrame, change: ThemeChange) -> pd.DataFrame:
    """The posts that gained or lost a theme: ``Change`` (``Gained``/``Lost``) and ``Title``.

    Gained posts first, each group in the posts' order; ``posts`` needs ``id`` and
    ``title`` columns (and a ``url`` column, when it has one, becomes ``Link``: http(s)
    addresses only). Show it
    with ``st.dataframe``, which displays titles as plain text.
    """
    ids = posts["id"].astype(str)
    rows = []
    for label, chosen in (("Gained", change.gained), ("Lost", change.lost)):
        picked = posts[ids.isin(chosen)]
        rows.append(
            pd.DataFrame(
                {
                    "Change": label,
                    "Title": picked["title"].astype(str),
                    **({"Link": picked["url"].map(safe_url)} if "url" in posts.columns else {}),
                }
            )
        )
    columns = ["Change", "Title", *(["Link"] if "url" in posts.columns else [])]
    return pd.concat(rows, ignore_index=True).reindex(columns=columns)


def _quoted(term: str) -> str:
    return f"\u201c{term}\u201d"


def _listed(terms: Iterable[str]) -> str:
    return ", ".join(map(_quoted, terms))


def edits(before_codebook: Codebook, after_codebook: Codebook) -> list[str]:
    """The term edits from ``before_codebook`` to ``after_codebook``, one line each.

    In the edited codebook's order: ``Workforce: added “procurement”``,
    ``Workforce: removed “skills”`` (several terms are listed in one line, comma
    separated), ``New theme Procurement: “procure*”, “supply chain*”``; then
    ``Removed theme Procurement`` for a theme only the original has. Context terms:
    ``Health justice: “housing” now counts only alongside a term`` (a term made a context
    term), ``... now counts on its own`` (the other way), ``Health justice: added context
    term “rent”`` and ``removed context term “rent”``; a new theme's line ends
    ``; context “housing”``. Exclusions: ``Workforce: added exclusion “staff room”`` and
    ``removed exclusion “staff room”`` (a new theme's line ends ``; excludes “x”``). [] when
    the two codebooks list the same terms, context terms and exclusions.
    """
    lines = []
    before = {theme.id: theme for theme in before_codebook.themes}
    for theme in after_codebook.themes:
        old = before.get(theme.id)
        if old is None:
            context = f"; context {_listed(theme.context_terms)}" if theme.context_terms else ""
            excludes = f"; excludes {_listed(theme.exclude)}" if theme.exclude else ""
            lines.append(f"New theme {theme.label}: {_listed(theme.terms)}{context}{excludes}")
            continue
        terms, context = set(theme.terms), set(theme.context_terms)
        old_terms, old_context = set(old.terms), set(old.context_terms)
        for order, chosen, line in (
            (theme.terms, terms - old_terms - old_context, "added {}"),
            (old.terms, old_terms - terms - context, "removed {}"),
            (theme.context_terms, old_terms & context, "{} now {counts} only alongside a term"),
            (theme.terms, old_context & terms, "{} now {counts} on {its} own"),
            (theme.context_terms, context - old_context - old_terms, "added context {term} {}"),
            (old.context_terms, old_context - context - terms, "removed context {term} {}"),
            (theme.exclude, set(theme.exclude) - set(old.exclude), "added {exclusion} {}"),
            (old.exclude, set(old.exclude) - set(theme.exclude), "removed {exclusion} {}"),
        ):
            if listed := [term for term in order if term in chosen]:
                n = len(listed)
                said = line.format(
                    _listed(listed),
                    counts=agree(n, "counts", "count"),
                    term=agree(n, "term", "terms"),
                    its=agree(n, "its", "their"),
                    exclusion=agree(n, "exclusion", "exclusions"),
                )
                lines.append(f"{theme.label}: {said}")
    after_ids = set(after_codebook.ids)
    lines += [
        f"Removed theme {theme.label}"
        for theme in before_codebook.themes
        if theme.id not in after_ids
    ]
    return lines


# --- does a typed term match anything? ---------------------------------------------------------


def term_matches(
    posts: pd.DataFrame, codebook: Codebook, theme_id: str, terms: Iterable[str]
) -> dict[str, int]:
    """How many of ``posts`` each term would match in, were it added to theme ``theme_id``.

    Terms are checked and normalised as :func:`add_terms` does (and raise
    :class:`CodebookError` as it does); the result maps each normalised term, in the
    order typed, to the number of posts in whose title, summary or text the tagger would
    find it, with the edited codebook's own rules (so a longer phrase that wins over the
    term, or an exclusion, is not counted as the term). 0 means the term matches no post:
    say so where it was typed (:func:`unmatched_note`).
    """
    from analysis.tagging import ThemeTagger  # the tagger is needed only here

    edited = add_terms(codebook, theme_id, terms)
    checked = _checked_terms(terms, _theme(codebook, theme_id).label, "type a term")
    counts = ThemeTagger(edited).fit().tag(posts).term_counts(tuple(checked))
    return {term: int(counts.get(term, 0)) for term in checked}


def unmatched_note(matches: dict[str, int]) -> str:
    """A line for the room about typed terms that match no post ('' when each matches one).

    ``matches`` is :func:`term_matches`: ``“procure*” matches no post, so the charts do
    not change for it.``, or for several, ``“procure*” and “tender*” match no post, ...``.
    """
    missing = [_quoted(term) for term, n in matches.items() if n == 0]
    if not missing:
        return ""
    verb, them = agree(len(missing), "matches", "match"), agree(len(missing), "it", "them")
    return f"{names(missing)} {verb} no post, so the charts do not change for {them}."


def typed_note(posts: pd.DataFrame, codebook: Codebook, theme_id: str, typed: str) -> str:
    """:func:`unmatched_note` for terms as typed in the box ('' also when a term is not
    valid: adding the terms says what is wrong with it)."""
    terms = parse_terms(typed)
    if not terms:
        return ""
    try:
        return unmatched_note(term_matches(posts, codebook, theme_id, terms))
    except CodebookError:
        return ""
