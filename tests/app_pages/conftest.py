"""AppTest set-up: every test gets its own review log, and no passcode unless it sets one."""

import pytest


@pytest.fixture(autouse=True)
def review_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'reviews.sqlite'}"
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_DB", url)
    monkeypatch.delenv("ANCHOR_THEMES_REVIEW_PASSCODE", raising=False)
    return url
