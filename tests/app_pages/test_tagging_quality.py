"""The Tagging quality page with AppTest: machine tags compared with the bundled labels."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import open_corpus
from analysis.metrics import load_labels, quality_report, quality_table
from tests.markdown_oracle import as_read


def test_quality_page_compares_tags_with_the_bundled_labels(theme_labels, app):
    at = app("app_pages/tagging_quality.py")
    metrics = {m.label: m.value for m in at.metric}
    assert as_read(metrics["Micro F1"]) == "1.000"  # analysis.formatting.SCORE_PLACES
    assert as_read(metrics["Macro F1"]) == "1.000"
    assert any("Small samples" in w.value for w in at.warning)
    figures = at.dataframe[0].value
    assert list(figures["Theme"][:4]) == list(theme_labels.values())
    assert {"Precision", "Recall", "F1", "Cohen's kappa"} <= set(figures.columns)
    assert any("agree with every label" in s.value for s in at.success)
    # The very table the report and the XLSX quality sheet show, in the same words.
    corpus = open_corpus()
    report = quality_report(
        corpus.posts, corpus.tags, corpus.result.evidence, load_labels(), corpus.codebook
    )
    pd.testing.assert_frame_equal(figures, quality_table(report), check_dtype=False)


def test_in_reviewed_mode_a_theme_a_reviewer_added_reads_added_by_them(app, review_database):
    from analysis.review_store import ReviewStore

    labels = load_labels()
    post = labels.loc[labels["workforce"] == 0, "id"].iloc[0]
    ReviewStore(review_database).record(post, "workforce", "added", "Asha", "test", False)
    at = app("app_pages/tagging_quality.py", session={"tag_mode": "reviewed"})
    (table,) = [d.value for d in at.dataframe if "Evidence" in d.value.columns]
    titles = dict(zip(open_corpus().posts["id"], open_corpus().posts["title"], strict=True))
    assert table.to_dict("records") == [
        {
            "Title": titles[post],
            "Theme": "Workforce",
            "Kind": "False positive",
            "Evidence": "added by Asha",
            "Label note": table["Label note"].iloc[0],
        }
    ]
    assert "no term matched" not in table["Evidence"].tolist()
