"""Workshop load test: a room of people open the dashboard at once and change a filter.

What it does, in one run:

1. Starts two servers with ``streamlit run`` (headless, on free ports of 127.0.0.1 and no
   other address): the dashboard (``dashboard.py``, with a review log of its own in a
   temporary folder) and the yardstick, ``bench/minimal_app.py`` (one page, one sidebar
   multiselect of the same themes, one Plotly bar chart over the same bundled posts).
2. Warms each with one untimed browser session, as a facilitator who opened the app
   before the room joined would (imports, cached tagging). It prints that lone person's
   times, and records every file the browser fetched.
3. For each app in turn (``--rounds`` alternates the order), starts ``--sessions``
   (default 30) people at the same moment. Each one
   - opens the app's first page (Overview) and times **first chart**;
   - then removes "Workforce" from the sidebar's Themes multiselect and times **updated
     chart**, until the first chart comes back without Workforce;
   - records errors: Streamlit exceptions, a run that did not finish, a lost connection,
     a chart that still shows Workforce, timeouts (``--timeout`` seconds per step).
4. Samples each server's process tree from /proc five times a second: resident memory
   (RSS, summed over the tree) and CPU time.
5. Stops both servers, and prints for each app the p50 and p95 of both times, the peak
   RSS (and the RSS when warm and idle, before the room joined), the server's CPU seconds
   per session, script runs per session and the errors; beside them the ratio dashboard /
   minimal. The ratios of medians are the figures to quote: both apps ran under the same
   load on the same machine in the same run, so the machine's speed largely cancels out.

Two kinds of people (``--client``):

- ``ws`` (default): websocket clients, which do on the wire what a browser does, without
  drawing: fetch the files the warm-up browser fetched (accepting gzip), open Streamlit's
  websocket, ask for a run of the first page, read the elements as they arrive, then send
  the multiselect's new value. First chart runs from the first request to the first
  Plotly chart arriving; updated chart from sending the change to the chart arriving
  without Workforce. This is what a workshop costs the server, where each person's
  browser runs on their own laptop. The server's CPU per session matches browser mode.
- ``browser``: one Debian Chromium on this machine, one Playwright context per person.
  First chart runs from navigation start to the first ``.js-plotly-plot .main-svg``
  having a size; updated chart from the click on "Remove Workforce" to the first
  chart's legend changing, both read inside the page (``performance.now()``, a
  MutationObserver), never a sleep. End to end, but the browsers share the server's
  CPUs: on 2 cores, 30 Chromium pages swamp the machine and measure mostly themselves.

How to read it: "server CPU per session" isolates the server: it is what one more person
in the room costs, and under the GIL it is also roughly how long each extra person makes
the others wait. A ratio near 1 means the dashboard costs what any Streamlit+Plotly page
costs.

    python bench/workshop_load.py [--sessions 30] [--client ws|browser] [--rounds 1]
                                  [--timeout 300] [--set OPTION=VALUE] [--json FILE]
                                  [--profile DIR]

``--set`` passes a Streamlit option to both servers alike, e.g.
``--set server.fileWatcherType=none``, to measure a configuration change.
``--profile DIR`` attaches py-spy (``pip install py-spy``; not needed otherwise) to each
server during its load, writes collapsed stacks (``DIR/<app>-<round>.txt``) and prints
where the server's time went. Profiled runs are slower: quote an unprofiled run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only address this script ever serves on or talks to
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APPS = {"dashboard": "dashboard.py", "minimal": "bench/minimal_app.py"}
MAX_SESSIONS = 100
FIXED_OPTIONS = ("server.address", "server.port", "server.headless")  # --set cannot move them
REMOVED_THEME = "Workforce"  # the filter change: drop this theme from the sidebar's Themes

# Installed in every page before it loads. Records, in ms since navigation start, when the
# first Plotly chart is drawn; once armed, when the first chart's legend changes, and when
# the person clicked (the first pointerdown or click after arming); and counts the script
# runs the server finished for this page (the app's script state turning "notRunning").
WATCH_JS = """
(() => {
  const load = (window.__load = { first: null, armed: false, baseline: null, clicked: null,
                                  changed: null, runs: 0 });
  const chart = () => document.querySelector(".js-plotly-plot");
  load.legend = () => {
    const c = chart();
    if (!c || !c.querySelector(".main-svg")) return null;
    return Array.from(c.querySelectorAll(".legendtext"), (e) => e.textContent).join("|");
  };
  load.arm = () => { load.baseline = load.legend(); load.armed = true; return load.baseline; };
  const check = () => {
    if (load.first === null) {
      const svg = document.querySelector(".js-plotly-plot .main-svg");
      if (svg && svg.getBoundingClientRect().width > 0) load.first = performance.now();
    }
    if (load.armed && load.changed === null) {
      const now = load.legend();
      if (now !== null && now !== load.baseline) load.changed = performance.now();
    }
  };
  const clicked = () => { if (load.armed && load.clicked === null) load.clicked = performance.now(); };
  document.addEventListener("pointerdown", clicked, true);
  document.addEventListener("click", clicked, true);
  new MutationObserver(check).observe(document, { childList: true, subtree: true,
                                                   characterData: true });
  new MutationObserver((records) => {
    for (const r of records) if (r.target.getAttribute(r.attributeName) === "notRunning") load.runs++;
  }).observe(document, { subtree: true, attributes: true,
                         attributeFilter: ["data-test-script-state"] });
})();
"""
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


# --- statistics -------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks.

    The same definition as numpy's default and ``statistics.quantiles(method="inclusive")``:
    p50 of [1, 2, 3, 4] is 2.5, p95 of 1..20 is 19.05. NaN when there are no values.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(value: float, yardstick: float) -> float:
    """``value / yardstick``; NaN when either is missing or the yardstick is zero."""
    if yardstick != yardstick or value != value or yardstick == 0:  # NaN checks
        return float("nan")
    return value / yardstick


# --- servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path


#: How ``make run`` starts the dashboard: its engine imported before the first visit
#: (app_pages/serve.py). Every other script starts as ``streamlit run`` starts it.
MAKE_RUN = {"dashboard.py": ["-m", "app_pages.serve"]}


@contextlib.contextmanager
def streamlit_server(
    name: str, script: str, workdir: Path, options: list[str] = (), *, plain: bool = False
) -> Iterator[Server]:
    """``streamlit run script`` on a free port of 127.0.0.1 (with extra config ``options``,
    e.g. ``["--server.fileWatcherType", "none"]``), the dashboard as ``make run`` starts it
    unless ``plain``; stopped, its own process group only, on leaving."""
    start = MAKE_RUN.get(script) if not plain else None
    port = free_port()
    log = workdir / f"{name}.log"
    env = {
        **os.environ,
        "ANCHOR_THEMES_REVIEW_DB": f"sqlite:///{workdir / f'{name}-reviews.sqlite'}",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable, *(start or ["-m", "streamlit", "run", script]),
                "--server.address", HOST, "--server.port", str(port),
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--browser.serverAddress", HOST,  # no look-up of an outside address
                *options,
            ],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    server = Server(name, f"http://{HOST}:{port}", process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start; see {log}")
            time.sleep(0.5)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- /proc sampling ---------------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    """``root`` and every process descended from it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_usage(root: int) -> tuple[int, float]:
    """Resident bytes and CPU seconds (user + system) of ``root``'s process tree."""
    rss, cpu = 0, 0.0
    for pid in process_tree(root):
        try:
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        except (OSError, IndexError):
            continue  # the process ended between listing and reading
    return rss, cpu


