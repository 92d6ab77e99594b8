"""Benchmark: the dashboard server's memory per 100,000-post corpus, and opening 1M posts.

In one run, interleaved, each on a fresh server of its own on 127.0.0.1 driven by Debian
Chromium (the same journey each time: the Overview until its chart is drawn, then Explore
posts until its table is drawn):

- the dashboard on the bundled 18 posts (the yardstick);
- the dashboard on a synthetic 100,000-post file (``--posts``; ``bench/tagging.py``'s
  ``make_corpus``: about 60 words a post, 49 MB).

The server's resident memory (its process tree, from /proc, as ``bench/workshop_load.py``
reads it) is taken once the journey has settled; the cost of a 100,000-post corpus is the
difference of the medians. Goal (issue 12): under 300 MB. Then, once, a fresh server on a
1,000,000-post file (490 MB): seconds from opening the page to the first chart, the server's
peak memory on the way and its memory once settled.

    python bench/server_memory.py [--repeat 5] [--million/--no-million]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tagging import make_corpus  # noqa: E402
from workshop_load import Sampler, streamlit_server, tree_usage  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
GOAL_MB = 300
MIB = 2**20


def journey(browser, url: str, timeout: float = 900_000) -> float:
    """Overview until its chart shows, then Explore posts until its table shows; returns the
    seconds to the first chart."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        start = time.perf_counter()
        page.goto(url)
        shown(page, ".js-plotly-plot", timeout)
        first_chart = time.perf_counter() - start
        settle(page, timeout)
        page.goto(f"{url}/explore")
        shown(page, "[data-testid=stDataFrame]", timeout)
        settle(page, timeout)
        return first_chart
    finally:
        page.close()


def shown(page, selector: str, timeout: float) -> None:
    """Wait for ``selector``; an error on the page ends the run instead of a long wait."""
    page.locator(f"{selector}, [data-testid=stException]").first.wait_for(timeout=timeout)
    if page.get_by_test_id("stException").count():
        raise RuntimeError(page.get_by_test_id("stException").first.inner_text()[:500])


def settle(page, timeout: float) -> None:
    page.wait_for_function(
        "() => ['notRunning', 'initial'].includes(document.querySelector("
        "'[data-testid=stApp]')?.getAttribute('data-test-script-state'))",
        timeout=timeout,
    )
    page.wait_for_timeout(1500)


def served(browser, workdir: Path, args: list[str]) -> tuple[float, float, float]:
    """A fresh dashboard on ``args``: (seconds to first chart, peak MiB, settled MiB)."""
    options = ["--", *args] if args else []
    with (
        streamlit_server("dashboard", "dashboard.py", workdir, options) as server,
        Sampler(server.process.pid) as sample,
    ):
        first_chart = journey(browser, server.url)
        time.sleep(2)
        settled = tree_usage(server.process.pid)[0]
    return first_chart, sample.peak_rss / MIB, settled / MIB


def load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--million", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        workdir = Path(tmp)
        big = workdir / "posts-100k.csv"
        make_corpus(big, 100_000)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        runs: dict[str, list[float]] = {"bundled": [], "100k": []}
        opened: list[float] = []
        print(f"load average before: {load()}")
        for _ in range(args.repeat):  # interleaved, so drift hits both alike
            runs["bundled"].append(served(browser, workdir, [])[2])
            seconds, _, settled = served(browser, workdir, ["--posts", str(big)])
            runs["100k"].append(settled)
            opened.append(seconds)
        bundled, corpus = statistics.median(runs["bundled"]), statistics.median(runs["100k"])
        cost = corpus - bundled
        for name, values in runs.items():
            print(
                f"server memory, settled, {name}: median {statistics.median(values):.0f} MiB "
                f"(runs {', '.join(f'{v:.0f}' for v in values)})"
            )
        print(f"100,000 posts: first chart in {statistics.median(opened):.1f} s on a fresh server")
        print(
            f"memory per 100,000-post corpus: {cost:.0f} MiB ({cost * MIB / 1e6:.0f} MB), "
            f"{cost * MIB / 1e6 / GOAL_MB:.2f} of the {GOAL_MB} MB goal; load average {load()}"
        )
        if args.million:
            huge = workdir / "posts-1m.csv"
            make_corpus(huge, 1_000_000)
            seconds, peak, settled = served(browser, workdir, ["--posts", str(huge)])
            print(
                f"1,000,000 posts: first chart in {seconds:.0f} s on a fresh server, server peak "
                f"{peak:.0f} MiB, settled {settled:.0f} MiB; load average {load()}"
            )
        browser.close()


if __name__ == "__main__":
    main()
