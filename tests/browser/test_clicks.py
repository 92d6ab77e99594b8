"""Click-through in Debian Chromium: click a mark as a person does, see exactly its posts.

Each test finds a mark's place on screen from the Plotly figure the page drew (the SVG
path Plotly bound to the point whose ``customdata`` names the mark), clicks its middle
with the mouse, and reads the titles in the list of posts that opens. The titles
expected are worked out from the loaded posts and their tags with plain pandas.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from analysis.codebook import load_codebook
from analysis.corpus import open_corpus
from analysis.loading import BUNDLED_POSTS
from tests.browser.conftest import open_page, rerun, settled, shown_text

pytestmark = pytest.mark.browser

#: The middle of the bar or cell whose customdata is ``mark`` in a Plotly chart, in page
#: pixels. Plotly binds each point's calcdata to its SVG ``g.point`` (D3's ``__data__``)
#: and each trace's calcdata, whose first item holds the trace, to its ``g.trace``.
MARK_BOX = """([plot, mark]) => {
  const want = JSON.stringify(mark);
  for (const trace of plot.querySelectorAll('.barlayer g.trace')) {
    const cd = trace.__data__;
    const data = (cd && cd[0] && cd[0].trace && cd[0].trace.customdata) || [];
    const points = trace.querySelectorAll('g.point');
    for (let i = 0; i < points.length; i++) {
      const di = points[i].__data__;
      const index = di && typeof di.i === 'number' ? di.i : i;
      if (JSON.stringify(Array.from(data[index] || [])) === want) {
        const box = points[i].querySelector('path').getBoundingClientRect();
        return {x: box.x, y: box.y, width: box.width, height: box.height};
      }
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def corpus():
    return open_corpus(BUNDLED_POSTS, codebook=load_codebook(), name="bundled")


def titles(corpus, mask) -> list[str]:
    return sorted(corpus.posts.loc[mask, "title"])


def click_mark(page: Page, plot: Locator, mark: list[str]) -> None:
    plot.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = page.evaluate(MARK_BOX, [plot.element_handle(), mark])
    assert box and box["width"] > 1 and box["height"] > 1, f"no mark {mark} drawn: {box}"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def listed_titles(page: Page, where: Locator, n: int) -> list[str]:
    """The titles in the list of clicked posts, read from the data grid's accessible table
    (the text of the cells it draws), after checking it has ``n`` rows."""
    grid = where.get_by_test_id("stDataFrame").last
    expect(grid).to_be_visible(timeout=30_000)
    table = grid.locator("table[role=grid]")
    expect(table).to_have_attribute("aria-rowcount", str(n + 1), timeout=30_000)  # + heading
    title = table.locator("th[role=columnheader]", has_text="Title")
    column = title.get_attribute("aria-colindex")
    cells = table.locator(f"td[role=gridcell][aria-colindex='{column}']")
    expect(cells).to_have_count(n)
    return sorted(cell.inner_text() for cell in cells.all())


def listing(page: Page, key: str, said: str) -> Locator:
    """The block listing the posts clicked on chart ``key``, once it says ``said``."""
    block = page.locator(f".st-key-{key}-listed")
    expect(block).to_be_visible(timeout=30_000)
    settled(page)
    assert said in shown_text(block)
    return block


def test_clicking_a_coverage_bar_lists_exactly_its_posts(page, server_url, corpus):
    open_page(page, f"{server_url}/", charts=2)
    plot = page.locator(".js-plotly-plot").nth(0)
    click_mark(page, plot, ["coverage", "health_justice", "2023Q2", "approximate"])
    said = "Posts behind Health justice, 2023 Q2, approximate dates: 3 posts"
    block = listing(page, "coverage", said)
    quarter = corpus.posts["published"].dt.to_period("Q").astype(str).eq("2023Q2")
    expected = titles(corpus, quarter & corpus.tags["health_justice"])
    assert listed_titles(page, block, 3) == expected


def test_clicking_a_totals_bar_lists_exactly_its_posts(page, server_url, corpus):
    open_page(page, f"{server_url}/", charts=2)  # coverage, and the first chosen below it: totals
    plot = page.locator(".js-plotly-plot").nth(1)
    click_mark(page, plot, ["totals", "workforce", "", ""])
    block = listing(page, "totals", "Posts behind Workforce: 3 posts")
    assert listed_titles(page, block, 3) == titles(corpus, corpus.tags["workforce"])


def test_clicking_a_cooccurrence_cell_lists_exactly_its_posts(page, server_url, corpus):
    open_page(page, f"{server_url}/", charts=2)
    with rerun(page):  # drawn once chosen, in place of the totals'
        page.get_by_role("radio", name="Themes together").click()
    plot = page.locator(".js-plotly-plot").nth(1)
    expect(plot).to_contain_text("Themes that appear together", timeout=30_000)
    click_mark(page, plot, ["cooccurrence", "health_justice", "health_justice", ""])
    block = listing(page, "cooccurrence", "Posts behind Health justice: 4 posts")
    assert listed_titles(page, block, 4) == titles(corpus, corpus.tags["health_justice"])


def test_clicking_a_term_bar_lists_the_posts_whose_evidence_holds_it(page, server_url, corpus):
    open_page(page, f"{server_url}/themes", charts=4)
    plot = page.locator(".js-plotly-plot").nth(0)  # the first tab: Workforce
    click_mark(page, plot, ["terms", "workforce", "workforce", ""])
    block = listing(page, "terms_workforce", "Posts behind term “workforce” in Workforce: 2 posts")
    words = corpus.posts["title"] + " " + corpus.posts["summary"].fillna("")
    expected = titles(corpus, words.str.contains(r"\bworkforce\b", case=False))
    assert len(expected) == 2
    assert listed_titles(page, block, 2) == expected


def test_in_presentation_mode_the_clicked_posts_open_in_view_at_1280_by_720(
    page, server_url, corpus, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/?present=true", charts=1)
    plot = page.locator(".js-plotly-plot").first
    click_mark(page, plot, ["coverage", "health_justice", "2023Q2", "approximate"])
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=30_000)
    settled(page)
    page.wait_for_timeout(500)
    said = "Posts behind Health justice, 2023 Q2, approximate dates: 3 posts"
    assert said in shown_text(dialog)
    quarter = corpus.posts["published"].dt.to_period("Q").astype(str).eq("2023Q2")
    assert listed_titles(page, dialog, 3) == titles(corpus, quarter & corpus.tags["health_justice"])
    for part in (dialog.get_by_text(said), dialog.get_by_test_id("stDataFrame")):
        box = part.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720, box  # in view, not below
    screenshot("presentation-clicked-1280x720", full_page=False)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0, timeout=30_000)
    settled(page)
    expect(page.get_by_role("dialog")).to_have_count(0)  # closing clears the click


def test_presenting_a_chosen_table_row_lists_its_posts_in_view(page, server_url, corpus):
    """Presentation tables are zoomed to the page's type: a row's tick box must still
    choose that row where it is drawn."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/?present=true&chart=totals", charts=1)
    page.get_by_text("Data behind this chart").click()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=30_000)
    page.wait_for_timeout(800)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    frame = grid.locator("xpath=ancestor::*[@data-testid='stExpander']").bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)  # fits, zoomed
    rows = 6  # the heading and five series
    row = box["height"] / rows
    page.mouse.click(box["x"] + row / 2.2, box["y"] + row * 1.5)  # the first row's tick box
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=30_000)
    settled(page)
    assert "Posts behind Workforce: 3 posts" in shown_text(dialog)
    assert listed_titles(page, dialog, 3) == titles(corpus, corpus.tags["workforce"])


def test_presentation_metric_values_are_larger_than_their_labels(page, server_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/themes?present=true", charts=4)
    metric = page.get_by_test_id("stMetric").first
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    value = metric.get_by_test_id("stMetricValue").locator("p, div").last.evaluate(size)
    label = metric.get_by_test_id("stMetricLabel").locator("p").first.evaluate(size)
    assert value > 1.5 * label, (value, label)


def test_presenting_the_terms_subtitle_clears_the_first_term(page, server_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, f"{server_url}/themes?present=true", charts=4)
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    subtitle = plot.locator(".gtitle-subtitle").bounding_box()
    ticks = [t.bounding_box() for t in plot.locator(".ytick text").all()]
    top = min(box["y"] for box in ticks)
    assert subtitle["y"] + subtitle["height"] <= top, (subtitle, top)


def test_presenting_the_matrix_subtitle_clears_the_first_row(page, server_url):
    """One subtitle line (an edited codebook's matrix has no empty-diagonal note) must
    still end above the matrix's first row."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(
        page, f"{server_url}/?present=true&chart=together&whatif=workforce:%2Bemploy*", charts=1
    )
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    subtitle = plot.locator(".gtitle-subtitle").bounding_box()
    cells = [c.bounding_box() for c in plot.locator(".barlayer g.point path").all()]
    top = min(box["y"] for box in cells if box and box["height"] > 1)
    assert subtitle["y"] + subtitle["height"] <= top, (subtitle, top)
