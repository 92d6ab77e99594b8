"""How reliable the tagging is: agreement with human labels, theme by theme.

Labels are a CSV with an ``id`` column, one 0/1 column per theme id and an
optional ``note`` (``data/labels.csv`` is the bundled hand-coding). Scores use
scikit-learn's metrics: precision, recall, F1 and Cohen's kappa per theme, with
micro and macro averages, and every disagreement listed with its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.formatting import SCORE_PLACES
from analysis.loading import read_table
from analysis.post_checks import LIMITS, Limits, LoadError

BUNDLED_LABELS = Path(__file__).resolve().parent.parent / "data" / "labels.csv"

#: Fewer positive labels than this and a theme's figures get a small-sample warning.
SMALL_SAMPLE = 5


@dataclass(frozen=True)
class QualityReport:
    """Per-theme figures, micro and macro averages, and the disagreements."""

    per_theme: pd.DataFrame
    micro: dict[str, float]
    macro: dict[str, float]
    disagreements: pd.DataFrame
    posts_compared: int
    unlabelled: tuple[str, ...]  # post ids with no label row

    @property
    def small_samples(self) -> list[str]:
        """Labels of themes with fewer than :data:`SMALL_SAMPLE` positive labels."""
        return list(self.per_theme.loc[self.per_theme["small_sample"], "label"])


def load_labels(
    source: str | Path | BinaryIO = BUNDLED_LABELS,
    codebook: Codebook | None = None,
    name=None,
    limits: Limits = LIMITS,
) -> pd.DataFrame:
    """Read a labels CSV: ``id`` plus one 0/1 column per theme id; returns ids and booleans.

    Errors are :class:`~analysis.post_checks.LoadError` naming the file, row and column.
    ``limits`` bounds the file as for posts (a server passes ``UPLOAD_LIMITS`` for uploads).
    """
    raw, name = read_table(source, name, rows="labels", limits=limits)
    raw.columns = [column.strip() for column in raw.columns]
    if "id" not in raw.columns:
        raise LoadError(f"{name}: has no id column")
    themes = codebook.ids if codebook else [c for c in raw.columns if c not in ("id", "note")]
    missing = [theme for theme in themes if theme not in raw.columns]
    if missing:
        raise LoadError(f"{name}: has no column for theme {', '.join(missing)}")
    labels = pd.DataFrame({"id": raw["id"].str.strip()})
    for theme in themes:
        values = raw[theme].str.strip()
        bad = values[~values.isin(["0", "1"])]
        if not bad.empty:
            row = int(bad.index[0]) + 2
            raise LoadError(f"{name}: row {row}, column '{theme}': '{bad.iloc[0]}' is not 0 or 1")
        labels[theme] = values == "1"
    labels["note"] = raw["note"] if "note" in raw.columns else ""
    repeated = labels["id"][labels["id"].duplicated()]
    if not repeated.empty:
        raise LoadError(f"{name}: the id '{repeated.iloc[0]}' has two label rows")
    return labels


def quality_report(
    posts: pd.DataFrame,
    tags: pd.DataFrame,
    evidence: pd.DataFrame,
    labels: pd.DataFrame,
    codebook: Codebook,
) -> QualityReport:
    """Compare tags (indexed like ``posts``) with labels (from :func:`load_labels`), by post id."""
    # Here, not above: scikit-learn's metrics take a second to import, and only the pages
    # that compare with labels need them (issue 12).
    from sklearn.metrics import precision_recall_fscore_support

    by_id = labels.set_index("id")
    labelled = posts["id"].isin(by_id.index)
    compared = posts[labelled]
    truth = by_id.loc[compared["id"], codebook.ids].to_numpy(dtype=bool)
    predicted = tags.loc[compared.index, codebook.ids].to_numpy(dtype=bool)

    rows = []
    for n, theme in enumerate(codebook.themes):
        y_true, y_pred = truth[:, n], predicted[:, n]
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_true, y_pred, average="binary", zero_division=0
        )
        rows.append(
            {
                "theme": theme.id,
                "label": theme.label,
                "positives": int(y_true.sum()),
                "tagged": int(y_pred.sum()),
                "true_positives": int((y_true & y_pred).sum()),
                "false_positives": int((~y_true & y_pred).sum()),
                "misses": int((y_true & ~y_pred).sum()),
                "precision": float(precision),
                "recall": float(recall),
                "f1": float(f1),
                "kappa": kappa(y_true, y_pred),
                "small_sample": int(y_true.sum()) < SMALL_SAMPLE,
            }
        )
    per_theme = pd.DataFrame(rows)
    averages = {}
    for average in ("micro", "macro"):
        precision, recall, f1, _ = precision_recall_fscore_support(
            truth, predicted, average=average, zero_division=0
        )
        averages[average] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
        }

    mistakes = []
    for n, theme in enumerate(codebook.themes):
        for kind, mask in (
            ("false positive", ~truth[:, n] & predicted[:, n]),
            ("miss", truth[:, n] & ~predicted[:, n]),
        ):
            for index in compared.index[mask]:
                mistakes.append(
                    {
                        "id": posts.at[index, "id"],
                        "title": posts.at[index, "title"],
                        "theme": theme.label,
                        "kind": kind,
                        "evidence": evidence.at[index, theme.id] or "no term matched",
                        "note": by_id.at[posts.at[index, "id"], "note"]
                        if "note" in by_id.columns
                        else "",
                    }
                )
    disagreements = pd.DataFrame(
        mistakes, columns=["id", "title", "theme", "kind", "evidence", "note"]
    )
    return QualityReport(
        per_theme=per_theme,
        micro=averages["micro"],
        macro=averages["macro"],
        disagreements=disagreements,
        posts_compared=int(labelled.sum()),
        unlabelled=tuple(posts.loc[~labelled, "id"]),
    )


#: The tagging-quality table's headers, by :attr:`QualityReport.per_theme` column: the one
#: wording of the Tagging quality page, the XLSX workbook's ``quality`` sheet and the report.
QUALITY_HEADERS = {
    "label": "Theme",
    "positives": "Labelled with the theme",
    "tagged": "Tagged with the theme",
    "true_positives": "Tagged and labelled",
    "false_positives": "False positives",
    "misses": "Misses",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "kappa": "Cohen's kappa",
    "small_sample": "Small sample",
}

#: The two average rows' ``Theme``, after the themes.
AVERAGE_LABELS = {"micro": "All themes (micro average)", "macro": "All themes (macro average)"}

#: What the table says when there were no labels to compare with.
NO_LABELS_NOTE = "No labels were available, so the tagging was not compared with hand-coding."


def quality_table(quality: QualityReport | None) -> pd.DataFrame:
    """Tagging quality for people: one row per theme with readable headers, then the two averages.

    Headers are :data:`QUALITY_HEADERS`. Scores are rounded to
    :data:`~analysis.formatting.SCORE_PLACES` decimal places; kappa is empty where it is
    undefined; ``Small sample`` is ``Yes`` for a theme with fewer than :data:`SMALL_SAMPLE`
    positive labels. The last two rows are the micro and macro averages of precision,
    recall and F1 (their counts, kappa and small sample are empty). With ``quality=None``
    the table is one row with a ``Note`` column saying that no labels were available.
    """
    if quality is None:
        return pd.DataFrame({"Note": [NO_LABELS_NOTE]})
    table = quality.per_theme[list(QUALITY_HEADERS)].copy()
    table["small_sample"] = table["small_sample"].map({True: "Yes", False: "No"})
    averages = pd.DataFrame(
        [
            {"label": AVERAGE_LABELS["micro"], **quality.micro},
            {"label": AVERAGE_LABELS["macro"], **quality.macro},
        ]
    )
    table = pd.concat([table, averages], ignore_index=True)
    for column in ("positives", "tagged", "true_positives", "false_positives", "misses"):
        table[column] = table[column].astype("Int64")
    for column in ("precision", "recall", "f1", "kappa"):
        table[column] = table[column].astype(float).round(SCORE_PLACES)
    return table.rename(columns=QUALITY_HEADERS)


def kappa(first, second) -> float:
    """Cohen's kappa of two yes/no codings.

    Kappa is undefined when both codings are constant; then this gives 1.0 if they are
    equal and 0.0 if they differ. NaN when there is nothing to compare.
    """
    first, second = np.asarray(first, dtype=bool), np.asarray(second, dtype=bool)
    if len(first) == 0:
        return float("nan")
    if first.min() == first.max() and second.min() == second.max():
        return 1.0 if first[0] == second[0] else 0.0
    from sklearn.metrics import cohen_kappa_score  # here: see quality_report

    return float(cohen_kappa_score(first, second))
