"""The dashboard asks nothing of any other site: workshops run offline or behind firewalls.

Every request a page makes, the favicon included, goes to our own server on 127.0.0.1.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, open_page

pytestmark = pytest.mark.browser

#: Every page of the app, and presentation mode, by the address a reader opens.
PAGES = {
    "overview": "",
    "explore": "explore",
    "themes": "themes",
    "whatif": "whatif",
    "quality": "quality",
    "review": "review",
    "presentation": "?present=true",
}

FAVICON = ROOT / "assets" / "favicon.png"
#: The favicon Streamlit's page starts with, before the app's own page config arrives.
DEFAULT_FAVICON = re.compile(r"^\./favicon\.png$")


def outside(url: str) -> bool:
    """Whether a request for ``url`` would leave this machine."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob"}:
        return False
    return parts.hostname != "127.0.0.1"


def recorded(page: Page) -> tuple[list[str], list[str]]:
    """Start recording every request the page makes, and every one that fails."""
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))  # not a "request"
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    return requests, failed


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_sends_requests_only_to_our_own_server(page, server_url, name):
    requests, failed = recorded(page)
    open_page(page, f"{server_url}/{PAGES[name]}")
    page.wait_for_timeout(1500)  # icons, fonts and the favicon arrive after the first draw
    page.wait_for_load_state("networkidle")
    assert any(urlsplit(url).path == "/_stcore/stream" for url in requests)  # it did record
    assert [url for url in requests if outside(url)] == []
    assert failed == []


def test_the_favicon_is_our_anchor_served_by_our_server(page, server_url):
    requests, failed = recorded(page)
    statuses: dict[str, int] = {}
    page.on("response", lambda response: statuses.setdefault(response.url, response.status))
    open_page(page, f"{server_url}/")
    icon = page.locator("link[rel='shortcut icon']")
    expect(icon).not_to_have_attribute("href", DEFAULT_FAVICON, timeout=30_000)
    href = icon.evaluate("link => link.href")  # resolved against the page's address
    assert urlsplit(href).netloc == urlsplit(server_url).netloc, href
    assert urlsplit(href).path.startswith("/media/"), href
    for _ in range(50):  # the tab's icon is fetched once the link has changed
        if href in statuses:
            break
        page.wait_for_timeout(200)
    assert statuses.get(href) == 200, f"the browser's own fetch of {href}: {statuses.get(href)}"
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert response.body() == FAVICON.read_bytes()  # the anchor committed in assets/
    assert [url for url in requests if outside(url)] == []
    assert failed == []


def test_a_test_server_does_not_look_up_its_external_address(fresh_dashboard):
    """Headless, Streamlit asks checkip.amazonaws.com for the machine's address to print an
    "External URL" unless told the address browsers use: the test servers are told."""
    port = urlsplit(fresh_dashboard).port
    log = ROOT / "artifacts" / f"streamlit-test-server-{port}.log"
    for _ in range(100):  # the welcome message comes after any lookup
        if "You can now view your Streamlit app" in log.read_text():
            break
        time.sleep(0.2)
    text = log.read_text()
    assert "You can now view your Streamlit app" in text
    assert "Did not auto detect external IP" not in text  # the lookup was tried and failed
    assert "External URL" not in text  # the lookup was tried and answered
