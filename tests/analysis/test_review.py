"""analysis.review: the append-only review log (SQLite in tmp_path) and what is derived from it."""

from __future__ import annotations

import inspect
import math
import re
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from analysis import review
from analysis.codebook import Codebook, Theme
from analysis.review import (
    CURRENT_COLUMNS,
    DECISIONS,
    FREE_ATTEMPTS,
    HISTORY_COLUMNS,
    MAX_WAIT,
    REVIEW_FILTERS,
    PasscodeAttempts,
    ReviewStore,
    UTCDateTime,
    agreement,
    configured_passcode,
    default_database_url,
    locked_message,
    next_decisions,
    passcode_ok,
    review_status,
    reviewed_tags,
)

THEMES = ["workforce", "living_wage", "racial_equity"]
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


def decisions(*rows: tuple[str, str, bool]) -> pd.DataFrame:
    """A hand-made ``current`` frame from (post_id, theme, value) rows."""
    frame = pd.DataFrame(rows, columns=["post_id", "theme", "value"])
    frame["decision"] = np.where(frame["value"], "confirmed", "rejected")
    return frame


@pytest.fixture
def posts() -> pd.DataFrame:
    # A non-default index, so results must follow the posts' index, not positions.
    return pd.DataFrame({"id": ["a", "b", "c", "d"], "title": list("ABCD")}, index=[10, 11, 12, 13])


@pytest.fixture
def machine(posts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "workforce": [True, True, False, False],
            "living_wage": [False, True, False, False],
            "racial_equity": [False, False, True, False],
        },
        index=posts.index,
    )


# --- the table -------------------------------------------------------------------------------


def test_table_and_folder_created_on_first_use(db_path):
    assert not db_path.parent.exists()
    store = ReviewStore(f"sqlite:///{db_path}")
    assert db_path.is_file()

    inspector = sa.inspect(store.engine)
    assert inspector.get_table_names() == ["review_log"]
    columns = {column["name"]: column for column in inspector.get_columns("review_log")}
    assert list(columns) == list(HISTORY_COLUMNS)
    assert [name for name, column in columns.items() if column["nullable"]] == ["previous"]
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


def test_sqlite_url_waits_30_seconds_for_a_lock(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


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


def test_decisions_are_exactly_three():
    assert DECISIONS == ("confirmed", "rejected", "added")


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
    assert public == {"record", "history", "current"}
    source = inspect.getsource(review)
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
            connection.execute(sa.select(sa.func.count()).select_from(review.review_log)).scalar()
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


# --- the default database --------------------------------------------------------------------


def test_default_url_from_env_url():
    url = "postgresql+psycopg://reviewer@db.example.org/anchor_themes"
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": f" {url} "}) == url
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_default_url_from_env_path(tmp_path, monkeypatch):
    absolute = tmp_path / "my reviews.sqlite"
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": str(absolute)}) == (
        f"sqlite:///{absolute.as_posix()}"
    )
    monkeypatch.chdir(tmp_path)
    assert default_database_url({"ANCHOR_THEMES_REVIEW_DB": "reviews.sqlite"}) == (
        f"sqlite:///{(tmp_path / 'reviews.sqlite').as_posix()}"
    )
    home = tmp_path / "home"
    environ = {"ANCHOR_THEMES_REVIEW_DB": "~/r.sqlite", "HOME": str(home)}
    assert default_database_url(environ) == f"sqlite:///{(home / 'r.sqlite').as_posix()}"


def test_default_url_is_under_xdg_data_home(tmp_path):
    data = tmp_path / "data"
    environ = {"XDG_DATA_HOME": str(data), "HOME": str(tmp_path / "home")}
    assert default_database_url(environ) == (
        f"sqlite:///{(data / 'anchor-themes' / 'reviews.sqlite').as_posix()}"
    )
    assert not data.exists()  # working out the URL creates nothing


