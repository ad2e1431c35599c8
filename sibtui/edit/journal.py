"""Appending to the edit journal, and reading its history back as undo and redo stacks.

Every call here that writes is one transaction, committed before it returns: what the
analyst confirmed survives a crash of the process a moment later. Rows go in as one Arrow
table per action (never row by row, `perf-notes.md` §4), so a bulk edit of a million
records is one insert. Nothing is ever updated or deleted: undo appends the old values.
"""

from __future__ import annotations

import datetime as dt
import getpass
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from sibtui.edit.ddl import JOURNAL_TABLE
from sibtui.edit.records import RecordRef

UNDO = "undo"
REDO = "redo"
_CHANGE_SCHEMA = pa.schema(
    [
        ("table_name", pa.string()),
        ("file_id", pa.int64()),
        ("record_no", pa.int64()),
        ("field", pa.string()),
        ("old_value", pa.string()),
        ("new_value", pa.string()),
        ("reason", pa.string()),
    ]
)


@dataclass(frozen=True)
class Change:
    """One field of one record going from `old` to `new` (None = element absent)."""

    ref: RecordRef
    table: str
    field: str
    old: str | None
    new: str | None
    reason: str | None = None


@dataclass(frozen=True)
class Action:
    """One confirmed step of the analyst: an edit, a bulk edit, an undo or a redo."""

    action_id: int
    action: str
    target_action: int | None
    edited_at: dt.datetime
    os_user: str
    change_count: int
    record_count: int
    reason: str | None
    note: str | None


_WRITE_LOCK = threading.RLock()


def write_lock() -> threading.RLock:
    """The process-wide lock every journal write holds (edits, decisions, undo, redo)."""
    return _WRITE_LOCK


def os_user() -> str:
    """Who made the change, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (containers)
        return "desconhecido"


def changes_table(changes: Sequence[Change]) -> pa.Table:
    columns: list = list(zip(*((c.table, c.ref.file_id, c.ref.record_no, c.field, c.old, c.new, c.reason) for c in changes)))
    if not columns:
        columns = [[] for _ in _CHANGE_SCHEMA]
    return pa.Table.from_arrays([pa.array(list(col), type=f.type) for col, f in zip(columns, _CHANGE_SCHEMA)],
                                schema=_CHANGE_SCHEMA)


def append_action(
    cursor: duckdb.DuckDBPyConnection,
    action: str,
    changes: pa.Table | Sequence[Change],
    *,
    note: str | None = None,
    forced: bool = False,
    target_action: int | None = None,
    now: dt.datetime | None = None,
) -> int | None:
    """Write one action's rows in one committed transaction; its id, or None when empty."""
    table = changes if isinstance(changes, pa.Table) else changes_table(changes)
    if table.num_rows == 0:
        return None
    cursor.register("__journal_changes", table)
    try:
        cursor.execute("BEGIN TRANSACTION")
        try:
            action_id = cursor.execute("SELECT nextval('edit_action_seq')").fetchall()[0][0]
            cursor.execute(
                f"INSERT INTO {JOURNAL_TABLE} SELECT nextval('edit_id_seq'), ?, ?, ?, ?, ?, table_name, file_id, "
                "record_no, field, old_value, new_value, reason, ?, ? FROM __journal_changes",
                [action_id, action, target_action, now or dt.datetime.now(), os_user(), note, forced],
            )
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    finally:
        cursor.unregister("__journal_changes")
    return int(action_id)


def history(cursor: duckdb.DuckDBPyConnection) -> list[Action]:
    """Every action, oldest first (a few rows per analyst action, however big the action)."""
    rows = cursor.execute(
        f"SELECT action_id, any_value(action), any_value(target_action), min(edited_at), any_value(os_user), "
        f"count(*), count(DISTINCT (table_name, file_id, record_no)), any_value(reason), any_value(note) "
        f"FROM {JOURNAL_TABLE} GROUP BY action_id ORDER BY action_id"
    ).fetchall()
    return [Action(*row) for row in rows]


@dataclass(frozen=True)
class UndoState:
    """Which actions undo and redo would take next (top of each stack last)."""

    undo_stack: tuple[int, ...]
    redo_stack: tuple[int, ...]

    @property
    def next_undo(self) -> int | None:
        return self.undo_stack[-1] if self.undo_stack else None

    @property
    def next_redo(self) -> int | None:
        return self.redo_stack[-1] if self.redo_stack else None


def undo_state(actions: Sequence[Action]) -> UndoState:
    """Replay the history: a new edit clears the redo stack, as in any editor."""
    undo: list[int] = []
    redo: list[int] = []
    for action in actions:
        if action.action == UNDO and action.target_action in undo:
            undo.remove(action.target_action)
            redo.append(action.target_action)
        elif action.action == REDO and action.target_action in redo:
            redo.remove(action.target_action)
            undo.append(action.target_action)
        elif action.action not in (UNDO, REDO):
            undo.append(action.action_id)
            redo.clear()
    return UndoState(tuple(undo), tuple(redo))


def action_changes(cursor: duckdb.DuckDBPyConnection, action_id: int) -> pa.Table:
    """The rows of one action, as (table_name, file_id, record_no, field, old_value, new_value, reason)."""
    return cursor.sql(
        f"SELECT table_name, file_id, record_no, field, old_value, new_value, reason FROM {JOURNAL_TABLE} "
        "WHERE action_id = ? ORDER BY edit_id",
        params=[action_id],
    ).to_arrow_table()


def newest_edit_id(cursor: duckdb.DuckDBPyConnection) -> int:
    """High-water mark of the journal (0 when empty): what a regeneration reflects."""
    return int(cursor.execute(f"SELECT coalesce(max(edit_id), 0) FROM {JOURNAL_TABLE}").fetchall()[0][0])
