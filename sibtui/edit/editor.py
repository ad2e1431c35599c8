"""Edits the console and `sibtui fix` make: one field, many records, clean-ups, undo, redo.

Every function takes the calling thread's cursor (`Workspace.cursor()`), validates with the
checker's field rules, and writes one journal action in one committed transaction before
it returns. An error-severity problem refuses a single edit (`EditRefused`) and leaves a
record out of a bulk edit (listed in `EditResult.refused`), unless `force=True`.
Warnings always come back to the caller. `dry_run=True` plans a bulk edit without writing
it, so the console can show old -> new before the analyst confirms.

Writes are serialised by a process-wide lock: two undo keys pressed in quick succession
undo two actions, never the same one twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import CURRENT_VIEW_SUFFIX
from sibtui.db.identifiers import quote
from sibtui.edit import journal
from sibtui.edit.ddl import DECISION_FIELD, editable_columns, latest_decisions_sql
from sibtui.edit.journal import Change, write_lock
from sibtui.edit.reasons import lookup_reasons
from sibtui.edit.records import (
    CONFERENCE_TABLES,
    SBX_TABLE,
    TRANSFER_TABLE,
    EditError,
    RecordInfo,
    RecordRef,
    check_editable,
    editable_fields,
    resolve,
)
from sibtui.edit.selection import RecordSet, as_ref_table
from sibtui.edit.transfer import latest_confirmations_sql
from sibtui.edit.transforms import NAME_FIELDS, compose
from sibtui.edit.validation import ValueCheck, check_value, normalise_input
from sibtui.rules.fields import Problem

CNX_REMOVAL_REFUSED = "a retificação só envia valores novos; na conferência um campo não pode ser apagado"


class EditRefused(EditError):
    """A value the field rules reject (error severity); pass force=True to save it anyway."""

    def __init__(self, info: RecordInfo, column: str, check: ValueCheck):
        self.ref = info.ref
        self.column = column
        self.check = check
        super().__init__(f"{info.where(column)}: {check.message()} (use --force to save it anyway)")


@dataclass(frozen=True)
class Refusal:
    """A record a bulk edit left out, and why."""

    ref: RecordRef
    field: str
    value: str | None
    problems: tuple[Problem, ...]


@dataclass
class EditResult:
    """What an edit did (or, with dry_run, would do)."""

    action_id: int | None
    changes: list[Change] = field(default_factory=list)
    warnings: list[tuple[RecordRef, Problem]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unchanged: int = 0  # the record already had that value
    not_applicable: int = 0  # the field does not exist in that record's movement
    missing: int = 0  # references to records that are not in the workspace
    dry_run: bool = False

    @property
    def changed_records(self) -> int:
        return len({c.ref for c in self.changes})


# --- single record -------------------------------------------------------------------------


def check_edit(
    cursor: duckdb.DuckDBPyConnection, ref: RecordRef, column: str, value: str | None, today: dt.date | None = None
) -> ValueCheck:
    """Validate a value as the analyst types it (raises `EditError` if the field cannot change)."""
    info = resolve(cursor, ref)
    check_editable(info, column)
    return _check(info, column, value, today)


def set_field(
    cursor: duckdb.DuckDBPyConnection,
    ref: RecordRef,
    column: str,
    value: str | None,
    **options,
) -> EditResult:
    """Change one field of one record (see `set_fields` for the options)."""
    return set_fields(cursor, ref, {column: value}, **options)


def set_fields(
    cursor: duckdb.DuckDBPyConnection,
    ref: RecordRef,
    values: Mapping[str, str | None],
    *,
    reason: str | None = None,
    note: str | None = None,
    force: bool = False,
    today: dt.date | None = None,
) -> EditResult:
    """Change fields of one record as one action; '' or None removes the element."""
    with write_lock():
        info = resolve(cursor, ref)
        result = EditResult(None)
        forced = False
        planned: list[Change] = []
        for column, raw in values.items():
            check_editable(info, column)
            check = _check(info, column, raw, today)
            if check.errors and not force:
                raise EditRefused(info, column, check)
            forced = forced or bool(check.errors)
            result.warnings += [(ref, p) for p in check.warnings]
            old = info.values.get(column)
            if old == check.value:
                result.unchanged += 1
                continue
            planned.append(Change(ref, info.table, column, old, check.value, reason))
        result.changes = _with_default_reasons(cursor, planned)
        result.action_id = journal.append_action(cursor, "set", result.changes, note=note, forced=forced)
        return result


def _check(info: RecordInfo, column: str, value: str | None, today: dt.date | None) -> ValueCheck:
    if info.table in CONFERENCE_TABLES and normalise_input(value) is None:
        raise EditError(f"{info.where(column)}: {CNX_REMOVAL_REFUSED}")
    return check_value(info.table, info.movement, column, value, today)


def _with_default_reasons(cursor: duckdb.DuckDBPyConnection, changes: list[Change]) -> list[Change]:
    """Fill `reason` from the RPX codes or findings when the caller gave none."""
    wanted = [(c.table, c.ref.file_id, c.ref.record_no, c.field) for c in changes if not c.reason]
    found = lookup_reasons(cursor, wanted)
    return [
        c if c.reason else Change(c.ref, c.table, c.field, c.old, c.new,
                                  found.get((c.table, c.ref.file_id, c.ref.record_no, c.field)))
        for c in changes
    ]


# --- many records --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A proposed change before validation: the record's movement decides its rules."""

    table: str
    movement: str | None
    ref: RecordRef
    field: str
    old: str | None
    new: str | None
    reason: str | None = None