@pytest.mark.parametrize(
    "extra",
    [{}, {"XDG_DATA_HOME": ""}, {"XDG_DATA_HOME": "relative/dir"}, {"ANCHOR_THEMES_REVIEW_DB": ""}],
)
def test_default_url_falls_back_to_local_share(tmp_path, extra):
    home = tmp_path / "home"
    expected = home / ".local" / "share" / "anchor-themes" / "reviews.sqlite"
    assert default_database_url({"HOME": str(home), **extra}) == f"sqlite:///{expected.as_posix()}"


def test_default_url_is_outside_the_repository(root, tmp_path):
    url = default_database_url({"HOME": str(tmp_path)})
    assert not Path(sa.engine.make_url(url).database).is_relative_to(root)


# --- reviewed tags and status ----------------------------------------------------------------


def test_reviewed_tags_override_only_decided_cells(posts, machine):
    current = decisions(
        ("a", "workforce", False),  # machine True -> rejected
        ("b", "workforce", True),  # machine True -> confirmed, no change
        ("d", "racial_equity", True),  # machine False -> added
        ("ghost", "workforce", False),  # unknown post: ignored
        ("c", "astrology", True),  # unknown theme: ignored
    )
    reviewed = reviewed_tags(posts, machine, current)
    expected = machine.copy()
    expected.loc[10, "workforce"] = False
    expected.loc[13, "racial_equity"] = True
    pd.testing.assert_frame_equal(reviewed, expected)
    assert reviewed.dtypes.eq(bool).all()
    assert machine.loc[10, "workforce"]  # the machine tags are not changed


def test_reviewed_tags_without_decisions_are_the_machine_tags(posts, machine, store):
    pd.testing.assert_frame_equal(reviewed_tags(posts, machine, store.current()), machine)
    only_unknown = decisions(("ghost", "workforce", True), ("a", "astrology", True))
    pd.testing.assert_frame_equal(reviewed_tags(posts, machine, only_unknown), machine)


def test_reviewed_tags_from_the_store(posts, machine, store):
    record(store, "c", "living_wage", "added", previous=False)
    record(store, "c", "living_wage", "rejected", previous=True)
    record(store, "c", "workforce", "added", previous=False)
    reviewed = reviewed_tags(posts, machine, store.current())
    assert reviewed.loc[12].to_dict() == {
        "workforce": True,
        "living_wage": False,
        "racial_equity": True,
    }
    assert reviewed.drop(index=12).equals(machine.drop(index=12))


def test_reviewed_tags_need_tags_indexed_like_posts(posts, machine):
    with pytest.raises(ValueError, match="indexed like posts"):
        reviewed_tags(posts, machine.reset_index(drop=True), decisions())


def test_review_status(posts, machine):
    current = decisions(
        ("a", "workforce", True),  # reviewed, agrees
        ("b", "workforce", True),  # reviewed, agrees ...
        ("b", "living_wage", False),  # ... and disagrees on another theme
        ("ghost", "workforce", False),  # ignored
        ("d", "astrology", True),  # ignored: d stays unreviewed
    )
    status = review_status(posts, machine, current)
    assert list(status.columns) == ["reviewed", "disagrees"]
    assert status.index.equals(posts.index)
    assert status["reviewed"].tolist() == [True, True, False, False]
    assert status["disagrees"].tolist() == [False, True, False, False]


def test_review_status_before_any_decision(posts, machine, store):
    status = review_status(posts, machine, store.current())
    assert not status.to_numpy().any()
    assert status.shape == (4, 2)


def test_review_filters_name_the_page_choices():
    assert REVIEW_FILTERS == {
        "all": "All posts",
        "unreviewed": "Not yet reviewed",
        "disagree": "Machine and human disagree",
    }


