"""The export of one view: what the dashboard's downloads and ``python -m analysis export`` write.

:func:`view_export` takes a corpus and a :class:`analysis.provenance.View` (the filters,
period, measure and tag mode in force) and gives a :class:`ViewExport`: the posts in
view as an analyst's table (:func:`analyst_posts`), the coverage table for the view's
period, measure and themes (:func:`analyst_coverage`), and the view's description
(:func:`analysis.provenance.about_rows`). From it come the bytes of every download:

- :meth:`ViewExport.xlsx` -- About, posts, coverage series, codebook, quality;
- :meth:`ViewExport.posts_csv` and :meth:`ViewExport.coverage_csv` -- one table each,
  after the commented ``# key: value`` header (``pandas.read_csv(..., comment="#")``);
- :meth:`ViewExport.filename` -- a name that names the view.

Dates leave as dates: the ``date`` column holds real dates (date cells in XLSX,
``YYYY-MM-DD`` in CSV; empty when a post is undated), beside ``date_status``,
``date_precision`` and ``date_basis``. A date known only to the month or year is its
first day, and ``date_precision`` says so.

A file is made wholly by its view and its ``generated at`` time
(:func:`analysis.provenance.generated_time`): the XLSX's own creation and modification
times and the times inside its zip are that time too, so the same view at the same time
gives the same bytes, from the dashboard or from ``python -m analysis export``.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analysis.codebook import Codebook
from analysis.filters import chosen_series, in_view, with_themes
from analysis.provenance import View, about_rows, about_table, csv_with_about, generated_time

#: What a reviewer's decision cell says.
DECISION_WORDS = {True: "applies", False: "does not apply"}
#: Places kept in a share given as a percentage.
PERCENT_PLACES = 2


def _dates(published: pd.Series) -> pd.Series:
    """Python dates (None when undated): date cells in XLSX, ``YYYY-MM-DD`` in CSV."""
    return pd.Series(
        [None if pd.isna(value) else value.date() for value in published],
        index=published.index,
        dtype=object,
    )


def analyst_posts(
    posts: pd.DataFrame,
    machine_tags: pd.DataFrame,
    scores: pd.DataFrame,
    evidence: pd.DataFrame,
    codebook: Codebook,
    current: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per post (newest first) with every fact an analyst re-works.

    ``id``, ``title``, ``date``, ``date_status`` (``no date`` when undated), ``date_precision``, ``date_basis``,
    ``url``, ``themes`` (the labels of the tags in force, ``; ``-joined), then per theme
    ``<id>_tag`` (1 or 0), ``<id>_score`` and ``<id>_matched`` (the matched terms).
    With ``current`` (the latest review decisions, :meth:`ReviewStore.current`) the tags
    are the reviewed ones, and each theme has ``<id>_machine``, ``<id>_decision``
    (``applies``, ``does not apply`` or empty) and ``<id>_tag`` (the final tag) side by side.
    """
    from analysis.review import _decision_grid, reviewed_tags

    final = machine_tags if current is None else reviewed_tags(posts, machine_tags, current)
    labels = codebook.labels
    table = pd.DataFrame(
        {
            "id": posts["id"],
            "title": posts["title"],
            "date": _dates(posts["published"]),
            "date_status": posts["date_status"].astype(object).fillna("no date"),
            "date_precision": posts["date_precision"].astype(object),
            "date_basis": posts["date_basis"],
            "url": posts["url"],
            "themes": [
                "; ".join(labels[t] for t, on in zip(final.columns, row, strict=True) if on)
                for row in final.to_numpy()
            ],
        },
        index=posts.index,
    )
    if current is not None:
        decided, human = _decision_grid(posts, machine_tags, current)
    for position, theme in enumerate(codebook.ids):
        if current is not None:
            table[f"{theme}_machine"] = machine_tags[theme].astype(int).to_numpy()
            table[f"{theme}_decision"] = [
                DECISION_WORDS[bool(h)] if d else ""
                for d, h in zip(decided[:, position], human[:, position], strict=True)
            ]
        table[f"{theme}_tag"] = final[theme].astype(int).to_numpy()
        table[f"{theme}_score"] = scores[theme].to_numpy()
        table[f"{theme}_matched"] = evidence[theme].to_numpy()
    order = posts["published"].sort_values(ascending=False, na_position="last", kind="stable")
    return table.loc[order.index].reset_index(drop=True)


