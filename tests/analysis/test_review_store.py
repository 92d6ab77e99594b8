"""analysis.review_store: the append-only review log (SQLite in tmp_path) and where it lives."""

from __future__ import annotations

import inspect
import re
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from analysis import review_rounds, review_store, review_tables
from analysis.review_store import (
    SQLITE_TIMEOUT,
    ReviewStore,
    data_folder,
    default_database_url,
    engine_options,
)
from analysis.review_tables import CURRENT_COLUMNS, HISTORY_COLUMNS, UTCDateTime

WHEN = datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reviews.sqlite"


@pytest.fixture
def store(db_path: Path):
    store = ReviewStore(f"sqlite:///{db_path}")
    yield store
    store.engine.dispose()


def record(store: ReviewStore, post_id: str, theme: str, decision: str, **kwargs) -> None:
    """Record with test defaults for the fields a test does not care about."""
    kwargs.setdefault("reviewer", "Asha")
    kwargs.setdefault("codebook_version", "2024.1")
    kwargs.setdefault("previous", None)
    kwargs.setdefault("now", WHEN)
    store.record(post_id, theme, decision, **kwargs)


# --- the table -------------------------------------------------------------------------------


def test_table_and_folder_created_on_first_use(db_path):
    assert not db_path.parent.exists()
    store = ReviewStore(f"sqlite:///{db_path}")
    assert db_path.is_file()

    inspector = sa.inspect(store.engine)
    assert inspector.get_table_names() == ["review_log", "review_round"]
    columns = {column["name"]: column for column in inspector.get_columns("review_log")}
    assert list(columns) == list(HISTORY_COLUMNS)
    assert [name for name, column in columns.items() if column["nullable"]] == [
        "previous",
        "comment",
        "round",
        "settles",
    ]
    assert inspector.get_pk_constraint("review_log")["constrained_columns"] == ["entry"]
    assert [index["column_names"] for index in inspector.get_indexes("review_log")] == [
        ["post_id", "theme"]
    ]
    assert store.history().empty
    assert list(store.history().columns) == list(HISTORY_COLUMNS)
    assert list(store.current().columns) == list(CURRENT_COLUMNS)
    store.engine.dispose()


def test_opening_again_keeps_the_log(db_path):
    first = ReviewStore(f"sqlite:///{db_path}")
    record(first, "a", "workforce", "confirmed")
    first.engine.dispose()
    second = ReviewStore(f"sqlite:///{db_path}")
    assert second.history()["post_id"].tolist() == ["a"]
    second.engine.dispose()


def test_accepts_an_engine_and_creates_its_sqlite_folder(db_path):
    engine = sa.create_engine(f"sqlite:///{db_path}")
    store = ReviewStore(engine)
    assert store.engine is engine
    assert db_path.is_file()
    record(store, "a", "workforce", "added")
    assert store.current()["decision"].tolist() == ["added"]
    engine.dispose()


