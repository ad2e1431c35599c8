"""What the Changes screen reads (UI-free): the pair of conferences, the counts per kind of
change with the CNS-assignment summary, a grid spec per kind, and for one vínculo every
field of the older and the newer conference side by side.

Counting and listing are `sibtui.compare` (the same as `sibtui diff`); "changed" here uses
`sibtui.compare.changes.comparable`, so a field is highlighted exactly when the diff
reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sibtui.catalog.fields import FIELDS
from sibtui.catalog.tables import CNX_BENEFICIARIES
from sibtui.compare.assignment import assignment_summary, still_missing_sql
from sibtui.compare.changes import (
    CHANGE_COLUMNS,
    CHANGE_KINDS,
    CHANGE_LABELS,
    FIELD_COLUMNS,
    comparable,
    pair_changes_sql,
)
from sibtui.compare.queries import change_counts
from sibtui.compare.snapshots import CompareError, Snapshot, SnapshotPair, choose_pair, list_snapshots
from sibtui.db.identifiers import quote
from sibtui.query.spec import GridSpec

if TYPE_CHECKING:
    import duckdb

    from sibtui.compare.assignment import AssignmentSummary

MISSING_QUALIFYING = "cns_missing_qualifying"
MISSING_NOT_QUALIFYING = "cns_missing_not_qualifying"
MISSING_LABELS = {
    MISSING_QUALIFYING: "Sem CNS, qualificado: a ANS deve atribuir",
    MISSING_NOT_QUALIFYING: "Sem CNS, não qualificado: pedir ao beneficiário",
}
# Kinds whose rows name no field (the whole vínculo came or went) or always the same one.
_WITHOUT_FIELD = {"appeared", "disappeared"}
_ONE_FIELD = {"cancelled", "reactivated", "cns_assigned", "cns_changed", "cns_removed"}
_COMPARED = ("situacao", "cns", *FIELD_COLUMNS)


@dataclass(frozen=True)
class KindCount:
    kind: str  # a CHANGE_KINDS entry, or one of the two cns_missing_* summaries
    label: str
    rows: int
    ccos: int


@dataclass(frozen=True)
class ChangesOverview:
    pair: SnapshotPair
    counts: list[KindCount]
    assignment: AssignmentSummary


def changes_overview(cursor: duckdb.DuckDBPyConnection, from_id: int | None = None,
                     to_id: int | None = None) -> ChangesOverview:
    """The pair (the two latest conferences unless given) and what changed; raises CompareError."""
    pair = choose_pair(cursor, from_id, to_id)
    found = change_counts(cursor, pair)
    counts = [KindCount(kind, CHANGE_LABELS[kind], rows, ccos) for kind, rows, ccos in found]
    summary = assignment_summary(cursor, pair, found)
    counts.append(KindCount(MISSING_QUALIFYING, MISSING_LABELS[MISSING_QUALIFYING],
                            summary.missing_qualifying, summary.missing_qualifying))
    counts.append(KindCount(MISSING_NOT_QUALIFYING, MISSING_LABELS[MISSING_NOT_QUALIFYING],
                            summary.missing_not_qualifying, summary.missing_not_qualifying))
    return ChangesOverview(pair, counts, summary)


def snapshots(cursor: duckdb.DuckDBPyConnection) -> list[Snapshot]:
    """Every CNX conference, by registro ANS then date (for the pair picker)."""
    return list_snapshots(cursor)


def ordered_pair(first: Snapshot, second: Snapshot) -> tuple[int, int]:
    """(older, newer) file ids of two conferences picked in any order."""
    if first.file_id == second.file_id:
        raise CompareError(f"file {first.file_id} compared with itself: choose two different conferences")
    older, newer = sorted((first, second), key=lambda s: (s.taken_at or datetime.min, s.file_id))
    return older.file_id, newer.file_id


def kind_spec(pair: SnapshotPair, kind: str) -> GridSpec:
    """The rows of one kind of change, as `sibtui diff --list KIND` prints them."""
    if kind in (MISSING_QUALIFYING, MISSING_NOT_QUALIFYING):
        return _missing_spec(pair, kind == MISSING_QUALIFYING)
    if kind not in CHANGE_KINDS:
        raise CompareError(f"unknown kind of change {kind!r}")
    columns = ", ".join(quote(column) for column in CHANGE_COLUMNS)
    field_order = "list_position([" + ", ".join(f"'{c}'" for c in FIELD_COLUMNS) + "], field)"
    changes = pair_changes_sql(pair.older.file_id, pair.newer.file_id)
    sql = f"SELECT {columns} FROM ({changes}) WHERE kind = '{kind}' ORDER BY cco, {field_order} NULLS FIRST"
    hidden = ["registroANS", "kind", "from_file_id", "to_file_id"]
    if kind in _WITHOUT_FIELD:
        hidden += ["field", "old_value", "new_value"]
    elif kind in _ONE_FIELD:
        hidden.append("field")
    return GridSpec(sql=sql, title=CHANGE_LABELS[kind], hidden_columns=tuple(hidden),
                    leading_columns=("cco", "nome", "field", "old_value", "new_value", "codigoBeneficiario"))


def _missing_spec(pair: SnapshotPair, qualifying: bool) -> GridSpec:
    condition = "" if qualifying else "NOT "
    sql = (f"SELECT b.file_id, b.record_no, m.* FROM ({still_missing_sql(pair.newer.file_id)}) AS m "
           f"JOIN cnx_beneficiaries AS b ON b.file_id = {int(pair.newer.file_id)} AND b.cco = m.cco "
           f"WHERE {condition}m.qualifies_for_auto_assignment ORDER BY m.cco")
    kind = MISSING_QUALIFYING if qualifying else MISSING_NOT_QUALIFYING
    return GridSpec(sql=sql, title=MISSING_LABELS[kind], hidden_columns=(),
                    leading_columns=("cco", "nome", "cpf", "dataNascimento"))


@dataclass(frozen=True)
class ConferenceRef:
    """One vínculo in two conferences: its record in each (None where it is absent)."""

    older: Snapshot
    newer: Snapshot
    older_record_no: int | None
    newer_record_no: int | None

    @property
    def record(self) -> tuple[int, int]:
        """The record the view opens: the newer one, or the older when it disappeared."""
        if self.newer_record_no is not None:
            return self.newer.file_id, self.newer_record_no
        return self.older.file_id, int(self.older_record_no or 0)


@dataclass(frozen=True)
class ConferenceLine:
    name: str
    label: str
    old: str | None
    new: str | None
    changed: bool


def conference_lines(cursor: duckdb.DuckDBPyConnection, ref: ConferenceRef) -> list[ConferenceLine]:
    """Every CNX field of the vínculo, older and newer value, changed as ANS means it."""
    old = _record(cursor, ref.older.file_id, ref.older_record_no)
    new = _record(cursor, ref.newer.file_id, ref.newer_record_no)
    changed = _changed_fields(cursor, ref) if old and new else set()
    lines = []
    for name in CNX_BENEFICIARIES.value_columns:
        catalogued = FIELDS.get(name)
        lines.append(ConferenceLine(name, catalogued.label if catalogued else name,
                                    old.get(name) if old else None, new.get(name) if new else None, name in changed))
    return lines


def _record(cursor: duckdb.DuckDBPyConnection, file_id: int, record_no: int | None) -> dict | None:
    if record_no is None:
        return None
    cursor.execute("SELECT * FROM cnx_beneficiaries WHERE file_id = ? AND record_no = ?", [file_id, record_no])
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    return dict(zip(names, rows[0])) if rows else None


def _changed_fields(cursor: duckdb.DuckDBPyConnection, ref: ConferenceRef) -> set[str]:
    tests = ", ".join(
        f"{comparable('o.' + quote(c), c)} IS DISTINCT FROM {comparable('n.' + quote(c), c)}" for c in _COMPARED
    )
    row = cursor.execute(
        f"SELECT {tests} FROM cnx_beneficiaries AS o, cnx_beneficiaries AS n "
        "WHERE o.file_id = ? AND o.record_no = ? AND n.file_id = ? AND n.record_no = ?",
        [ref.older.file_id, ref.older_record_no, ref.newer.file_id, ref.newer_record_no],
    ).fetchall()
    return {column for column, differs in zip(_COMPARED, row[0]) if differs} if row else set()
