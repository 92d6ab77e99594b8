"""Page speed in Chromium: the dashboard against the least a Streamlit+Plotly page costs.

The yardstick is ``bench/minimal_app.py``: one page over the same posts, a Themes
multiselect, a Period control and one Plotly chart, with nothing of ``analysis``. The
apps run side by side on free ports of 127.0.0.1, measured in the same run and
interleaved, so the machine's speed largely cancels out of the ratios. It measures:

- **first chart, fresh server**: a new server, its very first visitor; from navigation
  start to the first Plotly chart drawn (``--cold`` runs, new servers each). The dashboard
  starts as ``make run`` starts it (``python -m app_pages.serve``: its engine imported
  before the first visit); a second line times it started by plain
  ``streamlit run dashboard.py``, as Streamlit Community Cloud would;
- **first chart, fresh browser**: a warm server, a new browser context each time (no
  cache, no cookies), to the first chart drawn;
- **period change**: on an open page, a click on another Period option to the chart
  redrawn with the new periods (the x-axis ticks change), read inside the page with a
  MutationObserver and ``performance.now()``, never a sleep. At 18 posts (the bundled
  file) and at ``--posts`` synthetic posts (default 100,000, made as ``bench/tagging.py``
  makes them), opened by both apps from the command line.

Each figure is the median of ``--runs`` (default 5); each line prints the medians and
the ratio dashboard / minimal. Targets (issue 12): ratio <= 1.2 for the first chart and
for the period change at both sizes. A third app, ``bench/same_chart_app.py`` (the minimal
page drawing the dashboard's own coverage chart, hatched for estimated dates), is timed
in the same runs, and each line splits the ratio: the dashboard's page beyond its chart
(dashboard / same chart) and its chart beyond a plain one (same chart / minimal).

    python bench/page_speed.py [--runs 5] [--cold 5] [--posts 100000] [--skip-large]

Needs Debian's Chromium at /usr/bin/chromium and Playwright's Python package (both in
the dev requirements). Takes a few minutes; most of it is tagging 100,000 posts once
per server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from tagging import make_corpus  # noqa: E402
from workshop_load import ratio, streamlit_server  # noqa: E402

APPS = {
    "dashboard": "dashboard.py",
    "minimal": "bench/minimal_app.py",
    "same chart": "bench/same_chart_app.py",
}
CHROMIUM = "/usr/bin/chromium"
TARGET = 1.2
TIMEOUT_MS = 180_000

# Installed in every page before it loads: when the first Plotly chart is drawn, and, once
# armed, when the charts' x-axis ticks differ from what they were when armed.
WATCH_JS = """
(() => {
  const w = (window.__speed = { first: null, armed: false, baseline: null, changed: null });
  w.ticks = () => Array.from(document.querySelectorAll(".js-plotly-plot .xtick text"),
                             (e) => e.textContent).join("|");
  w.arm = () => { w.baseline = w.ticks(); w.changed = null; w.armed = true; return w.baseline; };
  const check = () => {
    if (w.first === null) {
      const svg = document.querySelector(".js-plotly-plot .main-svg");
      if (svg && svg.getBoundingClientRect().width > 0) w.first = performance.now();
    }
    if (w.armed && w.changed === null && w.ticks() !== w.baseline) {
      w.changed = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true,
                                                   characterData: true, attributes: true });
})();
"""
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: Every server here: no file watcher (nothing changes while it is timed).
NO_WATCHER = ["--server.fileWatcherType", "none"]


@contextlib.contextmanager
def servers(workdir: Path, posts: Path | None) -> Iterator[dict[str, str]]:
    """The apps on free ports, on ``posts`` (None: the bundled file); their base URLs."""
    # The script's own arguments go last: "streamlit run SCRIPT --server.* -- --posts FILE".
    options = [*NO_WATCHER, *(["--", "--posts", str(posts)] * bool(posts))]
    with contextlib.ExitStack() as stack:
        yield {
            name: stack.enter_context(streamlit_server(name, script, workdir, options)).url
            for name, script in APPS.items()
        }


#: What each app's page fetched before its first chart was drawn, from the last first_chart:
#: JavaScript files and their bytes (the browser parses them all before it is idle).
FETCHED: dict[str, tuple[int, int]] = {}


def first_chart(browser, url: str) -> float:
    """Milliseconds from navigation start to the first chart, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    scripts: list[int] = []
    drawn = False

    def fetched(response) -> None:
        if not drawn and response.url.endswith(".js"):
            with contextlib.suppress(Exception):  # a response cut short when the page closes
                scripts.append(len(response.body()))

    try:
        page = context.new_page()
        page.on("response", fetched)
        page.add_init_script(WATCH_JS)
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function("window.__speed.first !== null", timeout=TIMEOUT_MS)
        drawn = True
        FETCHED[url] = (len(scripts), sum(scripts))
        return page.evaluate("window.__speed.first")
    finally:
        context.close()


