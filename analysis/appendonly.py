"""Database triggers that make a table append-only: the database itself refuses to change rows.

The review log's code never changes or removes a decision (:mod:`analysis.review_store` has no
way to); these triggers make the database refuse it too, whoever connects: a script, a SQL
console or a bug. They are created with the table and, idempotently, every time a store
opens, so a database made before they existed gets them on its next open.

- SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT, ...)``.
- PostgreSQL: one trigger function raising an exception, called ``BEFORE UPDATE OR DELETE``
  for each row and ``BEFORE TRUNCATE``. Each is created only when missing, so a database
  role that may not create functions can still open a database already set up.

Other databases get no trigger (:func:`statements` returns nothing for them).

The triggers guard against mistakes, not against the owner of the table: whoever owns it
may drop a trigger. On PostgreSQL, run the dashboard as a role that does not own the table
to make that impossible from the dashboard's side.

Examples
--------
>>> for sql in statements("sqlite", "review_log"):
...     print(sql.split(" BEGIN")[0])
CREATE TRIGGER IF NOT EXISTS review_log_no_update BEFORE UPDATE ON review_log
CREATE TRIGGER IF NOT EXISTS review_log_no_delete BEFORE DELETE ON review_log
"""

from __future__ import annotations

import re

import sqlalchemy as sa

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def refusal(table: str) -> str:
    """The start of the error a refused change gets, e.g. ``review_log is append-only``."""
    return f"{table} is append-only"


def statements(dialect: str, table: str) -> list[str]:
    """The SQL that makes ``table`` append-only on ``dialect`` ("sqlite", "postgresql").

    Every statement may run again on a database that already has the triggers. Empty for
    other dialects. ``table`` must be a plain lower-case SQL name.
    """
    if not _NAME.match(table):
        raise ValueError(f"not a plain table name: {table!r}")
    said = refusal(table)
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{said}: rows cannot be {done}'); END"
            for action, done in (("update", "changed"), ("delete", "deleted"))
        ]
    if dialect == "postgresql":
        function = f"{table}_append_only"
        # No '%' anywhere: the driver's parameter style would read it as a placeholder.
        return [
            f"""DO $do$ BEGIN
  IF to_regprocedure('{function}()') IS NULL THEN
    CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION USING
        MESSAGE = '{said}: ' || TG_OP || ' is refused',
        ERRCODE = 'restrict_violation';
    END $fn$;
  END IF;
END $do$""",
            *(
                f"""DO $do$ BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_trigger WHERE tgrelid = '{table}'::regclass AND tgname = '{name}'
  ) THEN
    CREATE TRIGGER {name} BEFORE {events} ON {table}
      FOR EACH {level} EXECUTE PROCEDURE {function}();
  END IF;
END $do$"""
                for name, events, level in (
                    (f"{table}_no_change", "UPDATE OR DELETE", "ROW"),
                    (f"{table}_no_truncate", "TRUNCATE", "STATEMENT"),
                )
            ),
        ]
    return []


def install(connection: sa.Connection, table: str) -> None:
    """Run :func:`statements` for the connection's database (in its transaction)."""
    for sql in statements(connection.dialect.name, table):
        connection.exec_driver_sql(sql)
