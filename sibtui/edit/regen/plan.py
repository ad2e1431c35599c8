"""What a regeneration sends, and why: the movements ANS rejected, or all of them, or CNX edits.

For one SBX the answer that counts is the newest RPX naming it (`rpx_answers.is_current`):

- it rejected the whole file (`arquivoRejeitado`): every movement goes again (`file-rejected`),
  except those the analyst held back;
- it processed the file: the movements it rejected that go by their resend decision
  (`rejected`: corrected, to go as they are, cascade dependents of titulares that go;
  `sibtui.edit.resend`); pending ones only with `include_pending`;
- `all=True` sends every movement except those ANS accepted (`all`); with no answer
  loaded this is the only way.

Edits on conference records (CNX, transfers) go out as the movements they become (`cnx-edits`,
`sibtui.edit.regen.cnx_plan`), one file set per registro ANS.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sibtui.edit.ddl import DECISION_FIELD
from sibtui.edit.records import CNX_TABLE, TRANSFER_TABLE, EditError

SCOPE_REJECTED = "rejected"
SCOPE_FILE_REJECTED = "file-rejected"
SCOPE_ALL = "all"
SCOPE_CNX_EDITS = "cnx-edits"


@dataclass
class SourcePlan:
    """One regeneration: a source (an SBX, or the CNX edits of one operator) and its scope."""

    scope: str
    registro_ans: str | None
    source_file_id: int | None = None
    source_name: str | None = None
    rpx_file_id: int | None = None
    rpx_name: str | None = None
    header: dict[str, str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # pt-BR, for the report
    include_pending: bool = False  # pending movements (no correction, no decision) go too
    answer_status: str | None = None  # 'processado' | 'rejeitado' of the answer that counts
    states: str | None = None  # a relation holding `going_sql` for this regeneration, read once

    @property
    def label(self) -> str:
        return self.source_name or f"edições da conferência (registro ANS {self.registro_ans})"


def _sbx_header(cursor: duckdb.DuckDBPyConnection, file_id: int) -> tuple[str, str | None, dict]:
    result = cursor.execute("SELECT * FROM files WHERE file_id = ?", [file_id])
    columns = [d[0] for d in result.description]
    rows = result.fetchall()
    if not rows:
        raise EditError(f"no file {file_id} in the workspace")
    row = dict(zip(columns, rows[0]))
    if row["kind"] != "SBX":
        raise EditError(f"file {file_id} ({row['name']}) is an {row['kind']}; only an SBX can be regenerated")
    return row["name"], row["registroANS"], row


def _answer(cursor: duckdb.DuckDBPyConnection, file_id: int) -> tuple | None:
    rows = cursor.execute(
        "SELECT rpx_file_id, rpx_name, status, codigoMotivoRejeicao FROM rpx_answers "
        "WHERE sbx_file_id = ? AND is_current",
        [file_id],
    ).fetchall()
    return rows[0] if rows else None


def plan_sbx(cursor: duckdb.DuckDBPyConnection, file_id: int, all_movements: bool = False,
             include_pending: bool = False) -> SourcePlan:
    """The plan for one SBX; `EditError` when there is no answer and `all_movements` is off."""
    name, registro, header = _sbx_header(cursor, file_id)
    plan = SourcePlan(SCOPE_ALL, registro, file_id, name, header=header, include_pending=include_pending)
    answer = _answer(cursor, file_id)
    if answer is not None:
        plan.rpx_file_id, plan.rpx_name, plan.answer_status = answer[0], answer[1], answer[2]
    if all_movements:
        return plan
    if answer is None:
        raise EditError(
            f"{name}: no RPX answering it is loaded; load the RPX, or pass --all to resend every movement"
        )
    plan.scope = SCOPE_FILE_REJECTED if answer[2] == "rejeitado" else SCOPE_REJECTED
    if plan.scope == SCOPE_FILE_REJECTED:
        plan.notes.append(f"{answer[1]} rejeitou o arquivo inteiro (motivo {answer[3]}): os movimentos vão de novo "
                          "(menos os marcados não reenviar)")
    return plan


def plan_cnx_edits(cursor: duckdb.DuckDBPyConnection) -> list[SourcePlan]:
    """One plan per registro ANS whose conference records carry pending edits."""
    rows = cursor.execute(
        "SELECT DISTINCT f.registroANS FROM edit_journal j JOIN files f ON f.file_id = j.file_id "
        f"WHERE j.table_name IN ('{CNX_TABLE}', '{TRANSFER_TABLE}') AND j.field <> '{DECISION_FIELD}' ORDER BY 1"
    ).fetchall()
    plans = []
    for (registro,) in rows:
        plans.append(SourcePlan(SCOPE_CNX_EDITS, registro))
    return plans


def default_sbx_ids(cursor: duckdb.DuckDBPyConnection, all_movements: bool) -> list[int]:
    """SBX files with something to resend: rejected by their newest answer (or every SBX with --all)."""
    if all_movements:
        sql = "SELECT file_id FROM files WHERE kind = 'SBX' ORDER BY file_id"
    else:
        sql = (
            "SELECT DISTINCT a.sbx_file_id FROM rpx_answers a WHERE a.is_current AND a.sbx_file_id IS NOT NULL "
            "AND (a.status = 'rejeitado' OR EXISTS (SELECT 1 FROM rpx_rejection_links l "
            "WHERE l.rpx_file_id = a.rpx_file_id AND l.sbx_file_id = a.sbx_file_id)) ORDER BY 1"
        )
    return [row[0] for row in cursor.execute(sql).fetchall()]


def plan_all(
    cursor: duckdb.DuckDBPyConnection,
    sbx_file_ids: list[int] | None = None,
    all_movements: bool = False,
    include_cnx_edits: bool | None = None,
    include_pending: bool = False,
) -> list[SourcePlan]:
    """Plans for the SBX given (default: every one with something to resend) and CNX edits.

    CNX edits are included by default only when no SBX was named.
    """
    ids = sbx_file_ids if sbx_file_ids else default_sbx_ids(cursor, all_movements)
    plans = [plan_sbx(cursor, file_id, all_movements, include_pending) for file_id in ids]
    if include_cnx_edits is None:
        include_cnx_edits = not sbx_file_ids
    if include_cnx_edits:
        plans += plan_cnx_edits(cursor)
    return plans

