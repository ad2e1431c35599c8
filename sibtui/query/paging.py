"""Paged windows over a relation or a query: the grid's only way to read rows (UI-free).

A grid never holds every row: it asks `PagedView.window(cursor, offset, limit)` for what
is on screen. Designed for 10,000,000 rows (perf-notes §6), so no window ever costs a deep
OFFSET scan over a sort:

- **Key ranges** — a record table in its natural order (`file_id`, `record_no`) with no
  filter: `record_no` is dense within each file, so a position maps to a key by arithmetic
  and a window is `file_id = ? AND record_no BETWEEN ? AND ?` (zone maps prune the rest).
- **Position table** — any filter or sort: the rows' `rowid`s in the base table are written
  once, in view order, to a scratch table whose own `rowid` is the position. A window reads
  a screenful of rowids there, then the rows with `rowid = ANY(...)`, which DuckDB prunes to
  the vectors holding them (a `_current` view is read through its SQL with the raw rowid
  exposed, so the journal still applies). Joining the positions back to a 10M-row view, or
  key lists over many files, made DuckDB scan every row group (300 ms a window at 10M);
  what is left is decoding the vectors that hold the rows (~3 ms of CPU per row at 10M,
  mostly the string dictionaries of a compressed segment).
- **Materialised result** — a SQL query (or a relation without record keys) is run once
  into a scratch table; its `rowid` is the key, and it is paged like a record table.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sibtui.db.failures import first_line
from sibtui.db.identifiers import quote
from sibtui.query.folding import fold, folded_sql
from sibtui.query.spec import Column, GridSpec
from sibtui.query.where import order_by, where_sql

if TYPE_CHECKING:
    import duckdb

SCRATCH = "sibtui_scratch"
RID = "__rid"  # a row's rowid in its base table, as the position table keeps it
RECORD_KEY: tuple[str, ...] = ("file_id", "record_no")
ROW_KEY: tuple[str, ...] = ("rowid",)
# Relations whose rows are named by (file_id, record_no): paged in place, never copied.
CURRENT_SUFFIX = "_current"  # sibtui.catalog.tables.CURRENT_VIEW_SUFFIX, without importing the catalogue
KEYED_RELATIONS: frozenset[str] = frozenset(
    name + suffix for name in ("sbx_movements", "cnx_beneficiaries", "transfer_beneficiaries")
    for suffix in ("", CURRENT_SUFFIX)
)
PAGE_ROWS = 100  # consecutive rows: a window costs about the same at 20 rows or at 100
SCATTERED_PAGE_ROWS = 25  # rows read by rowid from all over the table: ~1 ms a row at 10M
_counter = itertools.count(1)
_counter_lock = threading.Lock()


@dataclass(frozen=True)
class Segment:
    """A run of consecutive positions whose keys are `first_record_no + i` in one file."""

    start: int  # first position
    file_id: int | None  # None for a materialised result (key is rowid)
    first_record_no: int
    count: int


def attach_scratch(cursor: duckdb.DuckDBPyConnection) -> None:
    """Attach the shared in-memory scratch database once per DuckDB instance.

    Writable even when the workspace is open read-only (the console while another sibtui
    reads it): an attached database inherits the instance's read-only mode otherwise.
    """
    cursor.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {SCRATCH} (READ_ONLY false)")


def _scratch_name(prefix: str) -> str:
    with _counter_lock:
        number = next(_counter)
    return f"{SCRATCH}.{prefix}_{number}"


class PagedView:
    """A prepared spec: its columns, its total and how positions map to rows."""

    def __init__(
        self,
        spec: GridSpec,
        relation: str,
        columns: list[Column],
        key: tuple[str, ...],
        total: int,
        segments: list[Segment] | None,
        positions: str | None,
        owned_tables: list[str],
        source: str | None = None,
        record_table: tuple[str, bool] | None = None,
        empty_columns: frozenset[str] = frozenset(),
    ):
        self.spec = spec
        self.relation = relation  # what rows are read from (a scratch table for SQL)
        self.all_columns = columns
        self.empty_columns = empty_columns  # left out: NULL on every row (spec.hide_empty)
        self.columns = _arranged(columns, spec.leading_columns, (*spec.hidden_columns, *sorted(empty_columns)))
        self.key = key
        self.total = total
        self._segments = segments
        self._positions = positions  # scratch table of base rowids (`__rid`) in view order
        self._source = source  # the relation with its base rowid as `__rid`, when rows are read by rowid
        self._record_table = record_table  # (raw table, journal applied?) when that rowid is the raw table's
        self._owned_tables = owned_tables

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def page_rows(self) -> int:
        """Rows a grid should fetch at a time from this view.

        Through a position table each row is a vector decoded somewhere in the base table,
        so a window costs about 15 ms plus 1 ms a row at 10,000,000 rows (`python -m
        bench.grid`): 100 rows would take 120 ms where a screenful needs 25. Consecutive rows
        cost the same at any window size, so those come a hundred at a time.
        """
        return SCATTERED_PAGE_ROWS if self._positions is not None else PAGE_ROWS

    def window(self, cursor: duckdb.DuckDBPyConnection, offset: int, limit: int) -> list[tuple]:
        """Rows at positions [offset, offset + limit), in view order, shown columns only."""
        offset = max(0, offset)
        limit = max(0, min(limit, self.total - offset))
        if limit == 0:
            return []
        keys = self._keys_for(cursor, offset, limit)
        if self._source is not None:
            return self._rows_for_rowids(cursor, [key[0] for key in keys])
        return self._rows_for_keys(cursor, keys)

    def find(
        self, cursor: duckdb.DuckDBPyConnection, text: str, start: int, backwards: bool = False
    ) -> int | None:
        """Position of the first row at or after `start` (at or before, backwards) holding `text`.

        Accents and case folded, over every shown column; wraps around once.
        """
        if not text or self.total == 0:
            return None
        match_sql = self._match_sql()
        position_sql = self._position_sql()
        comparison, order = ("<=", "DESC") if backwards else (">=", "ASC")
        sql = (
            f"SELECT pos FROM ({position_sql}) WHERE {match_sql} AND pos {comparison} ? "
            f"ORDER BY pos {order} LIMIT 1"
        )
        row = _first(cursor, sql, [fold(text), start])
        if row is None:
            wrap_sql = f"SELECT pos FROM ({position_sql}) WHERE {match_sql} ORDER BY pos {order} LIMIT 1"
            row = _first(cursor, wrap_sql, [fold(text)])
        return None if row is None else int(row[0])

    def ordered_sql(self) -> tuple[str, list]:
        """The whole view as one query in view order (shown columns), for export."""
        columns = ", ".join(f"s.{quote(c.name)}" for c in self.columns)
        if self._positions is None:
            order = ", ".join(f"s.{quote(k)}" for k in self.key)
            return f"SELECT {columns} FROM {self.relation} AS s ORDER BY {order}", []
        return f"SELECT {columns} FROM {self._joined_positions()} ORDER BY p.rowid", []

    def close(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Drop the scratch tables this view made."""
        for table in self._owned_tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self._owned_tables = []

    # -- positions -> keys -> rows ---------------------------------------------------------

    def _keys_for(self, cursor: duckdb.DuckDBPyConnection, offset: int, limit: int) -> list[tuple]:
        if self._segments is not None:
            return _keys_from_segments(self._segments, offset, limit)
        sql = f"SELECT {RID} FROM {self._positions} WHERE rowid >= ? AND rowid < ? ORDER BY rowid"
        return cursor.execute(sql, [offset, offset + limit]).fetchall()

    def _rows_for_rowids(self, cursor: duckdb.DuckDBPyConnection, rowids: list[int]) -> list[tuple]:
        """The rows whose base rowid is in `rowids`, in that order.

        `= ANY(list)` is what DuckDB turns into a rowid filter inside the scan, so only the
        vectors holding these rows are read (an `IN (...)` list or a join is not pruned).
        """
        if not rowids:
            return []
        if self._record_table is not None:
            by_rowid = _record_rows(cursor, *self._record_table, self.column_names, rowids)
        else:
            columns = ", ".join(f"s.{quote(c.name)}" for c in self.columns)
            rows = cursor.execute(
                f"SELECT s.{RID}, {columns} FROM {self._source} AS s WHERE s.{RID} = ANY(?)", [rowids]
            ).fetchall()
            by_rowid = {row[0]: row[1:] for row in rows}
        return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]

    def _rows_for_keys(self, cursor: duckdb.DuckDBPyConnection, keys: list[tuple]) -> list[tuple]:
        if not keys:
            return []
        columns = ", ".join(f"s.{quote(c.name)}" for c in self.columns)
        key_columns = ", ".join(f"s.{quote(k)}" for k in self.key)
        selects, parameters = [], []
        for where, values in _key_ranges(keys):
            selects.append(f"SELECT {key_columns}, {columns} FROM {self.relation} AS s WHERE {where}")
            parameters.extend(values)
        rows = cursor.execute(" UNION ALL ".join(selects), parameters).fetchall()
        width = len(self.key)
        by_key = {row[:width]: row[width:] for row in rows}
        return [by_key[key] for key in keys if key in by_key]

    def _joined_positions(self) -> str:
        return f"{self._positions} AS p JOIN {self._source} AS s ON s.{RID} = p.{RID}"

    def _position_sql(self) -> str:
        """Every row with its position `pos`, for searching."""
        columns = ", ".join(f"s.{quote(c.name)}" for c in self.columns)
        if self._positions is not None:
            return f"SELECT p.rowid AS pos, {columns} FROM {self._joined_positions()}"
        cases = " ".join(
            f"WHEN {_segment_match(segment)} THEN {segment.start} + s.{quote(self.key[-1])} - {segment.first_record_no}"
            for segment in self._segments or []
        )
        return f"SELECT CASE {cases} END AS pos, {columns} FROM {self.relation} AS s"

    def _match_sql(self) -> str:
        """Accents and case folded on both sides (`fold` folds the text searched for)."""
        text = ", ".join(f"CAST({quote(c.name)} AS VARCHAR)" for c in self.columns)
        return f"contains({folded_sql(f'concat_ws(chr(31), {text})')}, ?)"