def analyst_coverage(
    posts: pd.DataFrame, tags: pd.DataFrame, codebook: Codebook, view: View
) -> pd.DataFrame:
    """Coverage per period for the view's period and themes, shares as percentages with n.

    One row per (period, theme): ``Period``, ``Period start`` (a date), ``Theme``,
    ``Posts``, ``Share of period's posts (%)`` and ``n (dated posts in period)``; with
    the ``share`` measure the share comes before the count. ``posts`` and ``tags`` are
    the posts in view (shares are of all of them, whichever themes are chosen).
    """
    from analysis.coverage import coverage_over_time

    series = chosen_series(tags, view.filters.themes)
    table = coverage_over_time(posts, tags, view.period, series)
    share = "Share of period's posts (%)"
    out = pd.DataFrame(
        {
            "Period": table["period_label"],
            "Period start": [period.start_time.date() for period in table["period"]],
            "Theme": table["series"].map(codebook.series_labels),
            "Posts": table["posts"].astype(int),
            share: (table["share"] * 100).round(PERCENT_PLACES),
            "n (dated posts in period)": table["total"].astype(int),
        }
    )
    if view.measure == "share":
        out = out[["Period", "Period start", "Theme", share, "Posts", "n (dated posts in period)"]]
    return out.reset_index(drop=True)


@dataclass
class ViewExport:
    """The tables of one view and the description they carry (see the module)."""

    view: View
    codebook: Codebook
    about: list[tuple[str, str]]
    posts: pd.DataFrame
    coverage: pd.DataFrame
    quality: object = None
    #: The time the About rows state (UTC, whole seconds); None: :func:`generated_time`'s.
    generated_at: datetime | None = None

    def xlsx(self) -> bytes:
        from analysis.exports import report_workbook, xlsx_bytes

        # The sheet also states the tagging rule in the codebook's one account of it
        # (Codebook.method); the CSV header leaves it out, being one line a field.
        about = about_table([*self.about, ("tagging rule", self.codebook.method)])
        return stamped(
            xlsx_bytes(
                report_workbook(self.posts, self.coverage, self.codebook, self.quality, about)
            ),
            generated_time(self.generated_at),
        )

    def posts_csv(self) -> bytes:
        return csv_with_about(self.posts, self.about)

    def coverage_csv(self) -> bytes:
        return csv_with_about(self.coverage, self.about)

    def filename(self, kind: str, ext: str) -> str:
        from analysis.filenames import view_filename

        return view_filename(kind, self.view, ext)


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def stamped(workbook: bytes, moment: datetime) -> bytes:
    """``workbook`` (XLSX bytes) with every time in it set to ``moment`` (UTC): the
    created and modified properties and each zip entry's time, so that its bytes depend
    on its content alone (openpyxl writes the time of writing)."""
    moment = generated_time(moment)
    when = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    stamp = moment.timetuple()[:6] if moment.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + when + rb"\g<2>", data)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = entry.compress_type
            info.external_attr = entry.external_attr
            info.create_system = entry.create_system
            target.writestr(info, data)
    return out.getvalue()


def view_export(
    corpus,
    view: View,
    *,
    current: pd.DataFrame | None = None,
    quality=None,
    data_file: str | None = None,
    generated_at: datetime | None = None,
) -> ViewExport:
    """The export of ``view`` over ``corpus`` (:class:`analysis.corpus.Corpus`).

    ``current`` (the latest review decisions) is needed in reviewed mode; ``quality``
    (:func:`analysis.metrics.quality_report`) fills the quality sheet. The posts sheet
    lists the posts in view with a chosen theme, as the Explore page's table does.
    """
    if view.tag_mode == "reviewed" and current is None:
        raise ValueError("reviewed mode needs the review decisions")
    posts, machine = corpus.posts, corpus.tags
    used = current if view.tag_mode == "reviewed" else None
    if used is not None:
        from analysis.review import reviewed_tags

        tags = reviewed_tags(posts, machine, used)
    else:
        tags = machine
    shown = in_view(posts, view.filters)
    listed = shown & with_themes(tags, view.filters.themes)
    table = analyst_posts(
        posts[listed],
        machine[listed],
        corpus.result.scores[listed],
        corpus.result.evidence[listed],
        corpus.codebook,
        used,
    )
    coverage = analyst_coverage(posts[shown], tags[shown], corpus.codebook, view)
    generated_at = generated_time(generated_at)
    name = data_file if data_file is not None else str(corpus.name).replace("\\", "/")
    about = about_rows(
        view,
        corpus.codebook,
        data_file=name.rsplit("/", 1)[-1],
        posts_in_file=len(posts),
        posts_in_view=int(listed.sum()),
        generated_at=generated_at,
    )
    return ViewExport(view, corpus.codebook, about, table, coverage, quality, generated_at)
