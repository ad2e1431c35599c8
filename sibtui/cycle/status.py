"""The cycle table: one row per SBX (and per RPX whose SBX is not loaded), with the answer
that counts, what is still to fix, and the deadline, as of an injectable `today`.

There are a handful of files per month, so rows are assembled in Python from a few small
queries; the per-record work (rejections, corrections) is counted in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from sibtui.catalog.calendar import (
    Competencia,
    competencia_of,
    correction_deadline,
    current_competencia,
    days_left,
    parse_competencia,
    rpx_has_expired,
    rpx_is_late,
)
from sibtui.cycle.progress import PendingProgress, pending_progress
from sibtui.edit.ddl import PUBLISHED_REGENERATIONS

AWAITING = "aguardando RPX"
PROCESSED = "processado"
REJECTED = "arquivo rejeitado"
ORPHAN = "RPX sem o SBX"

# A no-movement file sibtui wrote declares its competência in the regeneration log: its name
# and header only say when it was made (`sibtui.cycle.no_movement`).
_FILES_SQL = f"""
WITH declared AS (
    SELECT upper(output_name) AS name, any_value(competencia) AS competencia
    FROM {PUBLISHED_REGENERATIONS} WHERE competencia IS NOT NULL GROUP BY 1
)
SELECT s.file_id, s.name, s.registroANS, s.moment, f.record_count,
       a.rpx_file_id, a.rpx_name, a.rpx_moment, a.status, a.numeroProtocolo,
       a.codigoMotivoRejeicao, a.motivoRejeicao, a.answers_for_sbx, a.registro_mismatch,
       nullif(trim(f.motivoNaoEnvioBeneficiarios), ''), d.competencia
FROM file_moments s
JOIN files f ON f.file_id = s.file_id
LEFT JOIN rpx_answers a ON a.sbx_file_id = s.file_id AND a.is_current
LEFT JOIN declared d ON d.name = upper(s.name)
WHERE s.kind = 'SBX'
UNION ALL
SELECT NULL, a.sbx_name, a.rpx_registroANS, NULL, NULL,
       a.rpx_file_id, a.rpx_name, a.rpx_moment, a.status, a.numeroProtocolo,
       a.codigoMotivoRejeicao, a.motivoRejeicao, a.answers_for_sbx, FALSE, NULL, d.competencia
FROM rpx_answers a
LEFT JOIN declared d ON d.name = upper(a.sbx_name)
WHERE a.sbx_file_id IS NULL AND a.is_current
ORDER BY 4 NULLS LAST, 8 NULLS LAST, 2
"""

_TOTALS_SQL = """
SELECT file_id, movement, TRY_CAST(trim(quantidadeRegistros) AS BIGINT),
       TRY_CAST(trim(quantidadeProcessados) AS BIGINT), TRY_CAST(trim(quantidadeRejeitados) AS BIGINT),
       TRY_CAST(trim(percentualAcerto) AS DOUBLE)