def _arranged(columns: list[Column], leading: tuple[str, ...], hidden: tuple[str, ...]) -> list[Column]:
    by_name = {column.name: column for column in columns}
    first = [by_name[name] for name in leading if name in by_name and name not in hidden]
    rest = [column for column in columns if column.name not in hidden and column.name not in leading]
    return first + rest


def _key_alias(key: str) -> str:
    return "__row" if key == "rowid" else key


def _segment_match(segment: Segment) -> str:
    last = segment.first_record_no + segment.count - 1
    if segment.file_id is None:
        return f"s.rowid BETWEEN {segment.first_record_no} AND {last}"
    return f"s.file_id = {segment.file_id} AND s.record_no BETWEEN {segment.first_record_no} AND {last}"


def _keys_from_segments(segments: list[Segment], offset: int, limit: int) -> list[tuple]:
    keys: list[tuple] = []
    end = offset + limit
    for segment in segments:
        low, high = max(offset, segment.start), min(end, segment.start + segment.count)
        for position in range(low, high):
            value = segment.first_record_no + position - segment.start
            keys.append((value,) if segment.file_id is None else (segment.file_id, value))
    return keys


def _key_ranges(keys: list[tuple]) -> list[tuple[str, list]]:
    """One condition per file over a run of consecutive record numbers (what segments give).

    One SELECT per file, joined by UNION ALL: an OR across files would reach the scan as
    `file_id BETWEEN a AND b AND record_no BETWEEN x AND y` and read rows of neither run.
    """
    ranges: dict[int, list[int]] = {}
    for file_id, record_no in keys:
        low, high = ranges.setdefault(file_id, [record_no, record_no])
        ranges[file_id] = [min(low, record_no), max(high, record_no)]
    return [("s.file_id = ? AND s.record_no BETWEEN ? AND ?", [file_id, low, high])
            for file_id, (low, high) in ranges.items()]


