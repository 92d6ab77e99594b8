"""The Themes page with AppTest: a tab per theme, counts in words read right for one and for
many, the codebook downloads."""

from __future__ import annotations

from analysis.codebook import load_codebook
from tests.app_pages.test_overview import figures
from tests.markdown_oracle import as_read


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


def test_themes_page_has_a_tab_per_theme_with_terms_chart(theme_labels, app):
    at = app("app_pages/themes.py")
    assert [t.label for t in at.tabs] == list(theme_labels.values())
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert titles == [f"{label}: terms that matched most" for label in list(theme_labels.values())]


def test_themes_page_offers_the_codebook_as_toml_and_csv(app):
    at = app("app_pages/themes.py")
    labels = [d.proto.label for d in at.main.get("download_button")]
    assert labels[-2:] == ["Codebook (TOML)", "Codebook (CSV: tag, description)"]


def test_the_themes_page_states_the_codebooks_one_tagging_rule(app, tmp_path):
    from dataclasses import replace

    from analysis.codebook_file import codebook_toml
    from app_pages.text import md

    # A codebook from the command line with its own weights: the page's account follows it.
    codebook = replace(load_codebook(), text_weight=0.5, min_score=2.0)
    path = tmp_path / "stricter.toml"
    path.write_text(codebook_toml(codebook), encoding="utf-8")
    at = app("app_pages/themes.py", argv=["--codebook", str(path)])
    captions = [c.value for c in at.main.caption]
    shown = load_codebook(path)
    assert md("Codebook {} ({}). {}", shown.version, shown.source, shown.method) in captions
    assert "reaches 2 \\(min\\_score\\)" in captions[0]
    assert "0\\.5 in the full text" in captions[0]


def test_the_themes_page_lists_context_terms_apart_from_terms(app, tmp_path):
    """A theme's context terms get their own list, said to count only alongside its terms,
    and are counted in the expander's label; a theme without any shows no such list."""
    from analysis.codebook_file import codebook_toml
    from analysis.whatif import add_context_terms

    broad = ["housing", "debt", "poverty", "benefits"]
    codebook = add_context_terms(load_codebook(), "health_justice", broad)
    path = tmp_path / "context.toml"
    path.write_text(codebook_toml(codebook), encoding="utf-8")
    at = app("app_pages/themes.py", argv=["--codebook", str(path)])
    theme = codebook.theme("health_justice")
    expanders = {as_read(e.label): e for e in at.main.expander if e.label.startswith("All ")}
    label = f"All {len(theme.terms)} terms, 4 context terms and {len(theme.exclude)} exclusions"
    assert list(expanders)[3] == label
    shown = [c.value for c in expanders[label].code]
    assert shown == [
        ", ".join(theme.terms),
        "housing, debt, poverty, benefits",
        ", ".join(theme.exclude),
    ]
    assert "housing" not in shown[0].split(", ")
    said = [m.value for m in expanders[label].markdown]
    assert said[1] == (
        "**Context terms** (count only in a post where one of the terms above is also found)"
    )
    workforce = next(iter(expanders.values()))
    assert not [m for m in workforce.markdown if "Context terms" in m.value]
    assert len(workforce.code) == 2  # terms and exclusions only
