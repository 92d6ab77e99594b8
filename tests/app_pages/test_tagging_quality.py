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
