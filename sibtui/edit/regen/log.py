"""What regeneration leaves in the workspace, for the monthly cycle and the diff to read.

`regenerations` has one row per file written; `regenerated_movements` one row per movement
in it (source record, why it went, the RPX codes it answers, the journal edits it carries);
`regenerated_changes` one row per value the file carries differently from the loaded one.

The log comes first: all three are committed in one transaction, with `published = false`,
before any file of the regeneration gets its final name; then the files are linked, then
one more transaction marks them published (and drops the rows of a part that could not be
linked). Killed anywhere, the workspace knows every file that has its name; the next
regeneration settles what is still unpublished (`sibtui.edit.regen.recovery`). Readers
that mean "files sent out" read `PUBLISHED_REGENERATIONS`.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.db.cursors import copy_arrow
from sibtui.edit.ddl import (
    PUBLISHED_REGENERATIONS,
    REGENERATED_CHANGES_COLUMNS,
    REGENERATED_MOVEMENTS_COLUMNS,
    REGENERATIONS_COLUMNS,
)

_ARROW_TYPES = {
    "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
    "BIGINT[]": pa.list_(pa.int64()),
}


def next_sequencial(cursor: duckdb.DuckDBPyConnection, registro_ans: str | None) -> int:
    """The operator's next `sequencialTransacao`: one more than any SBX loaded or logged.

    Every logged row counts, published or not: a file whose log committed may already
    have its name.
    """
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
    """SBX names already used (loaded or published): ANS refuses a repeated name (code 26).

    A name logged but never published is free again once recovery dropped its row; one that
    may still be published is settled by recovery before any new name is chosen.
    """
    rows = cursor.execute(
        "SELECT upper(name) FROM files WHERE kind = 'SBX' "
        f"UNION SELECT upper(output_name) FROM {PUBLISHED_REGENERATIONS}"
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
    """Insert the log rows of one regeneration in one committed transaction (files unpublished)."""
    tables = (
        ("regenerations", arrow_rows(REGENERATIONS_COLUMNS, [{**row, "published": False} for row in files])),
        ("regenerated_movements", arrow_rows(REGENERATED_MOVEMENTS_COLUMNS, movements)),
        ("regenerated_changes", arrow_rows(REGENERATED_CHANGES_COLUMNS, changes)),
    )
    with _transaction(cursor):
        for name, table in tables:
            copy_arrow(cursor, f"INSERT INTO {name}", table)


def settle(cursor: duckdb.DuckDBPyConnection, regeneration_id: int, published: list[int], dropped: list[int]) -> None:
    """Mark the parts that have their final name published; forget the others, in one transaction."""
    with _transaction(cursor):
        if published:
            cursor.execute(
                "UPDATE regenerations SET published = true WHERE regeneration_id = ? AND list_contains(?, part_no)",
                [regeneration_id, published],
            )
        if dropped:
            forget_parts(cursor, regeneration_id, dropped)


def forget_parts(cursor: duckdb.DuckDBPyConnection, regeneration_id: int, parts: list[int]) -> None:
    """Delete the log rows of parts that never got their name (inside the caller's transaction)."""
    for table in ("regenerated_changes", "regenerated_movements", "regenerations"):
        cursor.execute(f"DELETE FROM {table} WHERE regeneration_id = ? AND list_contains(?, part_no)",
                       [regeneration_id, parts])


class _transaction:
    """BEGIN ... COMMIT, or ROLLBACK on any exception (a Ctrl+C included)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection):
        self._cursor = cursor

    def __enter__(self) -> None:
        self._cursor.execute("BEGIN TRANSACTION")

    def __exit__(self, kind, error, traceback) -> None:
        self._cursor.execute("COMMIT" if kind is None else "ROLLBACK")
