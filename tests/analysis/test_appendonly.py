"""analysis.appendonly: the database itself refuses to change or remove a review decision.

SQLite always (tmp_path); PostgreSQL when ANCHOR_THEMES_TEST_PG_URL names one to use
(``.ci/run`` starts a local server and sets it), in a schema of the test's own.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from analysis import appendonly, review_tables
from analysis.review_store import ReviewStore

PG_URL_ENV = "ANCHOR_THEMES_TEST_PG_URL"
WHEN = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
CHANGES = {
    "update": "UPDATE review_log SET value = NOT value, reviewer = 'Mallory'",
    "update one column": "UPDATE review_log SET decision = 'added' WHERE entry = 1",
    "delete": "DELETE FROM review_log",
    "delete one row": "DELETE FROM review_log WHERE entry = 1",
}


def record(store: ReviewStore, post_id: str, decision: str = "confirmed") -> None:
    store.record(post_id, "workforce", decision, "Asha", "2024.1", True, now=WHEN)


def history(store: ReviewStore) -> list[list]:
    return store.history()[["entry", "post_id", "decision", "value", "reviewer"]].values.tolist()


def refused(engine: sa.Engine, statement, match: str = "review_log is append-only") -> None:
    """Running ``statement`` (SQL text or a SQLAlchemy statement) raises the trigger's error."""
    if isinstance(statement, str):
        statement = sa.text(statement)
    with pytest.raises(sa.exc.DBAPIError, match=match), engine.begin() as connection:
        connection.execute(statement)


def assert_append_only(store: ReviewStore, changes: dict[str, str]) -> None:
    """Each change through the engine is refused and changes nothing; inserts still work."""
    record(store, "a")
    record(store, "b", "rejected")
    before = history(store)
    for sql in changes.values():
        refused(store.engine, sql)
        assert history(store) == before
    refused(store.engine, sa.update(review_tables.review_log).values(reviewer="Mallory"))
    refused(store.engine, sa.delete(review_tables.review_log))
    assert history(store) == before
    # Inserting is what the log is for: by the store and by plain SQL alike.
    record(store, "c", "added")
    with store.engine.begin() as connection:
        connection.execute(
            sa.insert(review_tables.review_log).values(
                post_id="d", theme="workforce", decision="confirmed", value=True,
                previous=None, reviewer="Ben", decided_at=WHEN, codebook_version="2024.1",
            )
        )  # fmt: skip
    assert [row[1] for row in history(store)] == ["a", "b", "c", "d"]


# --- SQLite ----------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'reviews.sqlite'}"


def test_sqlite_refuses_update_and_delete_of_decisions(sqlite_url):
    store = ReviewStore(sqlite_url)
    assert_append_only(store, CHANGES)
    store.engine.dispose()


def sqlite_triggers(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'review_log'"
            ).scalars()
        )


def test_a_sqlite_log_made_before_the_triggers_gets_them_when_opened(sqlite_url):
    # The table as the store made it before the triggers: rows can still be changed.
    engine = sa.create_engine(sqlite_url)
    review_tables.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(review_tables.review_log).values(
                post_id="old", theme="workforce", decision="confirmed", value=True,
                previous=True, reviewer="Asha", decided_at=WHEN, codebook_version="2023.1",
            )
        )  # fmt: skip
        connection.exec_driver_sql("UPDATE review_log SET reviewer = 'Asha R.'")
    assert sqlite_triggers(engine) == []
    engine.dispose()

    store = ReviewStore(sqlite_url)
    assert sqlite_triggers(store.engine) == ["review_log_no_delete", "review_log_no_update"]
    assert history(store) == [[1, "old", "confirmed", True, "Asha R."]]  # kept as it was
    update = "UPDATE review_log SET reviewer = 'Mallory'"
    refused(store.engine, update, "review_log is append-only: rows cannot be changed")
    refused(store.engine, "DELETE FROM review_log", "append-only: rows cannot be deleted")
    assert history(store) == [[1, "old", "confirmed", True, "Asha R."]]
    store.engine.dispose()


def test_opening_a_sqlite_log_again_keeps_one_set_of_triggers(sqlite_url):
    for _ in range(3):
        store = ReviewStore(sqlite_url)
        record(store, "a")
        store.engine.dispose()
    store = ReviewStore(sqlite_url)
    assert sqlite_triggers(store.engine) == ["review_log_no_delete", "review_log_no_update"]
    assert len(history(store)) == 3
    store.engine.dispose()


