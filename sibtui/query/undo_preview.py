"""What `u` (undo) or `U` (redo) would do, in words, before it is done (UI-free).

The console asks before it undoes: which action, when, and each field it puts back (record,
file, value now → value after). Read from the journal with the same stacks `sibtui.edit`
uses, so the preview names exactly the action the undo or redo will take.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sibtui.edit import journal
from sibtui.edit.ddl import DECISION_FIELD
from sibtui.edit.decisions import DECISION_LABELS

if TYPE_CHECKING:
    import duckdb

SHOWN_CHANGES = 6


@dataclass(frozen=True)
class FieldStep:
    """One field the undo or redo writes: `now` is what the record holds, `after` what it will."""

    table: str
    file_name: str
    record_no: int
    field: str
    now: str | None
    after: str | None


@dataclass(frozen=True)
class StepPreview:
    which: str  # "undo" | "redo"
    action_id: int
    action: str  # the journal's action: set, bulk-set, fill-cns...
    edited_at: dt.datetime
    change_count: int
    record_count: int
    steps: tuple[FieldStep, ...]  # the first SHOWN_CHANGES

    @property
    def hidden_changes(self) -> int:
        return self.change_count - len(self.steps)


def preview_step(cursor: duckdb.DuckDBPyConnection, which: str) -> StepPreview | None:
    """The action `which` ("undo"/"redo") would take next, or None when there is none."""
    actions = journal.history(cursor)
    state = journal.undo_state(actions)
    target = state.next_undo if which == "undo" else state.next_redo
    if target is None:
        return None
    action = next(item for item in actions if item.action_id == target)
    rows = cursor.execute(
        f"SELECT j.table_name, coalesce(f.name, 'arquivo ' || j.file_id), j.record_no, j.field, j.old_value, "
        f"j.new_value FROM {journal.JOURNAL_TABLE} AS j LEFT JOIN files AS f ON f.file_id = j.file_id "
        "WHERE j.action_id = ? ORDER BY j.edit_id LIMIT ?",
        [target, SHOWN_CHANGES],
    ).fetchall()
    undoing = which == "undo"
    steps = tuple(
        FieldStep(table, name, record_no, field, *_readable(field, new if undoing else old, old if undoing else new))
        for table, name, record_no, field, old, new in rows
    )
    return StepPreview(which, target, action.action, action.edited_at, action.change_count, action.record_count, steps)


def _readable(field: str, now: str | None, after: str | None) -> tuple[str | None, str | None]:
    """A resend decision in words (`hold` -> "não reenviar", none -> "pendente"); values as they are."""
    if field != DECISION_FIELD:
        return now, after
    return DECISION_LABELS.get(now, now), DECISION_LABELS.get(after, after)


def next_target(cursor: duckdb.DuckDBPyConnection, which: str) -> int | None:
    """The action id undo or redo would take now (to confirm it is still the one previewed)."""
    state = journal.undo_state(journal.history(cursor))
    return state.next_undo if which == "undo" else state.next_redo