def test_next_decisions_for_one_post(machine, store):
    record(store, "b", "workforce", "rejected", previous=True, reviewer="Ben")
    record(store, "b", "racial_equity", "rejected", previous=False)
    record(store, "b", "racial_equity", "added", previous=False)
    record(store, "a", "living_wage", "added", previous=False)  # another post: not shown
    steps = next_decisions("b", machine.loc[11], store.current())

    assert [step.theme for step in steps] == THEMES
    workforce, living_wage, racial_equity = steps
    assert (workforce.machine, workforce.current) == (True, False)
    assert (workforce.decision, workforce.reviewer) == ("rejected", "Ben")
    assert workforce.decided_at == pd.Timestamp(WHEN)
    assert workforce.options == ("added",)
    assert workforce.summary == "Machine: tagged · rejected by Ben, 1 Mar 2024"

    assert (living_wage.machine, living_wage.current, living_wage.decision) == (True, True, None)
    assert living_wage.reviewer is living_wage.decided_at is None
    assert living_wage.options == ("confirmed", "rejected")
    assert living_wage.summary == "Machine: tagged · not yet reviewed"

    assert (racial_equity.machine, racial_equity.current) == (False, True)
    assert racial_equity.decision == "added"
    assert racial_equity.options == ("confirmed", "rejected")
    assert racial_equity.summary == "Machine: not tagged · added by Asha, 1 Mar 2024"


def test_next_decisions_before_any_review(machine, store):
    steps = next_decisions("d", machine.loc[13], store.current())
    assert [(step.current, step.options) for step in steps] == [(False, ("added", "rejected"))] * 3
    assert {step.summary for step in steps} == {"Machine: not tagged · not yet reviewed"}
    confirmed = next_decisions("a", machine.loc[10], decisions(("a", "workforce", True)))[0]
    assert (confirmed.decision, confirmed.options) == ("confirmed", ("rejected",))


# --- passcode --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("anchor-2024", "anchor-2024", True),
        ("crème brûlée", "crème brûlée", True),  # compared as UTF-8 bytes
        ("anchor-2023", "anchor-2024", False),
        ("anchor-2024 ", "anchor-2024", False),
        ("", "anchor-2024", False),
        (None, "anchor-2024", False),
        ("", "", False),  # no passcode configured never unlocks
        (None, None, False),
        ("anything", None, False),
    ],
)
def test_passcode_ok(given, expected, ok):
    assert passcode_ok(given, expected) is ok


def test_configured_passcode_prefers_secrets_then_env():
    env = {"ANCHOR_THEMES_REVIEW_PASSCODE": "from-env"}
    assert configured_passcode(env, {"review_passcode": "from-secrets"}) == "from-secrets"
    assert configured_passcode(env, {"review_passcode": ""}) == "from-env"
    assert configured_passcode(env, {"other": "x"}) == "from-env"
    assert configured_passcode(env, None) == "from-env"
    assert configured_passcode(env) == "from-env"
    assert configured_passcode({}, {"review_passcode": 1234}) == "1234"
    assert configured_passcode({}, {}) is None
    assert (
        configured_passcode({"ANCHOR_THEMES_REVIEW_PASSCODE": ""}, {"review_passcode": ""}) is None
    )


# --- agreement -------------------------------------------------------------------------------


def test_agreement_on_a_small_example(posts, machine):
    codebook = Codebook(
        themes=tuple(
            Theme(id=theme_id, label=label, colour="#000000", definition="d", terms=("t",))
            for theme_id, label in zip(
                THEMES, ["Workforce", "Living wage", "Racial equity"], strict=True
            )
        )
    )
    current = decisions(
        # workforce, machine a..c = T, T, F; human T, F, F: 2 of 3 agree.
        ("a", "workforce", True),
        ("b", "workforce", False),
        ("c", "workforce", False),
        ("ghost", "workforce", True),  # ignored
        # racial_equity, machine a, b = F, F; human F, F: all agree, both constant.
        ("a", "racial_equity", False),
        ("b", "racial_equity", False),
        # living_wage: no decisions.
    )
    table = agreement(posts, machine, current, codebook)
    assert list(table.columns) == ["theme", "label", "decisions", "agree", "kappa"]
    assert table["theme"].tolist() == THEMES
    assert table["label"].tolist() == ["Workforce", "Living wage", "Racial equity"]
    assert table["decisions"].tolist() == [3, 0, 2]
    assert table["agree"].tolist() == [2, 0, 2]
    # workforce: observed 2/3; expected 1/3 * 2/3 + 2/3 * 1/3 = 4/9; kappa (2/9) / (5/9) = 0.4.
    assert table.at[0, "kappa"] == pytest.approx(0.4)
    assert math.isnan(table.at[1, "kappa"])
    assert table.at[2, "kappa"] == 1.0


