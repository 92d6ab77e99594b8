"""A server's log stays clean: whoever runs ``make run`` for a workshop reads its terminal,
so a page, a shared link or a first visit must not leave a warning or a traceback there."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ROOT, open_page
from tests.browser.test_offline import PAGES

pytestmark = pytest.mark.browser

#: The last line of Streamlit's welcome, the address; a quiet server writes nothing after it
#: until it is stopped.
WELCOME_END = "  URL: "


def test_a_fresh_server_logs_no_warning_as_every_page_and_a_link_are_opened(
    fresh_dashboard, browser
):
    # Warnings such as Streamlit's about a widget's value set two ways are printed once per
    # server, on its first visit: so a fresh server, and a link with dates among the visits.
    visits = [f"{fresh_dashboard}/{path}" for path in PAGES.values()]
    visits.append(f"{fresh_dashboard}/?dates=2022-01-01&dates=2023-06-30&search=health")
    for url in visits:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        try:
            open_page(context.new_page(), url)
        finally:
            context.close()
    port = urlsplit(fresh_dashboard).port
    log = (ROOT / "artifacts" / f"streamlit-test-server-{port}.log").read_text()
    assert "You can now view your Streamlit app" in log and WELCOME_END in log
    after = log.split(WELCOME_END, 1)[1].split("\n", 1)[1]  # the lines after the address
    assert after.strip() == "", after[:3000]
    # nor before it, as the server starts (make run imports the engine first: app_pages/serve.py)
    assert "WARNING" not in log and "Traceback" not in log, log[:3000]
