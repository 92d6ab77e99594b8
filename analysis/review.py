"""Human review of theme tags: an append-only decision log in a real database.

A reviewer looks at one post and one theme and records a decision:

- ``confirmed`` -- the theme applies (usually agreeing with a machine tag);
- ``added`` -- the theme applies although the machine did not tag it;
- ``rejected`` -- the theme does not apply.

Every decision is one new row of the ``review_log`` table; nothing is ever updated
or deleted, and triggers make the database itself refuse to (:mod:`analysis.appendonly`).
A reviewer who changes their mind records a new decision, and the latest decision
for a (post, theme) pair is the one that counts. Each row keeps who decided, when
(UTC), under which codebook version, and the value the pair had just before
(``previous``), so the log reads as a full history of the review.

The table is defined with SQLAlchemy Core (no ORM), so the same code works on
SQLite, the default, and on PostgreSQL given its URL. :func:`default_database_url`
says where the log lives when nothing is configured; :class:`ReviewStore` reads
and appends to it; :func:`reviewed_tags`, :func:`review_status`,
:func:`next_decisions` and :func:`agreement` combine the latest decisions with
the machine tags. :func:`passcode_ok` and :func:`configured_passcode` guard who
may record decisions, and :class:`PasscodeAttempts` limits how often a session may guess.

Examples
--------
>>> store = ReviewStore("sqlite://")  # in memory; the dashboard passes an Engine
>>> store.record("a-post", "workforce", "rejected", "Asha", "2024.1", previous=True)
>>> store.current()[["post_id", "theme", "value", "decision"]]
  post_id      theme  value  decision
0  a-post  workforce  False  rejected
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from analysis import appendonly
from analysis.codebook import Codebook
from analysis.formatting import format_date
from analysis.metrics import kappa

#: The decisions a reviewer can record, and whether each means the theme applies.
DECISIONS = ("confirmed", "rejected", "added")
_VALUE = {"confirmed": True, "rejected": False, "added": True}

#: The Review page's choices of posts to show: key -> label. See :func:`review_status`.
REVIEW_FILTERS = {
    "all": "All posts",
    "unreviewed": "Not yet reviewed",
    "disagree": "Machine and human disagree",
}

#: Environment variable naming the review database: a SQLAlchemy URL or a file path.
DATABASE_ENV = "ANCHOR_THEMES_REVIEW_DB"
#: Environment variable holding the passcode that unlocks recording decisions.
PASSCODE_ENV = "ANCHOR_THEMES_REVIEW_PASSCODE"
#: Key of the passcode in Streamlit secrets (``.streamlit/secrets.toml``).
PASSCODE_SECRET = "review_passcode"

#: Seconds a SQLite writer waits for another writer's lock before giving up.
SQLITE_TIMEOUT = 30

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL stores ``timestamp with time zone``; SQLite has no time zones, so
    the value is stored as UTC wall time and read back with ``tzinfo=UTC``.
    Naive datetimes are refused rather than guessed at.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"decided_at must be timezone-aware (got {value!r})")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData()

#: The decision log. One row per decision, in insertion order (``entry``).
review_log = sa.Table(
    "review_log",
    metadata,
    sa.Column("entry", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("post_id", sa.Text, nullable=False),
    sa.Column("theme", sa.Text, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("value", sa.Boolean, nullable=False),
    sa.Column("previous", sa.Boolean, nullable=True),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("decided_at", UTCDateTime, nullable=False),
    sa.Column("codebook_version", sa.Text, nullable=False),
    sa.Index("ix_review_log_post_id_theme", "post_id", "theme"),
    sqlite_autoincrement=True,  # never reuse an entry number, even in SQLite
)

#: Columns of :meth:`ReviewStore.history`, as the table.
HISTORY_COLUMNS = tuple(review_log.columns.keys())
#: Columns of :meth:`ReviewStore.current`.
CURRENT_COLUMNS = (
    "post_id",
    "theme",
    "value",
    "decision",
    "reviewer",
    "decided_at",
    "codebook_version",
)


class ReviewStore:
    """The review log in a database: append decisions, read the history and the latest state.

    Parameters
    ----------
    engine_or_url : sqlalchemy.engine.Engine or str
        An Engine (the dashboard passes ``st.connection("reviews", type="sql").engine``)
        or a SQLAlchemy URL such as ``"sqlite:////srv/reviews.sqlite"`` or
        ``"postgresql+psycopg://user@host/db"``. For a SQLite URL the engine is
        created with ``connect_args={"timeout": 30}``, so a writer waits for
        another's lock instead of failing with "database is locked".

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
            url = make_url(engine_or_url)
            extra = {"connect_args": {"timeout": SQLITE_TIMEOUT}} if _is_sqlite(url) else {}
            engine = sa.create_engine(url, **extra)
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

        Raises
        ------
        ValueError
            For an unknown decision, an empty reviewer, post id, theme or codebook
            version, a ``previous`` that is not a bool or None, or a naive ``now``.
            Nothing is written.
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
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(review_log).values(
                    post_id=post_id,
                    theme=theme,
                    decision=decision,
                    value=_VALUE[decision],
                    previous=previous,
                    reviewer=reviewer,
                    decided_at=decided_at.astimezone(UTC),
                    codebook_version=codebook_version,
                )
            )

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
        """The latest decision for each (post, theme) that has one.

        "Latest" is the highest ``entry``, i.e. the last one recorded, whatever
        the clocks said.

        Returns
        -------
        pandas.DataFrame
            One row per decided (post, theme), in the order the decisions were
            recorded, with columns :data:`CURRENT_COLUMNS`: ``post_id``,
            ``theme``, ``value``, ``decision``, ``reviewer``, ``decided_at``,
            ``codebook_version``. Empty (with those columns) before any decision.
        """
        latest = sa.select(sa.func.max(review_log.c.entry)).group_by(
            review_log.c.post_id, review_log.c.theme
        )
        query = (
            sa.select(*(review_log.c[name] for name in CURRENT_COLUMNS))
            .where(review_log.c.entry.in_(latest))
            .order_by(review_log.c.entry)
        )
        return self._frame(query, CURRENT_COLUMNS)

    def _frame(self, query: sa.Select, columns: tuple[str, ...]) -> pd.DataFrame:
        with self.engine.connect() as connection:
            rows = [tuple(row) for row in connection.execute(query)]
        frame = pd.DataFrame(rows, columns=list(columns))
        types = {
            "entry": "int64",
            "value": "bool",
            "previous": "boolean",
        }
        for name in columns:
            if name == "decided_at":
                frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
            elif name in types:
                frame[name] = frame[name].astype(types[name])
            else:
                frame[name] = frame[name].astype(str)
        return frame