def test_action_labels_say_what_the_click_means():
    from analysis.review import action_label

    assert action_label("confirmed", True) == "Confirm it applies"
    assert action_label("rejected", True) == "Reject: it does not apply"
    assert action_label("added", False) == "Add: it applies"
    assert action_label("rejected", False) == "Confirm it does not apply"
    with pytest.raises(KeyError):
        action_label("added", True)  # adding a theme that already applies is not offered


# --- passcode attempts -----------------------------------------------------------------------


def wrong_tries(count: int, start: float = 0.0) -> tuple[PasscodeAttempts, list[str | None]]:
    """``count`` wrong passcodes, one a second from ``start``; the state and each message."""
    tries, messages = PasscodeAttempts(), []
    for n in range(count):
        result = tries.attempt("guess", "secret", now=start + n)
        assert not result.unlocked
        tries = result.attempts
        messages.append(result.message)
    return tries, messages


def test_four_wrong_passcodes_only_say_so_and_the_fifth_locks_for_30_seconds():
    tries, messages = wrong_tries(5)
    assert messages[:4] == ["That passcode is not right."] * 4
    assert messages[4] == "Too many attempts: try again in 30 seconds."
    assert FREE_ATTEMPTS == 5
    # Locked at t=4 for 30 s: allowed again from t=34.
    assert tries.wait(now=4) == 30
    assert tries.wait(now=4.5) == 30  # whole seconds, rounded up
    assert tries.wait(now=33.2) == 1
    assert tries.wait(now=34) == 0


def test_a_locked_session_refuses_even_the_right_passcode_until_the_wait_is_over():
    tries, _ = wrong_tries(5)
    refused = tries.attempt("secret", "secret", now=20)
    assert not refused.unlocked
    assert refused.message == "Too many attempts: try again in 14 seconds."
    assert refused.attempts == tries  # a refused try neither counts nor extends the wait
    allowed = tries.attempt("secret", "secret", now=34)
    assert allowed.unlocked and allowed.message is None


def test_each_wrong_passcode_after_a_wait_doubles_it_up_to_the_cap():
    tries, _ = wrong_tries(5)
    now, waits = 4.0, []
    for _ in range(8):
        now += tries.wait(now)
        result = tries.attempt("guess", "secret", now=now)
        tries = result.attempts
        waits.append(tries.wait(now))
        assert result.message == f"Too many attempts: try again in {waits[-1]} seconds."
    assert waits == [60, 120, 240, 480, MAX_WAIT, MAX_WAIT, MAX_WAIT, MAX_WAIT]
    assert MAX_WAIT == 900


def test_the_right_passcode_starts_the_count_again():
    tries, _ = wrong_tries(4)
    result = tries.attempt("secret", "secret", now=10)
    assert result.unlocked
    assert result.attempts == PasscodeAttempts()
    _, messages = wrong_tries(4, start=11)
    assert messages == ["That passcode is not right."] * 4


def test_a_try_with_no_passcode_configured_never_unlocks():
    result = PasscodeAttempts().attempt("", None, now=0)
    assert not result.unlocked
    assert result.attempts.failures == 1


def test_locked_message_says_second_or_seconds():
    assert locked_message(1) == "Too many attempts: try again in 1 second."
    assert locked_message(45) == "Too many attempts: try again in 45 seconds."


def test_passcodes_are_compared_with_hmac_compare_digest(monkeypatch):
    calls = []
    real = review.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(review.hmac, "compare_digest", spy)
    assert passcode_ok("anchor-2024", "anchor-2024")
    assert not passcode_ok("anchor", "anchor-2024")
    assert len(calls) == 2
    # Digests of equal length, so a guess's length does not show in the comparison's time.
    assert {len(a) for a, b in calls} == {len(b) for a, b in calls} == {32}
