"""analysis.review_store: comments, review rounds and settling decisions; an old log migrates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from analysis import review_tables
from analysis.review_store import COMMENT_LIMIT, ReviewStore

WHEN = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'reviews.sqlite'}"


@pytest.fixture
def store(url):
    store = ReviewStore(url)
    yield store
    store.engine.dispose()


def record(store, post_id, theme, decision, reviewer="Asha", **kwargs):
    kwargs.setdefault("now", WHEN)
    store.record(post_id, theme, decision, reviewer, "2024.1", None, **kwargs)


# --- comments --------------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://x")\n<script>alert(1)</script> \u202e\'; DROP TABLE review_log;--  '


def test_a_comment_is_stored_exactly_as_given(store):
    record(store, "a", "workforce", "rejected", comment=HOSTILE)
    record(store, "b", "workforce", "confirmed")
    record(store, "c", "workforce", "confirmed", comment="   ")
    history = store.history()
    assert history["comment"].tolist() == [HOSTILE, None, None]
    assert store.current()["comment"].tolist() == [HOSTILE, None, None]
    assert len(store.history()) == 3  # the table survived the text


def test_a_comment_has_a_length_limit(store):
    record(store, "a", "workforce", "confirmed", comment="x" * COMMENT_LIMIT)
    with pytest.raises(ValueError, match="at most 2000"):
        record(store, "b", "workforce", "confirmed", comment="x" * (COMMENT_LIMIT + 1))
    with pytest.raises(ValueError, match="comment must be text"):
        record(store, "b", "workforce", "confirmed", comment=5)
    assert store.history()["post_id"].tolist() == ["a"]


# --- rounds ----------------------------------------------------------------------------------


def test_rounds_are_opened_and_their_blind_setting_changes_by_appending(store):
    assert store.rounds().empty
    store.set_round("pilot", True, "Lead", now=WHEN)
    store.set_round("second", False, "Lead", now=WHEN + timedelta(hours=1))
    store.set_round("pilot", False, "Lead", now=WHEN + timedelta(days=1))  # lift blindness
    rounds = store.rounds()
    assert rounds["round"].tolist() == ["pilot", "second"]
    assert rounds["blind"].tolist() == [False, False]
    assert rounds["opened_at"].tolist() == [
        pd.Timestamp(WHEN),
        pd.Timestamp(WHEN + timedelta(hours=1)),
    ]
    assert rounds["set_at"].iloc[0] == pd.Timestamp(WHEN + timedelta(days=1))
    with store.engine.connect() as connection:  # nothing changed: three rows
        count = sa.select(sa.func.count()).select_from(review_tables.review_round)
        assert connection.execute(count).scalar() == 3


def test_the_rounds_table_is_append_only_too(store):
    store.set_round("pilot", True, "Lead")
    for sql in ("UPDATE review_round SET blind = 0", "DELETE FROM review_round"):
        with (
            pytest.raises(sa.exc.DBAPIError, match="review_round is append-only"),
            store.engine.begin() as connection,
        ):
            connection.exec_driver_sql(sql)
    assert store.rounds()["blind"].tolist() == [True]


def test_a_decision_names_an_opened_round_and_settles_only_within_one(store):
    with pytest.raises(ValueError, match="has not been opened"):
        record(store, "a", "workforce", "confirmed", round="pilot")
    with pytest.raises(ValueError, match="belongs to a round"):
        record(store, "a", "workforce", "confirmed", settles=True)
    store.set_round("pilot", True, "Lead")
    record(store, "a", "workforce", "confirmed", round="pilot")
    record(store, "b", "workforce", "confirmed")
    history = store.history()
    assert history["round"].tolist() == ["pilot", None]
    assert history["settles"].tolist() == [False, pd.NA]


# --- an old log ------------------------------------------------------------------------------


OLD_SCHEMA = """
CREATE TABLE review_log (
    entry INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    post_id TEXT NOT NULL, theme TEXT NOT NULL, decision TEXT NOT NULL,
    value BOOLEAN NOT NULL, previous BOOLEAN, reviewer TEXT NOT NULL,
    decided_at DATETIME NOT NULL, codebook_version TEXT NOT NULL
)"""


def test_a_log_made_before_comments_and_rounds_gains_them_and_keeps_every_row(url):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(OLD_SCHEMA)
        connection.exec_driver_sql(
            "INSERT INTO review_log (post_id, theme, decision, value, previous, reviewer, "
            "decided_at, codebook_version) VALUES "
            "('old', 'workforce', 'rejected', 0, 1, 'Asha', '2023-05-01 10:00:00.000000', '2023.1'),"
            "('old', 'living_wage', 'added', 1, 0, 'Ben', '2023-05-02 11:00:00.000000', '2023.1')"
        )
    engine.dispose()

    store = ReviewStore(url)
    columns = [column["name"] for column in sa.inspect(store.engine).get_columns("review_log")]
    assert columns[-3:] == ["comment", "round", "settles"]
    history = store.history()
    assert history[["entry", "post_id", "theme", "decision", "reviewer"]].values.tolist() == [
        [1, "old", "workforce", "rejected", "Asha"],
        [2, "old", "living_wage", "added", "Ben"],
    ]
    assert history["decided_at"].tolist() == [
        pd.Timestamp("2023-05-01 10:00", tz="UTC"), pd.Timestamp("2023-05-02 11:00", tz="UTC")
    ]  # fmt: skip
    assert history["comment"].tolist() == [None, None]
    assert history["round"].tolist() == [None, None]
    store.set_round("pilot", False, "Lead")
    record(store, "new", "workforce", "confirmed", comment="fine", round="pilot")
    store.engine.dispose()

    again = ReviewStore(url)  # opening again adds nothing twice
    assert again.history()["comment"].tolist() == [None, None, "fine"]
    assert again.current()["post_id"].tolist() == ["old", "old", "new"]
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), again.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE review_log SET comment = 'x'")
    again.engine.dispose()
