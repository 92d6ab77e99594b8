"""AppTest set-up: every test gets its own review log, and no passcode unless it sets one.

``app`` opens the dashboard as a browser would (a link's settings, a session's state, a page);
``download`` fetches a download button's bytes as a click in the browser would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryFile
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def ok(at: AppTest) -> AppTest:
    """``at`` after checking its run raised nothing (the exceptions' messages say what did)."""
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_app(
    page: str | None = None,
    *,
    session: Mapping[str, Any] | None = None,
    timeout: float = 60,
    **query: str | list[str],
) -> AppTest:
    """The dashboard opened on a link with ``query`` (``themes="workforce"``), with ``session``
    already in its session state, then switched to ``page`` ("app_pages/explore.py"); checked
    to have run without an exception. ``timeout`` is each run's limit in seconds."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    ok(at.run())
    if page:
        ok(at.switch_page(page).run())
    return at


@pytest.fixture
def app(monkeypatch) -> Callable[..., AppTest]:
    """``app(page=None, *, argv=None, session=None, timeout=60, **query)``: see
    :func:`open_app`; with ``argv``, as ``streamlit run dashboard.py -- *argv`` opens it
    (Streamlit gives the script ``sys.argv = ["dashboard.py", *argv]``)."""

    def start(page: str | None = None, *, argv: Sequence[object] | None = None, **kwargs):
        if argv is not None:
            monkeypatch.setattr(sys, "argv", [DASHBOARD, *map(str, argv)])
        return open_app(page, **kwargs)

    return start


@pytest.fixture(autouse=True)
def review_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'reviews.sqlite'}"
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_DB", url)
    monkeypatch.delenv("ANCHOR_THEMES_REVIEW_PASSCODE", raising=False)
    return url


class _KeptMediaFiles(MediaFileManager):
    """AppTest's per-run media file manager, kept where a test can ask it for a file."""

    latest: _KeptMediaFiles | None = None

    def __init__(self, storage) -> None:
        super().__init__(storage)
        self.storage = storage
        type(self).latest = self


@pytest.fixture
def download(monkeypatch):
    """``download(button)``: the file clicking an ``st.download_button`` of the latest
    AppTest run delivers, with ``content`` (bytes), ``filename`` and ``mimetype``.

    AppTest gives each run a fresh in-memory media file manager and drops it when the run
    ends; this keeps the latest one. A button given bytes has them stored under its URL; a
    button given a callable (built on click) holds a deferred file id, which is executed
    here as Streamlit's server does when the browser asks for it.
    """
    monkeypatch.setattr(app_test, "MediaFileManager", _KeptMediaFiles)

    def fetch(button) -> MemoryFile:
        files = _KeptMediaFiles.latest
        assert files is not None, "no AppTest has run since the fixture was set up"
        proto = button.proto
        url = (
            files.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
        )
        assert url, f"the button {proto.label!r} has nothing to download"
        return files.storage.get_file(url.rsplit("/", 1)[-1])

    return fetch


#: Code that runs the dashboard's first run (the Overview) in AppTest; what follows it in
#: :func:`fresh_interpreter` reads the interpreter afterwards.
FIRST_RUN = (
    "import gc, json, sys\n"
    "from streamlit.testing.v1 import AppTest\n"
    "at = AppTest.from_file(sys.argv[1], default_timeout=120).run()\n"
    "assert not at.exception, [e.message for e in at.exception]\n"
    "assert at.title[0].value == 'Overview' and len(at.get('plotly_chart')) == 2\n"
)


def fresh_interpreter(code: str):
    """What ``code`` prints last, as JSON, run in a fresh interpreter in the project, with
    the dashboard's path as ``sys.argv[1]``: for what a process holds (its modules, its
    frozen objects), which the tests' own process cannot say."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, str(root / "dashboard.py")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def uploader(at: AppTest, key: str):
    """The sidebar's uploader ``key`` ("upload" or "codebook_upload"), after a click opening
    "Data and codebook" when needed: its uploaders are drawn while the box is open or while
    they hold a file."""
    from app_pages.data_sources import DATA_OPEN

    if not [found for found in at.sidebar.file_uploader if found.key == key]:
        at.session_state[DATA_OPEN] = True
        ok(at.run())
    return at.sidebar.file_uploader(key=key)