def default_database_url(environ: Mapping[str, str] = os.environ) -> str:
    """Where the review log lives when the dashboard is not told otherwise.

    Parameters
    ----------
    environ : mapping, default ``os.environ``
        The environment to read (tests pass a plain dict).

    Returns
    -------
    str
        A SQLAlchemy URL:

        1. ``ANCHOR_THEMES_REVIEW_DB`` if set: a URL (anything with ``scheme://``)
           is returned as it is; a plain file path becomes
           ``sqlite:///<absolute path>`` (``~`` is the ``HOME`` in ``environ``);
        2. otherwise SQLite at ``$XDG_DATA_HOME/anchor-themes/reviews.sqlite``,
           with ``XDG_DATA_HOME`` defaulting to ``~/.local/share``. That is
           outside the repository, so reviewing never touches a tracked file.

    Nothing is created here; :class:`ReviewStore` creates the folder on first use.

    Notes
    -----
    The dashboard looks first at Streamlit secrets, then at this function::

        # .streamlit/secrets.toml
        [connections.reviews]
        url = "postgresql+psycopg://reviewer@db.example.org/anchor_themes"
    """
    configured = (environ.get(DATABASE_ENV) or "").strip()
    if configured:
        if _URL_SCHEME.match(configured):
            return configured
        return _sqlite_url(_expand_home(configured, environ))
    data_home = (environ.get("XDG_DATA_HOME") or "").strip()
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    if not data_home or not Path(data_home).is_absolute():
        data_home = str(_home(environ) / ".local" / "share")
    return _sqlite_url(Path(data_home) / "anchor-themes" / "reviews.sqlite")


