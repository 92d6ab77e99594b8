"""Tables for people: the posts list of the Explore page and the command line's output."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.formatting import (
    MISSING,
    SHARE_PLACES,
    agree,
    decimal,
    format_date,
    names,
    percent,
    safe_url,
)
from analysis.tagging import TagResult


def theme_labels(tags: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Each post's theme labels in codebook order, joined by ', ' ('' for none)."""
    labels = codebook.labels
    return pd.Series(
        [
            ", ".join(labels[t] for t, on in zip(tags.columns, row, strict=True) if on)
            for row in tags.to_numpy()
        ],
        index=tags.index,
        dtype=str,
    )


def posts_table(posts: pd.DataFrame, tags: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per post, newest first: title, date as known, date status, themes and link."""
    status = posts["date_status"].fillna("no date").astype(str)
    table = pd.DataFrame(
        {
            "id": posts["id"],
            "Title": posts["title"],
            "Date": [
                format_date(d, p)
                for d, p in zip(posts["published"], posts["date_precision"], strict=True)
            ],
            "Date status": status.str.capitalize(),
            "Themes": theme_labels(tags, codebook),
            "Link": posts["url"].map(safe_url),  # only http(s) addresses become links
            "_sort": posts["published"],
        },
        index=posts.index,
    )
    return table.sort_values("_sort", ascending=False, na_position="last", kind="stable").drop(
        columns="_sort"
    )


def posts_export(
    posts: pd.DataFrame, tags: pd.DataFrame, evidence: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """The posts table for export: every fact behind each row, one column per theme's evidence."""
    table = posts_table(posts, tags, codebook)
    table.insert(4, "Date basis", posts.loc[table.index, "date_basis"])
    for theme in codebook.themes:
        table[f"{theme.label} (tag)"] = tags.loc[table.index, theme.id].map({True: 1, False: 0})
        table[f"{theme.label} (evidence)"] = evidence.loc[table.index, theme.id]
    return table


def tagged_output(raw: pd.DataFrame, result: TagResult, codebook: Codebook) -> pd.DataFrame:
    """Every input row and column, then ``themes``, ``score_<id>`` and ``evidence_<id>`` per theme."""
    out = raw.copy()
    added = {"themes": result.themes(";").to_numpy()}
    for theme_id in codebook.ids:
        added[f"score_{theme_id}"] = result.scores[theme_id].to_numpy()
    for theme_id in codebook.ids:
        added[f"evidence_{theme_id}"] = result.evidence[theme_id].to_numpy()
    clashes = [column for column in added if column in out.columns]
    if clashes:
        out = out.drop(columns=clashes)  # a re-tagged output file: replace the old results
    return pd.concat([out.reset_index(drop=True), pd.DataFrame(added)], axis=1)


def coverage_table(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The numbers behind a coverage chart, with readable headers (for people and for CSV)."""
    labels = codebook.series_labels
    return pd.DataFrame(
        {
            "Period": table["period_label"],
            "Theme": table["series"].map(labels),
            "Posts": table["posts"],
            "With published dates": table["exact"],
            "With approximate dates": table["approximate"],
            "All posts in period": table["total"],
            "Share of period's posts": table["share"].round(SHARE_PLACES),
        }
    )


def disagreements_table(report) -> pd.DataFrame:
    """Each disagreement between tags and labels, with the evidence behind the tag."""
    rows = report.disagreements
    return pd.DataFrame(
        {
            "Title": rows["title"],
            "Theme": rows["theme"],
            "Kind": rows["kind"].str.capitalize(),
            "Evidence": rows["evidence"],
            "Label note": rows["note"],
        }
    )


def agreement_table(table: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Machine against the decisions reviewed mode counts (``analysis.review.agreement``), per
    theme, for people: n, kappa to :data:`~analysis.formatting.SCORE_PLACES` places and a small-sample column
    (fewer than ``minimum`` posts reviewed, :func:`small_sample_header`)."""
    return pd.DataFrame(
        {
            "Theme": table["label"],
            "Posts reviewed (n)": table["decisions"].astype(int),
            "Agree with machine": table["agree"].astype(int),
            "Cohen's kappa": table["kappa"].map(decimal),
            small_sample_header(minimum): _yes_no(
                table["decisions"] < minimum, table["decisions"] > 0
            ),
        }
    )


def reviewer_agreement_table(table: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Agreement between the reviewers of a round (``analysis.agreement.reviewer_agreement``)
    for people: which measure, its value and n, the share of posts on which all agree, and a
    small-sample column (n below ``minimum``)."""
    return pd.DataFrame(
        {
            "Theme": table["label"],
            "Reviewers": table["reviewers"].astype(int),
            "Posts coded by two or more (n)": table["n"].astype(int),
            "Measure": table["measure"].replace("", MISSING),
            "Value": table["value"].map(decimal),
            "All agree": table["agreement"].map(percent),
            small_sample_header(minimum): _yes_no(table["small_sample"], table["measure"] != ""),
        }
    )


def machine_consensus_table(table: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Agreement between the machine and a round's consensus
    (``analysis.agreement.machine_agreement``) for people, as :func:`reviewer_agreement_table`."""
    return pd.DataFrame(
        {
            "Theme": table["label"],
            "Posts with a consensus (n)": table["n"].astype(int),
            "Agree with machine": table["agree"].astype(int),
            "Cohen's kappa": table["kappa"].map(decimal),
            small_sample_header(minimum): _yes_no(table["small_sample"], table["n"] > 0),
        }
    )


def small_sample_header(minimum: int) -> str:
    """The header of a small-sample column, stating the minimum: ``Small sample (n < 30)``."""
    return f"Small sample (n < {minimum})"


def small_sample_note(labels, minimum: int, units: str) -> str:
    """The warning under an agreement table: which themes rest on fewer than ``minimum``
    ``units`` (e.g. "posts coded by two or more reviewers"), and why that matters."""
    labels = list(labels)
    return (
        f"Small sample: {names(labels)} {agree(len(labels), 'rests', 'rest')} on fewer than "
        f"{minimum} {units}, the minimum for a steady figure. With so few posts one post more "
        "or less can swing kappa or alpha a long way (from two posts it can be −1)."
    )


def _yes_no(flags: pd.Series, figure: pd.Series) -> pd.Series:
    """Yes / No where there is a ``figure`` to flag, :data:`MISSING` where there is none."""
    shown = flags.astype(bool).map({True: "Yes", False: "No"})
    return shown.where(figure.astype(bool), MISSING)


def review_history_table(history: pd.DataFrame, post_id: str, codebook: Codebook) -> pd.DataFrame:
    """One post's review decisions, oldest first, for people (``ReviewStore.history()``):
    when, theme, decision, the value before, who, their comment, the round, the codebook."""
    rows = history[history["post_id"] == post_id]
    labels = codebook.labels
    return pd.DataFrame(
        {
            "When (UTC)": rows["decided_at"].map(lambda t: f"{t:%d %b %Y %H:%M}"),
            "Theme": rows["theme"].map(lambda theme: labels.get(theme, theme)),
            "Decision": rows["decision"].str.capitalize(),
            "Before": rows["previous"].map({True: "applies", False: "does not apply"}),
            "Reviewer": rows["reviewer"],
            "Comment": _or_empty(rows, "comment"),
            "Round": _or_empty(rows, "round"),
            "Codebook": rows["codebook_version"],
        }
    )


def _or_empty(rows: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` of ``rows`` as text, empty where there is none (or no such column)."""
    if name not in rows:
        return pd.Series("", index=rows.index, dtype=str)
    return rows[name].map(lambda value: "" if value is None or pd.isna(value) else str(value))


def totals_table(totals: pd.DataFrame, total: int | None = None) -> pd.DataFrame:
    """Posts per theme (``analysis.coverage.theme_totals``) for people and CSV.

    With ``total`` (the posts the shares are of), an ``All posts in view`` column puts
    that number beside every share.
    """
    table = pd.DataFrame(
        {
            "Theme": totals["label"],
            "Posts": totals["posts"],
            "Share of posts": totals["share"].round(SHARE_PLACES),
        }
    )
    if total is not None:
        table.insert(2, "All posts in view", int(total))
    return table


def cooccurrence_table(matrix: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The co-occurrence matrix with theme labels: posts carrying both row and column theme."""
    labels = codebook.labels
    table = matrix.rename(index=labels, columns=labels)
    return table.rename_axis("Theme").reset_index()


def cooccurrence_pairs_table(pairs: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The co-occurrence matrix one pair of themes a row (``analysis.coverage.cooccurrence_pairs``),
    row for row, for people, CSV and keyboard selection: ``Themes`` names a pair ("Workforce
    and Living wage") or, on the diagonal, one theme, never the same theme twice."""
    labels = codebook.labels
    return pd.DataFrame(
        {
            "Themes": [
                labels[a] if a == b else f"{labels[a]} and {labels[b]}"
                for a, b in zip(pairs["first"], pairs["second"], strict=True)
            ],
            "Posts": pairs["posts"].astype(int).to_numpy(),
        }
    )


def terms_table(counts: pd.Series) -> pd.DataFrame:
    """How many posts each codebook term matched in (``TagResult.term_counts``), for people."""
    return pd.DataFrame({"Codebook term": counts.index, "Posts matched": counts.to_numpy()})
