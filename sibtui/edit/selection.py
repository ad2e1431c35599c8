"""Sets of records a bulk action applies to: given one by one, or listed by a code, a rule or a filter.

A set travels as an Arrow table `(file_id, record_no)` so a million references cost one
registration in DuckDB, never a million Python objects in a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import CURRENT_VIEW_SUFFIX
from sibtui.db.identifiers import quote
from sibtui.edit.records import CNX_TABLE, SBX_TABLE, TRANSFER_TABLE, EditError, RecordRef

REF_SCHEMA = pa.schema([("file_id", pa.int64()), ("record_no", pa.int64())])
RecordSet: TypeAlias = Iterable[RecordRef] | pa.Table


def as_ref_table(records: RecordSet) -> pa.Table:
    """Distinct references as an Arrow table, whatever the caller handed in."""
    if isinstance(records, pa.Table):
        table = records.select(["file_id", "record_no"]).cast(REF_SCHEMA)
    else:
        refs: list[RecordRef] = sorted(set(records))
        table = pa.table(
            {"file_id": pa.array([r.file_id for r in refs], pa.int64()),
             "record_no": pa.array([r.record_no for r in refs], pa.int64())},
            schema=REF_SCHEMA,
        )
    return table.group_by(["file_id", "record_no"]).aggregate([])


def refs_with_error_code(cursor: duckdb.DuckDBPyConnection, code: str, rpx_file_id: int | None = None) -> pa.Table:
    """SBX movements an RPX rejected with `codigoErro` = code (every loaded RPX, or one)."""
    sql = (
        "SELECT DISTINCT sbx_file_id AS file_id, sbx_record_no AS record_no FROM rpx_rejection_links "
        "WHERE trim(codigoErro) = ? AND sbx_record_no IS NOT NULL"
    )
    parameters: list = [code.strip()]
    if rpx_file_id is not None:
        sql += " AND rpx_file_id = ?"
        parameters.append(rpx_file_id)
    return cursor.sql(sql + " ORDER BY 1, 2", params=parameters).to_arrow_table()


def refs_with_finding(cursor: duckdb.DuckDBPyConnection, rule: str) -> pa.Table:
    """Records the pre-critique flagged with `rule`."""
    return cursor.sql(
        "SELECT DISTINCT file_id, record_no FROM findings WHERE rule = ? AND record_no IS NOT NULL "
        f"AND source_table IN ('{SBX_TABLE}', '{CNX_TABLE}', '{TRANSFER_TABLE}') ORDER BY 1, 2",
        params=[rule],
    ).to_arrow_table()


def refs_matching(cursor: duckdb.DuckDBPyConnection, table: str, where_sql: str) -> pa.Table:
    """Records of `table` (as currently edited) matching a SQL condition the analyst wrote."""
    if table not in (SBX_TABLE, CNX_TABLE, TRANSFER_TABLE):
        raise EditError(f"{table}: only {SBX_TABLE}, {CNX_TABLE} and {TRANSFER_TABLE} records are edited")
    view = quote(table + CURRENT_VIEW_SUFFIX)
    try:
        return cursor.sql(f"SELECT file_id, record_no FROM {view} WHERE {where_sql} ORDER BY 1, 2").to_arrow_table()
    except duckdb.Error as error:
        raise EditError(f"filter {where_sql!r}: {str(error).splitlines()[0]}") from None
