"""analysis.metrics: labels files and tagging quality against them."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from analysis.metrics import kappa, load_labels, quality_report, quality_table
from analysis.post_checks import LoadError


def labels_file(text: str):
    return io.BytesIO(text.encode("utf-8"))


def test_bundled_labels_code_all_18_posts(theme_ids, codebook):
    labels = load_labels(codebook=codebook)
    assert len(labels) == 18
    assert list(labels.columns) == ["id", *theme_ids, "note"]
    assert labels[theme_ids].sum().tolist() == [3, 1, 1, 4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title,workforce\nx,1\n", r"^l\.csv: has no id column$"),
        ("id,workforce\nx,1\n", r"^l\.csv: has no column for theme living_wage, racial_equity"),
        (
            "id,workforce,living_wage,racial_equity,health_justice\na,1,0,0,0\nb,1,yes,0,0\n",
            r"^l\.csv: row 3, column 'living_wage': 'yes' is not 0 or 1$",
        ),
        (
            "id,workforce,living_wage,racial_equity,health_justice\na,1,0,0,0\na,0,0,0,0\n",
            r"^l\.csv: the id 'a' has two label rows$",
        ),
        (
            "id,workforce,living_wage,racial_equity,health_justice\n",
            r"has a header row but no labels",
        ),
        ("", r"^l\.csv: is empty$"),
    ],
)
def test_bad_labels_files_are_one_line_errors(codebook, text, message):
    with pytest.raises(LoadError, match=message):
        load_labels(labels_file(text), codebook, name="l.csv")


def test_rows_after_a_blank_line_keep_their_spreadsheet_number(codebook):
    text = "id,workforce,living_wage,racial_equity,health_justice\na,1,0,0,0\n\nb,2,0,0,0\n"
    with pytest.raises(LoadError, match=r"row 4, column 'workforce'"):
        load_labels(labels_file(text), codebook, name="l.csv")


def test_quality_report_counts_precision_recall_kappa_and_disagreements(theme_ids, codebook):
    posts = pd.DataFrame({"id": ["a", "b", "c", "d"], "title": ["A", "B", "C", "D"]})
    tags = pd.DataFrame(False, index=posts.index, columns=theme_ids)
    tags.loc[[0, 1], "workforce"] = True  # a right, b a false positive
    evidence = pd.DataFrame("", index=posts.index, columns=theme_ids)
    evidence.loc[1, "workforce"] = "summary: recruit*"
    labels = pd.DataFrame(
        {"id": ["a", "b", "c"], **{t: [False] * 3 for t in theme_ids}, "note": ""}
    )
    labels.loc[0, "workforce"] = True
    labels.loc[2, "workforce"] = True  # c is a miss
    report = quality_report(posts, tags, evidence, labels, codebook)

    workforce = report.per_theme.set_index("theme").loc["workforce"]
    assert (workforce.positives, workforce.tagged, workforce.true_positives) == (2, 2, 1)
    assert (workforce.false_positives, workforce.misses) == (1, 1)
    assert workforce.precision == 0.5 and workforce.recall == 0.5 and workforce.f1 == 0.5
    assert workforce.kappa == pytest.approx(-0.5)
    assert bool(workforce.small_sample) is True  # 2 positive labels, fewer than SMALL_SAMPLE
    assert report.posts_compared == 3 and report.unlabelled == ("d",)
    assert report.micro == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    rows = report.disagreements[["id", "kind", "evidence"]].values.tolist()
    assert rows == [["b", "false positive", "summary: recruit*"], ["c", "miss", "no term matched"]]


def test_themes_with_fewer_than_five_hand_labels_are_named_small_samples(codebook, theme_ids):
    """The quality page and the report warn about themes with too few hand labels to trust."""
    posts = pd.DataFrame({"id": [f"p{n}" for n in range(6)], "title": "T"})
    tags = pd.DataFrame(False, index=posts.index, columns=theme_ids)
    evidence = pd.DataFrame("", index=posts.index, columns=theme_ids)
    labels = pd.DataFrame({"id": posts["id"], **{t: [False] * 6 for t in theme_ids}, "note": ""})
    labels.loc[:3, "workforce"] = True  # 4 posts labelled Workforce: too few
    labels.loc[:4, "living_wage"] = True  # 5 posts labelled Living wage: enough
    labels.loc[:, "racial_equity"] = True  # 6
    report = quality_report(posts, tags, evidence, labels, codebook)
    assert report.small_samples == ["Workforce", "Health justice"]  # Health justice: none


def test_kappa_edge_cases():
    assert kappa([True, False, True], [True, False, True]) == 1.0
    assert kappa([False, False], [False, False]) == 1.0  # both constant and equal
    assert kappa([True, True], [False, False]) == 0.0  # both constant, different
    assert math.isnan(kappa([], []))


def test_quality_table_per_theme_with_readable_headers(bundled):
    codebook = bundled.codebook
    labels = load_labels(codebook=codebook)
    quality = quality_report(
        bundled.posts, bundled.tags, bundled.result.evidence, labels, bundled.codebook
    )
    table = quality_table(quality)
    assert list(table.columns) == [
        "Theme",
        "Labelled with the theme",
        "Tagged with the theme",
        "Tagged and labelled",
        "False positives",
        "Misses",
        "Precision",
        "Recall",
        "F1",
        "Cohen's kappa",
        "Small sample",
    ]
    assert table["Theme"].tolist() == [
        *codebook.labels.values(),
        "All themes (micro average)",
        "All themes (macro average)",
    ]
    per_theme = quality.per_theme
    assert table["Labelled with the theme"].head(4).tolist() == per_theme["positives"].tolist()
    assert table["Misses"].head(4).tolist() == per_theme["misses"].tolist()
    assert table["F1"].head(4).tolist() == per_theme["f1"].round(3).tolist()
    assert table["Small sample"].head(4).tolist() == [
        "Yes" if small else "No" for small in per_theme["small_sample"]
    ]
    assert table["Precision"].iloc[4] == round(quality.micro["precision"], 3)
    assert table["F1"].iloc[5] == round(quality.macro["f1"], 3)
    assert table["Misses"].iloc[4:].isna().all()
