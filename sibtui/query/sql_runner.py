"""The SQL screen's runner: read-only statements into a paged result (UI-free).

Loaded data is evidence (house rule 2), so the console's SQL only reads: statements are
classified by `sibtui.query.adhoc.refuse_writes` (the same check as `sibtui query`) before
any runs. The last statement's result is materialised once in the scratch database and
paged like any grid; earlier statements run first. `cursor.interrupt()` cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sibtui.query.adhoc import QueryError, refuse_writes
from sibtui.query.paging import PagedView, _scratch_name, attach_scratch, open_view
from sibtui.query.spec import GridSpec

if TYPE_CHECKING:
    import duckdb

_MATERIALISED = {"SELECT"}  # results that CREATE TABLE AS can hold; EXPLAIN, PRAGMA... are fetched


def run_sql(cursor: duckdb.DuckDBPyConnection, sql: str) -> PagedView:
    """Run `sql` (one or more statements) and return the last one's result as a paged view."""
    import duckdb

    statements = _statements(cursor, sql)
    try:
        for statement in statements[:-1]:
            cursor.execute(statement.query).fetchall()
        return _result_view(cursor, statements[-1])
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None


def _statements(cursor: duckdb.DuckDBPyConnection, sql: str) -> list:
    import duckdb

    if not sql.strip():
        raise QueryError("consulta vazia")
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None
    if not statements:
        raise QueryError("consulta vazia")
    refuse_writes(cursor, sql)
    return statements


def _result_view(cursor: duckdb.DuckDBPyConnection, statement) -> PagedView:
    if statement.type.name in _MATERIALISED:
        return open_view(cursor, GridSpec(sql=statement.query, hidden_columns=()))
    relation = cursor.sql(statement.query)
    if relation is None:
        return open_view(cursor, GridSpec(sql="SELECT 'ok' AS resultado", hidden_columns=()))
    table = relation.to_arrow_table()
    attach_scratch(cursor)
    name = _scratch_name("arrow")
    cursor.register("__sibtui_result", table)
    try:
        cursor.execute(f"CREATE TABLE {name} AS SELECT * FROM __sibtui_result")
    finally:
        cursor.unregister("__sibtui_result")
    try:
        return open_view(cursor, GridSpec(sql=f"SELECT * FROM {name}", hidden_columns=()))
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
