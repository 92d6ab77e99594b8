"""The review log as a table to hand in: who decided what, when, on which post and theme, and why.

:func:`review_log_table` turns the log (:meth:`ReviewStore.history`) into one row per decision
with plain column names (:data:`LOG_COLUMNS`); :func:`filter_log` narrows it as the Review
page's filters do; :func:`review_log_csv` and :func:`review_log_xlsx` write it through the
project's CSV writer (:mod:`analysis.csvwriter`) and XLSX writer (:func:`analysis.exports.xlsx_bytes`),
so a comment that starts like a formula stays text; :func:`review_log_filename` names the file.
``python -m analysis reviews -o FILE.csv|.xlsx`` writes the same.

Examples
--------
>>> store = ReviewStore("sqlite://")
>>> store.record("a-post", "workforce", "rejected", "Asha", "2024.1", previous=True,
...              comment="=1+1")
>>> review_log_table(store.history())[["who", "post", "decision", "comment"]]
    who    post  decision comment
0  Asha  a-post  rejected    =1+1
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from analysis.codebook import Codebook
from analysis.csvwriter import csv_bytes
from analysis.exports import xlsx_bytes
from analysis.filenames import filename
from analysis.formatting import utc
from analysis.provenance import about_table, csv_with_about
from analysis.review_store import ReviewStore as ReviewStore

#: The columns of the exported log, in order.
LOG_COLUMNS = (
    "entry",
    "who",
    "when (UTC)",
    "post",
    "theme",
    "theme label",
    "machine tag",
    "value before",
    "decision",
    "applies",
    "comment",
    "round",
    "settles a disagreement",
    "codebook version",
)

#: The columns :func:`filter_log`'s ``text`` is looked for in.
SEARCHED = ("who", "post", "theme", "theme label", "comment", "round")

#: The XLSX sheet's name.
SHEET = "Review log"


def review_log_table(
    history: pd.DataFrame,
    *,
    posts: pd.DataFrame | None = None,
    machine_tags: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Every decision of the log, oldest first, as a table to hand in.

    Parameters
    ----------
    history : pandas.DataFrame
        As from :meth:`ReviewStore.history` (or :func:`filter_log` of the table).
    posts, machine_tags : pandas.DataFrame, optional
        The posts (an ``id`` column) and their machine tags, indexed alike: fill ``machine
        tag``. Without them, or for a post or theme not among them, it is empty.
    codebook : Codebook, optional
        Fills ``theme label``; empty without it or for a theme not in it.

    Returns
    -------
    pandas.DataFrame
        :data:`LOG_COLUMNS`: ``who``, ``when (UTC)`` (timezone-aware datetime), ``post`` (post
        id), ``theme`` (id), ``machine tag`` and ``value before`` and ``applies`` (nullable
        booleans), ``decision``, ``comment`` (as stored; empty for none), ``round`` (empty for
        none), ``settles a disagreement``, ``codebook version``, ``entry`` (the log's number).
    """
    labels = {theme.id: theme.label for theme in codebook.themes} if codebook else {}
    machine = pd.Series(dtype="boolean")
    if posts is not None and machine_tags is not None:
        grid = pd.DataFrame(machine_tags.to_numpy(dtype=bool), columns=machine_tags.columns)
        grid.index = posts["id"].to_numpy()
        machine = grid.stack()
    pairs = pd.MultiIndex.from_arrays([history["post_id"], history["theme"]])
    settles = history["settles"] if "settles" in history else pd.Series(pd.NA, history.index)
    table = pd.DataFrame(
        {
            "entry": history["entry"].to_numpy(),
            "who": history["reviewer"].to_numpy(),
            "when (UTC)": history["decided_at"].to_numpy(),
            "post": history["post_id"].to_numpy(),
            "theme": history["theme"].to_numpy(),
            "theme label": history["theme"].map(labels).to_numpy(),
            "machine tag": pd.array(machine.reindex(pairs).to_numpy(), dtype="boolean"),
            "value before": pd.array(history["previous"].to_numpy(), dtype="boolean"),
            "decision": history["decision"].to_numpy(),
            "applies": pd.array(history["value"].to_numpy(), dtype="boolean"),
            "comment": _optional(history, "comment"),
            "round": _optional(history, "round"),
            "settles a disagreement": pd.array(settles.to_numpy(), dtype="boolean"),
            "codebook version": history["codebook_version"].to_numpy(),
        },
        columns=list(LOG_COLUMNS),
    )
    table["when (UTC)"] = pd.to_datetime(table["when (UTC)"], utc=True)
    return table


