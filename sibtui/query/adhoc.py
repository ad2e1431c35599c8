"""Ad hoc SQL over the workspace, shared by `sibtui query` and the console's SQL screen.

Loaded files are evidence and the journal is the analyst's work: ad hoc SQL only reads,
unless the caller explicitly allows writes (the console's write mode). Reading or writing
files from SQL is off for the whole workspace (`Workspace` sets `enable_external_access`
to false): exports go through `sibtui.query.export`, never `COPY`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from sibtui.errors import SibError

FETCH_ROWS = 10_000


class QueryError(SibError):
    """DuckDB refused or failed a query; the message is DuckDB's first line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: Iterator[tuple]


# Statement types that only read (DESCRIBE, SHOW and SUMMARIZE parse as SELECT).
READ_ONLY_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "SET", "VARIABLE_SET"})


def run_query(cursor: duckdb.DuckDBPyConnection, sql: str, allow_writes: bool = False) -> QueryResult:
    """Execute `sql`; rows are fetched lazily in chunks, so huge results stream.

    Unless `allow_writes`, every statement must be one that only reads (checked before any
    runs, so a script that would write runs nothing at all).
    """
    if not sql.strip():
        raise QueryError("empty query")
    if not allow_writes:
        refuse_writes(cursor, sql)
    try:
        cursor.execute(sql)
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None
    if cursor.description is None:
        return QueryResult([], iter(()))
    columns = [column[0] for column in cursor.description]
    return QueryResult(columns, _stream(cursor))


def refuse_writes(cursor: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise `QueryError` when any statement of `sql` could change the workspace."""
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise QueryError(
                f"{kind} refused: ad hoc SQL is read-only (loaded files and the edit journal are evidence); "
                "change records with the editor or `sibtui fix`, or enable write mode"
            )


def _stream(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    while True:
        try:
            chunk = cursor.fetchmany(FETCH_ROWS)
        except duckdb.Error as error:
            raise QueryError(_first_line(error)) from None
        if not chunk:
            return
        yield from chunk


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    if "file system operations are disabled" in line:
        return "SQL may not read or write files (use export, or `sibtui load` for SIB files): " + line
    return line