FROM rpx_totals
WHERE block_no = 1
"""

_REJECTED_RECORDS_SQL = "SELECT file_id, count(DISTINCT record_no) FROM rpx_rejections GROUP BY file_id"


def next_deadline(today: date) -> date:
    """The next day 5 on or after today: when pending corrections must have gone to ANS."""
    return current_competencia(today).deadline


@dataclass(frozen=True)
class Totals:
    """One `consolidado*` block of an RPX: sent, processed, rejected, % acerto."""

    registros: int | None
    processados: int | None
    rejeitados: int | None
    percentual_acerto: float | None


@dataclass
class CycleRow:
    """One SBX of the cycle and where it stands."""

    sbx_file_id: int | None
    sbx_name: str
    registro_ans: str | None
    sent_at: datetime | None
    movement_count: int | None
    outcome: str
    rpx_file_id: int | None = None
    rpx_name: str | None = None
    rpx_at: datetime | None = None
    protocolo: str | None = None
    rejection_code: str | None = None
    rejection_reason: str | None = None
    rejected_records: int = 0
    answers: int = 0  # RPX files answering this SBX (more than one: re-processed)
    registro_mismatch: bool = False
    rpx_late: bool = False
    rpx_expired: bool = False
    totals: dict[str, Totals] = field(default_factory=dict)  # movement (or 'total') -> counts
    progress: PendingProgress = field(default_factory=PendingProgress)  # corrected, regenerated, re-sent
    no_movement_reason: str | None = None  # motivoNaoEnvioBeneficiarios (61, 62) of a file without movement
    declared_competencia: str | None = None  # AAAA-MM a no-movement file sibtui wrote declares

    @property
    def competencia(self) -> Competencia | None:
        declared = parse_competencia(self.declared_competencia)
        if declared is not None:
            return declared
        return competencia_of(self.sent_at.date()) if self.sent_at else None

    def deadline(self, today: date) -> date | None:
        """When the pending movements must reach ANS: day 5 after the competência or, once
        that has passed, the correction deadline: the next monthly update (art. 13; rejected
        records go in the next one). That one stays named once it has passed too (overdue):
        it never moves on to a later day 5."""
        competencia = self.competencia
        if not self.outstanding or competencia is None:
            return None
        return competencia.deadline if competencia.deadline >= today else correction_deadline(competencia)

    def correction_overdue(self, today: date) -> bool:
        competencia = self.competencia
        return bool(self.outstanding) and competencia is not None and correction_deadline(competencia) < today

    def days_left(self, today: date) -> int | None:
        deadline = self.deadline(today)
        return days_left(deadline, today) if deadline else None

    def alerts(self, today: date) -> list[str]:
        """What the analyst must notice about this row, in Portuguese."""
        alerts = []
        competencia = self.competencia
        if competencia is not None and self.correction_overdue(today):
            alerts.append(f"correção vencida em {correction_deadline(competencia):%d/%m/%Y} "
                          f"(competência {competencia}): envie já")
        elif self.outstanding and competencia and competencia.deadline < today:
            # Sent or not, what is still pending now goes by the correction deadline: say both,
            # so the card does not read as overdue while Conformidade says nothing is.
            alerts.append(f"envio de {competencia} venceu em {competencia.deadline:%d/%m/%Y}; "
                          f"a correção vai até {correction_deadline(competencia):%d/%m/%Y}")
        if self.rpx_late:
            alerts.append("RPX atrasado (mais de 5 dias)")
        if self.rpx_expired:
            alerts.append("RPX com mais de 3 meses: a ANS já apagou, guarde sua cópia")
        if self.registro_mismatch:
            alerts.append("RPX de outro registro ANS")
        if self.answers > 1:
            alerts.append(f"{self.answers} RPX para este SBX: vale o mais novo")
        if self.outcome == ORPHAN:
            alerts.append("SBX não carregado")
        progress = self.progress
        if self.outcome == PROCESSED and progress.regenerated_unchanged:
            alerts.append(f"{progress.regenerated_unchanged} regenerado(s) sem correção nem decisão: "
                          "a ANS deve rejeitar de novo")
        if progress.stale:
            alerts.append(f"{', '.join(progress.stale_files)}: {progress.stale} movimento(s) mudaram depois de gerado(s); "
                          "gere de novo e não envie o antigo")
        for name, by_name in progress.superseded_files:
            alerts.append(f"{name} substituído por {by_name} — não envie" if by_name
                          else f"{name} retirado (nada dele vai mais) — não envie")
        return alerts

    @property
    def pending_records(self) -> int:
        """Movements that must go to ANS again: the rejected ones, or all of a rejected file."""
        if self.outcome == REJECTED:
            return self.movement_count or 0
        return self.rejected_records

    @property
    def outstanding(self) -> int:
        """Of those, the ones still to reach ANS: not held back, not already at ANS, not re-sent."""
        if self.progress.total:
            return self.progress.to_send
        return self.pending_records


def cycle_rows(cursor: duckdb.DuckDBPyConnection, today: date) -> list[CycleRow]:
    totals = _totals(cursor)
    rejected = dict(cursor.execute(_REJECTED_RECORDS_SQL).fetchall())
    progress = pending_progress(cursor)
    rows = []
    for values in cursor.execute(_FILES_SQL).fetchall():
        row = _row(values, today)
        if row.rpx_file_id is not None:
            row.totals = totals.get(row.rpx_file_id, {})
            row.rejected_records = rejected.get(row.rpx_file_id, 0)
        if row.sbx_file_id is not None:
            row.progress = progress.get(row.sbx_file_id, PendingProgress())
        rows.append(row)
    return rows


def _row(values: tuple, today: date) -> CycleRow:
    (sbx_file_id, name, registro, sent_at, count, rpx_file_id, rpx_name, rpx_at, status, protocolo,
     code, reason, answers, mismatch, no_movement, declared) = values
    if sbx_file_id is None:
        outcome = ORPHAN
    elif rpx_file_id is None:
        outcome = AWAITING
    else:
        outcome = REJECTED if status == "rejeitado" else PROCESSED
    return CycleRow(
        sbx_file_id=sbx_file_id,
        sbx_name=name,
        registro_ans=registro,
        sent_at=sent_at,
        movement_count=count,
        outcome=outcome,
        rpx_file_id=rpx_file_id,
        rpx_name=rpx_name,
        rpx_at=rpx_at,
        protocolo=protocolo,
        rejection_code=code.strip() if code else None,
        rejection_reason=reason,
        answers=answers or 0,
        registro_mismatch=bool(mismatch),
        rpx_late=outcome == AWAITING and sent_at is not None and rpx_is_late(sent_at, today),
        rpx_expired=rpx_at is not None and rpx_has_expired(rpx_at, today),
        no_movement_reason=no_movement,
        declared_competencia=declared,
    )


def _totals(cursor: duckdb.DuckDBPyConnection) -> dict[int, dict[str, Totals]]:
    totals: dict[int, dict[str, Totals]] = {}
    for file_id, movement, *counts in cursor.execute(_TOTALS_SQL).fetchall():
        totals.setdefault(file_id, {})[movement] = Totals(*counts)
    return totals
