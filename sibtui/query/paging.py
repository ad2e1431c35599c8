"""Paged windows over a relation or a query: the grid's only way to read rows (UI-free).

A grid never holds every row: it asks a `PagedView` for what is on screen
(`view.window(cursor, offset, limit)`). Designed for 10,000,000 rows (perf-notes §6), so no
window ever costs a deep OFFSET scan over a sort. `open_view` picks one way per spec:

- **Key ranges** (`paging_ranges.RecordRanges`) — a record table in its natural order with no
  filter: a position maps to a (file_id, record_no) by arithmetic.
- **Result ranges** (`paging_ranges.ResultRanges`) — a SQL query (or a relation without
  record keys) run once into a scratch table; its `rowid` is the key.
- **Position table** (`paging_positions.Positions`) — any filter or sort, of either: the
  base rowids written once, in view order, to a scratch table.

Scratch tables live in an in-memory database attached to the workspace's DuckDB instance,
so every thread's cursor sees them and the workspace file is never written. Every method
takes the calling thread's cursor: one cursor per thread, never shared.

    view = open_view(cursor, GridSpec(relation="cnx_beneficiaries_current"))
    view.total                      # truthful count of what the spec keeps
    view.window(cursor, 0, 40)      # the first 40 rows, in view order
    view.find(cursor, "silva", 41)  # position of the next row containing "silva"
    view.close(cursor)
"""

from __future__ import annotations

import itertools
import threading
from typing import TYPE_CHECKING

import duckdb

from sibtui.catalog.tables import CURRENT_VIEW_SUFFIX, EDITABLE_TABLES
from sibtui.db.cursors import fetch_first, fetch_value
from sibtui.db.failures import first_line
from sibtui.db.identifiers import quote
from sibtui.edit.ddl import current_rows_sql
from sibtui.query.paging_base import PAGE_ROWS, RID, SCATTERED_PAGE_ROWS, PagedView, rowid_source
from sibtui.query.paging_positions import Positions
from sibtui.query.paging_ranges import RECORD_KEY, RecordRanges, ResultRanges, dense_segments
from sibtui.query.spec import Column, GridSpec
from sibtui.query.sql_guard import QueryError
from sibtui.query.where import order_by, where_sql

if TYPE_CHECKING:
    import duckdb

__all__ = ["PAGE_ROWS", "SCATTERED_PAGE_ROWS", "SCRATCH", "PagedView", "attach_scratch", "materialise", "open_view",
           "scratch_name"]

SCRATCH = "sibtui_scratch"
# Relations whose rows are named by (file_id, record_no): paged in place, never copied.
KEYED_RELATIONS: frozenset[str] = frozenset(
    name + suffix for name in EDITABLE_TABLES for suffix in ("", CURRENT_VIEW_SUFFIX)
)
_counter = itertools.count(1)
_counter_lock = threading.Lock()


def attach_scratch(cursor: duckdb.DuckDBPyConnection) -> None:
    """Attach the shared in-memory scratch database once per DuckDB instance.

    Writable even when the workspace is open read-only (the console while another sibtui
    reads it): an attached database inherits the instance's read-only mode otherwise.
    """
    cursor.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {SCRATCH} (READ_ONLY false)")


def scratch_name(prefix: str) -> str:
    """A new table name in the scratch database."""
    with _counter_lock:
        number = next(_counter)
    return f"{SCRATCH}.{prefix}_{number}"


def open_view(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, materialised: str | None = None) -> PagedView:
    """Prepare `spec` (its rows in the scratch table `materialised`, or materialised here),
    count, and choose how positions map to rows; `QueryError` (DuckDB's first line) when the
    SQL fails or is interrupted."""
    try:
        return _open(cursor, spec, materialised)
    except duckdb.Error as error:
        raise QueryError(first_line(error)) from None


def _open(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, materialised: str | None = None) -> PagedView:
    attach_scratch(cursor)
    records = materialised is None and spec.relation in KEYED_RELATIONS
    owned: list[str] = []
    if records:
        relation = quote(spec.relation or "")
    else:
        relation = materialised or materialise(cursor, spec)
        owned.append(relation)
    columns = _describe(cursor, relation)
    empty = _empty_columns(cursor, spec, relation, columns)
    if not spec.narrowed and not spec.sort:
        segments = dense_segments(cursor, relation, records)
        if segments is not None:
            ranges = RecordRanges if records else ResultRanges
            return ranges(spec, relation, columns, segments, owned, empty)
    return _positions(cursor, spec, relation, columns, records, owned, empty)


def _positions(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, relation: str, columns: list[Column],
               records: bool, owned: list[str], empty: frozenset[str]) -> Positions:
    source = _record_rowid_source(spec.relation or "") if records else rowid_source(relation)
    where, parameters = where_sql(spec, columns)
    positions = scratch_name("positions")
    order = order_by(spec, RECORD_KEY if records else (RID,), columns)
    cursor.execute(
        f"CREATE TABLE {positions} AS SELECT s.{RID} FROM {source} AS s WHERE {where} ORDER BY {order}",
        parameters,
    )
    owned.append(positions)
    total = int(fetch_value(cursor, f"SELECT count(*) FROM {positions}"))
    record_table = None
    if records:
        name = spec.relation or ""
        record_table = (name.removesuffix(CURRENT_VIEW_SUFFIX), name.endswith(CURRENT_VIEW_SUFFIX))
    return Positions(spec, relation, columns, total, owned, positions, source, record_table, empty)


def _record_rowid_source(relation: str) -> str:
    """A record table, or its `_current` view's SQL, with the raw table's rowid as `__rid`.

    The view itself has no rowid; its SQL (the one `sibtui.edit.ddl` creates it from) gets
    the raw rowid added, and the journal applies exactly as in the view.
    """
    table = relation.removesuffix(CURRENT_VIEW_SUFFIX)
    if table == relation:
        return rowid_source(quote(table))
    return f"({current_rows_sql(table, rowid_as=RID)})"


def materialise(cursor: duckdb.DuckDBPyConnection, spec: GridSpec) -> str:
    """Run the spec's SQL (or copy its relation) once into a scratch table; rowid = order."""
    table = scratch_name("result")
    source = spec.sql if spec.sql is not None else f"SELECT * FROM {quote(spec.relation or '')}"
    cursor.execute(f"CREATE TABLE {table} AS {source.strip().rstrip(';')}", list(spec.sql_parameters) or None)
    return table


def _describe(cursor: duckdb.DuckDBPyConnection, relation: str) -> list[Column]:
    rows = cursor.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    return [Column(str(row[0]), str(row[1])) for row in rows]


def _empty_columns(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, source: str, columns: list[Column]) -> frozenset:
    """Columns NULL on every row the spec's restriction keeps (never the record keys), when it
    asks. Filters do not count: `cco vazio` must not hide the column it filters on."""
    candidates = [column.name for column in columns if column.name not in (*RECORD_KEY, RID, *spec.keep_empty)]
    if not spec.hide_empty or not candidates:
        return frozenset()
    where, parameters = where_sql(spec.with_filters(()), columns)
    counts = ", ".join(f"count(s.{quote(name)})" for name in candidates)
    row = fetch_first(cursor, f"SELECT {counts} FROM {source} AS s WHERE {where}", parameters)
    return frozenset(name for name, count in zip(candidates, row or ()) if not count)
