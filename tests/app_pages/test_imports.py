"""The Overview's first paint does not wait for libraries only other pages or a click need:
SQLAlchemy (the review log), openpyxl (XLSX), kaleido (chart images) and scikit-learn's
metrics (tagging quality) are imported where used, not with the page's modules (issue 12).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_pages.conftest import FIRST_RUN, fresh_interpreter

ROOT = Path(__file__).resolve().parents[2]
#: Every module dashboard.py and the Overview page import.
OVERVIEW_MODULES = [
    "app_pages.banner",
    "app_pages.links",
    "app_pages.reporting",
    "app_pages.sidebar",
    "app_pages.style",
    "app_pages.clicks",
    "app_pages.notices",
    "app_pages.sections",
    "app_pages.text",
    "app_pages.view",
    "analysis.coverage",
    "analysis.findings",
    "analysis.selection",
]
#: Imported only where used: by the Review page and the sidebar's first read of the review
#: log, an XLSX download, a chart image download, the Tagging quality page or the report.
NOT_YET = ["sqlalchemy", "openpyxl", "kaleido", "sklearn.metrics"]
#: Not imported by the Overview's whole first run either (the sidebar, loading and tagging the
#: posts, every section): scikit-learn and SciPy's statistics (the tagger keeps scikit-learn's
#: protocol without its base classes), the crawler's feed and page readers (the refresh
#: panel's modules are imported with the sidebar), XLSX and chart images, and SQLAlchemy: machine
#: tags need no look at the review log (the view reads it when first asked); the report's
#: builder and the blog's fetcher, imported on the click that needs them.
NOT_IN_FIRST_RUN = [
    "sklearn",
    "scipy.stats",
    "feedparser",
    "trafilatura",
    "openpyxl",
    "kaleido",
    "sqlalchemy",
    "analysis.report",  # the one-click report, with Jinja2: built on click
    "jinja2",
    "analysis.fetching",  # refresh from the blog: fetched on click
    "lxml",
]


def imported_after(modules: list[str]) -> set[str]:
    """The modules in ``sys.modules`` of a fresh interpreter that imported ``modules``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def loaded() -> set[str]:
    return imported_after(OVERVIEW_MODULES)


@pytest.mark.parametrize("heavy", NOT_YET)
def test_overview_modules_do_not_import(loaded, heavy):
    assert heavy not in loaded, f"{heavy} is imported with the Overview's modules"


def test_the_check_sees_an_import():  # the oracle itself: it does see a heavy import
    assert "openpyxl" in imported_after(["analysis.exports", "openpyxl"])


def imported_by_first_run() -> set[str]:
    """The modules in ``sys.modules`` after the dashboard's first run in a fresh interpreter."""
    return set(fresh_interpreter(FIRST_RUN + "print(json.dumps(sorted(sys.modules)))\n"))


def test_the_overviews_first_run_does_not_import_what_it_does_not_use():
    loaded = imported_by_first_run()
    assert "plotly" in loaded and "analysis.tagging" in loaded  # it did run
    assert not [m for m in NOT_IN_FIRST_RUN if m in loaded]