def reviewed_tags(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame
) -> pd.DataFrame:
    """The tags after review: the machine tag unless a human decided otherwise.

    Parameters
    ----------
    posts : pandas.DataFrame
        The posts, with an ``id`` column.
    machine_tags : pandas.DataFrame
        One boolean column per theme id, indexed like ``posts``.
    current : pandas.DataFrame
        The latest decisions, as from :meth:`ReviewStore.current` (at least
        ``post_id``, ``theme`` and ``value``).

    Returns
    -------
    pandas.DataFrame
        Booleans with the index and columns of ``machine_tags``. A cell with a
        decision takes the human value. Decisions for a post id not in ``posts``
        or a theme not among the columns are ignored.
    """
    decided, human = _decision_grid(posts, machine_tags, current)
    machine = machine_tags.to_numpy(dtype=bool)
    return pd.DataFrame(
        np.where(decided, human, machine), index=machine_tags.index, columns=machine_tags.columns
    )


def review_status(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame
) -> pd.DataFrame:
    """Which posts a human has reviewed, and where they disagree with the machine.

    Parameters are as for :func:`reviewed_tags`; decisions for unknown post ids
    or themes are ignored here too.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``posts``, with boolean columns ``reviewed`` (a decision on
        at least one theme of the post) and ``disagrees`` (at least one theme
        whose latest human value differs from the machine tag). They back the
        Review page's filters "not yet reviewed" (``~reviewed``) and "machine
        and human disagree" (``disagrees``).
    """
    decided, human = _decision_grid(posts, machine_tags, current)
    machine = machine_tags.to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "reviewed": decided.any(axis=1),
            "disagrees": (decided & (human != machine)).any(axis=1),
        },
        index=posts.index,
    )


