"""The dashboard in Debian Chromium: pages load, charts draw, the legend names every theme."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

PAGES = {"overview": "", "explore": "explore", "themes": "themes"}


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_without_error(page, server_url, screenshot, name):
    page.set_viewport_size({"width": 1400, "height": 2000})
    open_page(page, f"{server_url}/{PAGES[name]}")
    if name != "explore":
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)  # let charts finish their entry transition
    no_exception(page)
    assert screenshot(name).stat().st_size > 10_000


def test_overview_chart_legend_shows_the_four_theme_labels(theme_labels, page, server_url):
    open_page(page, f"{server_url}/")
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=30_000)
    legend = chart.locator(".legendtext")
    expect(legend.first).to_be_visible()
    texts = legend.all_text_contents()
    assert texts[:4] == list(theme_labels.values())
    assert "No theme" in texts and "Hatched = approximate date" in texts


def test_overview_period_switch_redraws_by_year(page, server_url):
    open_page(page, f"{server_url}/")
    chart = page.locator(".js-plotly-plot").first
    expect(chart.locator(".xtick text").first).to_have_text("2021 Q3", timeout=30_000)
    page.get_by_text("Year", exact=True).click()
    expect(chart.locator(".xtick text").first).to_have_text("2021", timeout=30_000)
    expect(page.get_by_text("Posts per theme per year")).to_be_visible()


def test_explore_selecting_a_post_explains_its_themes(page, server_url, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1800})
    open_page(
        page, f"{server_url}/explore?post=health-anchors-in-london-and-the-london-living-wage"
    )
    expect(page.get_by_role("heading", name=re.compile("London Living Wage"))).to_be_visible(
        timeout=30_000
    )
    marks = page.locator("mark")
    expect(marks.first).to_be_visible()
    assert "London Living Wage" in marks.all_inner_texts()
    expect(page.get_by_text("Living wage: given")).to_be_visible()
    no_exception(page)
    screenshot("explore-selected-post")


def test_search_with_no_match_shows_an_empty_state(page, server_url):
    open_page(page, f"{server_url}/explore")
    search = page.get_by_role("textbox", name="Search titles and summaries")
    search.fill("no post says this")
    search.press("Enter")
    expect(page.get_by_text("No posts to show")).to_be_visible(timeout=30_000)
    no_exception(page)


def test_a_shared_link_works_as_a_fresh_servers_first_request(page, fresh_dashboard):
    """The first visitor after a (re)start may arrive by a link straight to a page."""
    open_page(page, f"{fresh_dashboard}/themes")
    expect(page.get_by_role("tab", name="Workforce")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Filters")).to_be_visible()
    no_exception(page)
