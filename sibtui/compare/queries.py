"""Reading the comparison of a snapshot pair: counts per kind, and the rows of one kind."""

from __future__ import annotations

import duckdb

from sibtui.compare.changes import CHANGE_COLUMNS, CHANGE_KINDS, FIELD_COLUMNS, pair_changes_sql
from sibtui.compare.snapshots import CompareError, SnapshotPair
from sibtui.db.identifiers import quote

_KIND_ORDER = "list_position([" + ", ".join(f"'{kind}'" for kind in CHANGE_KINDS) + "], kind)"
_FIELD_ORDER = "list_position([" + ", ".join(f"'{column}'" for column in FIELD_COLUMNS) + "], field)"


def change_counts(cursor: duckdb.DuckDBPyConnection, pair: SnapshotPair) -> list[tuple[str, int, int]]:
    """(kind, rows, distinct CCOs) for every kind, zeros included, in a fixed order (one pass)."""
    changes = pair_changes_sql(pair.older.file_id, pair.newer.file_id)
    found = {
        kind: (rows, ccos)
        for kind, rows, ccos in cursor.execute(
            f"SELECT kind, count(*), count(DISTINCT cco) FROM ({changes}) GROUP BY kind"
        ).fetchall()
    }
    return [(kind, *found.get(kind, (0, 0))) for kind in CHANGE_KINDS]


def changes_list_sql(pair: SnapshotPair, kind: str | None = None) -> str:
    """The change rows of one kind (or all), ordered by CCO, kind and field order (to be run as
    ad hoc SQL is, `sibtui.query.adhoc.run_query`: masked in mask mode)."""
    if kind is not None and kind not in CHANGE_KINDS:
        raise CompareError(f"unknown kind of change {kind!r}; choose one of {', '.join(CHANGE_KINDS)}")
    columns = ", ".join(quote(column) for column in CHANGE_COLUMNS)
    where = "" if kind is None else f"WHERE kind = '{kind}'"
    return (
        f"SELECT {columns} FROM ({pair_changes_sql(pair.older.file_id, pair.newer.file_id)}) {where} "
        f"ORDER BY cco, {_KIND_ORDER}, {_FIELD_ORDER} NULLS FIRST"
    )
