"""A portfolio transfer (RN 250 art. 22) as the acquirer works it: confirm, re-code or cancel.

ANS cancels the transferred vínculos at the ceding operator and includes them at the
acquiring one with new CCOs; each side receives a transfer conference
(`transfer_beneficiaries`, `situacaoTransferencia` 1 transferido, 2 cancelado por
duplicidade). The acquirer must confirm the inclusions, change `codigoBeneficiario` to its own
codes where needed (a retificação) and cancel the adhesions it did not make effective (a
cancelamento, motivo 46 inclusão indevida by default, on the date the transfer took effect).
Re-coding and cancelling are plain edits of the transfer's records: the regeneration sends
them as those movements (`sibtui.edit.regen.cnx_plan`). Confirming sends nothing: it is a
journal row (the decision pseudo-field, `CONFIRM`) so the screen can say what is still open,
with undo, who and when.

`TRANSFER_REVIEW_VIEW` gives every record with its family (the titular's CCO) and where it
stands (`estado`): `pendente`, `confirmado`, `codigo_alterado`, `corrigido`, `cancelar`
(not made effective), `duplicidade` (ANS cancelled it for duplicity: nothing to do) and, on
the ceding side, `cancelado_na_cedente`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sibtui.edit import journal
from sibtui.edit.ddl import DECISION_FIELD, JOURNAL_TABLE, latest_edits_sql
from sibtui.edit.journal import Change
from sibtui.edit.records import TRANSFER_TABLE, EditError, RecordRef
from sibtui.edit.selection import RecordSet, as_ref_table

CONFIRM = "confirm"
NOT_EFFECTIVE_MOTIVO = "46"  # inclusão indevida de beneficiário: an adhesion that was never made effective
TRANSFER_REVIEW_VIEW = "transfer_review"
STATES = ("pendente", "confirmado", "codigo_alterado", "corrigido", "cancelar", "duplicidade",
          "cancelado_na_cedente")
STATE_NAMES = {  # one vínculo's `estado` in words, as the Transferência grid shows it
    "pendente": "pendente", "confirmado": "confirmado", "codigo_alterado": "código alterado",
    "corrigido": "corrigido", "cancelar": "a cancelar", "duplicidade": "duplicidade",
    "cancelado_na_cedente": "cancelado na cedente",
}
STATE_LABELS = {  # how many are in each `estado`, in the screen's counts
    "pendente": "pendentes", "confirmado": "confirmados", "codigo_alterado": "código alterado",
    "corrigido": "corrigidos", "cancelar": "a cancelar (não efetivados)", "duplicidade": "cancelados por duplicidade",
    "cancelado_na_cedente": "cancelados na cedente",
}


def latest_confirmations_sql() -> str:
    """Per transfer record, the newest confirmation row (`confirm`, or NULL once undone)."""
    return (
        "SELECT file_id, record_no, arg_max_null(new_value, edit_id) AS decision, "
        "arg_max(os_user, edit_id) AS decided_by, arg_max(edited_at, edit_id) AS decided_at "
        f"FROM {JOURNAL_TABLE} WHERE table_name = '{TRANSFER_TABLE}' AND field = '{DECISION_FIELD}' "
        "GROUP BY file_id, record_no"
    )


def review_sql() -> str:
    """Every transfer record as it reads now, with its family, its side and where it stands."""
    return f"""
WITH net AS (
    SELECT file_id, record_no,
           bool_or(field IN ('dataCancelamento', 'motivoCancelamento')) AS cancels,
           bool_or(field = 'codigoBeneficiario') AS recoded,
           count(*) AS edited_fields
    FROM ({latest_edits_sql(TRANSFER_TABLE)}) WHERE value IS DISTINCT FROM original GROUP BY ALL
),
confirmed AS ({latest_confirmations_sql()})
SELECT t.*, f.transfer_side, f.dataEfetivaTransferencia, f.name AS file_name,
       coalesce(nullif(trim(t.ccoBeneficiarioTitular), ''), trim(t.cco)) AS familia,
       CASE WHEN f.transfer_side = 'cedente' THEN 'cancelado_na_cedente'
            WHEN trim(t.situacaoTransferencia) = '2' THEN 'duplicidade'
            WHEN net.cancels THEN 'cancelar'
            WHEN net.recoded THEN 'codigo_alterado'
            WHEN net.edited_fields > 0 THEN 'corrigido'
            WHEN c.decision = '{CONFIRM}' THEN 'confirmado'
            ELSE 'pendente' END AS estado,
       c.decided_by AS confirmado_por, c.decided_at AS confirmado_em
