"""Suggestions in Chromium: one click on Tagging quality tries a suggestion in What if?, which
lists the edit and the posts it gains, and the edited codebook downloads with its term."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analysis import whatif
from analysis.codebook import load_codebook
from analysis.codebook_file import codebook_toml
from analysis.corpus import open_corpus
from analysis.metrics import load_labels
from app_pages.suggestions import APPLIED, FOLDS, TRY
from tests.browser.conftest import open_page, rerun, settled, shown_text

pytestmark = pytest.mark.browser


@pytest.fixture
def thin_dashboard(dashboard_with, tmp_path):
    """A dashboard on the bundled posts and labels with a names-only codebook (the bundled
    codebook is already perfect on its 18 labelled posts: little to suggest), and the
    suggestion its panel lists first (its first theme's best)."""
    from analysis.suggestions import suggest
    from tests.app_pages.test_suggestions import names_only

    path = tmp_path / "names-only.toml"
    path.write_text(codebook_toml(names_only(open_corpus().codebook)), encoding="utf-8")
    codebook = load_codebook(path)
    corpus = open_corpus(codebook=codebook)
    found = suggest(corpus.posts, load_labels(codebook=codebook), codebook, folds=FOLDS)
    order = [s for theme in codebook.ids for s in found if s.theme == theme]
    return dashboard_with("--codebook", path), corpus, order[0]


def go(page: Page, name: str, path: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+" + path), timeout=30_000)
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)
    settled(page)


def test_try_a_suggestion_from_tagging_quality_in_what_if(page, thin_dashboard, screenshot):
    from tests.browser.test_clicks import listed_titles

    server_url, corpus, chosen = thin_dashboard
    edited = chosen.apply(corpus.codebook)
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/quality")
    page.get_by_text("Suggested codebook edits").click()
    boxes = page.locator(
        "[class*='st-key-quality-suggestions-']:not([class*='-try-']):not([class*='-open'])"
    )
    expect(boxes.first).to_be_visible(timeout=120_000)  # learning takes a few seconds
    settled(page)
    box = boxes.first  # the first suggestion listed
    first = box.get_by_role("button", name=TRY)
    said = shown_text(box)
    assert chosen.text in said, said
    first.scroll_into_view_if_needed()
    screenshot("suggestions-quality", full_page=False)
    with rerun(page):
        first.click()
    expect(box.get_by_role("button", name=APPLIED)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("The codebook is edited").first).to_be_visible()

    screenshot("suggestions-quality-applied", full_page=False)

    go(page, "What if?", r"/whatif")
    page.get_by_text("What changed").scroll_into_view_if_needed()
    screenshot("suggestions-whatif-changed", full_page=False)
    text = shown_text(page)
    for line in whatif.edits(corpus.codebook, edited):
        assert line in text, line
    label = corpus.codebook.labels[chosen.theme]
    gained, lost = len(chosen.gained), len(chosen.lost)
    if gained:
        assert re.search(rf"{re.escape(label)}: \+{gained} posts?", text), text
        page.get_by_text(f"Posts that gained or lost {label}").click()
        settled(page)
        expander = page.get_by_test_id("stExpander").filter(
            has_text=f"Posts that gained or lost {label}"
        )
        titles = corpus.posts.set_index("id")["title"]
        expected = sorted(titles[p] for p in (*chosen.gained, *chosen.lost))
        assert listed_titles(page, expander, gained + lost) == expected

    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download edited codebook (TOML)").click()
    data = tomllib.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    (theme,) = [t for t in data["themes"] if t["id"] == chosen.theme]
    listed = [*theme["terms"], *theme.get("exclude", []), *theme.get("context_terms", [])]
    if chosen.action == "drop":
        assert chosen.term not in theme["terms"]
    else:
        assert chosen.term in listed, theme


def test_both_panels_at_1280_by_720(page, thin_dashboard, screenshot):
    server_url = thin_dashboard[0]
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/whatif")
    page.get_by_text("Suggested codebook edits").click()
    expect(page.get_by_role("button", name=TRY).first).to_be_visible(timeout=120_000)
    settled(page)
    with rerun(page):
        page.get_by_text("Groups of posts", exact=True).click()
    page.get_by_text("Themes the codebook misses").scroll_into_view_if_needed()
    screenshot("suggestions-whatif-discovery", full_page=False)
    expect(page.get_by_test_id("stException")).to_have_count(0)
