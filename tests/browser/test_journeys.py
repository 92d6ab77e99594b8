"""Two users' journeys end to end in Debian Chromium, clicked as a person would, checked by
what is shown: the posts listed, a post's text and link, a decision found in the downloads.

- The programme lead filters by theme and search in the sidebar, finds exactly the
  expected posts on Explore and opens one.
- The evaluator unlocks Review with the passcode, rejects a theme on a post, switches to
  reviewed tags and finds the decision in the downloaded report and workbook.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from analysis.corpus import open_corpus
from analysis.loading import BUNDLED_POSTS
from tests.browser.conftest import open_page, rerun, settled, shown_text, watch_runs
from tests.browser.reading import click_row, grid_rows, heading_shown

pytestmark = pytest.mark.browser

PASSCODE = "right horse battery"
LIVING_WAGE = "health-anchors-in-london-and-the-london-living-wage"


def bundled():
    """The bundled posts and their machine tags, read straight from the engine."""
    corpus = open_corpus(BUNDLED_POSTS)
    return corpus.posts, corpus.tags


def expected_titles(themes: set[str], search: str) -> list[str]:
    """Titles Explore should list for a theme choice and a search, newest first: posts with
    any chosen theme whose title or summary holds every word of the search, in any case."""
    posts, tags = bundled()
    words = search.lower().split()
    keep = [
        tags.loc[i, list(themes)].any()
        and all(w in f"{p['title']} {p['summary']}".lower() for w in words)
        for i, p in posts.iterrows()
    ]
    chosen = posts[keep].sort_values("published", ascending=False, kind="stable")
    return chosen["title"].tolist()


def test_programme_lead_filters_and_opens_a_post(page, server_url):
    open_page(page, f"{server_url}/explore")
    sidebar = page.get_by_test_id("stSidebar")
    grid = page.get_by_test_id("stDataFrame").first
    assert len(grid_rows(grid)) == 18

    # Keep two themes: remove the others from the sidebar's theme choice.
    for label in ["Living wage", "Racial equity", "No theme"]:
        with rerun(page):
            sidebar.get_by_role("button", name=f"Remove {label}").click()
    want = expected_titles({"workforce", "health_justice"}, "")
    expect(page.get_by_text(f"{len(want)} of 18 posts match the filters")).to_be_visible()
    rows = grid_rows(grid, len(want))
    assert [r["Title"] for r in rows] == want
    assert all(set(r["Themes"].split(", ")) & {"Workforce", "Health justice"} for r in rows)

    search = sidebar.get_by_role("textbox", name="Search titles and summaries")
    search.fill("partnership")
    with rerun(page):
        search.press("Enter")
    want = expected_titles({"workforce", "health_justice"}, "partnership")
    assert 0 < len(want) < 7
    expect(page.get_by_text(f"{len(want)} of 18 posts match the filters")).to_be_visible()
    rows = grid_rows(grid, len(want))
    assert [r["Title"] for r in rows] == want

    # The posts CSV holds exactly the rows listed, in the same order, after its header.
    data = download(page, page.get_by_test_id("stMain"), "Posts (CSV)")
    lines = data.decode("utf-8-sig").splitlines()
    assert "# search: partnership" in lines
    written = list(csv.DictReader(line for line in lines if not line.startswith("# ")))
    assert [r["title"] for r in written] == [r["Title"] for r in rows]
    assert [r["themes"].replace("; ", ", ") for r in written] == [r["Themes"] for r in rows]

    # Open the post that has a link: its title, summary and "Read the post" address.
    posts, _ = bundled()
    (n,) = [n for n, r in enumerate(rows) if r["Link"]]
    post = posts[posts["title"] == rows[n]["Title"]].iloc[0]
    click_row(grid, n)
    heading_shown(page, post["title"])
    settled(page)
    main = page.get_by_test_id("stMain")
    assert " ".join(post["summary"].split()) in " ".join(shown_text(main).split())
    link = main.get_by_role("link", name="Read the post")
    expect(link).to_have_attribute("href", post["url"])
    assert post["url"].startswith("https://haln.org.uk/")
    expect(page).to_have_url(re.compile(rf"[?&]post={re.escape(post['id'])}(&|$)"))


@pytest.fixture
def reviewed_dashboard(monkeypatch, request):
    """A dashboard of the test's own whose review is unlocked by :data:`PASSCODE`."""
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    return request.getfixturevalue("fresh_dashboard")


