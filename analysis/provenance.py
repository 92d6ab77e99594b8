"""Where an export came from: the view it shows, said inside the file.

Every export (XLSX and CSV, dashboard and command line) carries the same description
of its view, :func:`about_rows`: the filters (themes, dates, search, undated posts),
period, measure, tag mode, the codebook's version and a SHA-256 of its content (the
canonical TOML that :func:`analysis.codebook_file.codebook_toml` writes, so the same
codebook always has the same hash), the data file's name, the posts in the file and
in view, and when the file was made (UTC): :func:`generated_time`, now unless the
``SOURCE_DATE_EPOCH`` environment variable (the reproducible-builds convention, seconds
since 1970 UTC) fixes it, so that the dashboard and ``python -m analysis export`` can be
made to write identical files for the same view.

- XLSX: an ``About`` sheet (:func:`about_table`), first in the workbook;
- CSV: a commented header, one ``# key: value`` line per row of :func:`about_rows`,
  before the table (:func:`csv_with_about`). ``pandas.read_csv(path, comment="#")``
  reads the table as if the header were not there.

A header value is untrusted text (a search, a file name). So that a spreadsheet opening
the CSV keeps every header line in one cell starting with ``#`` (never a formula, never
spilling into further cells or rows), the characters ``%``, ``,``, ``"``, tab,
carriage return and line feed in a value are percent-encoded as in a URL (``,`` is
``%2C``); every other character is kept. The table below goes through
:mod:`analysis.csvwriter` like every CSV.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from analysis.codebook import NO_THEME, Codebook
from analysis.coverage import GRANULARITIES, MEASURES
from analysis.filters import Filters
from analysis.formatting import utc
from analysis.viewstate import CHOICE_DEFAULTS, TAG_MODES

#: Characters percent-encoded in a CSV header value (see the module's notes).
_HEADER_ESCAPES = {c: f"%{ord(c):02X}" for c in '%,"\t\r\n'}


@dataclass(frozen=True)
class View:
    """What an export shows: the filters and the chart settings in force."""

    filters: Filters = field(default_factory=Filters)
    period: str = CHOICE_DEFAULTS["granularity"]
    measure: str = CHOICE_DEFAULTS["measure"]
    tag_mode: str = CHOICE_DEFAULTS["tag_mode"]

    def __post_init__(self):
        if self.period not in GRANULARITIES:
            raise ValueError(f"period must be one of {', '.join(GRANULARITIES)}: {self.period!r}")
        if self.measure not in MEASURES:
            raise ValueError(f"measure must be one of {', '.join(MEASURES)}: {self.measure!r}")
        if self.tag_mode not in TAG_MODES:
            raise ValueError(f"tag mode must be machine or reviewed: {self.tag_mode!r}")


#: The environment variable that fixes "generated at" (seconds since 1970-01-01 UTC).
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def generated_time(moment: datetime | None = None) -> datetime:
    """When an export is made, in UTC, to the second: ``moment`` when given, else the time
    ``SOURCE_DATE_EPOCH`` names when it is set to a whole number, else now."""
    if moment is None:
        epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
        if epoch.isdigit():
            moment = datetime.fromtimestamp(int(epoch), UTC)
    return utc(moment).replace(microsecond=0)


def codebook_sha256(codebook: Codebook) -> str:
    """SHA-256 (hex) of the codebook's canonical TOML: equal codebooks, equal hashes."""
    from analysis.codebook_file import codebook_toml

    return hashlib.sha256(codebook_toml(codebook).encode("utf-8")).hexdigest()


def _day(value: date | None) -> str:
    return value.isoformat() if value else "any"


def about_rows(
    view: View,
    codebook: Codebook,
    *,
    data_file: str,
    posts_in_file: int,
    posts_in_view: int,
    generated_at: datetime | None = None,
) -> list[tuple[str, str]]:
    """The view description, as ``(key, value)`` text pairs in a fixed order."""
    filters = view.filters
    labels = codebook.series_labels
    if filters.themes is None:
        themes = "all"
    else:
        order = [*codebook.ids, NO_THEME]
        themes = "; ".join(labels[t] for t in order if t in filters.themes) or "none chosen"
    return [
        ("themes", themes),
        ("start", _day(filters.start)),
        ("end", _day(filters.end)),
        ("search", filters.search),
        ("include undated", "yes" if filters.include_undated else "no"),
        ("period", view.period),
        ("measure", view.measure),
        ("tag mode", view.tag_mode),
        ("codebook version", codebook.version),
        ("codebook sha256", codebook_sha256(codebook)),
        ("data file", data_file),
        ("posts in file", str(int(posts_in_file))),
        ("posts in view", str(int(posts_in_view))),
        ("generated at", generated_time(generated_at).strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]


def about_table(rows: list[tuple[str, str]]) -> pd.DataFrame:
    """The ``About`` sheet: a ``Field`` and a ``Value`` column."""
    return pd.DataFrame(rows, columns=["Field", "Value"])


def header_value(text: str) -> str:
    """``text`` with the characters that could leave a CSV header cell percent-encoded."""
    return "".join(_HEADER_ESCAPES.get(character, character) for character in str(text))


def csv_header(rows: list[tuple[str, str]]) -> bytes:
    """The commented header: ``# key: value`` lines, CRLF-ended like the table's rows."""
    return "".join(f"# {key}: {header_value(value)}\r\n" for key, value in rows).encode("utf-8")


def csv_with_about(table: pd.DataFrame, rows: list[tuple[str, str]], *, bom: bool = True) -> bytes:
    """``table`` as CSV (through :func:`analysis.csvwriter.csv_bytes`) after its commented header.

    With ``bom`` (the default, for Excel) the file starts with the byte-order mark.
    """
    from analysis.csvwriter import BOM, csv_bytes

    return (BOM if bom else b"") + csv_header(rows) + csv_bytes(table, bom=False)
