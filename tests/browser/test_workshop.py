"""Workshops in Debian Chromium: shared links, click-through, presentation mode, accessibility."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import open_page, settled

pytestmark = pytest.mark.browser

PAGES = ["", "explore", "themes", "whatif", "quality", "review"]


def test_a_shared_link_reproduces_the_view(page, server_url):
    open_page(page, f"{server_url}/?themes=health_justice&granularity=year&search=partnership")
    chart = page.locator(".js-plotly-plot").first
    expect(chart.locator(".xtick text").first).to_have_text("2023", timeout=30_000)
    assert chart.locator(".legendtext").all_text_contents() == [
        "Health justice",
        "Hatched = approximate date",
    ]
    expect(page.get_by_role("textbox", name="Search titles and summaries")).to_have_value(
        "partnership"
    )
    expect(page.get_by_text("Health justice", exact=True).first).to_be_visible()


def test_clicking_a_bar_lists_the_posts_behind_it(page, server_url):
    open_page(page, f"{server_url}/?themes=living_wage&granularity=year")
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)  # let the bars finish drawing
    bars = chart.locator(".trace.bars .point path")
    heights = [(bars.nth(n).bounding_box() or {"height": 0})["height"] for n in range(bars.count())]
    box = bars.nth(heights.index(max(heights))).bounding_box()  # the living-wage bar with a post
    # Plotly listens on the plot area above the bars, so click where the bar is drawn.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text("Posts behind Living wage, 2022")).to_be_visible(timeout=30_000)
    listed = page.get_by_test_id("stDataFrame").first
    expect(listed).to_be_visible()
    page.get_by_role("button", name="Back to all posts").click()
    expect(page.get_by_text("Posts behind")).to_have_count(0, timeout=30_000)


def test_presentation_mode_at_1280_by_720(page, server_url, screenshot):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/")
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=30_000)
    page.get_by_text("Presentation mode").click()
    expect(page).to_have_url(f"{server_url}/?present=true", timeout=30_000)
    expect(
        page.get_by_role("heading", name="Health justice is the most covered theme")
    ).to_be_visible()
    chart = page.locator(".js-plotly-plot")
    expect(chart).to_have_count(1, timeout=30_000)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    settled(page)
    legend = chart.first.locator(".legendtext").last
    expect(legend).to_be_visible()
    assert still_at(legend) + 20 < 720  # the legend is on screen, not below it
    page.wait_for_timeout(800)
    page.screenshot(
        path=str(screenshot("presentation-1280x720").with_name("presentation-1280x720.png"))
    )


def still_at(element, tries: int = 40) -> float:
    """The element's top once it stays put for a quarter of a second: as the sidebar tucks
    away the chart widens and Plotly lays it out again (its legend seen 25 px lower for a
    moment), and what the room sees is where it comes to rest."""
    top = element.bounding_box()["y"]
    for _ in range(tries):
        element.page.wait_for_timeout(250)
        top, before = element.bounding_box()["y"], top
        if top == before:
            return top
    raise AssertionError(f"still moving after {tries / 4:.0f} s")


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violations(page, server_url, path):
    open_page(page, f"{server_url}/{path}")
    for _ in range(3):
        settled(page)
        page.wait_for_timeout(500)  # fade-in transitions end
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
            f"{v['nodes'][0]['target']}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        # Streamlit dims what a rerun has not redrawn yet; on a loaded machine a rerun can
        # start while axe reads the page, so contrast alone is read again once it settles.
        if not serious or not all(line.startswith("color-contrast ") for line in serious):
            break
    assert not serious, "\n".join(serious)


#: For each caption shown: its text colour as drawn (the colour at the opacity of it and its
#: parents, over the background behind it) and that background, as [r, g, b] lists.
CAPTION_COLOURS = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  return Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
    .filter((e) => e.offsetParent !== null && e.innerText.trim())
    .map((e) => {
      let opacity = 1, behind = e, bg = null;
      for (let n = e; n; n = n.parentElement) opacity *= +getComputedStyle(n).opacity;
      while (behind && !bg) {
        const c = rgb(getComputedStyle(behind).backgroundColor);
        if (c.length === 3 || c[3] === 1) bg = c.slice(0, 3);
        behind = behind.parentElement;
      }
      const fg = rgb(getComputedStyle(e).color);
      const alpha = opacity * (fg.length === 4 ? fg[3] : 1);
      return {text: e.innerText, bg, fg: fg.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha))};
    });
}"""


def contrast(one: list[float], other: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(colour):
        c = [v / 255 for v in colour]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_captions_are_readable_in_the_light_and_the_dark_theme(page, server_url, scheme):
    """Captions, the theme's text colour at 60%, pass WCAG AA contrast (4.5:1) in the sidebar
    and on the page in either theme the app follows (the viewer's system setting). Worked
    out here, as axe cannot tell the sidebar's background ("overlapped by another element")."""
    page.emulate_media(color_scheme=scheme)
    open_page(page, f"{server_url}/", charts=2)
    captions = page.evaluate(CAPTION_COLOURS)
    texts = [c["text"] for c in captions]
    assert "Themes in the Health Anchors Learning Network blog, over time." in texts  # sidebar
    assert any(t.startswith("HALN blog posts") for t in texts), texts  # the page
    low = {c["text"][:40]: round(contrast(c["fg"], c["bg"]), 2) for c in captions}
    assert min(low.values()) >= 4.5, low