def filter_log(
    table: pd.DataFrame,
    *,
    who: list[str] | None = None,
    themes: list[str] | None = None,
    rounds: list[str] | None = None,
    decisions: list[str] | None = None,
    start: datetime | pd.Timestamp | None = None,
    end: datetime | pd.Timestamp | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """The rows of :func:`review_log_table` a page's filters keep (None: no filter on that).

    ``who``, ``themes``, ``rounds`` (round names; ``""`` for decisions outside any round)
    and ``decisions`` keep rows whose value is listed; ``start`` and ``end`` (timezone-aware)
    keep decisions made at or after and before them; ``text`` keeps rows where it occurs,
    ignoring case, in any of :data:`SEARCHED` (blank text: no filter).
    """
    keep = pd.Series(True, index=table.index)
    for column, wanted in (("who", who), ("theme", themes), ("decision", decisions)):
        if wanted is not None:
            keep &= table[column].isin(wanted)
    if rounds is not None:
        keep &= table["round"].fillna("").isin(rounds)
    if start is not None:
        keep &= table["when (UTC)"] >= pd.Timestamp(start)
    if end is not None:
        keep &= table["when (UTC)"] < pd.Timestamp(end)
    if text is not None and text.strip():
        wanted = text.strip().casefold()
        found = pd.Series(False, index=table.index)
        for column in SEARCHED:
            cells = table[column].fillna("").astype(str).str.casefold()
            found |= cells.str.contains(wanted, regex=False)
        keep &= found
    return table[keep]


def review_log_about(
    *,
    filters: dict[str, list[str] | None],
    text: str | None,
    rounds: pd.DataFrame,
    shown: int,
    seen: int,
    hidden: int,
    generated_at: datetime | None = None,
) -> list[tuple[str, str]]:
    """How a review log file was made, as ``(key, value)`` rows (:mod:`analysis.provenance`'s
    form: an ``About`` sheet, or a CSV's commented header).

    ``filters`` as :func:`filter_log` takes them (``who``, ``themes``, ``rounds``,
    ``decisions``; None or empty: all), ``text`` the search; ``rounds`` as from
    :meth:`ReviewStore.rounds`; ``shown`` the decisions in the file, ``seen`` those the reader
    may see before filtering, ``hidden`` those of other reviewers in blind rounds left out.
    """

    def listed(name: str) -> str:
        values = filters.get(name) or []
        return "; ".join(value or "no round" for value in values) or "all"

    settings = "; ".join(
        f"{row.round} ({'blind' if row.blind else 'not blind'}, set by {row.set_by})"
        for row in rounds.itertuples()
    )
    return [
        ("who", listed("who")),
        ("themes", listed("themes")),
        ("rounds", listed("rounds")),
        ("decisions", listed("decisions")),
        ("search", (text or "").strip()),
        ("decisions in file", str(int(shown))),
        ("decisions the reader may see", str(int(seen))),
        ("others' decisions in blind rounds, left out", str(int(hidden))),
        ("review rounds", settings or "none"),
        ("generated at", utc(generated_at).strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]


def review_log_csv(table: pd.DataFrame, about: list[tuple[str, str]] | None = None) -> bytes:
    """The table as CSV (UTF-8 with BOM, neutralised); ``when (UTC)`` as ISO 8601 with ``Z``.
    With ``about`` (:func:`review_log_about`), a commented header says how it was made
    (:func:`analysis.provenance.csv_with_about`)."""
    cells = table.copy()
    cells["when (UTC)"] = [
        None if pd.isna(value) else value.tz_convert("UTC").isoformat().replace("+00:00", "Z")
        for value in cells["when (UTC)"]
    ]
    if about is not None:
        return csv_with_about(cells, about)
    return csv_bytes(cells)


def review_log_xlsx(table: pd.DataFrame, about: list[tuple[str, str]] | None = None) -> bytes:
    """The table as an XLSX workbook of one sheet, :data:`SHEET`; ``when (UTC)`` as date cells.
    With ``about`` (:func:`review_log_about`), an ``About`` sheet comes first."""
    if about is not None:
        return xlsx_bytes({"About": about_table(about), SHEET: table})
    return xlsx_bytes({SHEET: table})


def review_log_filename(
    ext: str, generated_at: datetime | None = None, *, filters: tuple[str, ...] = ()
) -> str:
    """``anchor-themes-review-log-<UTC date>.<ext>``; with ``filters`` (words naming the
    filters in force, e.g. ``("Ada", "pilot")``) they follow the date, so a filtered download
    is not named like the whole log: ``anchor-themes-review-log-2024-03-01-ada-pilot.csv``."""
    when = pd.Timestamp(generated_at or datetime.now().astimezone()).tz_convert("UTC")
    return filename("review-log", when.strftime("%Y-%m-%d"), *filters, ext=ext)


def _optional(history: pd.DataFrame, name: str):
    if name not in history:
        return [None] * len(history)
    return pd.array([None if pd.isna(value) else value for value in history[name]], dtype=object)
