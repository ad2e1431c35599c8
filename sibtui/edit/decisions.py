"""Resend decisions: what the analyst says about a rejected movement that is not corrected.

A movement ANS rejected is *pendente* until the analyst corrects it or decides. Two explicit
decisions exist, each with a reason: *não reenviar* (`hold`: it must not go again, e.g. a
reactivation of a vínculo that is active) and *reenviar como está* (`resend`: the fix was
outside the file, e.g. the plan was registered at ANS). Clearing a decision (`None`) makes
the movement pendente again. Where each movement stands is `sibtui.edit.resend`.

A decision is one journal action (`sibtui.edit.journal`) on the pseudo-field
`DECISION_FIELD`: undo, redo, who and when come with it, and it is committed before the call
returns, like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sibtui.edit import journal
from sibtui.edit.ddl import DECISION_FIELD, DECISIONS, HOLD, RESEND, latest_decisions_sql
from sibtui.edit.journal import Change, write_lock
from sibtui.edit.records import SBX_TABLE, EditError, RecordRef
from sibtui.edit.resend import movements_to_resend
from sibtui.edit.selection import RecordSet, as_ref_table

__all__ = ["DECISIONS", "DECISION_LABELS", "HOLD", "RESEND", "DecisionResult", "decide", "latest_decisions_sql"]
DECISION_LABELS = {HOLD: "não reenviar", RESEND: "reenviar como está", None: "pendente",
                   "confirm": "confirmado (transferência: nada a enviar)"}
ACTION_NAMES = {HOLD: "hold", RESEND: "resend", None: "undecide"}


@dataclass(frozen=True)
class DecisionRefusal:
    """A record the decision could not apply to, and why (pt-BR)."""

    ref: RecordRef
    why: str


@dataclass
class DecisionResult:
    """What a decision did (or, with dry_run, would do)."""

    action_id: int | None
    decision: str | None
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0  # already so
    refused: list[DecisionRefusal] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed_records(self) -> int:
        return len(self.changes)


def decide(
    cursor: duckdb.DuckDBPyConnection,
    records: RecordSet,
    decision: str | None,
    reason: str | None = None,
    *,
    note: str | None = None,
    dry_run: bool = False,
) -> DecisionResult:
    """Record `decision` (HOLD, RESEND, or None to clear) for the movements, as one action.

    Only movements ANS rejected (by the answer that counts) take a decision; the others are
    refused with the reason. HOLD and RESEND need a reason: the analyst after you reads it.
    """
    if decision not in (*DECISIONS, None):
        raise EditError(f"{decision!r}: a decision is {HOLD!r}, {RESEND!r} or none")
    reason = (reason or "").strip() or None
    if decision is not None and reason is None:
        raise EditError(f"say why ({DECISION_LABELS[decision]}): --reason TEXT")
    refs = as_ref_table(records)
    with write_lock():
        known = movements_to_resend(cursor, refs)
        result = DecisionResult(None, decision, dry_run=dry_run)
        for ref in sorted(RecordRef(int(f), int(r)) for f, r in zip(*refs.to_pydict().values())):
            current = known.get(ref)
            if current is None:
                result.refused.append(DecisionRefusal(ref, _not_pending_reason(cursor, ref)))
                continue
            old_decision, old_reason = current
            if old_decision == decision and (decision is None or old_reason == reason):
                result.unchanged += 1
                continue
            result.changes.append(Change(ref, SBX_TABLE, DECISION_FIELD, old_decision, decision, reason))
        if not dry_run:
            result.action_id = journal.append_action(cursor, ACTION_NAMES[decision], result.changes, note=note)
    return result


def _not_pending_reason(cursor: duckdb.DuckDBPyConnection, ref: RecordRef) -> str:
    kind = cursor.execute("SELECT kind FROM files WHERE file_id = ?", [ref.file_id]).fetchall()
    if not kind:
        return f"não há arquivo {ref.file_id} no workspace"
    if kind[0][0] != "SBX":
        return f"o arquivo {ref.file_id} é um {kind[0][0]}: decisões de reenvio são para movimentos de SBX"
    exists = cursor.execute("SELECT count(*) FROM sbx_movements WHERE file_id = ? AND record_no = ?",
                            [ref.file_id, ref.record_no]).fetchall()[0][0]
    if not exists:
        return f"o arquivo {ref.file_id} não tem o registro {ref.record_no}"
    return "a ANS não rejeitou este movimento (no RPX que vale): não há reenvio a decidir"
