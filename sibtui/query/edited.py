"""Which values the analyst changed, for marking them on screen (UI-free).

A field is edited when the journal's newest value differs from the loaded one (an edit
later undone is not). Asked per page of a grid or per record, never for the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sibtui.edit.ddl import latest_edits_sql

if TYPE_CHECKING:
    import duckdb

EDITABLE_TABLES = ("sbx_movements", "cnx_beneficiaries", "transfer_beneficiaries")


def record_table(relation: str | None) -> str | None:
    """The record table a grid relation shows (`sbx_movements_current` -> `sbx_movements`)."""
    table = (relation or "").removesuffix("_current")
    return table if table in EDITABLE_TABLES else None


def edited_originals(cursor: duckdb.DuckDBPyConnection, table: str, file_id: int, record_no: int) -> dict[str, str | None]:
    """Field -> loaded value, for every field of one record that now holds another value."""
    rows = cursor.execute(
        f"SELECT field, original FROM ({latest_edits_sql(table)}) "
        "WHERE file_id = ? AND record_no = ? AND value IS DISTINCT FROM original",
        [file_id, record_no],
    ).fetchall()
    return dict(rows)


def edited_cells(cursor: duckdb.DuckDBPyConnection, table: str, keys: Sequence[tuple[int, int]]) -> set[tuple[int, int, str]]:
    """(file_id, record_no, field) of the edited values among the records `keys`."""
    if not keys:
        return set()
    values = ", ".join("(?, ?)" for _ in keys)
    parameters = [part for key in keys for part in key]
    rows = cursor.execute(
        f"SELECT l.file_id, l.record_no, l.field FROM ({latest_edits_sql(table)}) AS l "
        f"JOIN (VALUES {values}) AS k(file_id, record_no) USING (file_id, record_no) "
        "WHERE l.value IS DISTINCT FROM l.original",
        parameters,
    ).fetchall()
    return {(int(file_id), int(record_no), field) for file_id, record_no, field in rows}


def edited_in_rows(cursor, view, rows: list[tuple]) -> set[tuple[int, int, str]]:
    """The edited values among `rows` of a record grid (nothing for other grids)."""
    table = view.spec.record_table
    names = view.column_names
    if table is None or "file_id" not in names or "record_no" not in names:
        return set()
    file_index, record_index = names.index("file_id"), names.index("record_no")
    return edited_cells(cursor, table, [(row[file_index], row[record_index]) for row in rows])
