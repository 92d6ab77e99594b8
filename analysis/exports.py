"""Exports: everything that takes numbers out of the app, as bytes for a download or a file.

- :func:`csv_bytes` -- any table as CSV, UTF-8 with a byte-order mark so Excel
  reads the characters right;
- :func:`xlsx_bytes` -- several tables as one Excel workbook, one sheet each,
  and :func:`report_workbook` -- the four sheets the app exports;
- :func:`codebook_table` and :func:`codebook_csv` -- the codebook as a table and as
  the ``tag,description`` CSV that qualitative-coding tools such as Taguette import
  (the TOML file the app can load again is :func:`analysis.codebook_file.codebook_toml`);
- file names come from :mod:`analysis.filenames`.

Every text cell that leaves the app passes through
:func:`analysis.csvwriter.neutralise`, so a spreadsheet never runs a post title as
a formula (OWASP's advice on CSV injection): text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` unless it is a plain number.
Numbers are left alone. Every CSV is written by :mod:`analysis.csvwriter`.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from analysis.codebook import CONTEXT_TERMS_NOTE, Codebook, Theme
from analysis.csvwriter import _is_text, csv_bytes, neutralise_frame
from analysis.metrics import QualityReport, quality_table

#: Excel's longest sheet name, and the characters it forbids in one.
SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

#: Column widths in an XLSX sheet, in characters.
MIN_WIDTH = 8
MAX_WIDTH = 60

# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One Excel workbook with a sheet per entry of ``sheets``, in order.

    Sheet names are made legal (see :func:`sheet_name`). Cells are neutralised as in
    CSV, so openpyxl stores would-be formulas as text; characters that XLSX cannot
    hold (control characters other than tab and line breaks) are dropped. Each
    sheet's header row is bold and frozen, and its columns are as wide as their
    longest line of text (between :data:`MIN_WIDTH` and :data:`MAX_WIDTH`).
    Time-zone-aware dates are written as local wall-clock times (XLSX has no zones).
    """
    from openpyxl.styles import Font  # here, not above: the pages that never write XLSX
    from openpyxl.utils import get_column_letter  # skip its import (issue 12)

    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    buffer = io.BytesIO()
    taken: list[str] = []
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            title = sheet_name(name, taken)
            taken.append(title)
            cells = _xlsx_ready(table)
            cells.to_excel(writer, sheet_name=title, index=False)
            worksheet = writer.sheets[title]
            for cell in worksheet[1]:
                cell.font = Font(bold=True)
            worksheet.freeze_panes = "A2"
            for position, width in enumerate(_column_widths(cells), start=1):
                worksheet.column_dimensions[get_column_letter(position)].width = width
    return buffer.getvalue()


def sheet_name(name: str, taken: list[str] | tuple[str, ...] = ()) -> str:
    """``name`` as a legal Excel sheet name, different from every name in ``taken``.

    Drops ``[]:*?/\\``, folds runs of white space (line breaks included) to one space,
    trims spaces and apostrophes from the ends (Excel forbids a leading or trailing
    ``'``), cuts it to 31 characters and, where needed, adds `` (2)``, `` (3)``... to
    keep names unique (Excel ignores case).
    An empty name becomes ``Sheet``; ``History`` is reserved by Excel and gets a number.
    """
    base = " ".join(_SHEET_FORBIDDEN.sub("", str(name)).split())
    base = base.strip(" '")[:SHEET_NAME_LIMIT].strip(" '") or "Sheet"
    used = {other.casefold() for other in taken} | {"history"}
    title, number = base, 1
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip(" '") + suffix
    return title


def _xlsx_ready(table: pd.DataFrame) -> pd.DataFrame:
    """A neutralised copy of ``table`` that openpyxl can write: no illegal characters or zones."""
    cells = neutralise_frame(table)
    for position in range(cells.shape[1]):
        column = cells.iloc[:, position]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            cells.isetitem(position, column.dt.tz_localize(None))
        elif _is_text(column.dtype):
            cells.isetitem(position, column.map(_xlsx_text))
    cells.columns = [_xlsx_text(column) for column in cells.columns]
    return cells


def _xlsx_text(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # imported once, then a dict look-up

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _column_widths(cells: pd.DataFrame) -> list[int]:
    """A width per column: its longest line of text (header included) plus a margin, capped."""
    widths = []
    for position in range(cells.shape[1]):
        texts = cells.iloc[:, position].dropna().astype(str)
        longest = _longest_line(str(cells.columns[position]))
        if not texts.empty:
            longest = max(longest, int(texts.map(_longest_line).max()))
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
    return widths


def _longest_line(text: str) -> int:
    return max(len(line) for line in text.splitlines() or [""])


# --- the app's report workbook ------------------------------------------------------------------


def report_workbook(
    posts_table: pd.DataFrame,
    coverage_table: pd.DataFrame,
    codebook: Codebook,
    quality: QualityReport | None,
    about: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The sheets the app exports, in order, ready for :func:`xlsx_bytes`.

    ``posts`` and ``coverage series`` are the tables as given (from
    :func:`analysis.tables.posts_table` and :func:`analysis.tables.coverage_table`);
    ``codebook`` is :func:`codebook_table`; ``quality`` is
    :func:`analysis.metrics.quality_table`, the table the Tagging quality page and the
    report show. With ``about`` (:func:`analysis.provenance.about_table`, the view the
    file shows and where it came from) an ``About`` sheet comes first.
    """
    sheets = {} if about is None else {"About": about}
    return sheets | {
        "posts": posts_table,
        "coverage series": coverage_table,
        "codebook": codebook_table(codebook),
        "quality": quality_table(quality),
    }


# --- the codebook -------------------------------------------------------------------------------


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """One row per theme in codebook order: id, label, colour, definition, terms,
    context_terms (terms that count only alongside one of the theme's terms) and exclude.

    Each list is joined by ``"; "`` (empty text when a theme has none).
    """
    return pd.DataFrame(
        [
            {
                "id": theme.id,
                "label": theme.label,
                "colour": theme.colour,
                "definition": theme.definition,
                "terms": "; ".join(theme.terms),
                "context_terms": "; ".join(theme.context_terms),
                "exclude": "; ".join(theme.exclude),
            }
            for theme in codebook.themes
        ],
        columns=["id", "label", "colour", "definition", "terms", "context_terms", "exclude"],
    )


def codebook_csv(codebook: Codebook) -> bytes:
    """The codebook as a ``tag,description`` CSV, the form qualitative-coding tools import.

    One row per theme in codebook order: ``tag`` is the label, ``description`` the
    definition followed by `` Terms: `` and the terms joined by ``", "`` (then, for a theme
    with context terms, ``. Context terms, counted only alongside a term: `` and those).
    Plain UTF-8 (no byte-order mark), written and neutralised like every other CSV.
    """
    table = pd.DataFrame(
        {
            "tag": [theme.label for theme in codebook.themes],
            "description": [_description(theme) for theme in codebook.themes],
        }
    )
    return csv_bytes(table, bom=False)


def _description(theme: Theme) -> str:
    text = f"{theme.definition} Terms: {', '.join(theme.terms)}"
    if theme.context_terms:
        text += f". {CONTEXT_TERMS_NOTE}: {', '.join(theme.context_terms)}"
    return text