# --- the SQL for each database ---------------------------------------------------------------


def test_postgresql_statements_guard_rows_and_truncate_and_run_again_safely():
    sql = appendonly.statements("postgresql", "review_log")
    assert len(sql) == 3
    function, rows, truncate = sql
    assert "to_regprocedure('review_log_append_only()') IS NULL" in function
    assert "CREATE FUNCTION review_log_append_only() RETURNS trigger" in function
    assert "RAISE EXCEPTION" in function and "review_log is append-only: " in function
    assert "tgname = 'review_log_no_change'" in rows
    assert "BEFORE UPDATE OR DELETE ON review_log" in rows and "FOR EACH ROW" in rows
    assert "BEFORE TRUNCATE ON review_log" in truncate and "FOR EACH STATEMENT" in truncate
    for statement in sql:
        assert statement.startswith("DO $do$") and statement.endswith("END $do$")
        assert "%" not in statement  # the driver's parameter style would read it


def test_sqlite_statements_exist_only_when_missing():
    sql = appendonly.statements("sqlite", "review_log")
    assert [s.split(" BEFORE")[0] for s in sql] == [
        "CREATE TRIGGER IF NOT EXISTS review_log_no_update",
        "CREATE TRIGGER IF NOT EXISTS review_log_no_delete",
    ]
    assert all("RAISE(ABORT, 'review_log is append-only" in s for s in sql)


def test_other_databases_get_no_statements_and_names_must_be_plain():
    assert appendonly.statements("mysql", "review_log") == []
    for bad in ("review log", "x; DROP TABLE y", "Review_Log", ""):
        with pytest.raises(ValueError, match="not a plain table name"):
            appendonly.statements("sqlite", bad)


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture
def postgres():
    """An engine on a fresh schema of the server named by ANCHOR_THEMES_TEST_PG_URL."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"{PG_URL_ENV} is not set (.ci/run starts a PostgreSQL and sets it)")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def test_postgresql_refuses_update_delete_and_truncate(postgres):
    store = ReviewStore(postgres)
    assert_append_only(store, {**CHANGES, "truncate": "TRUNCATE review_log"})


def pg_triggers(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(
            connection.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'review_log'::regclass "
                "AND NOT tgisinternal"
            ).scalars()
        )


def test_a_postgresql_log_made_before_the_triggers_gets_them_once(postgres):
    review_tables.metadata.create_all(postgres)
    with postgres.begin() as connection:
        connection.execute(
            sa.insert(review_tables.review_log).values(
                post_id="old", theme="workforce", decision="confirmed", value=True,
                previous=True, reviewer="Asha", decided_at=WHEN, codebook_version="2023.1",
            )
        )  # fmt: skip
    assert pg_triggers(postgres) == []
    for _ in range(2):  # opening again creates nothing twice
        store = ReviewStore(postgres)
    assert pg_triggers(postgres) == ["review_log_no_change", "review_log_no_truncate"]
    refused(postgres, "DELETE FROM review_log", "review_log is append-only: DELETE is refused")
    assert history(store) == [[1, "old", "confirmed", True, "Asha"]]


def test_a_postgresql_log_made_before_comments_and_rounds_gains_them(postgres):
    with postgres.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE review_log (entry SERIAL PRIMARY KEY, post_id TEXT NOT NULL, "
            "theme TEXT NOT NULL, decision TEXT NOT NULL, value BOOLEAN NOT NULL, "
            "previous BOOLEAN, reviewer TEXT NOT NULL, "
            "decided_at TIMESTAMP WITH TIME ZONE NOT NULL, codebook_version TEXT NOT NULL)"
        )
        connection.exec_driver_sql(
            "INSERT INTO review_log (post_id, theme, decision, value, previous, reviewer, "
            "decided_at, codebook_version) VALUES "
            "('old', 'workforce', 'confirmed', true, true, 'Asha', now(), '2023.1')"
        )
    store = ReviewStore(postgres)
    store.set_round("pilot", True, "Lead")
    store.record("new", "workforce", "rejected", "Ben", "2024.1", True, comment="no", round="pilot")
    assert store.history()[["post_id", "comment", "round"]].values.tolist() == [
        ["old", None, None],
        ["new", "no", "pilot"],
    ]
    assert pg_triggers(postgres) == ["review_log_no_change", "review_log_no_truncate"]
    refused(postgres, "UPDATE review_round SET blind = false", "review_round is append-only")
    ReviewStore(postgres)  # opening again adds nothing twice
