"""Compliance month by month (RN 250 arts. 7, 11–13, 25): one row per competência.

From the competência of the oldest SBX or RPX loaded to today's, each month of each
operator gets one situation, the first that applies:

- `aceito`: ANS processed a file with movements for it (rejected records may remain);
- `sem_movimento`: ANS processed a no-movement file (`naoEnvioBeneficiarios`) for it;
- `sem_resposta`: a file was sent and its RPX is not loaded yet;
- `rejeitado`: every file sent for it was rejected whole: the month counts as not sent
  (art. 25 §2);
- `faltando`: nothing was sent.

Each month has two deadlines, each with its own state. Sending: day 5 of the following month
(`enviado`, `enviado_com_atraso`, `no_prazo` while still open, `vencido`). Correction of
what ANS rejected: the next monthly update, day 5 a month later (art. 13): `sem_erros`,
`pendente`, `corrigido` (nothing left to reach ANS), `vencido`. A file's competência is the
one a no-movement file declares (its log), else the month its date closes (days 1–5 still
close the previous month); an RPX whose SBX is not loaded, the date in the SBX's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from sibtui.catalog.calendar import Competencia, competencia_of, correction_deadline, current_competencia
from sibtui.cycle.status import AWAITING, ORPHAN, PROCESSED, REJECTED, CycleRow, cycle_rows
from sibtui.edit.ddl import PUBLISHED_REGENERATIONS

SITUATIONS = ("aceito", "rejeitado", "sem_resposta", "sem_movimento", "faltando")
SITUATION_LABELS = {
    "aceito": "aceito", "rejeitado": "rejeitado (não enviado)", "sem_resposta": "sem resposta",
    "sem_movimento": "sem movimento", "faltando": "faltando",
}
NO_MOVEMENT_REASONS = {"61": "sem beneficiários", "62": "sem atualização cadastral"}
_NAME_MOMENT = re.compile(r"^[0-9]{6}([0-9]{14})\.", re.IGNORECASE)


@dataclass
class MonthRow:
    """Where one competência of one operator stands (see the module docstring)."""

    competencia: Competencia
    registro_ans: str | None
    situacao: str
    files: list[str] = field(default_factory=list)
    sent_on: date | None = None  # the first file sent that was not rejected whole
    no_movement_reason: str | None = None
    outstanding: int = 0  # movements ANS rejected that must still reach it
    had_rejections: bool = False
    to_send: list[str] = field(default_factory=list)  # no-movement files written for it, not loaded back yet

    @property
    def sending_deadline(self) -> date:
        return self.competencia.deadline

    @property
    def correction_deadline(self) -> date:
        return correction_deadline(self.competencia)

    def sending_state(self, today: date) -> str:
        if self.sent_on is not None:
            return "enviado" if self.sent_on <= self.sending_deadline else "enviado_com_atraso"
        return "vencido" if today > self.sending_deadline else "no_prazo"

    def sending_overdue(self, today: date) -> bool:
        return self.sending_state(today) == "vencido"

    def correction_state(self, today: date) -> str:
        if self.outstanding:
            return "vencido" if today > self.correction_deadline else "pendente"
        return "corrigido" if self.had_rejections else "sem_erros"

    def correction_overdue(self, today: date) -> bool:
        return self.correction_state(today) == "vencido"

    @property
    def reason_text(self) -> str | None:
        if self.no_movement_reason is None:
            return None
        return f"{self.no_movement_reason} ({NO_MOVEMENT_REASONS.get(self.no_movement_reason, 'motivo desconhecido')})"


def row_competencia(row: CycleRow) -> Competencia | None:
    """The competência a cycle row belongs to (an orphan RPX: the date in its SBX's name)."""
    if row.competencia is not None:
        return row.competencia
    sent = _sent_on(row)
    return competencia_of(sent) if sent is not None else None


def _sent_on(row: CycleRow) -> date | None:
    """When the SBX went: its date, else (an RPX whose SBX is not loaded) the date in its name."""
    if row.sent_at is not None:
        return row.sent_at.date()
    match = _NAME_MOMENT.match(row.sbx_name or "")
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").date()
    except ValueError:
        return None


def month_rows(cursor: duckdb.DuckDBPyConnection, today: date, rows: list[CycleRow] | None = None) -> list[MonthRow]:
    """One row per (operator, competência), oldest first (see the module docstring); `rows`:
    the cycle rows when the caller already read them."""
    rows = cycle_rows(cursor, today) if rows is None else rows
    by_month: dict[tuple[str | None, Competencia], list[CycleRow]] = {}
    for row in rows:
        competencia = row_competencia(row)
        if competencia is not None:
            by_month.setdefault((row.registro_ans, competencia), []).append(row)
    if not by_month:
        return []
    last = current_competencia(today)
    written = _written_not_loaded(cursor)
    months = []
    for registro in sorted({registro for registro, _ in by_month}, key=lambda r: r or ""):
        known = [competencia for reg, competencia in by_month if reg == registro]
        month = min(known)
        end = max(last, max(known))
        while month <= end:
            month_row = _month(registro, month, by_month.get((registro, month), []))
            month_row.to_send = written.get((registro, str(month)), [])
            months.append(month_row)
            month = month.next()
    return months


def _written_not_loaded(cursor: duckdb.DuckDBPyConnection) -> dict[tuple[str | None, str], list[str]]:
    """(registro, competência) -> no-movement files sibtui wrote that are not loaded back (not sent, as
    far as the workspace knows)."""
    rows = cursor.execute(
        f"SELECT registroANS, competencia, output_name FROM {PUBLISHED_REGENERATIONS} r "
        "WHERE competencia IS NOT NULL AND moved_to IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM files f WHERE f.kind = 'SBX' AND upper(f.name) = upper(r.output_name)) "
        "ORDER BY created_at"
    ).fetchall()
    found: dict[tuple[str | None, str], list[str]] = {}
    for registro, competencia, name in rows:
        found.setdefault((registro, competencia), []).append(name)
    return found


def _month(registro: str | None, competencia: Competencia, rows: list[CycleRow]) -> MonthRow:
    month = MonthRow(competencia, registro, "faltando", files=[row.sbx_name for row in rows])
    sent = [day for row in rows if row.outcome != REJECTED and (day := _sent_on(row)) is not None]
    month.sent_on = min(sent) if sent else None
    processed = [row for row in rows if row.outcome in (PROCESSED, ORPHAN) and _processed(row)]
    with_movements = [row for row in processed if not row.no_movement_reason]
    empty = [row for row in processed if row.no_movement_reason]
    if with_movements:
        month.situacao = "aceito"
    elif empty:
        month.situacao = "sem_movimento"
    elif any(row.outcome == AWAITING for row in rows):
        month.situacao = "sem_resposta"
    elif rows:
        month.situacao = "rejeitado"
    reasons = [row.no_movement_reason for row in rows if row.no_movement_reason]
    month.no_movement_reason = reasons[0] if reasons else None
    for row in rows:  # what ANS rejected (records, or a whole file) must still reach it
        if row.outcome in (PROCESSED, REJECTED):
            month.outstanding += row.outstanding
            month.had_rejections = month.had_rejections or bool(row.pending_records)
    return month


def _processed(row: CycleRow) -> bool:
    """An answer that processed the file (an orphan RPX counts by its own status)."""
    if row.outcome == PROCESSED:
        return True
    return row.outcome == ORPHAN and row.rejection_code is None and row.rpx_file_id is not None


def files_of_competencia(cursor: duckdb.DuckDBPyConnection, registro_ans: str, competencia: Competencia
                         ) -> list[tuple[str, int, str, str | None]]:
    """(name, movements, answer, declared competência) of the SBX files of one month, loaded or
    written and still to send: the answer is `processado`, `rejeitado`, `aguardando` or `a enviar`."""
    found: list[tuple[str, int, str, str | None]] = []
    for row in cycle_rows(cursor, date.today()):
        if row.registro_ans != registro_ans or row_competencia(row) != competencia or row.sbx_file_id is None:
            continue
        answer = {PROCESSED: "processado", REJECTED: "rejeitado"}.get(row.outcome, "aguardando")
        movements = 0 if row.no_movement_reason else int(row.movement_count or 0)
        found.append((row.sbx_name, movements, answer, row.declared_competencia))
    loaded = {name.upper() for name, *_ in found}
    for name, declared in cursor.execute(
        "SELECT output_name, competencia FROM regenerations WHERE scope = 'no-movement' AND published IS NOT false "
        "AND registroANS = ? AND competencia = ? AND moved_to IS NULL ORDER BY created_at",
        [registro_ans, str(competencia)],
    ).fetchall():
        if name.upper() not in loaded:
            found.append((name, 0, "a enviar", declared))
    return found
