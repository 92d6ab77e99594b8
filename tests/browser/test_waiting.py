"""The browser tests' wait for the run an action starts (``conftest.rerun``): it waits for
that run to end, and fails when the action starts none, so a test never acts on a page the
server is about to redraw."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.conftest import open_page, rerun, runs_done

pytestmark = pytest.mark.browser


def test_rerun_waits_for_the_run_a_click_starts_and_fails_without_one(page, server_url):
    open_page(page, f"{server_url}/", charts=2)
    year = page.get_by_role("radio", name="Year", exact=True)
    before = runs_done(page)
    with rerun(page):
        year.click()
    assert runs_done(page) > before
    expect(year).to_be_checked()
    assert page.get_by_test_id("stApp").get_attribute("data-test-script-state") == "notRunning"

    with pytest.raises(PlaywrightTimeoutError), rerun(page, timeout=3_000):
        page.get_by_role("heading").first.hover()  # starts no run
