"""app_pages.review_access: the review log the dashboard opens, with the store's engine options."""

from __future__ import annotations

import sqlalchemy as sa

from analysis.review_store import SQLITE_TIMEOUT, ReviewStore
from app_pages import review_access


def test_the_sqlite_log_waits_for_a_lock_as_long_as_the_store_says(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    given = {}

    class Connection:
        def __init__(self, name, **kwargs):
            given.update(kwargs, name=name)
            self.engine = sa.create_engine(url)

    monkeypatch.setattr(review_access.st, "connection", Connection)
    review_access._store.clear()
    try:
        store = review_access._store(url)
    finally:
        review_access._store.clear()
    assert isinstance(store, ReviewStore)
    assert given == {
        "name": "reviews",
        "type": "sql",
        "url": url,
        "connect_args": {"timeout": SQLITE_TIMEOUT},
    }
