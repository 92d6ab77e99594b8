"""Hostile files in Chromium: every page shows their Markdown and HTML as text.

A visitor uploads, through the sidebar, a codebook and posts whose labels, version,
definitions, titles, summaries, authors, date notes and file names are full of payloads
(images, links, bare and www autolinks, e-mail, raw <img> and <script>, directives, icons,
LaTeX, javascript: urls) pointing at 127.0.0.1:9, where nothing answers. Then every page is
opened in the same session, with a labels file, a What if? theme typed with a payload and
a review decision on the way. Nothing may fetch from that host, no link may point there
or use a scheme other than http(s), no script may run, and the payload text must be on
the page as written.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests import hostile_files as hostile
from tests.browser.conftest import SCREENSHOTS, running_dashboard, shown_text

pytestmark = pytest.mark.browser

PASSCODE = "right horse battery"
POST = hostile.posts_rows()[0]
#: In-app links of the sidebar menu (a new page load would start a session without uploads).
MENU = {
    "overview": "Overview",
    "explore": "Explore posts",
    "themes": "Themes",
    "whatif": "What if?",
    "quality": "Tagging quality",
    "review": "Review",
}
#: The one request Streamlit itself makes elsewhere: the page icon (":material/anchor:").
PAGE_ICON = "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/anchor/"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A dashboard of this module's own, with a review passcode so decisions can be made."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
        with running_dashboard(tmp_path_factory.mktemp("hostile")) as url:
            yield url


class Watch:
    """What leaves the page: requests to other hosts, and dialogs a script opened."""

    def __init__(self, page: Page, server_url: str):
        self.page = page
        self.server = urlsplit(server_url).netloc
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", self._request)
        page.on("dialog", self._dialog)
        # Anything for another host is recorded and never leaves the machine.
        page.route(re.compile(r"^(?!" + re.escape(server_url) + ")https?://"), self._block)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        foreign = parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.server
        if foreign and not request.url.startswith(PAGE_ICON):
            self.foreign.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @staticmethod
    def _block(route) -> None:
        route.abort()


def links(page: Page) -> list[str]:
    """Every link target on the page: HTML anchors and SVG ones (Plotly draws SVG)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a')].map(a =>
            a.getAttribute('href') ?? a.getAttribute('xlink:href') ?? a.href?.baseVal ?? '')
            .filter(h => h !== '')"""
    )


def settle(page: Page) -> None:
    """Wait for the script run to finish and the charts to draw."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)


def assert_held(page: Page, watch: Watch, server_url: str) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not watch.foreign, watch.foreign
    assert not watch.dialogs, watch.dialogs
    for href in links(page):
        target = urlsplit(href if "://" in href or ":" in href.split("/")[0] else server_url + href)
        assert target.scheme in ("http", "https"), href
        assert hostile.HOST not in target.netloc, href
    images = page.evaluate("() => [...document.images].map(i => i.src)")
    assert not [src for src in images if hostile.HOST in src], images


def go(page: Page, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=MENU[name], exact=True).click()
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)
    settle(page)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"hostile-{name}.png"))


