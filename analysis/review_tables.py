"""The tables of the review database, defined with SQLAlchemy Core (no ORM).

``review_log`` holds every decision, one row each; ``review_round`` holds the review rounds
and their settings. Both are append-only: triggers make the database refuse to change or
remove a row (:mod:`analysis.appendonly`). :class:`analysis.review_store.ReviewStore`
creates, reads and appends to them; :func:`analysis.review_rounds.resolve` says which
decision counts.
"""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa


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
    # Added by issue 13; nullable, so a log made before them gains them with ADD COLUMN.
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("round", sa.Text, nullable=True),
    sa.Column("settles", sa.Boolean, nullable=True),
    sa.Index("ix_review_log_post_id_theme", "post_id", "theme"),
    sqlite_autoincrement=True,  # never reuse an entry number, even in SQLite
)

#: The columns each log gained after it was first made: added to an older log when it opens.
ADDED_COLUMNS = ("comment", "round", "settles")

#: Review rounds and their settings. Append-only like the log: the latest row of a round counts.
review_round = sa.Table(
    "review_round",
    metadata,
    sa.Column("entry", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round", sa.Text, nullable=False),
    sa.Column("blind", sa.Boolean, nullable=False),
    sa.Column("set_by", sa.Text, nullable=False),
    sa.Column("set_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

#: Columns of :meth:`ReviewStore.rounds`.
ROUND_COLUMNS = ("round", "blind", "set_by", "set_at", "opened_at")

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
    "comment",
    "round",
)