def test_sqlite_url_waits_for_a_lock(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_engine_options_give_sqlite_alone_the_lock_timeout(tmp_path):
    """What the dashboard passes to ``st.connection``: the same wait as a store's own engine."""
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert engine_options(url) == {"connect_args": {"timeout": SQLITE_TIMEOUT}}
    assert engine_options(sa.engine.make_url("sqlite://")) == engine_options(url)
    assert engine_options("postgresql+psycopg://reviewer@db.example.org/anchor_themes") == {}
    engine = sa.create_engine(url, **engine_options(url))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_TIMEOUT * 1000
    engine.dispose()


# --- recording and reading -------------------------------------------------------------------


def test_record_then_history_has_every_field(store):
    one_hour_east = timezone(timedelta(hours=1))
    store.record(
        "post-1",
        "living_wage",
        "rejected",
        "  Asha Patel ",
        "2024.1",
        True,
        now=datetime(2024, 3, 1, 10, 30, 15, 123456, tzinfo=one_hour_east),
    )
    history = store.history()
    assert len(history) == 1
    row = history.iloc[0]
    assert row["entry"] == 1
    assert row["post_id"] == "post-1"
    assert row["theme"] == "living_wage"
    assert row["decision"] == "rejected"
    assert row["value"] is np.False_
    assert row["previous"] is np.True_
    assert row["reviewer"] == "Asha Patel"
    assert row["codebook_version"] == "2024.1"
    assert row["decided_at"] == pd.Timestamp(WHEN)  # 10:30 at +01:00 is 09:30 UTC
    assert str(row["decided_at"].tz) == "UTC"
    assert str(history["decided_at"].dtype) == "datetime64[us, UTC]"
    assert history["value"].dtype == bool
    assert str(history["previous"].dtype) == "boolean"


@pytest.mark.parametrize(
    ("decision", "value"), [("confirmed", True), ("added", True), ("rejected", False)]
)
def test_decision_sets_value(store, decision, value):
    record(store, "a", "workforce", decision)
    assert store.history()["value"].tolist() == [value]
    assert store.current()["value"].tolist() == [value]


def test_a_reviewer_confirms_rejects_or_adds_and_nothing_else(store):
    recorded = {"workforce": "confirmed", "living_wage": "rejected", "racial_equity": "added"}
    for theme, decision in recorded.items():
        store.record("a", theme, decision, "Asha", "2024.1", None)
    for other in ["maybe", "Confirmed", "removed", ""]:
        with pytest.raises(ValueError, match="decision must be one of confirmed, rejected, added"):
            store.record("a", "health_justice", other, "Asha", "2024.1", None)
    history = store.history()
    assert history["decision"].tolist() == ["confirmed", "rejected", "added"]  # nothing else kept
    assert history["value"].tolist() == [True, False, True]  # added: the theme applies


def test_default_time_is_now_in_utc(store):
    before = datetime.now(UTC)
    store.record("a", "workforce", "confirmed", "Asha", "2024.1", None)
    after = datetime.now(UTC)
    decided_at = store.history().at[0, "decided_at"]
    assert str(decided_at.tz) == "UTC"
    assert pd.Timestamp(before) <= decided_at <= pd.Timestamp(after)


def test_previous_may_be_unknown_or_a_numpy_bool(store):
    record(store, "a", "workforce", "confirmed", previous=None)
    record(store, "b", "workforce", "confirmed", previous=np.bool_(False))
    previous = store.history()["previous"]
    assert previous.isna().tolist() == [True, False]
    assert previous.iloc[1] is np.False_


def test_history_is_kept_and_current_shows_the_latest(store):
    # Machine tagged (a, workforce); the reviewer rejects, adds it back, then rejects again.
    record(store, "a", "workforce", "rejected", previous=True, now=WHEN)
    record(store, "b", "workforce", "confirmed", previous=True, now=WHEN)
    record(store, "a", "workforce", "added", previous=False, now=WHEN + timedelta(minutes=1))
    # A clock running behind does not make the last decision lose: latest means last recorded.
    record(store, "a", "workforce", "rejected", previous=True, reviewer="Ben", now=WHEN)

    history = store.history()
    assert history["entry"].tolist() == [1, 2, 3, 4]
    mine = history[(history["post_id"] == "a") & (history["theme"] == "workforce")]
    assert mine["decision"].tolist() == ["rejected", "added", "rejected"]
    assert mine["value"].tolist() == [False, True, False]
    assert mine["previous"].tolist() == [True, False, True]
    # Each decision's previous is the value the one before it left.
    assert mine["previous"].iloc[1:].tolist() == mine["value"].iloc[:-1].tolist()

    current = store.current()
    assert list(current.columns) == list(CURRENT_COLUMNS)
    assert current[["post_id", "theme", "value", "decision", "reviewer"]].values.tolist() == [
        ["b", "workforce", True, "confirmed", "Asha"],
        ["a", "workforce", False, "rejected", "Ben"],
    ]
    assert current["decided_at"].tolist() == [pd.Timestamp(WHEN)] * 2


def test_current_is_per_post_and_theme(store):
    record(store, "a", "workforce", "confirmed")
    record(store, "a", "living_wage", "added")
    record(store, "a", "workforce", "rejected")
    current = store.current().set_index(["post_id", "theme"])["decision"]
    assert current.to_dict() == {("a", "living_wage"): "added", ("a", "workforce"): "rejected"}


def test_there_is_no_way_to_update_or_delete():
    public = {name for name in dir(ReviewStore) if not name.startswith("_")}
    public = {name for name in public if "__mutmut_" not in name}  # make mutants adds these
    assert public == {"record", "history", "current", "set_round", "rounds"}
    for module in (review_store, review_rounds, review_tables):
        source = inspect.getsource(module)
        assert not re.search(r"\b(update|delete)\(", source)
        assert not re.search(r"\b(UPDATE|DELETE|DROP|TRUNCATE)\b", source)


@pytest.mark.parametrize(
    "change",
    [
        {"decision": "removed"},
        {"decision": "Confirmed"},
        {"decision": ""},
        {"reviewer": ""},
        {"reviewer": "   "},
        {"reviewer": None},
        {"post_id": ""},
        {"theme": " "},
        {"codebook_version": ""},
        {"previous": "yes"},
        {"previous": 1},
        {"now": datetime(2024, 3, 1, 9, 30)},  # naive: which zone?
    ],
)
def test_invalid_input_raises_and_writes_nothing(store, change):
    arguments = {
        "post_id": "a",
        "theme": "workforce",
        "decision": "confirmed",
        "reviewer": "Asha",
        "codebook_version": "2024.1",
        "previous": True,
        "now": WHEN,
    } | change
    with pytest.raises(ValueError):
        store.record(**arguments)
    with store.engine.connect() as connection:
        assert (
            connection.execute(
                sa.select(sa.func.count()).select_from(review_tables.review_log)
            ).scalar()
            == 0
        )


def test_concurrent_writers_are_all_kept(db_path):
    first, second = ReviewStore(f"sqlite:///{db_path}"), ReviewStore(f"sqlite:///{db_path}")
    per_writer = 40
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(store: ReviewStore, reviewer: str) -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(per_writer):
                store.record(f"post-{n}", "workforce", "confirmed", reviewer, "2024.1", True)
        except BaseException as error:  # reported below, from the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(first, "Asha")),
        threading.Thread(target=write, args=(second, "Ben")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)

    history = first.history()
    assert len(history) == 2 * per_writer
    assert history["entry"].tolist() == list(range(1, 2 * per_writer + 1))
    for reviewer in ("Asha", "Ben"):
        theirs = history[history["reviewer"] == reviewer]
        assert theirs["post_id"].tolist() == [f"post-{n}" for n in range(per_writer)]
    assert second.history().equals(history)
    first.engine.dispose()
    second.engine.dispose()


def test_utc_datetime_converts_aware_values_from_any_zone():
    postgres = postgresql.dialect()  # no driver or server needed
    column = UTCDateTime()
    east = datetime(2024, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert column.process_bind_param(east, postgres) == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert column.process_result_value(east, postgres).tzinfo is UTC
    assert column.process_result_value(east, postgres) == east


# --- where the log lives --------------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A home of the test's own, and no XDG_DATA_HOME or review database configured."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("ANCHOR_THEMES_REVIEW_DB", raising=False)
    return home


def test_default_url_from_env_url():
    url = "postgresql+psycopg://reviewer@db.example.org/anchor_themes"
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": f" {url} "}) == url
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_default_url_from_env_path(tmp_path, monkeypatch, home):
    absolute = tmp_path / "my reviews.sqlite"
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": str(absolute)}) == (
        f"sqlite:///{absolute.as_posix()}"
    )
    monkeypatch.chdir(tmp_path)
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": "reviews.sqlite"}) == (
        f"sqlite:///{(tmp_path / 'reviews.sqlite').as_posix()}"
    )
    environ = {"ANCHOR_THEMES_REVIEW_DB": "~/r.sqlite"}
    assert default_database_url(environ) == f"sqlite:///{(home / 'r.sqlite').as_posix()}"