class Sampler:
    """Peak RSS and CPU time used of a process tree, sampled in a thread while in use."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.peak_rss = 0
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, _ = tree_usage(self.pid)
            self.peak_rss = max(self.peak_rss, rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._cpu_start = tree_usage(self.pid)[1]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        rss, cpu = tree_usage(self.pid)
        self.peak_rss = max(self.peak_rss, rss)
        self.cpu = cpu - self._cpu_start


# --- sessions ---------------------------------------------------------------------------


@dataclass
class Session:
    first_chart: float | None = None  # seconds from navigation start
    updated_chart: float | None = None  # seconds from the click
    runs: int | None = None  # script runs the server finished for this page
    retries: int = 0  # websocket handshakes that took over HANDSHAKE_TIMEOUT (ws clients)
    errors: list[str] = field(default_factory=list)


async def run_session(browser, url: str, timeout: float, files: list[str] | None = None) -> Session:
    """One person in a browser: open the app, wait for the chart, remove a theme, wait for
    the redraw. ``files``, if given, collects every address the page fetched over HTTP."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    result = Session()
    ms = timeout * 1000
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    step = "opening the page"
    try:
        await context.add_init_script(WATCH_JS)
        page = await context.new_page()
        if files is not None:
            page.on(
                "request",
                lambda request: (
                    files.append(request.url)
                    if request.url.startswith(url) and request.resource_type != "websocket"
                    else None
                ),
            )
        page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
        await page.goto(url, wait_until="commit", timeout=ms)
        step = "waiting for the first chart"
        await page.wait_for_function("window.__load.first !== null", timeout=ms, polling=100)
        result.first_chart = await page.evaluate("window.__load.first") / 1000
        step = "waiting for the first run to finish"
        await page.locator(IDLE).wait_for(state="attached", timeout=ms)
        step = f"waiting for {REMOVED_THEME} in the first chart's legend"  # drawn just after
        await page.wait_for_function(
            f"(window.__load.legend() || '').split('|').includes({REMOVED_THEME!r})",
            timeout=ms,
            polling=100,
        )
        await page.evaluate("window.__load.arm()")
        step = f"removing {REMOVED_THEME}"
        sidebar = page.get_by_test_id("stSidebar")
        await sidebar.get_by_role("button", name=f"Remove {REMOVED_THEME}").click(timeout=ms)
        step = "waiting for the updated chart"
        await page.wait_for_function("window.__load.changed !== null", timeout=ms, polling=100)
        clicked, changed = await page.evaluate("[window.__load.clicked, window.__load.changed]")
        result.updated_chart = (changed - clicked) / 1000
        step = "waiting for the rerun to finish"
        await page.locator(IDLE).wait_for(state="attached", timeout=ms)
        legend = await page.evaluate("window.__load.legend()") or ""
        if REMOVED_THEME in legend.split("|"):
            result.errors.append(f"updated chart still shows {REMOVED_THEME}")
        exceptions = await page.get_by_test_id("stException").count()
        if exceptions:
            result.errors.append(f"{exceptions} Streamlit exception(s) on the page")
        state = await page.get_by_test_id("stApp").get_attribute("data-test-connection-state")
        if state != "CONNECTED":
            result.errors.append(f"connection {state}")
        result.runs = await page.evaluate("window.__load.runs")
    except PlaywrightTimeout:
        result.errors.append(f"timeout ({timeout:.0f} s) {step}")
    except Exception as error:  # a crashed page or browser: count it, keep the others going
        result.errors.append(f"{type(error).__name__} {step}: {error}".splitlines()[0])
    finally:
        await context.close()
    return result


