"""Counts in words read right for one and for many."""

from __future__ import annotations

from analysis.codebook import load_codebook


def test_themes_page_counts_terms_and_exclusions_in_the_right_number(app):
    at = app()
    at.switch_page("app_pages/themes.py").run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [e.label for e in at.main.expander if e.label.startswith("All ")]
    codebook = load_codebook()
    assert [len(t.exclude) for t in codebook.themes][:2] == [1, 1]  # the bundled codebook
    assert labels == [
        f"All {len(t.terms)} terms and {len(t.exclude)} "
        + ("exclusion" if len(t.exclude) == 1 else "exclusions")
        for t in codebook.themes
    ]
    assert labels[0] == "All 32 terms and 1 exclusion"
