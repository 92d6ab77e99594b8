"""The view on screen as URL query parameters, so a copied link reproduces it exactly.

Each parameter is named after the setting it restores (``themes``, ``dates``,
``search``, ``include_undated``, ``tag_mode``, ``granularity``, ``measure``,
``chart`` (the one chart shown in presentation mode), ``present``, ``post``).
:func:`read` turns a URL's parameters into settings, ignoring any it cannot
use and saying why; :func:`write` turns settings back into parameters, leaving
out those at their defaults so links stay short. Reading what was written gives
the same settings back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

#: The tag modes, and what the screen calls them.
TAG_MODES = {"machine": "Machine tags", "reviewed": "Reviewed tags"}
#: Settings that are one choice from a list, and their defaults.
CHOICE_DEFAULTS = {
    "tag_mode": "machine",
    "granularity": "quarter",
    "measure": "count",
    "chart": "coverage",
}
#: Settings that are on or off, and their defaults.
FLAG_DEFAULTS = {"present": False, "include_undated": True}
FLAGS = tuple(FLAG_DEFAULTS)
TEXTS = ("search", "post")
#: Every setting's default but the themes and dates, which depend on the corpus.
DEFAULTS = {**CHOICE_DEFAULTS, **FLAG_DEFAULTS, **dict.fromkeys(TEXTS, "")}
KEYS = ("themes", "dates", *CHOICE_DEFAULTS, *TEXTS, *FLAGS)
#: Settings every page shares; the others (period, measure, chosen post) belong to one page.
SHARED = ("themes", "dates", "search", "include_undated", "tag_mode", "present")
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


@dataclass(frozen=True)
class Allowed:
    """What a URL may ask for: theme ids (plus ``none``), choices per setting, the date span."""

    themes: Sequence[str]
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None


def read(params: Mapping[str, Sequence[str] | str], allowed: Allowed) -> tuple[dict, list[str]]:
    """Settings from URL parameters (each a list of values), and a note per value ignored."""
    settings: dict = {}
    notes: list[str] = []

    def values(key: str) -> list[str]:
        raw = params.get(key, [])
        return [raw] if isinstance(raw, str) else list(raw)

    if "themes" in params:
        given = [v for value in values("themes") for v in value.split(",") if v]
        known = [theme for theme in allowed.themes if theme in given]
        unknown = [theme for theme in given if theme not in allowed.themes]
        if unknown:
            notes.append(f"themes: {', '.join(unknown)} (not a theme here)")
        if known or not unknown:
            settings["themes"] = known
    if "dates" in params:
        dates = _read_dates(values("dates"), allowed)
        if dates is None:
            notes.append(f"dates: {', '.join(values('dates'))} (need two dates in range)")
        else:
            settings["dates"] = dates
    for key, default in CHOICE_DEFAULTS.items():
        if key in params:
            value = (values(key) or [""])[-1]
            if value in allowed.choices.get(key, (default,)):
                settings[key] = value
            else:
                notes.append(f"{key}: {value} (not an option)")
    for key in TEXTS:
        if key in params:
            settings[key] = (values(key) or [""])[-1].strip()
    for key in FLAGS:
        if key in params:
            value = (values(key) or [""])[-1].strip().lower()
            if value in _TRUE | _FALSE:
                settings[key] = value in _TRUE
            else:
                notes.append(f"{key}: {value} (use true or false)")
    return settings, notes


def _read_dates(values: list[str], allowed: Allowed) -> tuple[date, date] | None:
    """Two dates in range, each taken as its month (the date slider steps by month)."""
    if len(values) != 2 or allowed.first is None or allowed.last is None:
        return None
    try:
        start, end = (date.fromisoformat(value).replace(day=1) for value in values)
    except ValueError:
        return None
    if not allowed.first <= start <= end <= allowed.last:
        return None
    return start, end


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s, in order."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def write(settings: Mapping, allowed: Allowed) -> dict[str, list[str] | str]:
    """URL parameters for ``settings``, leaving out every setting at its default."""
    params: dict[str, list[str] | str] = {}
    themes = settings.get("themes")
    if themes is not None and list(themes) != list(allowed.themes):
        # An empty choice is written as one empty value, so it survives the round trip.
        params["themes"] = [theme for theme in allowed.themes if theme in themes] or [""]
    dates = settings.get("dates")
    if dates and tuple(dates) != (allowed.first, allowed.last):
        params["dates"] = [d.isoformat() for d in dates]
    for key, default in CHOICE_DEFAULTS.items():
        if settings.get(key) not in (None, default):
            params[key] = settings[key]
    for key in TEXTS:
        if settings.get(key):
            params[key] = settings[key]
    for key, default in FLAG_DEFAULTS.items():
        if settings.get(key) is not None and bool(settings[key]) != default:
            params[key] = "true" if settings[key] else "false"
    return params


def link(base: str, params: Mapping[str, list[str] | str]) -> str:
    """``base`` (an address without a query) with the parameters appended."""
    query = urlencode(params, doseq=True)
    return f"{base}?{query}" if query else base


def notice(notes: list[str]) -> str:
    """One quiet sentence about link settings that were ignored ('' when none were)."""
    if not notes:
        return ""
    return "Some settings in the link could not be used and were ignored: " + "; ".join(notes) + "."
