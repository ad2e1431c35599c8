"""What regeneration leaves in the workspace, for the monthly cycle and the diff to read.

`regenerations` has one row per file written; `regenerated_movements` one row per movement
in it (source record, why it went, the RPX codes it answers, the journal edits it carries);
`regenerated_changes` one row per value the file carries differently from the loaded one.
All three are written in one transaction after every file of a regeneration is published.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.edit.ddl import REGENERATED_CHANGES_COLUMNS, REGENERATED_MOVEMENTS_COLUMNS, REGENERATIONS_COLUMNS

_ARROW_TYPES = {
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
    "BIGINT[]": pa.list_(pa.int64()),
}


def next_sequencial(cursor: duckdb.DuckDBPyConnection, registro_ans: str | None) -> int:
    """The operator's next `sequencialTransacao`: one more than any SBX loaded or written."""
    row = cursor.execute(
        "SELECT greatest("
        "(SELECT coalesce(max(TRY_CAST(trim(sequencialTransacao) AS BIGINT)), 0) FROM files "
        " WHERE kind = 'SBX' AND registroANS IS NOT DISTINCT FROM $r), "
        "(SELECT coalesce(max(TRY_CAST(sequencialTransacao AS BIGINT)), 0) FROM regenerations "
        " WHERE registroANS IS NOT DISTINCT FROM $r))",
        {"r": registro_ans},
    ).fetchall()
    return int(row[0][0]) + 1


def taken_names(cursor: duckdb.DuckDBPyConnection) -> set[str]:
    """SBX names already used (loaded or written): ANS refuses a repeated name (code 26)."""
    rows = cursor.execute(
        "SELECT upper(name) FROM files WHERE kind = 'SBX' UNION SELECT upper(output_name) FROM regenerations"
    ).fetchall()
    return {row[0] for row in rows}


def new_regeneration_id(cursor: duckdb.DuckDBPyConnection) -> int:
    return int(cursor.execute("SELECT nextval('regeneration_seq')").fetchall()[0][0])


def arrow_rows(columns: tuple[tuple[str, str], ...], rows: list[dict]) -> pa.Table:
    return pa.table(
        {name: pa.array([row.get(name) for row in rows], type=_ARROW_TYPES[sql_type]) for name, sql_type in columns}
    )


def record(
    cursor: duckdb.DuckDBPyConnection, files: list[dict], movements: list[dict], changes: list[dict]
) -> None:
    """Insert the log rows of one regeneration in one committed transaction."""
    tables = (
        ("regenerations", arrow_rows(REGENERATIONS_COLUMNS, files)),
        ("regenerated_movements", arrow_rows(REGENERATED_MOVEMENTS_COLUMNS, movements)),
        ("regenerated_changes", arrow_rows(REGENERATED_CHANGES_COLUMNS, changes)),
    )
    cursor.execute("BEGIN TRANSACTION")
    try:
        for name, table in tables:
            cursor.register("__regen_rows", table)
            try:
                cursor.execute(f"INSERT INTO {name} SELECT * FROM __regen_rows")
            finally:
                cursor.unregister("__regen_rows")
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