# -- preparing a spec -------------------------------------------------------------------------


def open_view(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, materialised: str | None = None) -> PagedView:
    """Prepare `spec` (its rows in the scratch table `materialised`, or materialised here),
    count, and choose how positions map to rows; `QueryError` (DuckDB's first line) when the
    SQL fails or is interrupted."""
    import duckdb

    from sibtui.query.adhoc import QueryError

    try:
        return _open(cursor, spec, materialised)
    except duckdb.Error as error:
        raise QueryError(first_line(error)) from None


def _open(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, materialised: str | None = None) -> PagedView:
    attach_scratch(cursor)
    owned: list[str] = []
    if materialised is None and spec.relation in KEYED_RELATIONS:
        relation, key = quote(spec.relation or ""), RECORD_KEY
    else:
        relation, key = materialised or materialise(cursor, spec), ROW_KEY
        owned.append(relation)
    columns = _describe(cursor, relation)
    empty = _empty_columns(cursor, spec, relation, columns)
    if not spec.narrowed and not spec.sort:
        segments = _dense_segments(cursor, relation, key)
        if segments is not None:
            total = sum(segment.count for segment in segments)
            source = _rowid_source(relation) if key == ROW_KEY else None
            return PagedView(spec, relation, columns, key, total, segments, None, owned, source, empty_columns=empty)
    source = _rowid_source(relation) if key == ROW_KEY else _rowid_source_of_record_relation(spec.relation or "")
    where, parameters = where_sql(spec, columns)
    positions = _scratch_name("positions")
    order = order_by(spec, (RID,) if key == ROW_KEY else key, columns)
    cursor.execute(
        f"CREATE TABLE {positions} AS SELECT s.{RID} FROM {source} AS s WHERE {where} ORDER BY {order}",
        parameters,
    )
    owned.append(positions)
    total = int(_first(cursor, f"SELECT count(*) FROM {positions}", [])[0])
    record_table = None
    if key == RECORD_KEY:
        name = spec.relation or ""
        record_table = (name.removesuffix(CURRENT_SUFFIX), name.endswith(CURRENT_SUFFIX))
    return PagedView(spec, relation, columns, key, total, None, positions, owned, source, record_table, empty)