def bulk_set(
    cursor: duckdb.DuckDBPyConnection, records: RecordSet, column: str, value: str | None, **options
) -> EditResult:
    """Set `column` to `value` on every record of the set that has that field."""
    new = normalise_input(value)
    return _bulk(cursor, "bulk-set", records, (column,), lambda old: new, **options)


def clean_up(
    cursor: duckdb.DuckDBPyConnection,
    records: RecordSet,
    operations: Sequence[str] = ("trim",),
    columns: Sequence[str] = NAME_FIELDS,
    **options,
) -> EditResult:
    """Trim, upper-case and/or remove accents (in that order given) on `columns` of the records."""
    transform = compose(tuple(operations))
    return _bulk(cursor, "+".join(operations), records, tuple(columns), transform, **options)


def _bulk(
    cursor: duckdb.DuckDBPyConnection,
    action: str,
    records: RecordSet,
    columns: tuple[str, ...],
    compute: Callable[[str | None], str | None],
    **options,
) -> EditResult:
    refs = as_ref_table(records)
    candidates, found = current_candidates(cursor, refs, columns, compute)
    result = apply_candidates(cursor, action, candidates, **options)
    result.missing = refs.num_rows - found
    return result


def current_candidates(
    cursor: duckdb.DuckDBPyConnection,
    refs: pa.Table,
    columns: tuple[str, ...],
    compute: Callable[[str | None], str | None],
) -> tuple[list[Candidate], int]:
    """Current values of `columns` for the records in `refs`, with `compute(old)` as the proposal.

    Returns the candidates and how many of the references exist.
    """
    candidates: list[Candidate] = []
    found = 0
    cursor.register("__bulk_refs", refs)
    try:
        for table in (SBX_TABLE, *CONFERENCE_TABLES):
            wanted = [c for c in columns if c in editable_columns(table)]
            movement = "c.movement" if table == SBX_TABLE else "NULL"
            selected = "".join(f", c.{quote(c)}" for c in wanted)
            rows = cursor.execute(
                f"SELECT c.file_id, c.record_no, {movement}{selected} "
                f"FROM {quote(table + CURRENT_VIEW_SUFFIX)} c JOIN __bulk_refs USING (file_id, record_no) "
                "ORDER BY c.file_id, c.record_no"
            ).fetchall()
            found += len(rows)
            for row in rows:
                ref = RecordRef(row[0], row[1])
                for column, old in zip(wanted, row[3:]):
                    candidates.append(Candidate(table, row[2], ref, column, old, compute(old)))
    finally:
        cursor.unregister("__bulk_refs")
    return candidates, found


