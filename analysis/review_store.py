"""Where review decisions are kept: an append-only log in a real database.

A reviewer looks at one post and one theme and records a decision:

- ``confirmed`` -- the theme applies (usually agreeing with a machine tag);
- ``added`` -- the theme applies although the machine did not tag it;
- ``rejected`` -- the theme does not apply.

Every decision is one new row of the ``review_log`` table; nothing is ever updated
or deleted, and triggers make the database itself refuse to (:mod:`analysis.appendonly`).
A reviewer who changes their mind records a new decision, and the latest decision
for a (post, theme) pair is the one that counts. Each row keeps who decided, when
(UTC), under which codebook version, and the value the pair had just before
(``previous``), so the log reads as a full history of the review. A decision may carry a
``comment`` (at most :data:`COMMENT_LIMIT` characters, stored exactly as given) and belong
to a review ``round``.

Review rounds let two or more people code the same posts. A round is opened with
:meth:`ReviewStore.set_round` and has a ``blind`` setting (kept in the append-only
``review_round`` table: a later row for the same round changes its setting, e.g. lifting
blindness once everyone has coded). Which decision counts within a round is the rule of
:func:`analysis.review_rounds.resolve`; :meth:`ReviewStore.current` applies it, leaving
out the decisions of a round while it is blind.

A log made before ``comment``, ``round`` and ``settles`` existed gets them (nullable) on
its next open, by ``ALTER TABLE ... ADD COLUMN``; every row already saved is kept.

The tables (:mod:`analysis.review_tables`) are defined with SQLAlchemy Core (no ORM), so the same code works on
SQLite, the default, and on PostgreSQL given its URL. :func:`default_database_url`
says where the log lives when nothing is configured (in :func:`data_folder`), and
:class:`ReviewStore` reads and appends to it. What the decisions mean for the tags is
:mod:`analysis.review`; who may record them is :mod:`analysis.review_passcode`.

Examples
--------
>>> store = ReviewStore("sqlite://")  # in memory; the dashboard passes an Engine
>>> store.record("a-post", "workforce", "rejected", "Asha", "2024.1", previous=True)
>>> store.current()[["post_id", "theme", "value", "decision"]]
  post_id      theme  value  decision
0  a-post  workforce  False  rejected
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from platformdirs import user_data_dir
from sqlalchemy.engine import URL, Engine, make_url

from analysis import appendonly
from analysis.review_rounds import resolve
from analysis.review_tables import (
    ADDED_COLUMNS,
    HISTORY_COLUMNS,
    ROUND_COLUMNS,
    metadata,
    review_log,
    review_round,
)

#: The decisions a reviewer can record, and whether each means the theme applies.
DECISIONS = ("confirmed", "rejected", "added")
DECISION_VALUES = {"confirmed": True, "rejected": False, "added": True}

#: Environment variable naming the review database: a SQLAlchemy URL or a file path.
DATABASE_ENV = "ANCHOR_THEMES_REVIEW_DB"
#: The folder name under the user's data folder, and the log's file name in it.
APP_NAME = "anchor-themes"
DATABASE_FILE = "reviews.sqlite"

#: The longest comment a decision may carry, in characters.
COMMENT_LIMIT = 2000

#: Seconds a SQLite writer waits for another writer's lock before giving up.
SQLITE_TIMEOUT = 30

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def engine_options(url: str | URL) -> dict:
    """Keyword arguments for ``sqlalchemy.create_engine`` (or ``st.connection``) on ``url``.

    For SQLite, ``connect_args={"timeout": SQLITE_TIMEOUT}``: a writer waits for another's
    lock instead of failing with "database is locked". Nothing for other databases.
    """
    return {"connect_args": {"timeout": SQLITE_TIMEOUT}} if _is_sqlite(make_url(url)) else {}


class ReviewStore:
    """The review log in a database: append decisions, read the history and the latest state.

    Parameters
    ----------
    engine_or_url : sqlalchemy.engine.Engine or str
        An Engine (the dashboard passes ``st.connection("reviews", type="sql").engine``)
        or a SQLAlchemy URL such as ``"sqlite:////srv/reviews.sqlite"`` or
        ``"postgresql+psycopg://user@host/db"``. A URL's engine is created with
        :func:`engine_options`, so on SQLite a writer waits :data:`SQLITE_TIMEOUT`
        seconds for another's lock.

    The ``review_log`` table is created if missing; for a SQLite file, so is its
    folder. The store is append-only by design: it has :meth:`record` to add a
    decision, :meth:`history` and :meth:`current` to read, and no way to change
    or remove a row. It is safe to share between threads; each call uses its own
    connection and transaction.

    Attributes
    ----------
    engine : sqlalchemy.engine.Engine
        The engine in use.
    """

    def __init__(self, engine_or_url: Engine | str | URL):
        if isinstance(engine_or_url, Engine):
            engine = engine_or_url
        else:
            engine = sa.create_engine(make_url(engine_or_url), **engine_options(engine_or_url))
        _make_sqlite_folder(engine.url)
        _create_table(engine)
        self.engine = engine

    def __repr__(self) -> str:
        return f"ReviewStore({self.engine.url.render_as_string(hide_password=True)!r})"

    def record(
        self,
        post_id: str,
        theme: str,
        decision: str,
        reviewer: str,
        codebook_version: str,
        previous: bool | None,
        *,
        comment: str | None = None,
        round: str | None = None,
        settles: bool = False,
        now: datetime | None = None,
    ) -> None:
        """Append one decision to the log, in its own transaction.

        Parameters
        ----------
        post_id, theme : str
            The post (its ``id``) and the theme id decided on.
        decision : {"confirmed", "rejected", "added"}
            See :data:`DECISIONS`. The stored ``value`` is True for confirmed and
            added, False for rejected.
        reviewer : str
            Who decided; surrounding white space is dropped and it must not be empty.
        codebook_version : str
            The version of the codebook the reviewer saw.
        previous : bool or None
            The pair's value just before this decision: the latest human value if
            there is one, else the machine tag. None when not known.
        now : datetime, optional
            When the decision was made (timezone-aware; stored in UTC). Defaults to
            the current time; tests pass a fixed time.
        comment : str, optional
            Why, in the reviewer's words: stored exactly as given (no trimming, no
            escaping: whoever shows it escapes it). Empty or blank means no comment.
            At most :data:`COMMENT_LIMIT` characters.
        round : str, optional
            The review round the decision belongs to; it must have been opened with
            :meth:`set_round`. None for a decision outside any round.
        settles : bool, default False
            True for a decision that settles a disagreement between the round's
            reviewers (needs ``round``); see :func:`resolve`.

        Raises
        ------
        ValueError
            For an unknown decision, an empty reviewer, post id, theme or codebook
            version, a ``previous`` that is not a bool or None, a naive ``now``, a
            comment that is not text or is too long, a round never opened, or
            ``settles`` without a round. Nothing is written.
        """
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)} (got {decision!r})")
        reviewer = _required_text(reviewer, "reviewer")
        post_id = _required_text(post_id, "post_id")
        theme = _required_text(theme, "theme")
        codebook_version = _required_text(codebook_version, "codebook_version")
        if previous is not None:
            if not isinstance(previous, bool | np.bool_):
                raise ValueError(f"previous must be True, False or None (got {previous!r})")
            previous = bool(previous)
        decided_at = datetime.now(UTC) if now is None else now
        if decided_at.tzinfo is None or decided_at.utcoffset() is None:
            raise ValueError(f"now must be timezone-aware (got {now!r})")
        comment = _comment(comment)
        if round is not None:
            round = _required_text(round, "round")
            if round not in set(self.rounds()["round"]):
                raise ValueError(f"round {round!r} has not been opened (set_round opens it)")
        elif settles:
            raise ValueError("a settling decision belongs to a round")
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(review_log).values(
                    post_id=post_id,
                    theme=theme,
                    decision=decision,
                    value=DECISION_VALUES[decision],
                    previous=previous,
                    reviewer=reviewer,
                    decided_at=decided_at.astimezone(UTC),
                    codebook_version=codebook_version,
                    comment=comment,
                    round=round,
                    settles=bool(settles) if round is not None else None,
                )
            )

    def set_round(
        self, round: str, blind: bool, set_by: str, *, now: datetime | None = None
    ) -> None:
        """Open review round ``round``, or change its ``blind`` setting (a new row; none changes).

        Parameters
        ----------
        round : str
            The round's name (surrounding white space dropped).
        blind : bool
            True while each reviewer may see only their own decisions of the round
            (:func:`analysis.agreement.visible_history`).
        set_by : str
            Who opened or changed it.
        now : datetime, optional
            When (timezone-aware); defaults to the current time.
        """
        round = _required_text(round, "round")
        set_by = _required_text(set_by, "set_by")
        if not isinstance(blind, bool | np.bool_):
            raise ValueError(f"blind must be True or False (got {blind!r})")
        set_at = datetime.now(UTC) if now is None else now
        if set_at.tzinfo is None or set_at.utcoffset() is None:
            raise ValueError(f"now must be timezone-aware (got {now!r})")
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(review_round).values(
                    round=round, blind=bool(blind), set_by=set_by, set_at=set_at.astimezone(UTC)
                )
            )

    def rounds(self) -> pd.DataFrame:
        """Every review round with its current setting, in the order they were opened.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`ROUND_COLUMNS`: ``round``, ``blind`` (the latest setting),
            ``set_by`` and ``set_at`` (who made it and when), ``opened_at`` (when the
            round was first opened).
        """
        with self.engine.connect() as connection:
            rows = [
                tuple(row)
                for row in connection.execute(
                    sa.select(
                        review_round.c.round,
                        review_round.c.blind,
                        review_round.c.set_by,
                        review_round.c.set_at,
                    ).order_by(review_round.c.entry)
                )
            ]
        frame = pd.DataFrame(rows, columns=["round", "blind", "set_by", "set_at"])
        frame["blind"] = frame["blind"].astype(bool)
        frame["set_at"] = pd.to_datetime(frame["set_at"], utc=True).astype("datetime64[us, UTC]")
        opened = frame.groupby("round", sort=False)["set_at"].first().rename("opened_at")
        latest = frame.drop_duplicates("round", keep="last").set_index("round")
        latest = latest.join(opened).reindex(opened.index).reset_index()
        return latest[list(ROUND_COLUMNS)]

    def history(self) -> pd.DataFrame:
        """Every decision ever recorded, oldest first.

        Returns
        -------
        pandas.DataFrame
            One row per decision in insertion order, with the table's columns
            (:data:`HISTORY_COLUMNS`): ``entry`` (int), ``post_id``, ``theme``,
            ``decision`` (str), ``value`` (bool), ``previous`` (nullable
            ``boolean``), ``reviewer`` (str), ``decided_at`` (UTC datetime) and
            ``codebook_version`` (str).
        """
        query = sa.select(review_log).order_by(review_log.c.entry)
        return self._frame(query, HISTORY_COLUMNS)

    def current(self) -> pd.DataFrame:
        """The decision that counts for each (post, theme) that has one: :func:`resolve`.

        Outside review rounds that is the latest decision, the highest ``entry``, i.e.
        the last one recorded, whatever the clocks said. Within a round, it is the
        reviewers' common value or the settling decision (see :func:`resolve`). While a
        round is blind (:meth:`rounds`), none of its decisions counts here: this is
        everyone's view (the reviewed tags), and a vote counted here would show the other
        reviewers what was voted. Once blindness is lifted they count.

        Returns
        -------
        pandas.DataFrame
            One row per decided (post, theme), in the order the decisions were
            recorded, with columns :data:`CURRENT_COLUMNS`: ``post_id``,
            ``theme``, ``value``, ``decision``, ``reviewer``, ``decided_at``,
            ``codebook_version``, ``comment``, ``round``. Empty (with those columns)
            before any decision.
        """
        return resolve(self.history(), self.rounds())

    def _frame(self, query: sa.Select, columns: tuple[str, ...]) -> pd.DataFrame:
        with self.engine.connect() as connection:
            rows = [tuple(row) for row in connection.execute(query)]
        frame = pd.DataFrame(rows, columns=list(columns))
        types = {
            "entry": "int64",
            "value": "bool",
            "previous": "boolean",
            "settles": "boolean",
        }
        for name in columns:
            if name in ("comment", "round"):  # None stays None: no comment, no round
                frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
            elif name == "decided_at":
                frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
            elif name in types:
                frame[name] = frame[name].astype(types[name])
            else:
                frame[name] = frame[name].astype(str)
        return frame


def _comment(comment: str | None) -> str | None:
    """A comment as stored: None for none or blank text, else the text exactly as given."""
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise ValueError(f"comment must be text (got {comment!r})")
    if len(comment) > COMMENT_LIMIT:
        raise ValueError(f"comment is {len(comment)} characters; at most {COMMENT_LIMIT} are kept")
    return comment if comment.strip() else None


def data_folder() -> Path:
    """The folder where this user's Anchor Themes data lives, as ``platformdirs`` says.

    On Linux ``$XDG_DATA_HOME/anchor-themes`` (an unset or relative ``XDG_DATA_HOME``
    means ``~/.local/share``); on macOS ``~/Library/Application Support/anchor-themes``;
    on Windows ``%LOCALAPPDATA%\\anchor-themes``. Outside the repository, so using the
    dashboard never touches a tracked file. Nothing is created here.
    """
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url(environ: Mapping[str, str] = os.environ) -> str:
    """Where the review log lives when the dashboard is not told otherwise.

    Parameters
    ----------
    environ : mapping, default ``os.environ``
        Read for ``ANCHOR_THEMES_REVIEW_DB`` (tests pass a plain dict).

    Returns
    -------
    str
        A SQLAlchemy URL:

        1. ``ANCHOR_THEMES_REVIEW_DB`` if set: a URL (anything with ``scheme://``)
           is returned as it is; a plain file path becomes
           ``sqlite:///<absolute path>`` (``~`` is the user's home);
        2. otherwise SQLite at ``reviews.sqlite`` in :func:`data_folder`.

    Nothing is created here; :class:`ReviewStore` creates the folder on first use.

    Notes
    -----
    The dashboard looks first at Streamlit secrets, then at this function::

        # .streamlit/secrets.toml
        [connections.reviews]
        url = "postgresql+psycopg://reviewer@db.example.org/anchor_themes"
    """
    configured = (environ.get(DATABASE_ENV) or "").strip()
    if configured and _URL_SCHEME.match(configured):
        return configured
    path = Path(configured).expanduser() if configured else data_folder() / DATABASE_FILE
    return "sqlite:///" + path.absolute().as_posix()


def _required_text(value: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string (got {value!r})")
    return value.strip()


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _make_sqlite_folder(url: URL) -> None:
    """Create the folder of a SQLite database file (not for in-memory or URI databases)."""
    if not _is_sqlite(url) or url.query.get("uri"):
        return
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _create_table(engine: Engine) -> None:
    """Create ``review_log``, its index and its append-only triggers if missing.

    The triggers (:mod:`analysis.appendonly`) make the database itself refuse to
    change or remove a decision; a log made before they existed gets them here.
    Two processes starting together may both find the table or a trigger missing;
    the one that loses the race gets an error, and a second look then finds it.
    A real problem fails the second look too.
    """

    def create() -> None:
        metadata.create_all(engine)
        _add_missing_columns(engine)
        with engine.begin() as connection:
            for table in (review_log, review_round):
                appendonly.install(connection, table.name)

    try:
        create()
    except sa.exc.DBAPIError:
        create()


def _add_missing_columns(engine: Engine) -> None:
    """Give a log made before :data:`ADDED_COLUMNS` existed those columns (nullable, empty).

    ``ALTER TABLE ... ADD COLUMN`` keeps every row; old decisions read as having no
    comment and no round. Nothing happens when the columns are there.
    """
    present = {column["name"] for column in sa.inspect(engine).get_columns(review_log.name)}
    missing = [name for name in ADDED_COLUMNS if name not in present]
    if not missing:
        return
    preparer = engine.dialect.identifier_preparer
    with engine.begin() as connection:
        for name in missing:
            column = review_log.c[name]
            kind = column.type.compile(dialect=engine.dialect)
            connection.exec_driver_sql(
                f"ALTER TABLE {preparer.quote(review_log.name)} "
                f"ADD COLUMN {preparer.quote(name)} {kind}"
            )