def load_average() -> str:
    """The machine's load average now, as ``uptime`` gives it (1, 5, 15 minutes)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


class OpenPage:
    """One app's page, open and settled, whose Period can be changed and timed."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.page = self.context.new_page()
        self.page.add_init_script(WATCH_JS)
        self.page.goto(url, timeout=TIMEOUT_MS)
        self.page.wait_for_function("window.__speed.first !== null", timeout=TIMEOUT_MS)
        self.page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        self.period = "quarter"

    def change_period(self) -> float:
        """Milliseconds from the click on the other Period option to the chart redrawn."""
        self.period = "month" if self.period == "quarter" else "quarter"
        button = self.page.get_by_role("radio", name=self.period.capitalize(), exact=True)
        button.first.wait_for(timeout=TIMEOUT_MS)
        self.page.evaluate("window.__speed.arm()")
        start = self.page.evaluate("performance.now()")
        button.first.click()
        self.page.wait_for_function("window.__speed.changed !== null", timeout=TIMEOUT_MS)
        self.page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        return self.page.evaluate("window.__speed.changed") - start

    def close(self) -> None:
        self.context.close()


def line(what: str, times: dict[str, list[float]]) -> str:
    """The medians, the ratio the goal is set on (dashboard / minimal), and how it splits:
    the dashboard's page beyond its chart (dashboard / same chart) and its chart beyond a
    plain one (same chart / minimal)."""
    dashboard, minimal, same = (statistics.median(times[name]) for name in APPS)
    runs = len(times["dashboard"])
    verdict = "ok" if ratio(dashboard, minimal) <= TARGET else "over target"
    return (
        f"{what:<38} dashboard {dashboard / 1000:6.2f} s  minimal {minimal / 1000:6.2f} s  "
        f"ratio {ratio(dashboard, minimal):4.2f} ({verdict}; medians of {runs}); "
        f"same chart {same / 1000:6.2f} s: dashboard / same chart {ratio(dashboard, same):4.2f}, "
        f"same chart / minimal {ratio(same, minimal):4.2f}"
    )


def bench_cold(browser, workdir: Path, runs: int) -> list[str]:
    """Fresh servers: the dashboard as ``make run`` starts it (its engine imported before the
    first visit), and, on a line of its own, as plain ``streamlit run dashboard.py`` does."""
    times: dict[str, list[float]] = {name: [] for name in APPS}
    plain: list[float] = []
    for _ in range(runs):
        with (
            servers(workdir, None) as urls,
            streamlit_server("plain", "dashboard.py", workdir, NO_WATCHER, plain=True) as started,
        ):
            for name, url in urls.items():
                times[name].append(first_chart(browser, url))
            plain.append(first_chart(browser, started.url))
    return [
        line("first chart, fresh server", times),
        line("  started by streamlit run", {**times, "dashboard": plain}),
    ]


def bench_warm(browser, workdir: Path, runs: int, posts: Path | None, label: str) -> list[str]:
    first: dict[str, list[float]] = {name: [] for name in APPS}
    change: dict[str, list[float]] = {name: [] for name in APPS}
    with servers(workdir, posts) as urls:
        pages = {name: OpenPage(browser, url) for name, url in urls.items()}  # warms both
        try:
            for _ in range(runs):
                for name, url in urls.items():  # interleaved, so drift hits both alike
                    first[name].append(first_chart(browser, url))
                    change[name].append(pages[name].change_period())
        finally:
            for page in pages.values():
                page.close()
    sizes = {name: FETCHED.get(url, (0, 0)) for name, url in urls.items()}
    return [
        line(f"first chart, fresh browser, {label}", first),
        line(f"period change, {label}", change),
        "JavaScript before the first chart      "
        + "  ".join(f"{name} {n} files, {size / 1e6:.2f} MB" for name, (n, size) in sizes.items()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", type=int, default=5, help="fresh-server runs (0: none)")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--skip-large", action="store_true", help="only the bundled 18 posts")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        workdir = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        print(f"page_speed: {load_average()} at the start", flush=True)
        results = []
        if args.cold:
            for result in bench_cold(browser, workdir, args.cold):
                results.append(result)
                print(result, flush=True)
        for result in bench_warm(browser, workdir, args.runs, None, "18 posts"):
            results.append(result)
            print(result, flush=True)
        if not args.skip_large:
            corpus = workdir / "posts.csv"
            make_corpus(corpus, args.posts)
            for result in bench_warm(browser, workdir, args.runs, corpus, f"{args.posts:,} posts"):
                results.append(result)
                print(result, flush=True)
        browser.close()
        print(f"page_speed: {load_average()} at the end", flush=True)


if __name__ == "__main__":
    main()