def report_themes(html: str) -> dict[str, set[str]]:
    """Each post title in the report's "Posts by theme", with the themes it is listed under."""
    tree = lxml.html.fromstring(html)
    out: dict[str, set[str]] = {}
    for block in tree.xpath('//section[@id="posts"]//div[@class="theme-posts"]'):
        heading = block.xpath(".//h3")[0].text_content().strip()
        label = re.sub(r"\s*\(\d+ posts?\)$", "", heading)
        for row in block.xpath(".//tbody/tr"):
            out.setdefault(row.xpath("./td[1]")[0].text_content(), set()).add(label)
    return out


def download(page: Page, where, name: str) -> bytes:
    with page.expect_download(timeout=120_000) as started:
        where.get_by_role("button", name=name).click()
    return Path(started.value.path()).read_bytes()


def test_evaluator_records_a_decision_and_finds_it_in_the_report_and_workbook(
    page, reviewed_dashboard, screenshot
):
    posts, _ = bundled()
    title = posts.set_index("id").loc[LIVING_WAGE, "title"]
    sidebar = page.get_by_test_id("stSidebar")

    open_page(page, f"{reviewed_dashboard}/review")
    page.get_by_role("textbox", name="Review passcode").fill(PASSCODE)
    page.get_by_role("textbox", name="Your name").fill("Ada Evaluator")
    page.get_by_role("button", name="Unlock editing").click()
    expect(page.get_by_text("Reviewing as Ada Evaluator.")).to_be_visible(timeout=30_000)
    settled(page)

    # Choose the post, reject the machine's theme.
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").filter(has_text="Post").click()
    page.get_by_role("option", name=title).click()
    heading_shown(page, title)
    settled(page)
    main.get_by_role("button", name=re.compile("^Reject")).click()
    expect(page.get_by_test_id("stToast").first).to_contain_text("Living wage", timeout=30_000)
    settled(page)
    main.get_by_text("History of this post").click()
    history = grid_rows(main.get_by_test_id("stDataFrame").first, 1)
    assert len(history) == 1 and "Ada Evaluator" in history[0].values()

    # Before switching: machine tags still list the post under Living wage.
    html = download(page, sidebar, "Download report").decode()
    assert "Tag mode: machine." in lxml.html.fromstring(html).text_content()
    assert report_themes(html)[title] == {"Living wage"}

    with rerun(page):
        sidebar.get_by_text("Reviewed tags", exact=True).click()
    sidebar.get_by_role("link", name="Explore posts").click()
    expect(page.get_by_role("heading", name="Explore posts")).to_be_visible(timeout=30_000)
    settled(page)
    assert "Reviewed tags · 1 human decision\n" in shown_text(page.get_by_test_id("stMain")) + "\n"
    rows = {r["Title"]: r for r in grid_rows(page.get_by_test_id("stDataFrame").first)}
    assert rows[title]["Themes"] == ""
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot("journey-evaluator-reviewed-tags", full_page=False)

    # The report, in reviewed tags: the post is no longer under Living wage but under No theme.
    html = download(page, sidebar, "Download report").decode()
    assert "Tag mode: reviewed." in lxml.html.fromstring(html).text_content()
    assert report_themes(html)[title] == {"No theme"}

    # The workbook's posts sheet: the post's themes are empty and its Living wage tag is 0.
    book = openpyxl.load_workbook(
        io.BytesIO(
            download(
                page, page.get_by_test_id("stMain"), "Posts, coverage, codebook, quality (XLSX)"
            )
        ),
        read_only=True,
    )
    rows = list(book["posts"].iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert "living_wage_tag" in header
    (row,) = [r for r in body if r["id"] == LIVING_WAGE]
    assert row["themes"] in (None, "")
    # Machine tag, the reviewer's decision and the final tag side by side.
    assert (row["living_wage_machine"], row["living_wage_decision"]) == (1, "does not apply")
    assert row["living_wage_tag"] == 0
    assert sum(r["living_wage_tag"] for r in body) == 0  # it was the only living-wage post
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["tag mode"] == "reviewed"


# --- the workshop ------------------------------------------------------------------------------

#: Every trace of every chart on the page as the browser holds it: what a viewer sees drawn.
DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot'), (plot) =>
  plot._fullData.filter((t) => t.visible !== false).map((t) => ({
    type: t.type, name: t.name || '',
    x: Array.from(t.x || [], String), y: Array.from(t.y || [], String),
    text: Array.from(t.text || [], String),
  })))"""


def drawn(page: Page) -> list:
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    settled(page)
    page.wait_for_timeout(800)  # the chart finishes drawing
    return page.evaluate(DRAWN)


IN_VIEW = "e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.right > 0; }"


def open_sidebar(page: Page) -> None:
    """Open the sidebar if presentation mode has tucked it away (it slides in and out)."""
    heading = page.get_by_test_id("stSidebar").get_by_role("heading", name="Anchor Themes")
    expand = page.get_by_test_id("stExpandSidebarButton")
    for _ in range(40):
        if heading.count() and heading.evaluate(IN_VIEW):
            break
        if expand.is_visible():
            expand.click()
        page.wait_for_timeout(250)
    expect(heading).to_be_in_viewport(timeout=10_000)


def sidebar_link(page: Page, name: str, path: str) -> None:
    """Open the tucked-away sidebar, as a facilitator does, and follow a page link."""
    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+" + path), timeout=30_000)
    expect(page.locator("h1, h3, .js-plotly-plot").first).to_be_visible(timeout=60_000)
    settled(page)


def test_workshop_presents_clicks_a_cell_edits_and_shares_the_view(fresh_dashboard, browser):
    from tests.browser.test_clicks import click_mark, listed_titles

    posts, tags = bundled()
    room = browser.new_context(viewport={"width": 1280, "height": 720})
    laptop = browser.new_context(viewport={"width": 1280, "height": 720})  # someone in the room
    try:
        page = room.new_page()
        watch_runs(page)
        # A fresh server, opened straight on a presentation link to the matrix.
        page.goto(f"{fresh_dashboard}/?present=true&chart=together")
        expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=90_000)
        settled(page)
        expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # sidebar tucked away

        # Click the Workforce cell of the matrix: its posts open in view.
        click_mark(
            page,
            page.locator(".js-plotly-plot").first,
            ["cooccurrence", "workforce", "workforce", ""],
        )
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=30_000)
        settled(page)
        expected = sorted(posts.loc[tags["workforce"], "title"])
        assert f"Posts behind Workforce: {len(expected)} posts" in shown_text(dialog)
        assert listed_titles(page, dialog, len(expected)) == expected
        box = dialog.get_by_test_id("stDataFrame").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720, box  # in view at 1280x720
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0, timeout=30_000)
        before = drawn(page)

        # "What if we counted employment as workforce?"
        sidebar_link(page, "What if?", r"/whatif")
        page.get_by_role("textbox", name="Terms to add").fill("employ*")
        with rerun(page):
            page.get_by_role("button", name="Add terms").click()
        expect(page.get_by_text("The codebook is edited").first).to_be_visible(timeout=30_000)
        sidebar_link(page, "Overview", r"/(\?|$)")
        expect(page.get_by_text("The codebook is edited").first).to_be_visible(timeout=30_000)
        edited = drawn(page)
        assert edited != before  # the edit visibly changes the matrix the room sees

        # Copy the link to this view and open it on another laptop.
        open_sidebar(page)
        page.get_by_test_id("stSidebar").get_by_text("Link to this view").click()
        link = shown_text(page.get_by_test_id("stSidebar").get_by_test_id("stCode")).strip()
        assert "present=true" in link and "chart=together" in link and "whatif=" in link

        other = laptop.new_page()
        other.goto(link)
        expect(other.locator(".js-plotly-plot")).to_have_count(1, timeout=90_000)
        expect(other.get_by_text("The codebook is edited").first).to_be_visible(timeout=30_000)
        assert drawn(other) == edited
    finally:
        room.close()
        laptop.close()
