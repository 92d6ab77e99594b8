"""Slugs and file names: the one place text becomes lower-case ASCII words joined by a separator.

- :func:`slug` -- the words of any text, ``"Guy’s & St Thomas’ Café"`` → ``guys-st-thomas-cafe``;
  post ids (:func:`analysis.post_checks.slugify`) and new theme ids
  (:func:`analysis.whatif.new_theme_id`) are made with it;
- :func:`filename` -- a safe, meaningful name for a downloaded file, ``anchor-themes-…``;
- :func:`report_filename` -- the name of the HTML report, with the corpus and the UTC date.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime

from analysis.formatting import utc

#: Every exported file name starts with this.
FILENAME_PREFIX = "anchor-themes"

#: The longest file name before its extension, and the longest corpus name in a report's name.
STEM_LIMIT = 120
REPORT_NAME_LIMIT = 40

_APOSTROPHES = re.compile(r"['\u2019]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def ascii_text(text: str) -> str:
    """``text`` with accents dropped (é → e) and any other non-ASCII character left out."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")


def slug(text: str, sep: str = "-", max_length: int | None = None) -> str:
    """The words of ``text``, lower-case ASCII, joined by ``sep``; '' when none is left.

    Accents are dropped (é → e), apostrophes vanish (Guy's → guys), and any other run of
    characters that is not a letter or digit becomes one ``sep``. With ``max_length`` the
    slug stops at the last whole word that fits.
    """
    words = _NOT_WORD.split(_APOSTROPHES.sub("", ascii_text(text).lower()))
    out = ""
    for word in filter(None, words):
        candidate = f"{out}{sep}{word}" if out else word
        if max_length is not None and len(candidate) > max_length:
            break
        out = candidate
    return out


def filename(*parts: str, ext: str) -> str:
    """A safe download name: ``anchor-themes``, then the parts, lower-case ASCII with hyphens.

    ``filename("posts", "2021-09 to 2024-03", ext="csv")`` gives
    ``"anchor-themes-posts-2021-09-to-2024-03.csv"``. Each part is a :func:`slug` (so
    slashes and dots become hyphens) and empty parts are skipped. ``anchor-themes`` is
    not repeated when the first part already starts with it. The name before the
    extension is at most :data:`STEM_LIMIT` characters.
    """
    slugs = [part_slug for part_slug in map(slug, parts) if part_slug]
    if not slugs or not (slugs[0] + "-").startswith(FILENAME_PREFIX + "-"):
        slugs.insert(0, FILENAME_PREFIX)
    stem = "-".join(slugs)[:STEM_LIMIT].rstrip("-")
    extension = slug(ext, sep="")
    if not extension:
        raise ValueError(f"not a usable file extension: {ext!r}")
    return f"{stem}.{extension}"


def report_filename(corpus_name: str, generated_at: datetime | None = None) -> str:
    """A file name for a report: ``anchor-themes-report-2026-11-24.html``.

    The corpus name, when it gives one, goes in as a short slug (``.csv`` left
    out): ``report_filename("my posts.csv", …)`` is
    ``anchor-themes-report-my-posts-2026-11-24.html``. Pass ``""`` for no name.
    The date is the UTC date of ``generated_at`` (default: now).
    """
    name = re.sub(r"\.csv\b", "", corpus_name or "", flags=re.IGNORECASE)
    day = utc(generated_at).strftime("%Y-%m-%d")
    return filename("report", slug(name, max_length=REPORT_NAME_LIMIT), day, ext="html")


#: Beyond this many chosen themes, a name gives their number rather than their ids.
NAMED_THEMES = 3


def view_filename(kind: str, view, ext: str) -> str:
    """A download name that names the view (an :class:`analysis.provenance.View`).

    ``anchor-themes-coverage-workforce-month-2023-01-to-2024-06.xlsx``: the kind of
    file, the chosen themes (their ids, or ``5-themes`` beyond :data:`NAMED_THEMES`;
    nothing when all are shown), the period, the months of the date range, then only
    what differs from the defaults: ``share`` for the measure, ``reviewed`` for the
    tag mode, ``dated-only`` when undated posts are left out, ``search-<words>``.

    Two views that differ get different names: whenever the words cannot say the view
    exactly (themes given as a number, a search that is not lower-case words each one space apart, a
    name cut to :data:`STEM_LIMIT`) an 8-character hash of the whole view ends the name.
    """
    filters = view.filters
    parts = [kind]
    exact = True
    if filters.themes is not None:
        themes = list(filters.themes)
        if len(themes) > NAMED_THEMES:
            parts.append(f"{len(themes)}-themes")
            exact = False
        else:
            parts.extend(themes or ["no-themes-chosen"])
    parts.append(view.period)
    if filters.start or filters.end:
        first = filters.start.strftime("%Y-%m") if filters.start else "start"
        last = filters.end.strftime("%Y-%m") if filters.end else "end"
        parts.append(f"{first}-to-{last}")
    if view.measure != "count":
        parts.append(view.measure)
    if view.tag_mode != "machine":
        parts.append(view.tag_mode)
    if not filters.include_undated:
        parts.append("dated-only")
    if filters.search:
        words = slug(filters.search)
        exact = exact and filters.search == words.replace("-", " ")
        parts.extend(["search", words])
    name = filename(*parts, ext=ext)
    stem = name[: -len(ext) - 1]
    if exact and stem == "-".join(filter(None, [FILENAME_PREFIX, *map(slug, parts)])):
        return name
    digest = hashlib.sha256(repr(view).encode("utf-8")).hexdigest()[:8]
    stem = stem[: STEM_LIMIT - len(digest) - 1].rstrip("-")
    return f"{stem}-{digest}.{slug(ext, sep='')}"
