"""What every page does (AppTest): it renders, and it says which tags it shows."""

from __future__ import annotations

import pytest

PAGES = ["app_pages/overview.py", "app_pages/explore.py", "app_pages/themes.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    at = app(page)
    assert at.title[0].value in {"Overview", "Explore posts", "Themes"}


@pytest.mark.parametrize(
    "page", ["app_pages/overview.py", "app_pages/explore.py", "app_pages/themes.py"]
)
def test_every_page_says_which_tags_it_shows(app, page):
    at = app(page)
    badges = [b.proto.body for b in at.get("markdown") if "Machine tags" in b.proto.body]
    assert badges, "the tag mode is not shown"