FROM transfer_beneficiaries_current t
JOIN files f ON f.file_id = t.file_id
LEFT JOIN net ON net.file_id = t.file_id AND net.record_no = t.record_no
LEFT JOIN confirmed c ON c.file_id = t.file_id AND c.record_no = t.record_no AND c.decision IS NOT NULL
"""


@dataclass
class TransferSummary:
    """One loaded transfer file: its header and how its vínculos stand."""

    file_id: int
    name: str
    side: str | None  # 'adquirente' | 'cedente' | None
    effective: str | None
    cedente: str | None
    adquirente: str | None
    records: int = 0
    families: int = 0
    titulares: int = 0
    by_situation: dict[str, int] = field(default_factory=dict)  # situacaoTransferencia -> count
    by_state: dict[str, int] = field(default_factory=dict)  # estado -> count

    @property
    def open(self) -> int:
        """Vínculos the acquirer still has to act on (confirm, re-code or cancel)."""
        return self.by_state.get("pendente", 0)


def transfer_summaries(cursor: duckdb.DuckDBPyConnection) -> list[TransferSummary]:
    """Every loaded transfer, newest first, with its counts."""
    files = cursor.execute(
        "SELECT f.file_id, f.name, f.transfer_side, f.dataEfetivaTransferencia, f.regsAnsOperadoraCedente, "
        "f.regsAnsOperadoraAdquirente FROM files f JOIN file_moments m USING (file_id) WHERE f.kind = 'TRF' "
        "ORDER BY m.moment DESC NULLS LAST, f.file_id DESC"
    ).fetchall()
    summaries = {row[0]: TransferSummary(*row) for row in files}
    if not summaries:
        return []
    for file_id, records, families, titulares in cursor.execute(
        f"SELECT file_id, count(*), count(DISTINCT familia), count(*) FILTER (WHERE familia = trim(cco)) "
        f"FROM ({review_sql()}) GROUP BY file_id"
    ).fetchall():
        summary = summaries[file_id]
        summary.records, summary.families, summary.titulares = records, families, titulares
    for file_id, situation, state, count in cursor.execute(
        f"SELECT file_id, coalesce(trim(situacaoTransferencia), ''), estado, count(*) FROM ({review_sql()}) "
        "GROUP BY ALL"
    ).fetchall():
        summary = summaries[file_id]
        summary.by_situation[situation] = summary.by_situation.get(situation, 0) + count
        summary.by_state[state] = summary.by_state.get(state, 0) + count
    return list(summaries.values())


@dataclass
class ConfirmResult:
    action_id: int | None
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[RecordRef, str]] = field(default_factory=list)
    dry_run: bool = False


def confirm(cursor: duckdb.DuckDBPyConnection, records: RecordSet, confirmed: bool = True, *,
            note: str | None = None, dry_run: bool = False) -> ConfirmResult:
    """Mark transferred vínculos of an acquirer's transfer as confirmed (nothing to send), or
    clear the mark, as one journal action. Others are refused with the reason (pt-BR)."""
    refs = as_ref_table(records)
    new = CONFIRM if confirmed else None
    with journal.write_lock():
        cursor.register("__confirm_refs", refs)
        try:
            rows = cursor.execute(
                f"SELECT r.file_id, r.record_no, t.estado, t.transfer_side, c.decision "
                f"FROM __confirm_refs r LEFT JOIN ({review_sql()}) t USING (file_id, record_no) "
                f"LEFT JOIN ({latest_confirmations_sql()}) c USING (file_id, record_no) ORDER BY 1, 2"
            ).fetchall()
        finally:
            cursor.unregister("__confirm_refs")
        result = ConfirmResult(None, dry_run=dry_run)
        for file_id, record_no, state, side, decision in rows:
            ref = RecordRef(int(file_id), int(record_no))
            why = _refusal(state, side)
            if why is not None:
                result.refused.append((ref, why))
            elif decision == new:
                result.unchanged += 1
            else:
                result.changes.append(Change(ref, TRANSFER_TABLE, DECISION_FIELD, decision, new, None))
        if not dry_run and result.changes:
            result.action_id = journal.append_action(cursor, "confirm" if confirmed else "unconfirm", result.changes,
                                                     note=note)
    return result


def _refusal(state: str | None, side: str | None) -> str | None:
    if state is None:
        return "não é um registro de transferência"
    if side != "adquirente":
        return "só a operadora adquirente confirma os vínculos recebidos"
    if state == "duplicidade":
        return "cancelado por duplicidade pela ANS: nada a confirmar"
    return None


def cancellation_defaults(cursor: duckdb.DuckDBPyConnection, file_id: int) -> tuple[str, str]:
    """(date, motivo) for cancelling the vínculos of a transfer not made effective."""
    row = cursor.execute("SELECT dataEfetivaTransferencia FROM files WHERE file_id = ? AND kind = 'TRF'",
                         [file_id]).fetchall()
    if not row:
        raise EditError(f"file {file_id} is not a loaded transfer")
    return (row[0][0] or "").strip(), NOT_EFFECTIVE_MOTIVO
