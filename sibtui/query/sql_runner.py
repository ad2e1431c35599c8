"""The SQL screen's runner: reading statements into a paged result (UI-free).

Loaded data is evidence (house rule 2), so the console's SQL only reads, and it runs on
the console's read-write connection, so reading must not rest on the guard alone:

- every statement is judged first by `sibtui.query.sql_guard` (the same rules as `sibtui
  query`); in mask mode the statements read masked views (`sibtui.query.masked_views`);
- they all run in one transaction. A SELECT's result is materialised in the scratch
  database inside it, then committed: DuckDB refuses a transaction that writes two
  databases, so had anything written the workspace, materialising fails and everything
  is rolled back. Any other last statement (EXPLAIN, PRAGMA, CALL) is fetched, the
  transaction rolled back, and its rows copied to the scratch database afterwards.

The result is paged like any grid; `cursor.interrupt()` cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from sibtui.db.cursors import copy_arrow
from sibtui.query.adhoc import QueryError, checked_sql, error_line, policy, rollback_quietly
from sibtui.query.paging import PagedView, attach_scratch, materialise, open_view, scratch_name
from sibtui.query.spec import GridSpec
from sibtui.query.sql_guard import READ_ONLY_HINT
from sibtui.query.sql_refusals import Refusal
from sibtui.query.sql_refusals import RefusalKind as Why

if TYPE_CHECKING:
    import duckdb

_TWO_DATABASES = "a single transaction can only write to a single attached database"
_NO_FILES = "file system operations are disabled"
_MATERIALISED = {"SELECT"}  # results that CREATE TABLE AS can hold; EXPLAIN, PRAGMA... are fetched


def run_sql(cursor: duckdb.DuckDBPyConnection, sql: str, masked: bool | None = None) -> PagedView:
    """Run `sql` (one or more statements) and return the last one's result as a paged view."""
    if not sql.strip():
        raise QueryError("consulta vazia")
    rules = policy(cursor, False, masked)
    checked = checked_sql(cursor, sql, rules)
    attach_scratch(cursor)  # before the transaction: ATTACH is not transactional
    try:
        cursor.execute("BEGIN TRANSACTION")
        for item in checked[:-1]:
            cursor.execute(item.query).fetchall()
        last = checked[-1]
        if last.kind in _MATERIALISED:
            spec = GridSpec(sql=last.query, hidden_columns=())
            result = materialise(cursor, spec)
            cursor.execute("COMMIT")  # the scratch result only: see the module docstring
            # Paged once committed: inside a transaction DuckDB numbers new rows from 2**62.
            return open_view(cursor, spec, materialised=result)
        table = _fetched(cursor, last.query)
        rollback_quietly(cursor)
    except QueryError as error:
        rollback_quietly(cursor)
        raise QueryError(error_line(Exception(str(error)), rules.masked)) from None
    except duckdb.Error as error:
        rollback_quietly(cursor)
        if _TWO_DATABASES in str(error):
            raise Refusal(Why.WOULD_WRITE, f"refused: the statement would change the workspace; {READ_ONLY_HINT}") \
                from None
        if _NO_FILES in str(error):  # a path read as a table (`FROM 'x.csv'`): DuckDB's own wall
            raise Refusal(Why.FILE_ACCESS, error_line(error, rules.masked)) from None
        raise QueryError(error_line(error, rules.masked)) from None
    return _arrow_view(cursor, table)


def _fetched(cursor: duckdb.DuckDBPyConnection, query: str):
    """The rows of a statement that is no SELECT (EXPLAIN, PRAGMA...) as an Arrow table, or None."""
    relation = cursor.sql(query)
    return None if relation is None else relation.to_arrow_table()


def _arrow_view(cursor: duckdb.DuckDBPyConnection, table) -> PagedView:
    if table is None:
        return open_view(cursor, GridSpec(sql="SELECT 'ok' AS resultado", hidden_columns=()))
    name = scratch_name("arrow")
    copy_arrow(cursor, f"CREATE TABLE {name} AS", table)
    try:
        return open_view(cursor, GridSpec(sql=f"SELECT * FROM {name}", hidden_columns=()))
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
