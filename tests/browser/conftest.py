"""A real ``streamlit run`` server and Debian's Chromium, for what only a browser shows.

Chromium is /usr/bin/chromium (Debian package ``chromium``; Playwright never downloads
a browser here). Without it these tests skip, unless REQUIRE_BROWSER=1 (as CI sets),
when they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: Characters the escaping helper adds that a reader does not see (word joiner, no-break space).
INVISIBLE = {"\u2060": "", "\u00a0": " "}


def shown_text(where) -> str:
    """The text a reader sees on a page or in a part of it (invisible joiners left out)."""
    from playwright.sync_api import Page

    text = (where.locator("body") if isinstance(where, Page) else where).inner_text()
    for char, replacement in INVISIBLE.items():
        text = text.replace(char, replacement)
    return text


def settled(page, timeout: float = 60_000) -> None:
    """Wait until the app has finished its run: the app says its script is not running
    (the "Running..." widget shows only after a delay, so its absence alone can pass mid-run),
    no "Running..." widget and no element faded as stale (Streamlit dims what a run has not
    redrawn yet, which fails contrast)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", re.compile(r"^(initial|notRunning)$"), timeout=timeout
    )
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)


#: The runs each watched page has seen the server finish (``watch_runs``).
_RUNS_DONE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _run_finished(payload: str | bytes) -> bool:
    """Whether one websocket frame from the server says a run ended: its ``script_finished``
    message, other than "ended early for a rerun" (the run that follows is the one to wait
    for). A fragment's run counts."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return False
    message = ForwardMsg()
    message.ParseFromString(payload)
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    )


def watch_runs(page) -> None:
    """Count, from now on, the runs the server finishes for ``page`` (once per page; before
    it opens the app, as ``open_page`` does).

    Counted from the server's own messages, not from the page: React may draw a short run's
    "running" and "not running" as one update, so the page's script state can skip a run
    (two CI runs failed waiting for one that had come and gone).
    """
    if page in _RUNS_DONE:
        return
    _RUNS_DONE[page] = 0

    def count(payload) -> None:
        if _run_finished(payload):
            _RUNS_DONE[page] += 1

    page.on("websocket", lambda socket: socket.on("framereceived", count))


def runs_done(page) -> int:
    """How many runs the server has finished for ``page`` since ``watch_runs``."""
    assert page in _RUNS_DONE, "open the page with open_page() (or watch_runs() first)"
    return _RUNS_DONE[page]


@contextlib.contextmanager
def rerun(page, timeout: float = 60_000):
    """Wait, after the ``with`` block's action (a click, a key), for the run it starts to end
    and the page to settle.

    ``settled`` alone can pass in the moment between a click and the run it asks for (the
    page says "not running" until the server's answer arrives); a download clicked then is
    asked of a run about to be replaced, and never comes. Fails if no run ends in ``timeout``,
    so it also checks that the action reruns the app.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    before = runs_done(page)
    yield
    deadline = time.monotonic() + timeout / 1000
    while runs_done(page) <= before:
        if time.monotonic() > deadline:
            raise PlaywrightTimeoutError(f"no run ended within {timeout:.0f} ms of the action")
        page.wait_for_timeout(50)  # lets Playwright deliver the frames that came meanwhile
    settled(page, timeout)


def open_page(page, url: str, *, charts: int | None = None, timeout: float = 90_000) -> None:
    """Go to ``url`` and wait until the app has drawn it: a heading shown (``h1``, or the
    ``h3`` headline of presentation mode), ``charts`` Plotly charts drawn when given, and the
    run settled."""
    from playwright.sync_api import expect

    watch_runs(page)
    page.goto(url)
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=timeout)
    expect(page.locator("h1, h3").first).to_be_visible(timeout=timeout)
    if charts is not None:
        expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=timeout)
    page.wait_for_load_state("networkidle")
    settled(page, timeout)
    if charts:
        page.wait_for_timeout(800)  # bars finish drawing


def _missing(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: How a test starts the dashboard: as ``make run`` does (``python -m app_pages.serve``, the
#: engine imported at start), or ``plain`` as ``streamlit run dashboard.py`` does.
STARTS = {
    "make run": ["-m", "app_pages.serve"],
    "plain": ["-m", "streamlit", "run", "dashboard.py"],
}


@contextlib.contextmanager
def running_dashboard(tmp: Path, args: Sequence[str] = (), *, plain: bool = False):
    """Start the dashboard (``[-- args]``) on a free port with its own review log, as
    ``make run`` starts it, or ``plain`` as ``streamlit run dashboard.py`` does."""
    port = _free_port()
    log = ROOT / "artifacts"
    log.mkdir(exist_ok=True)
    with open(log / f"streamlit-test-server-{port}.log", "w") as out:
        process = subprocess.Popen(
            [
                sys.executable, *STARTS["plain" if plain else "make run"],
                "--server.port", str(port), "--server.headless", "true",
                "--browser.gatherUsageStats", "false",
                "--browser.serverAddress", "127.0.0.1",  # else it asks checkip.amazonaws.com
                *(["--", *args] if args else []),
            ],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "ANCHOR_THEMES_REVIEW_DB": f"sqlite:///{tmp / 'reviews.sqlite'}"},
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start; see {out.name}")
                time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def fresh_dashboard(tmp_path):
    """A dashboard of the test's own, for what only a server's first request shows."""
    with running_dashboard(tmp_path) as url:
        yield url


@pytest.fixture
def dashboard_with(tmp_path):
    """Start a dashboard of the test's own on the command line's words after ``--``:
    ``url = dashboard_with("--posts", path)``; started as ``streamlit run dashboard.py``
    (the other tests' servers start as ``make run`` starts them)."""
    with contextlib.ExitStack() as stack:
        yield lambda *args: stack.enter_context(
            running_dashboard(tmp_path, list(map(str, args)), plain=True)
        )


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    """One dashboard for the session's browser tests."""
    with running_dashboard(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    watch_runs(page)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a screenshot under artifacts/screenshots/ to look at after the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
