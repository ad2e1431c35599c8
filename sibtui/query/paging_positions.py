"""Paging through a position table: any filter or sort, over a record relation or a result.

The rows' `rowid`s in the base table are written once, in view order, to a scratch table
whose own `rowid` is the position. A window reads a screenful of rowids there, then the rows
with `rowid = ANY(...)`, which DuckDB prunes to the vectors holding them. Joining the
positions back to a 10M-row view, or key lists over many files, made DuckDB scan every row
group (300 ms a window at 10M); what is left is decoding the vectors that hold the rows (~3 ms
of CPU per row at 10M, mostly the string dictionaries of a compressed segment), so windows
are smaller here (`SCATTERED_PAGE_ROWS`).

A `_current` view has no rowid of its own: its SQL (`sibtui.edit.ddl.current_rows_sql`) is
read with the raw table's rowid exposed, and a window reads the raw rows, then patches in
the newest journal value of just those records, as the view would show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sibtui.db.identifiers import quote
from sibtui.edit.ddl import editable_columns, latest_edits_sql
from sibtui.query.paging_base import RID, SCATTERED_PAGE_ROWS, PagedView
from sibtui.query.spec import Column, GridSpec

if TYPE_CHECKING:
    import duckdb


class Positions(PagedView):
    """Rows in any order, through a scratch table of base rowids (`__rid`) in view order."""

    page_rows = SCATTERED_PAGE_ROWS

    def __init__(self, spec: GridSpec, relation: str, columns: list[Column], total: int, owned_tables: list[str],
                 positions: str, source: str, record_table: tuple[str, bool] | None = None,
                 empty_columns: frozenset[str] = frozenset()):
        """`source`: the relation with its base rowid as `__rid`; `record_table`: (raw table,
        journal applied?) when that rowid is a record table's, read directly then."""
        super().__init__(spec, relation, columns, total, owned_tables, empty_columns)
        self._positions = positions
        self._source = source
        self._record_table = record_table

    def window(self, cursor: duckdb.DuckDBPyConnection, offset: int, limit: int) -> list[tuple]:
        offset, limit = self.clamp(offset, limit)
        if limit == 0:
            return []
        sql = f"SELECT {RID} FROM {self._positions} WHERE rowid >= ? AND rowid < ? ORDER BY rowid"
        rowids = [row[0] for row in cursor.execute(sql, [offset, offset + limit]).fetchall()]
        return self._rows_for_rowids(cursor, rowids)

    def ordered_sql(self) -> tuple[str, list]:
        return f"SELECT {self.selected_columns()} FROM {self._joined()} ORDER BY p.rowid", []

    def position_sql(self) -> str:
        return f"SELECT p.rowid AS pos, {self.selected_columns()} FROM {self._joined()}"

    def _joined(self) -> str:
        return f"{self._positions} AS p JOIN {self._source} AS s ON s.{RID} = p.{RID}"

    def _rows_for_rowids(self, cursor: duckdb.DuckDBPyConnection, rowids: list[int]) -> list[tuple]:
        """The rows whose base rowid is in `rowids`, in that order.

        `= ANY(list)` is what DuckDB turns into a rowid filter inside the scan, so only the
        vectors holding these rows are read (an `IN (...)` list or a join is not pruned).
        """
        if not rowids:
            return []
        if self._record_table is not None:
            by_rowid = record_rows(cursor, *self._record_table, self.column_names, rowids)
        else:
            rows = cursor.execute(
                f"SELECT s.{RID}, {self.selected_columns()} FROM {self._source} AS s WHERE s.{RID} = ANY(?)", [rowids]
            ).fetchall()
            by_rowid = {row[0]: row[1:] for row in rows}
        return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]


def record_rows(
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
