"""Pending changes: per record and field, the loaded value and the value it has now.

This is the net effect of the journal (an edit later undone is not pending), which is what
the console's pending-changes panel shows before regenerating and what `sibtui fix list
--pending` prints. Resend decisions (`sibtui.edit.decisions`) are listed too, as rows of
the field `decisao_reenvio` (from pendente to the decision, with its reason); they are not
counted as changed fields. Pages are asked with `limit`/`offset`, never all rows into a widget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from sibtui.catalog.fields import FIELDS
from sibtui.edit.ddl import DECISION_FIELD, JOURNAL_TABLE, latest_edits_sql
from sibtui.edit.decisions import DECISION_LABELS, latest_decisions_sql
from sibtui.edit.records import CONFERENCE_TABLES, SBX_TABLE, RecordRef

PENDING_COLUMNS = (
    "table_name", "file_id", "record_no", "movement", "record_key", "field", "original", "current",
    "edit_id", "reason", "edited_at", "os_user",
)


@dataclass(frozen=True)
class PendingChange:
    """One field of one record that differs from what was loaded."""

    table: str
    ref: RecordRef
    movement: str | None
    record_key: str | None  # CCO, else the operator's code
    field: str
    original: str | None
    current: str | None
    edit_id: int
    reason: str | None
    edited_at: dt.datetime
    os_user: str

    @property
    def label(self) -> str:
        return FIELDS[self.field].label if self.field in FIELDS else self.field


def pending_sql() -> str:
    """Every pending change and resend decision, in record order (SBX first), as `PENDING_COLUMNS`."""
    labels = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in DECISION_LABELS.items() if code)
    parts = [
        f"SELECT '{SBX_TABLE}' AS table_name, d.file_id, d.record_no, raw.movement, "
        "coalesce(raw.cco, raw.codigoBeneficiario) AS record_key, "
        f"'{DECISION_FIELD}' AS field, NULL AS original, CASE d.decision {labels} END AS current, "
        f"j.edit_id, d.reason, d.decided_at AS edited_at, d.decided_by AS os_user "
        f"FROM ({latest_decisions_sql()}) d "
        f"JOIN (SELECT file_id, record_no, max(edit_id) AS edit_id FROM {JOURNAL_TABLE} "
        f"WHERE field = '{DECISION_FIELD}' GROUP BY ALL) j USING (file_id, record_no) "
        f"JOIN {SBX_TABLE} raw ON raw.file_id = d.file_id AND raw.record_no = d.record_no "
        "WHERE d.decision IS NOT NULL"
    ]
    for table in (SBX_TABLE, *CONFERENCE_TABLES):
        movement = "raw.movement" if table == SBX_TABLE else "NULL::VARCHAR"
        parts.append(
            f"SELECT '{table}' AS table_name, l.file_id, l.record_no, {movement} AS movement, "
            "coalesce(raw.cco, raw.codigoBeneficiario) AS record_key, l.field, l.original, l.value AS current, "
            "l.edit_id, j.reason, j.edited_at, j.os_user "
            f"FROM ({latest_edits_sql(table)}) l JOIN {JOURNAL_TABLE} j ON j.edit_id = l.edit_id "
            f"JOIN {table} raw ON raw.file_id = l.file_id AND raw.record_no = l.record_no "
            "WHERE l.value IS DISTINCT FROM l.original"
        )
    return " UNION ALL ".join(parts) + " ORDER BY table_name DESC, file_id, record_no, edit_id"


def pending_changes(
    cursor: duckdb.DuckDBPyConnection,
    file_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[PendingChange]:
    """A page of pending changes (all of them without `limit`), optionally of one file."""
    sql = f"SELECT * FROM ({pending_sql()})"
    parameters: list = []
    if file_id is not None:
        sql += " WHERE file_id = ?"
        parameters.append(file_id)
    sql += " ORDER BY table_name DESC, file_id, record_no, edit_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [_change(row) for row in cursor.execute(sql, parameters).fetchall()]


def pending_count(cursor: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(changed fields, changed records) still to be sent."""
    row = cursor.execute(
        f"SELECT count(*), count(DISTINCT (table_name, file_id, record_no)) FROM ({pending_sql()}) "
        f"WHERE field <> '{DECISION_FIELD}'"
    ).fetchall()[0]
    return int(row[0]), int(row[1])


def pending_by_record(changes: list[PendingChange]) -> dict[tuple[str, RecordRef], list[PendingChange]]:
    """Group a page of changes per record, for an old -> new panel."""
    grouped: dict[tuple[str, RecordRef], list[PendingChange]] = {}
    for change in changes:
        grouped.setdefault((change.table, change.ref), []).append(change)
    return grouped


def _change(row: tuple) -> PendingChange:
    table, file_id, record_no, movement, key, column, original, current, edit_id, reason, at, user = row
    return PendingChange(table, RecordRef(file_id, record_no), movement, key, column, original, current, edit_id,
                         reason, at, user)