def upload(page: Page, label: str, name: str, data: bytes, mime: str, then: str) -> None:
    """Upload a file as a visitor would, and wait until the page says ``then``."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    uploader.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    expect(page.get_by_text(then).first).to_be_visible(timeout=90_000)
    settle(page)


def test_every_page_shows_hostile_files_as_text(browser, hostile_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    watch = Watch(page, hostile_server)
    try:
        page.goto(f"{hostile_server}/explore")
        expect(page.locator("h1").first).to_be_visible(timeout=60_000)
        settle(page)
        page.get_by_test_id("stSidebar").get_by_text("Data and codebook").click()
        codebook = hostile.codebook_bytes()
        upload(
            page, "codebook", hostile.CODEBOOK_NAME, codebook, "application/toml", "Tagging with"
        )
        posts = hostile.posts_bytes()
        upload(page, "posts CSV", hostile.POSTS_NAME, posts, "text/csv", "Showing 18 posts from")
        assert_held(page, watch, hostile_server)
        sidebar = shown_text(page.get_by_test_id("stSidebar"))
        assert f"Tagging with {hostile.CODEBOOK_NAME} (version" in sidebar
        assert f"Showing 18 posts from {hostile.POSTS_NAME}." in sidebar

        # Explore: the newest post, chosen in the table as a reader would (its first row's
        # tick box), shows its title, author and date note, and why it has each theme.
        grid = page.get_by_test_id("stDataFrame").first.bounding_box()
        page.mouse.click(grid["x"] + 16, grid["y"] + 35 + 17)
        expect(page.get_by_text("Why each theme was or was not given")).to_be_visible(
            timeout=60_000
        )
        settle(page)
        page.get_by_role("heading", level=3).first.scroll_into_view_if_needed()
        screenshot(page, "explore")
        assert_held(page, watch, hostile_server)
        text = shown_text(page)
        assert "18 of 18 posts match the filters" in text  # relabelled themes stay chosen
        assert POST["title"] in text and POST["author"] in text and POST["date_basis"] in text
        assert hostile.payload("summary0") in text  # through highlight(), as text
        expect(page.get_by_role("link", name="Read the post")).to_have_count(0)

        go(page, "overview")
        legend = page.locator(".js-plotly-plot").first.locator(".legendtext")
        expect(legend.first).to_be_visible(timeout=60_000)
        screenshot(page, "overview")
        assert_held(page, watch, hostile_server)
        assert hostile.short_payload("version") in shown_text(page)
        assert hostile.short_payload("L-workforce") in shown_text(page)  # a metric's label
        legend = [shown.replace("\u00a0", " ") for shown in legend.all_text_contents()]
        assert hostile.short_payload("L-workforce") in legend

        go(page, "themes")
        tab = page.get_by_role("tab").first
        expect(tab).to_be_visible(timeout=60_000)
        screenshot(page, "themes")
        assert_held(page, watch, hostile_server)
        assert shown_text(tab).strip() == hostile.short_payload("L-workforce")
        text = shown_text(page)
        assert hostile.payload("def-workforce") in text
        assert hostile.short_payload("none") in text

        go(page, "whatif")
        typed = hostile.payload("typed").replace(",", " ")[:60].strip()
        form = page.get_by_test_id("stForm")
        form.get_by_role("textbox", name="Label").fill(typed)
        form.get_by_role("textbox", name="Terms").fill("anchor")
        form.get_by_role("button", name="Add theme").click()
        expect(page.get_by_text("Posts per theme", exact=True)).to_be_visible(timeout=60_000)
        settle(page)
        screenshot(page, "whatif")
        assert_held(page, watch, hostile_server)
        assert f"Posts that gained or lost {typed}" in shown_text(page)
        page.get_by_role("button", name="Reset to the file's codebook").click()
        settle(page)

        go(page, "quality")
        labels = hostile.labels_bytes()
        upload(page, "labels CSV", hostile.LABELS_NAME, labels, "text/csv", "Small samples")
        screenshot(page, "quality")
        assert_held(page, watch, hostile_server)
        warning = shown_text(page.get_by_test_id("stAlert").filter(has_text="Small samples"))
        assert hostile.short_payload("L-workforce") in warning

        go(page, "review")
        page.get_by_role("textbox", name="Review passcode").fill(PASSCODE)
        page.get_by_role("textbox", name="Your name").fill(hostile.payload("reviewer")[:40])
        page.get_by_role("button", name="Unlock editing").click()
        settle(page)
        assert POST["title"] in shown_text(page)
        page.get_by_test_id("stMain").get_by_role(
            "button", name=re.compile("^(Confirm|Add)")
        ).first.click()
        toast = page.get_by_test_id("stToast").first
        expect(toast).to_be_visible(timeout=60_000)
        assert hostile.short_payload("L-workforce") in shown_text(toast)
        settle(page)
        screenshot(page, "review")
        assert_held(page, watch, hostile_server)
    finally:
        context.close()