def _rowid_source(table: str) -> str:
    return f"(SELECT rowid AS {RID}, * FROM {table})"


def _rowid_source_of_record_relation(relation: str) -> str:
    """A record table, or its `_current` view's SQL, with the raw table's rowid as `__rid`.

    The view itself has no rowid; its SQL (the one `sibtui.edit.ddl` creates it from) gets
    the raw rowid added, and the journal applies exactly as in the view.
    """
    table = relation.removesuffix(CURRENT_SUFFIX)
    if table == relation:
        return _rowid_source(quote(table))
    from sibtui.edit.ddl import current_rows_sql

    return f"({current_rows_sql(table, rowid_as=RID)})"


def _record_rows(
    cursor: duckdb.DuckDBPyConnection, table: str, journal: bool, names: list[str], rowids: list[int]
) -> dict[int, tuple]:
    """Rows of a record table by rowid; with `journal`, as its `_current` view shows them.

    The raw rows first, then the newest journal value of each editable field of just those
    records (`latest_edits_sql`, what the view's CASE picks, NULL for a removed element)
    patched in. Reading through the view instead joins the pivot of the whole journal,
    about 10 ms more per window at 10,000,000 rows.
    """
    columns = ", ".join(f"s.{quote(name)}" for name in names)
    rows = cursor.execute(
        f"SELECT rowid, file_id, record_no, {columns} FROM {quote(table)} AS s WHERE rowid = ANY(?)", [rowids]
    ).fetchall()
    found = {row[0]: list(row[3:]) for row in rows}
    if journal and found:
        from sibtui.edit.ddl import editable_columns, latest_edits_sql

        slots = {name: index for index, name in enumerate(names) if name in editable_columns(table)}
        by_key = {(row[1], row[2]): found[row[0]] for row in rows}
        edits = cursor.execute(
            f"SELECT file_id, record_no, field, value FROM ({latest_edits_sql(table)}) "
            "WHERE list_contains(?, {'f': file_id, 'r': record_no})",
            [[{"f": file_id, "r": record_no} for file_id, record_no in by_key]],
        ).fetchall()
        for file_id, record_no, field, value in edits:
            if field in slots:
                by_key[(file_id, record_no)][slots[field]] = value
    return {rowid: tuple(values) for rowid, values in found.items()}


def materialise(cursor: duckdb.DuckDBPyConnection, spec: GridSpec) -> str:
    """Run the spec's SQL (or copy its relation) once into a scratch table; rowid = order."""
    table = _scratch_name("result")
    source = spec.sql if spec.sql is not None else f"SELECT * FROM {quote(spec.relation or '')}"
    cursor.execute(f"CREATE TABLE {table} AS {source.strip().rstrip(';')}", list(spec.sql_parameters) or None)
    return table


def _describe(cursor: duckdb.DuckDBPyConnection, relation: str) -> list[Column]:
    rows = cursor.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    return [Column(str(row[0]), str(row[1])) for row in rows]


def _dense_segments(cursor: duckdb.DuckDBPyConnection, relation: str, key: tuple[str, ...]) -> list[Segment] | None:
    """One segment per file when `record_no` runs 1..n without holes; None otherwise."""
    if key == ROW_KEY:
        low, high, count = _first(cursor, f"SELECT min(rowid), max(rowid), count(*) FROM {relation}", [])
        if not count:
            return []
        return [Segment(0, None, int(low), int(count))] if high - low + 1 == count else None
    rows = cursor.execute(
        f"SELECT file_id, min(record_no), max(record_no), count(*) FROM {relation} GROUP BY file_id ORDER BY file_id"
    ).fetchall()
    segments, start = [], 0
    for file_id, low, high, count in rows:
        if high - low + 1 != count:
            return None
        segments.append(Segment(start, int(file_id), int(low), int(count)))
        start += int(count)
    return segments


def _first(cursor: duckdb.DuckDBPyConnection, sql: str, parameters: list) -> tuple | None:
    rows = cursor.execute(sql, parameters).fetchall()
    return rows[0] if rows else None


def _empty_columns(cursor: duckdb.DuckDBPyConnection, spec: GridSpec, source: str, columns: list[Column]) -> frozenset:
    """Columns NULL on every row the spec's restriction keeps (never the record keys), when it
    asks. Filters do not count: `cco vazio` must not hide the column it filters on."""
    candidates = [column.name for column in columns if column.name not in (*RECORD_KEY, RID, *spec.keep_empty)]
    if not spec.hide_empty or not candidates:
        return frozenset()
    where, parameters = where_sql(spec.with_filters(()), columns)
    counts = ", ".join(f"count(s.{quote(name)})" for name in candidates)
    row = _first(cursor, f"SELECT {counts} FROM {source} AS s WHERE {where}", parameters)
    return frozenset(name for name, count in zip(candidates, row or ()) if not count)
