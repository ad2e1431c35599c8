"""Small habits of every DuckDB cursor sibtui uses (light: DuckDB itself is not imported)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import duckdb


class CursorSource(Protocol):
    """Anything that hands out a cursor for the calling thread (a workspace, an app)."""

    def cursor(self) -> duckdb.DuckDBPyConnection: ...


def fetch_first(cursor: duckdb.DuckDBPyConnection, sql: str, parameters: list | tuple = ()) -> tuple | None:
    """First row of a query, with the result read to its end.

    DuckDB 2 keeps a result open until a fetch returns nothing; an open result blocks
    `register()` and other work on that connection, so never leave one behind.
    """
    rows = cursor.execute(sql, list(parameters)).fetchall()
    return rows[0] if rows else None


def fetch_row(cursor: duckdb.DuckDBPyConnection, sql: str, parameters: list | tuple = ()) -> tuple:
    """The one row a query always returns (an aggregate, a setting); LookupError if it returned none."""
    row = fetch_first(cursor, sql, parameters)
    if row is None:
        raise LookupError(f"no row from: {sql.split(chr(10))[0][:80]}")
    return row


def fetch_value(cursor: duckdb.DuckDBPyConnection, sql: str, parameters: list | tuple = ()) -> Any:
    """The first column of the one row a query always returns."""
    return fetch_row(cursor, sql, parameters)[0]


def copy_arrow(cursor: duckdb.DuckDBPyConnection, statement: str, table: Any, name: str = "__sibtui_arrow") -> None:
    """Run `statement SELECT * FROM <table>` with the Arrow `table` registered only for it:
    `copy_arrow(cursor, "INSERT INTO findings", found)`, `...("CREATE TEMP TABLE t AS", rows)`."""
    cursor.register(name, table)
    try:
        cursor.execute(f"{statement} SELECT * FROM {name}")
    finally:
        cursor.unregister(name)


@contextmanager
def closing(cursor: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """`cursor`, closed when the block ends, however it ends (its TEMP tables go with it)."""
    try:
        yield cursor
    finally:
        cursor.close()


@contextmanager
def transaction(cursor: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """`cursor` inside BEGIN ... COMMIT; ROLLBACK if the block fails however it fails (Ctrl+C too),
    so a reader sees all of what the block writes or none of it."""
    cursor.execute("BEGIN TRANSACTION")
    try:
        yield cursor
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
