"""`sibtui status`: the monthly cycle table, for cron and e-mail; always exit 0."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from sibtui.commands import EXIT_OK
from sibtui.commands.sharing import open_for_command
from sibtui.cycle.months import NO_MOVEMENT_REASONS, month_rows
from sibtui.cycle.status import CycleRow, cycle_rows, next_deadline
from sibtui.db.cursors import closing
from sibtui.db.paths import default_workspace_path
from sibtui.output import resolved_format, write_rows

COLUMNS = (
    "sbx", "registro_ans", "competencia", "enviado_em", "rpx", "protocolo", "situacao", "motivo_rejeicao",
    "movimentos", "rejeitados", "percentual_acerto", "pendentes", "sem_correcao", "corrigidos_nao_regenerados",
    "regenerados", "arquivos_regenerados", "reenviados_aceitos", "reenviados_rejeitados", "reenviados_aguardando",
    "prazo", "dias_restantes", "alertas",
    # added with the resend decisions (issue 18): each movement counted once, in its latest state
    "reenviar_como_esta", "com_titular", "nao_reenviar", "ja_na_ans", "a_reenviar", "desatualizados",
    "arquivos_substituidos",
    # added with the no-movement file (issue 23): 61 or 62 and what it means, for a file without movement
    "motivo_sem_movimento",
)


# `--months`: one row per competência (compliance, `sibtui.cycle.months`).
MONTH_COLUMNS = (
    "competencia", "situacao", "registro_ans", "arquivos", "motivo_sem_movimento", "enviado_em",
    "prazo_envio", "envio", "envio_vencido", "prazo_correcao", "correcao", "correcao_vencida", "a_reenviar",
)


def run(options: argparse.Namespace) -> int:
    today = options.today or date.today()
    with open_for_command(options.db or default_workspace_path(), read_only=True) as workspace:
        with closing(workspace.cursor()) as cursor:
            if getattr(options, "months", False):
                write_rows(MONTH_COLUMNS, [_month_values(row, today) for row in month_rows(cursor, today)],
                           options.format, sys.stdout)
                return EXIT_OK
            rows = [_values(row, today) for row in cycle_rows(cursor, today)]
    write_rows(COLUMNS, rows, options.format, sys.stdout)
    if resolved_format(options.format, sys.stdout) == "table":
        print(f"próximo prazo de envio: {next_deadline(today):%d/%m/%Y}", file=sys.stderr)
    return EXIT_OK


def _month_values(row, today: date) -> tuple:
    return (
        str(row.competencia), row.situacao, row.registro_ans, " ".join(row.files) or None, row.reason_text,
        _iso(row.sent_on), row.sending_deadline.isoformat(), row.sending_state(today), row.sending_overdue(today),
        row.correction_deadline.isoformat(), row.correction_state(today), row.correction_overdue(today),
        row.outstanding,
    )


def _values(row: CycleRow, today: date) -> tuple:
    total = row.totals.get("total")
    competencia = row.competencia
    situation = row.outcome + (f" ({row.rejection_code})" if row.rejection_code else "")

    return (
        row.sbx_name,
        row.registro_ans,
        str(competencia) if competencia else None,
        row.sent_at.isoformat(sep=" ") if row.sent_at else None,
        row.rpx_name,
        row.protocolo,
        situation,
        row.rejection_reason,
        row.movement_count,
        total.rejeitados if total else None,
        total.percentual_acerto if total else None,
        row.pending_records,
        row.progress.uncorrected,
        row.progress.corrected,
        row.progress.regenerated,
        " ".join(row.progress.regenerated_files) or None,
        row.progress.resent_accepted,
        row.progress.resent_rejected,
        row.progress.resent_awaiting,
        _iso(row.deadline(today)),
        row.days_left(today),
        "; ".join(row.alerts(today)),
        row.progress.as_is,
        row.progress.with_titular,
        row.progress.held,
        row.progress.at_ans,
        row.outstanding,
        row.progress.stale,
        " ".join(f"{name}>{by_name or '-'}" for name, by_name in row.progress.superseded_files) or None,
        _reason(row.no_movement_reason),
    )


def _reason(code: str | None) -> str | None:
    return f"{code} ({NO_MOVEMENT_REASONS.get(code, 'motivo desconhecido')})" if code else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