def apply_candidates(
    cursor: duckdb.DuckDBPyConnection,
    action: str,
    candidates: Iterable[Candidate],
    *,
    reason: str | None = None,
    note: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> EditResult:
    """Validate proposals and write the ones that change something as one action."""
    result = EditResult(None, dry_run=dry_run)
    checks: dict[tuple, ValueCheck] = {}
    forced = False
    planned: list[Change] = []
    for candidate in candidates:
        if not _applicable(candidate):
            result.not_applicable += 1
            continue
        if candidate.old == candidate.new:
            result.unchanged += 1
            continue
        if candidate.table in CONFERENCE_TABLES and candidate.new is None:
            result.refused.append(Refusal(candidate.ref, candidate.field, None, ()))
            continue
        key = (candidate.table, candidate.movement, candidate.field, candidate.new)
        check = checks.get(key)
        if check is None:
            check = checks[key] = check_value(candidate.table, candidate.movement, candidate.field, candidate.new, today)
        if check.errors and not force:
            result.refused.append(Refusal(candidate.ref, candidate.field, candidate.new, check.errors))
            continue
        forced = forced or bool(check.errors)
        result.warnings += [(candidate.ref, p) for p in check.warnings]
        planned.append(Change(candidate.ref, candidate.table, candidate.field, candidate.old, candidate.new,
                              candidate.reason or reason))
    with write_lock():
        result.changes = _with_default_reasons(cursor, planned)
        if not dry_run:
            result.action_id = journal.append_action(cursor, action, result.changes, note=note, forced=forced)
    return result


def _applicable(candidate: Candidate) -> bool:
    if candidate.table == SBX_TABLE and candidate.movement is None:
        return False
    return candidate.field in editable_fields(candidate.table, candidate.movement)


# --- undo and redo ---------------------------------------------------------------------------


def undo_state(cursor: duckdb.DuckDBPyConnection) -> journal.UndoState:
    """What undo and redo would act on next (for enabling keys and showing a hint)."""
    return journal.undo_state(journal.history(cursor))


def undo(cursor: duckdb.DuckDBPyConnection) -> EditResult | None:
    """Revert the newest action not yet undone; None when there is nothing to undo."""
    return _step(cursor, journal.UNDO)


def redo(cursor: duckdb.DuckDBPyConnection) -> EditResult | None:
    """Re-apply the newest undone action; None when there is nothing to redo."""
    return _step(cursor, journal.REDO)


def _step(cursor: duckdb.DuckDBPyConnection, kind: str) -> EditResult | None:
    with write_lock():
        state = undo_state(cursor)
        target = state.next_undo if kind == journal.UNDO else state.next_redo
        if target is None:
            return None
        return _replay(cursor, kind, target, restore_old=kind == journal.UNDO)


def _replay(cursor: duckdb.DuckDBPyConnection, action: str, target: int, restore_old: bool) -> EditResult:
    rows = journal.action_changes(cursor, target).to_pylist()
    current = _current_of(cursor, rows)
    changes = []
    for row in rows:
        ref = RecordRef(row["file_id"], row["record_no"])
        key = (row["table_name"], ref, row["field"])
        value = row["old_value"] if restore_old else row["new_value"]
        changes.append(Change(ref, row["table_name"], row["field"], current.get(key), value, row["reason"]))
    action_id = journal.append_action(cursor, action, changes, target_action=target)
    return EditResult(action_id, changes)


def _current_of(cursor: duckdb.DuckDBPyConnection, rows: list[dict]) -> dict[tuple, str | None]:
    """Current value of each (table, record, field) an action touched (a decision's too)."""
    current: dict[tuple, str | None] = {}
    decided = [r for r in rows if r["field"] == DECISION_FIELD]
    if decided:
        found = cursor.execute(f"SELECT file_id, record_no, decision FROM ({latest_decisions_sql()})").fetchall()
        current.update({(SBX_TABLE, RecordRef(f, r), DECISION_FIELD): d for f, r, d in found})
        found = cursor.execute(f"SELECT file_id, record_no, decision FROM ({latest_confirmations_sql()})").fetchall()
        current.update({(TRANSFER_TABLE, RecordRef(f, r), DECISION_FIELD): d for f, r, d in found})
    for table in (SBX_TABLE, *CONFERENCE_TABLES):
        of_table = [r for r in rows if r["table_name"] == table and r["field"] != DECISION_FIELD]
        if not of_table:
            continue
        columns = tuple(sorted({r["field"] for r in of_table}))
        refs = as_ref_table(RecordRef(r["file_id"], r["record_no"]) for r in of_table)
        candidates, _ = current_candidates(cursor, refs, columns, lambda old: old)
        current.update({(c.table, c.ref, c.field): c.old for c in candidates})
    return current


def history(cursor: duckdb.DuckDBPyConnection) -> list[journal.Action]:
    """Every action, oldest first."""
    return journal.history(cursor)