def agreement(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """How often reviewers agree with the machine, theme by theme.

    Each theme is scored over the posts a human has decided on for that theme.

    Parameters
    ----------
    posts, machine_tags, current
        As for :func:`reviewed_tags`.
    codebook : Codebook
        Gives the themes (in display order) and their labels.

    Returns
    -------
    pandas.DataFrame
        One row per theme with columns ``theme`` (id), ``label``, ``decisions``
        (posts decided on), ``agree`` (of those, where the human value equals
        the machine tag) and ``kappa`` (Cohen's kappa of human against machine,
        from :func:`analysis.metrics.kappa`; NaN when there are no decisions).
    """
    decided, human = _decision_grid(posts, machine_tags, current)
    machine = machine_tags.to_numpy(dtype=bool)
    position = {theme_id: n for n, theme_id in enumerate(machine_tags.columns)}
    rows = []
    for theme in codebook.themes:
        n = position[theme.id]
        mask = decided[:, n]
        people, tagger = human[mask, n], machine[mask, n]
        rows.append(
            {
                "theme": theme.id,
                "label": theme.label,
                "decisions": int(mask.sum()),
                "agree": int((people == tagger).sum()),
                "kappa": kappa(people, tagger) if mask.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["theme", "label", "decisions", "agree", "kappa"])


#: What a decision button says, by decision and by whether the theme applies now.
ACTIONS = {
    ("confirmed", True): "Confirm it applies",
    ("rejected", True): "Reject: it does not apply",
    ("added", False): "Add: it applies",
    ("rejected", False): "Confirm it does not apply",
}


def action_label(decision: str, applies_now: bool) -> str:
    """The words on the button that records ``decision`` for a theme that applies now or not."""
    return ACTIONS[(decision, bool(applies_now))]


@dataclass(frozen=True)
class NextDecision:
    """Where one theme of one post stands, and the decisions a reviewer can record next.

    Attributes
    ----------
    theme : str
        The theme id.
    machine : bool
        The machine tag.
    current : bool
        The value now: the latest human value, else the machine tag. Pass it as
        ``previous`` when recording the next decision.
    decision, reviewer : str or None
        The latest human decision and who made it; None when nobody has decided.
    decided_at : pandas.Timestamp or None
        When the latest decision was made (UTC).
    options : tuple of str
        Decisions that would say something new, in button order: ``confirmed``
        and ``rejected`` for a theme that applies now, ``added`` and ``rejected``
        for one that does not (rejecting an untagged theme confirms the machine
        left it out, which :func:`agreement` needs). The latest decision itself
        is left out, so one click cannot record it twice.
    summary : str
        One line for people, e.g. ``Machine: tagged · rejected by Asha, 1 Mar 2024``.
    """

    theme: str
    machine: bool
    current: bool
    decision: str | None
    reviewer: str | None
    decided_at: pd.Timestamp | None
    options: tuple[str, ...]
    summary: str


def next_decisions(
    post_id: str, machine_tags: pd.Series, current: pd.DataFrame
) -> list[NextDecision]:
    """Each theme of one post as the Review page shows it: its state and the next choices.

    Parameters
    ----------
    post_id : str
        The post's ``id``.
    machine_tags : pandas.Series
        The post's machine tags: booleans indexed by theme id (a row of the tags).
    current : pandas.DataFrame
        The latest decisions, as from :meth:`ReviewStore.current`.

    Returns
    -------
    list of NextDecision
        One per theme, in the order of ``machine_tags``.
    """
    mine = current[current["post_id"] == post_id].drop_duplicates("theme", keep="last")
    latest = {row["theme"]: row for _, row in mine.iterrows()}
    steps = []
    for theme, tagged in machine_tags.items():
        machine = bool(tagged)
        row = latest.get(theme)
        said = f"Machine: {'tagged' if machine else 'not tagged'}"
        if row is None:
            value, decision, reviewer, decided_at = machine, None, None, None
            summary = f"{said} · not yet reviewed"
        else:
            value, decision = bool(row["value"]), str(row["decision"])
            reviewer, decided_at = row.get("reviewer"), row.get("decided_at")
            by = f" by {reviewer}" if reviewer else ""
            when = f", {format_date(decided_at, 'day')}" if decided_at is not None else ""
            summary = f"{said} · {decision}{by}{when}"
        choices = ("confirmed", "rejected") if value else ("added", "rejected")
        steps.append(
            NextDecision(
                theme=str(theme),
                machine=machine,
                current=value,
                decision=decision,
                reviewer=reviewer,
                decided_at=decided_at,
                options=tuple(choice for choice in choices if choice != decision),
                summary=summary,
            )
        )
    return steps


def passcode_ok(given: str | None, expected: str | None) -> bool:
    """Whether ``given`` is the review passcode, compared in constant time.

    False when either is None or empty, so an unset passcode never unlocks
    anything. The comparison is :func:`hmac.compare_digest` of the SHA-256 digests of
    the UTF-8 bytes, so neither the content nor the length of the passcode shows in
    how long a wrong guess takes.
    """
    if not given or not expected:
        return False
    return hmac.compare_digest(_digest(given), _digest(expected))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


#: Wrong passcodes a session may enter before it has to wait.
FREE_ATTEMPTS = 5
#: Seconds of the first wait; each wrong passcode after a wait doubles it, up to MAX_WAIT.
FIRST_WAIT = 30
MAX_WAIT = 15 * 60


@dataclass(frozen=True)
class Attempt:
    """What one try at the passcode gave: whether it unlocks editing, and what to say."""

    unlocked: bool
    message: str | None
    attempts: PasscodeAttempts


@dataclass(frozen=True)
class PasscodeAttempts:
    """One session's tries at the review passcode, and the wait they have earned.

    The first :data:`FREE_ATTEMPTS` wrong passcodes only say so; the one that reaches the
    limit locks the session for :data:`FIRST_WAIT` seconds, and each wrong passcode after a
    wait locks it for twice as long as the last (30 s, 60 s, 120 s, ... up to
    :data:`MAX_WAIT`). While locked, a try is refused without looking at the passcode,
    so even the right one must wait. The right passcode, when allowed, starts the count
    again. Times are seconds on any monotonic clock (the page passes
    :func:`time.monotonic`; tests pass numbers), so the policy is pure and immutable:
    :meth:`attempt` returns the new state.

    Examples
    --------
    >>> tries = PasscodeAttempts()
    >>> for now in range(5):
    ...     result = tries.attempt("guess", "secret", now=now)
    ...     tries = result.attempts
    >>> result.message
    'Too many attempts: try again in 30 seconds.'
    >>> tries.attempt("secret", "secret", now=10).unlocked
    False
    >>> tries.attempt("secret", "secret", now=34).unlocked
    True
    """

    failures: int = 0
    locked_until: float | None = None

    def wait(self, now: float) -> int:
        """Whole seconds before the next try is allowed; 0 when it is allowed now."""
        if self.locked_until is None:
            return 0
        return max(0, math.ceil(self.locked_until - now))

    def attempt(self, given: str | None, expected: str | None, now: float) -> Attempt:
        """Try ``given`` against ``expected`` (see :func:`passcode_ok`) at time ``now``."""
        wait = self.wait(now)
        if wait:
            return Attempt(False, locked_message(wait), self)
        if passcode_ok(given, expected):
            return Attempt(True, None, PasscodeAttempts())
        failures = self.failures + 1
        if failures < FREE_ATTEMPTS:
            return Attempt(False, "That passcode is not right.", replace(self, failures=failures))
        wait = min(FIRST_WAIT * 2 ** (failures - FREE_ATTEMPTS), MAX_WAIT)
        return Attempt(False, locked_message(wait), PasscodeAttempts(failures, now + wait))


def locked_message(seconds: int) -> str:
    """``Too many attempts: try again in 30 seconds.``"""
    return f"Too many attempts: try again in {seconds} second{'' if seconds == 1 else 's'}."


def configured_passcode(
    environ: Mapping[str, str] = os.environ, secrets: Mapping | None = None
) -> str | None:
    """The passcode that unlocks recording decisions, or None when there is none.

    Parameters
    ----------
    environ : mapping, default ``os.environ``
        Read for ``ANCHOR_THEMES_REVIEW_PASSCODE``.
    secrets : mapping, optional
        Streamlit secrets (the dashboard passes them as a dict); its top-level
        ``review_passcode`` comes first.

    An empty value counts as unset, so an empty secret falls through to the
    environment. A number in ``secrets.toml`` (``review_passcode = 1234``) is
    read as its text.
    """
    for value in ((secrets or {}).get(PASSCODE_SECRET), environ.get(PASSCODE_ENV)):
        if value is not None and str(value) != "":
            return str(value)
    return None


def _decision_grid(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Two boolean arrays shaped like ``machine_tags``: where a human decided, and the value."""
    if not machine_tags.index.equals(posts.index):
        raise ValueError("machine_tags must be indexed like posts")
    shape = machine_tags.shape
    known = current[
        current["post_id"].isin(posts["id"]) & current["theme"].isin(machine_tags.columns)
    ]
    if known.empty:
        return np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    latest = known.drop_duplicates(["post_id", "theme"], keep="last")
    grid = latest.pivot(index="post_id", columns="theme", values="value").reindex(
        index=posts["id"].to_numpy(), columns=machine_tags.columns
    )
    return grid.notna().to_numpy(), grid.eq(True).to_numpy()


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
        with engine.begin() as connection:
            appendonly.install(connection, review_log.name)

    try:
        create()
    except sa.exc.DBAPIError:
        create()


def _home(environ: Mapping[str, str]) -> Path:
    home = (environ.get("HOME") or "").strip()
    return Path(home) if home else Path.home()


def _expand_home(path: str, environ: Mapping[str, str]) -> Path:
    if path == "~" or path.startswith(("~/", "~" + os.sep)):
        return _home(environ) / path[2:]
    return Path(path)


def _sqlite_url(path: Path) -> str:
    return "sqlite:///" + path.absolute().as_posix()
