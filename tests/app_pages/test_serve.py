"""``python -m app_pages.serve`` (what ``make run`` starts): ``streamlit run dashboard.py``
with the engine imported before the first visit, so a fresh server's first visitor does not
wait for it; quietly, and without what the first run itself leaves out."""

from __future__ import annotations

import subprocess
import sys

from app_pages import serve
from tests.app_pages.conftest import FIRST_RUN, fresh_interpreter
from tests.app_pages.test_imports import NOT_IN_FIRST_RUN, ROOT

#: Packages the first run would otherwise import itself: the engine and what it stands on.
ENGINE = {"analysis", "app_pages", "pandas", "numpy", "scipy"}

PRELOAD_THEN_FIRST_RUN = (
    "from app_pages import serve\n"
    "serve.preload()\n"
    "import sys\n"
    "preloaded = set(sys.modules)\n"
    + FIRST_RUN
    + "print(json.dumps({'preloaded': sorted(preloaded), 'new': sorted(set(sys.modules) - preloaded)}))\n"
)


def test_after_preloading_the_first_run_imports_nothing_of_the_engine():
    found = fresh_interpreter(PRELOAD_THEN_FIRST_RUN)
    preloaded, new = set(found["preloaded"]), found["new"]
    assert {
        "pandas",
        "plotly",
        "scipy.sparse",
        "analysis.tagging",
        "app_pages.sidebar",
    } <= preloaded
    assert not [m for m in new if m.split(".")[0] in ENGINE], new
    # nor does preloading bring in what the first run leaves to a later click or page
    assert not [m for m in NOT_IN_FIRST_RUN if m in preloaded]


def test_preloading_writes_nothing_to_the_terminal():
    """Streamlit's caches warn, as modules define them before a server runs, that they keep
    data in memory; whoever starts a workshop's server reads its terminal."""
    done = subprocess.run(
        [sys.executable, "-c", "from app_pages import serve; serve.preload()"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def test_the_command_is_streamlit_run_dashboard_with_the_words_given():
    words = ["--server.port", "8502", "--", "--posts", "my posts.csv"]
    assert serve.command(words) == ["streamlit", "run", str(ROOT / "dashboard.py"), *words]