# A websocket client does what the browser does on the wire, without drawing anything:
# it fetches the files the browser fetched (recorded in the warm-up, gzip accepted as a
# browser does), opens Streamlit's websocket, asks for a run of the first page, reads the
# elements the server sends, then sends the Themes multiselect without Workforce.
FETCHES_PER_SESSION = 6  # parallel HTTP requests, as a browser makes to one host
HANDSHAKE_TIMEOUT = 15  # seconds; Streamlit's frontend retries a websocket after as long
_http = ThreadPoolExecutor(max_workers=64, thread_name_prefix="load-http")


def _get(address: str, timeout: float) -> int:
    request = urllib.request.Request(address, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return len(response.read())


def _rerun(url: str, query: str, page: str, widgets: list | None = None) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    state = message.rerun_script
    state.query_string, state.page_script_hash = query, page
    state.context_info.url = f"{url}/"
    state.context_info.timezone, state.context_info.locale = "Europe/London", "en-GB"
    state.context_info.color_scheme = "light"
    for widget in widgets or []:
        state.widget_states.widgets.append(widget)
    return message.SerializeToString()


@dataclass
class Run:
    """What one script run sent: when its first chart arrived, and what to send back."""

    first_chart: float | None = None  # time.perf_counter() at arrival
    charts: list[str] = field(default_factory=list)  # Plotly specs, in order
    themes: tuple[str, list[str]] | None = None  # the Themes multiselect's id and values
    exceptions: int = 0
    query: str = ""
    page: str = ""
    status: int | None = None


async def _read_run(websocket, run: Run) -> Run:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    while True:
        message = ForwardMsg()
        message.ParseFromString(await websocket.recv())
        kind = message.WhichOneof("type")
        if kind == "new_session":
            run.page = message.new_session.page_script_hash or run.page
        elif kind == "navigation":
            run.page = message.navigation.page_script_hash or run.page
        elif kind == "page_info_changed":
            run.query = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            which = element.WhichOneof("type")
            if which == "plotly_chart":
                if run.first_chart is None:
                    run.first_chart = time.perf_counter()
                run.charts.append(element.plotly_chart.spec)
            elif which == "multiselect" and element.multiselect.label == "Themes":
                chosen = element.multiselect  # values set by the app, else the defaults
                values = list(chosen.raw_values) or [chosen.options[i] for i in chosen.default]
                run.themes = (chosen.id, values)
            elif which == "exception":
                run.exceptions += 1
        elif kind == "script_finished":
            run.status = message.script_finished
            if run.status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return run


def trace_names(spec: str) -> list[str]:
    """The trace names of a Plotly figure's JSON: what its legend lists."""
    return [trace.get("name", "") for trace in json.loads(spec).get("data", [])]


async def ws_session(url: str, files: list[str], timeout: float) -> Session:
    """One person as a websocket client: the same steps and checks as :func:`run_session`.

    First chart: from the first file requested to the first Plotly chart arriving.
    Updated chart: from sending the multiselect without Workforce to the first chart
    arriving without it. Nothing is drawn, so neither includes a browser's drawing time.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from websockets.asyncio.client import connect

    result = Session()
    step = "fetching the page's files"
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            for batch in range(0, len(files), FETCHES_PER_SESSION):
                chunk = files[batch : batch + FETCHES_PER_SESSION]
                await asyncio.gather(
                    *(loop.run_in_executor(_http, _get, a, timeout) for a in chunk)
                )
        step = "opening the websocket"
        address = "ws" + url.removeprefix("http") + "/_stcore/stream"
        async with asyncio.timeout(timeout):
            while True:  # as the frontend does: give up on a handshake after 15 s, try again
                try:
                    websocket = await connect(
                        address,
                        subprotocols=["streamlit"],
                        max_size=None,
                        open_timeout=HANDSHAKE_TIMEOUT,
                    )
                    break
                except TimeoutError:
                    result.retries += 1
        async with websocket:
            step = "waiting for the first chart"
            async with asyncio.timeout(timeout):
                await websocket.send(_rerun(url, "", ""))
                first = await _read_run(websocket, Run())
            result.runs = 1
            if first.first_chart is None or first.themes is None:
                result.errors.append("no chart or no Themes multiselect on the first page")
                return result
            result.first_chart = first.first_chart - started
            widget_id, values = first.themes
            if REMOVED_THEME not in values or REMOVED_THEME not in trace_names(first.charts[0]):
                result.errors.append(f"first chart or Themes lacks {REMOVED_THEME}")
                return result
            step = "waiting for the updated chart"
            async with asyncio.timeout(timeout):
                widget = WidgetState(id=widget_id)
                widget.string_array_value.data.extend(v for v in values if v != REMOVED_THEME)
                sent = time.perf_counter()
                await websocket.send(_rerun(url, first.query, first.page, [widget]))
                second = await _read_run(websocket, Run(query=first.query, page=first.page))
            result.runs = 2
            if second.first_chart is None:
                result.errors.append("no chart after the filter change")
            elif any(REMOVED_THEME in name for name in trace_names(second.charts[0])):
                result.errors.append(f"updated chart still shows {REMOVED_THEME}")
            else:
                result.updated_chart = second.first_chart - sent
            exceptions = first.exceptions + second.exceptions
            if exceptions:
                result.errors.append(f"{exceptions} Streamlit exception(s) on the page")
            for run in (first, second):
                if run.status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    result.errors.append(f"script finished with status {run.status}")
    except TimeoutError as error:  # our deadline (no message), or a socket's
        detail = f": {error}" if str(error) else ""
        result.errors.append(f"timeout ({timeout:.0f} s) {step}{detail}")
    except Exception as error:  # a dropped connection: count it, keep the others going
        result.errors.append(f"{type(error).__name__} {step}: {error}".splitlines()[0])
    return result


async def run_load(
    browser, url: str, sessions: int, timeout: float, files: list[str] | None = None
) -> list[Session]:
    """``sessions`` people at once, in browsers or, given ``files``, as websocket clients;
    each bounded by ``timeout`` per step."""
    if files is None:
        tasks = [run_session(browser, url, timeout) for _ in range(sessions)]
    else:
        tasks = [ws_session(url, files, timeout) for _ in range(sessions)]
    return await asyncio.gather(*tasks)


# --- profiling (optional) ---------------------------------------------------------------


@contextlib.contextmanager
def profiled(pid: int, out: Path | None) -> Iterator[None]:
    """py-spy recording ``pid`` into ``out`` (collapsed stacks) while inside; no-op if None."""
    if out is None:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    recorder = subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--rate", "100", "--nonblocking", "--gil",
         "--format", "raw", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
        try:
            recorder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            recorder.kill()


#: Where a Streamlit server's time goes, by a function that marks each kind of work.
PROFILE_MARKERS = {
    "running the app's script": "ScriptRunner._run_script ",
    "Streamlit's file watcher scanning sys.modules": "LocalSourcesWatcher.update_watched_modules ",
    "serving the frontend's static files": "StaticFiles.__call__ ",
    "Plotly validating a template copy": "BaseTemplateValidator.validate_coerce ",
    "Plotly figure methods (add_bar, update_layout...)": "_figure.py",
    "Streamlit's full garbage collection after each run": "ScriptRunner._on_script_finished ",
}


def profile_markers(paths: list[Path]) -> dict[str, float]:
    """Share of all samples whose stack holds each of :data:`PROFILE_MARKERS`."""
    shares: Counter[str] = Counter()
    total = 0
    for path in paths:
        for line in path.read_text().splitlines() if path.exists() else []:
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            total += int(count)
            for label, marker in PROFILE_MARKERS.items():
                if marker in stack:
                    shares[label] += int(count)
    return {label: shares[label] / total for label in PROFILE_MARKERS} if total else {}


def profile_summary(paths: list[Path], top: int = 15) -> list[tuple[str, float]]:
    """This project's functions by share of all samples in which they were on the stack.

    py-spy names a file relative to the sys.path entry it came from, so ``analysis/...``,
    and a page of ``app_pages/`` (its folder is on sys.path while it runs) by its bare name.
    """
    bare = {path.name for folder in ("app_pages", "bench") for path in (ROOT / folder).glob("*.py")}
    inclusive: Counter[str] = Counter()
    total = 0
    lines = [line for path in paths if path.exists() for line in path.read_text().splitlines()]
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        ours = set()
        for frame in stack.split(";"):
            function, _, where = frame.strip().rpartition(" (")
            file = where.rpartition(":")[0]
            if file.startswith(("analysis/", "app_pages/", "bench/")) or file in {
                "dashboard.py",
                *bare,
            }:
                ours.add(f"{function} ({file})")
        for frame in ours:
            inclusive[frame] += int(count)
    return [(frame, n / total) for frame, n in inclusive.most_common(top)] if total else []


# --- the run ----------------------------------------------------------------------------


@dataclass
class AppResult:
    sessions: list[Session] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    idle_rss: int = 0
    peak_rss: int = 0
    cpu: float = 0.0

    def times(self, name: str) -> list[float]:
        return [t for s in self.sessions if (t := getattr(s, name)) is not None]

    @property
    def errors(self) -> list[str]:
        return [error for s in self.sessions for error in s.errors] + self.server_errors


async def measure(args) -> dict[str, AppResult]:
    from playwright.async_api import async_playwright

    results = {name: AppResult() for name in APPS}
    with (
        tempfile.TemporaryDirectory(prefix="workshop-load-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        servers = {
            name: stack.enter_context(streamlit_server(name, script, Path(tmp), args.options))
            for name, script in APPS.items()
        }
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            files: dict[str, list[str]] = {}
            for name, server in servers.items():
                fetched: list[str] = []
                warm = await run_session(browser, server.url, args.timeout, fetched)
                files[name] = list(dict.fromkeys(fetched))
                if warm.errors:
                    raise RuntimeError(
                        f"{name} failed its warm-up: {warm.errors}; see {server.log}"
                    )
                results[name].idle_rss = tree_usage(server.process.pid)[0]
                print(
                    f"{name}: on {server.url}; one person alone: first chart "
                    f"{warm.first_chart:.1f} s, updated chart {warm.updated_chart:.2f} s; "
                    f"{results[name].idle_rss / 2**20:.0f} MiB; {len(files[name])} files fetched"
                )
            order = list(APPS)
            for round_ in range(args.rounds):
                for name in order if round_ % 2 == 0 else order[::-1]:
                    server, result = servers[name], results[name]
                    spy = args.profile / f"{name}-{round_ + 1}.txt" if args.profile else None
                    started = time.monotonic()
                    with profiled(server.process.pid, spy), Sampler(server.process.pid) as sample:
                        sessions = await asyncio.wait_for(
                            run_load(
                                browser,
                                server.url,
                                args.sessions,
                                args.timeout,
                                files[name] if args.client == "ws" else None,
                            ),
                            timeout=5 * args.timeout + 60,
                        )
                    result.sessions += sessions
                    result.peak_rss = max(result.peak_rss, sample.peak_rss)
                    result.cpu += sample.cpu
                    print(
                        f"round {round_ + 1}, {name}: {args.sessions} sessions in "
                        f"{time.monotonic() - started:.0f} s, server CPU {sample.cpu:.1f} s"
                    )
            await browser.close()
        for name, server in servers.items():
            tracebacks = server.log.read_text(errors="replace").count("Traceback")
            if tracebacks:
                results[name].server_errors.append(f"{tracebacks} traceback(s) in the server log")
    return results


def report(results: dict[str, AppResult], args) -> str:
    dash, yard = results["dashboard"], results["minimal"]
    mib = 2**20
    rows = []
    for label, attr in (("first chart", "first_chart"), ("updated chart", "updated_chart")):
        for q in (50, 95):
            a, b = percentile(dash.times(attr), q), percentile(yard.times(attr), q)
            rows.append((f"{label} p{q} (s)", a, b, ratio(a, b)))
    for label, a, b in (
        ("server RSS peak (MiB)", dash.peak_rss / mib, yard.peak_rss / mib),
        ("server RSS warm, idle (MiB)", dash.idle_rss / mib, yard.idle_rss / mib),
        ("server CPU per session (s)", dash.cpu / args.per_app, yard.cpu / args.per_app),
    ):
        rows.append((label, a, b, ratio(a, b)))
    runs = [
        percentile([s.runs for s in r.sessions if s.runs is not None], 50) for r in (dash, yard)
    ]
    rows.append(("script runs per session (p50)", *runs, ratio(*runs)))
    sessions_with_errors = [sum(1 for s in r.sessions if s.errors) for r in (dash, yard)]
    lines = [
        f"Workshop load: {args.sessions} {args.client} sessions at once per app x "
        f"{args.rounds} round(s); "
        f"{os.cpu_count()} CPUs, {os.sysconf('SC_PHYS_PAGES') * PAGE / 2**30:.0f} GiB RAM",
        f"Streamlit options for both: {' '.join(args.options) or 'none (defaults)'}",
        f"{'':30}{'dashboard':>12}{'minimal':>12}{'ratio':>9}",
    ]
    for label, a, b, r in rows:
        lines.append(f"{label:30}{a:12.2f}{b:12.2f}{r:8.2f}x")
    retries = [sum(s.retries for s in r.sessions) for r in (dash, yard)]
    if args.client == "ws":
        lines.append(f"{'websocket handshakes over 15 s':30}{retries[0]:12d}{retries[1]:12d}")
    timed = [len(r.times("updated_chart")) for r in (dash, yard)]
    lines.append(f"{'sessions timed to the end':30}{timed[0]:12d}{timed[1]:12d}")
    lines.append(f"{'errors':30}{len(dash.errors):12d}{len(yard.errors):12d}")
    lines.append(
        f"{'sessions with an error':30}{sessions_with_errors[0]:12d}{sessions_with_errors[1]:12d}"
    )
    lines.append("ratio = dashboard / minimal, same run; p50 rows are the medians to quote.")
    for name, result in results.items():
        for error, n in Counter(result.errors).most_common(5):
            lines.append(f"  {name} error x{n}: {error}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="people at once (default 30)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="loads per app, order alternating (default 1)"
    )
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds allowed per step of a session"
    )
    parser.add_argument(
        "--client",
        choices=("ws", "browser"),
        default="ws",
        help="ws: websocket clients, what the room costs the server (default); browser: a "
        "Chromium page per person on this machine, end to end",
    )
    parser.add_argument("--json", type=Path, help="also write every session's numbers here")
    parser.add_argument("--profile", type=Path, help="py-spy each server; stacks into this dir")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a Streamlit config option for both servers, e.g. server.fileWatcherType=none",
    )
    args = parser.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be between 1 and {MAX_SESSIONS}")
    if not 1 <= args.rounds <= 5:
        parser.error("--rounds must be between 1 and 5")
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is not installed (apt-get install chromium)")
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    args.per_app = args.sessions * args.rounds
    args.options = []
    for option in args.set:
        key, equals, value = option.partition("=")
        if not equals or "." not in key or key in FIXED_OPTIONS:
            parser.error(f"--set takes section.option=value, not {FIXED_OPTIONS}: {option!r}")
        args.options += [f"--{key}", value]

    results = asyncio.run(measure(args))
    print(report(results, args))
    if args.profile:
        for name in APPS:
            stacks = sorted(args.profile.glob(f"{name}-*.txt"))
            print(f"\n{name}: share of the server's samples holding the GIL (py-spy; a sample")
            print("counts for every marker and function on its stack, so shares overlap)")
            for label, share in profile_markers(stacks).items():
                print(f"  {share:6.1%}  {label}")
            if name == "dashboard":
                print("  this project's functions (on the stack in this share of samples):")
                for frame, share in profile_summary(stacks):
                    print(f"  {share:6.1%}  {frame}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    name: {
                        "sessions": [vars(s) for s in r.sessions],
                        "idle_rss": r.idle_rss,
                        "peak_rss": r.peak_rss,
                        "cpu": r.cpu,
                    }
                    for name, r in results.items()
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
