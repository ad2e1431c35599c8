"""Ad hoc SQL over the workspace, shared by `sibtui query` and the console's SQL screen."""

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


def run_query(cursor: duckdb.DuckDBPyConnection, sql: str) -> QueryResult:
    """Execute `sql`; rows are fetched lazily in chunks, so huge results stream."""
    if not sql.strip():
        raise QueryError("empty query")
    try:
        cursor.execute(sql)
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None
    if cursor.description is None:
        return QueryResult([], iter(()))
    columns = [column[0] for column in cursor.description]
    return QueryResult(columns, _stream(cursor))


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
    return text.splitlines()[0] if text else type(error).__name__
