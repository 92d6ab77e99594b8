"""AppTest set-up: every test gets its own review log, and no passcode unless it sets one.

``download`` fetches a download button's bytes as a click in the browser would.
"""

from __future__ import annotations

import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryFile


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