def test_default_url_is_under_xdg_data_home(tmp_path, monkeypatch, home):
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    assert data_folder() == data / "anchor-themes"
    assert default_database_url({}) == (
        f"sqlite:///{(data / 'anchor-themes' / 'reviews.sqlite').as_posix()}"
    )
    assert not data.exists()  # working out the URL creates nothing


@pytest.mark.parametrize(
    ("xdg", "database"), [(None, None), ("", None), ("relative/dir", None), (None, "")]
)
def test_default_url_falls_back_to_local_share(monkeypatch, home, xdg, database):
    if xdg is not None:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)  # the XDG spec: a relative one is ignored
    environ = {} if database is None else {"ANCHOR_THEMES_REVIEW_DB": database}
    expected = home / ".local" / "share" / "anchor-themes" / "reviews.sqlite"
    assert default_database_url(environ) == f"sqlite:///{expected.as_posix()}"


def test_default_url_reads_the_process_environment_by_default(tmp_path, monkeypatch, home):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_DB", str(tmp_path / "set.sqlite"))
    assert default_database_url() == f"sqlite:///{(tmp_path / 'set.sqlite').as_posix()}"


def test_default_url_is_outside_the_repository(root, home):
    url = default_database_url({})
    assert not Path(sa.engine.make_url(url).database).is_relative_to(root)


def test_the_default_log_is_created_where_the_url_says(home):
    store = ReviewStore(default_database_url({}))
    record(store, "a", "workforce", "confirmed")
    assert (home / ".local" / "share" / "anchor-themes" / "reviews.sqlite").is_file()
    store.engine.dispose()
