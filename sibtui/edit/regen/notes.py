"""What a regeneration leaves out, and why, in the analyst's words (pt-BR notes on the plan).

Nothing is left out silently: pending movements (no correction, no decision), movements held
back, retificações ANS already holds, cascade dependents whose titular does not go, movements
re-sent in a later SBX, movements ANS accepted (with `--all`), rejections whose movement is
not in the loaded SBX, and edited movements ANS accepted. Each note names the first records
and says how to see all of them.
"""

from __future__ import annotations

import duckdb

from sibtui.db.cursors import fetch_value
from sibtui.edit.ddl import DECISION_FIELD, current_rows_sql
from sibtui.edit.records import SBX_TABLE
from sibtui.edit.regen.cnx_plan import edits_not_sent
from sibtui.edit.regen.plan import SCOPE_ALL, SCOPE_CNX_EDITS, SCOPE_REJECTED, SourcePlan
from sibtui.edit.resend import COM_TITULAR, JA_NA_ANS, NAO_REENVIAR, PENDENTE, going_sql
from sibtui.rules.catalog import Severity
from sibtui.rules.same_as_ans import noop_retificacoes_sql

NAMED = 8  # records named in a note before "…"
SEE_ALL = "sibtui fix list --decisions"


def add_plan_notes(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    """Append to `plan.notes` what does not go in, and why."""
    if plan.scope == SCOPE_CNX_EDITS:
        _cnx_notes(cursor, plan)
        return
    if plan.source_file_id is None:
        return
    _state_notes(cursor, plan)
    if plan.rpx_file_id is not None and plan.scope == SCOPE_REJECTED:
        _unlinked_note(cursor, plan)
        _accepted_edits_note(cursor, plan)
    if plan.scope == SCOPE_REJECTED:
        _going_with_errors_note(cursor, plan)
    if plan.scope == SCOPE_ALL and plan.answer_status == "processado":
        _accepted_all_notes(cursor, plan)


def _accepted_all_notes(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    """What `--all` leaves out because ANS accepted it (`rows.selection_sql`), by kind."""
    counts = dict(cursor.execute(
        "SELECT m.movement, count(*) FROM sbx_movements m WHERE m.file_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM rpx_rejection_links l WHERE l.rpx_file_id = ? AND l.sbx_file_id = m.file_id "
        "AND l.sbx_record_no = m.record_no) GROUP BY ALL",
        [plan.source_file_id, plan.rpx_file_id],
    ).fetchall())
    inclusions = counts.pop("inclusao", 0)
    if inclusions:
        plan.notes.append(f"{inclusions} inclusão(ões) que a ANS aceitou ({plan.rpx_name}) não vão de novo: "
                          "duplicariam o vínculo")
    others = sum(counts.values())
    if others:
        kinds = ", ".join(f"{count} {movement}" for movement, count in sorted(counts.items()))
        plan.notes.append(f"{others} outro(s) movimento(s) que a ANS aceitou ({kinds}) não vão de novo: "
                          "ela já os aplicou e rejeitaria a repetição")


def _state_notes(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    rows = cursor.execute(
        f"SELECT state, resent_file_id IS NOT NULL, list(record_no ORDER BY record_no) "
        f"FROM {plan.states or '(' + going_sql(None, plan.include_pending) + ')'} WHERE file_id = ? AND NOT goes "
        "GROUP BY ALL",
        [plan.source_file_id],
    ).fetchall()
    for state, resent, records in sorted(rows, key=lambda row: (row[1], row[0])):
        count = len(records)
        named = _named(records)
        if resent:
            plan.notes.append(f"{count} já reenviado(s) em um SBX carregado depois ({named}): acompanhe por lá")
        elif state == PENDENTE and plan.scope != SCOPE_ALL:
            see = "" if SEE_ALL in named else f" · {SEE_ALL}"
            plan.notes.append(f"{count} sem decisão ficaram de fora ({named}): corrija, ou decida (d no console, "
                              f"sibtui fix resend/hold); --include-pending os envia como estão{see}")
        elif state == NAO_REENVIAR:
            plan.notes.append(f"{count} marcado(s) não reenviar ficaram de fora ({named})")
        elif state == JA_NA_ANS:
            plan.notes.append(f"{count} retificação(ões) igual(is) ao que a ANS já tem na CNX mais recente "
                              f"({named}): descartada(s), a ANS rejeitaria (3011)")
        elif state == COM_TITULAR and plan.scope != SCOPE_ALL:
            plan.notes.append(f"{count} dependente(s) em cascata ficaram de fora porque o titular não vai ({named})")
    if plan.scope == SCOPE_ALL:
        _noop_all_note(cursor, plan)


def _noop_all_note(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    current = f"SELECT * FROM ({current_rows_sql(SBX_TABLE)}) WHERE file_id = {int(plan.source_file_id or 0)}"
    records = [row[0] for row in cursor.execute(
        f"SELECT record_no FROM ({noop_retificacoes_sql(current)}) ORDER BY 1").fetchall()]
    if records:
        plan.notes.append(f"{len(records)} retificação(ões) igual(is) ao que a ANS já tem na CNX mais recente "
                          f"({_named(records)}): descartada(s), a ANS rejeitaria (3011)")


def _going_with_errors_note(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    """Movements that go although the last `sibtui check` found an error on them.

    Field rules run again on what is written (`checks`), but record rules (a CPF required by
    age, a titular that is not one) live only in `findings`: without this note a movement
    resent "as is" or half corrected would go back to ANS with nothing said. The findings are
    the last check's, so the note says so rather than claiming they still hold.
    """
    records = [row[0] for row in cursor.execute(
        f"SELECT DISTINCT s.record_no FROM {plan.states or '(' + going_sql(None, plan.include_pending) + ')'} s "
        "JOIN findings f ON f.file_id = s.file_id AND f.record_no = s.record_no AND f.source_table = ? "
        "AND f.severity = ? WHERE s.file_id = ? AND s.goes ORDER BY 1",
        [SBX_TABLE, Severity.ERROR.value, plan.source_file_id],
    ).fetchall()]
    if records:
        plan.notes.append(f"{len(records)} movimento(s) vão com erro apontado pela última pré-crítica "
                          f"({_named(records)}): a ANS deve rejeitá-los de novo; corrija, ou rode "
                          "sibtui check se já corrigiu")


def _unlinked_note(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    unlinked = fetch_value(cursor, "SELECT count(DISTINCT rpx_record_no) FROM rpx_rejection_links "
                           "WHERE rpx_file_id = ? AND sbx_file_id = ? AND sbx_record_no IS NULL",
                           [plan.rpx_file_id, plan.source_file_id])
    if unlinked:
        plan.notes.append(f"{unlinked} registro(s) rejeitado(s) no {plan.rpx_name} sem movimento correspondente "
                          f"no {plan.source_name}: não entram")


def _accepted_edits_note(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    left_out = fetch_value(
        cursor, "SELECT count(DISTINCT record_no) FROM edit_journal j WHERE table_name = ? AND file_id = ? "
        "AND field <> ? AND record_no NOT IN (SELECT sbx_record_no FROM rpx_rejection_links WHERE rpx_file_id = ? "
        "AND sbx_file_id = ? AND sbx_record_no IS NOT NULL)",
        [SBX_TABLE, plan.source_file_id, DECISION_FIELD, plan.rpx_file_id, plan.source_file_id])
    if left_out:
        plan.notes.append(f"{left_out} movimento(s) editado(s) que a ANS aceitou não entram: para corrigir um "
                          "vínculo já aceito, edite o registro da conferência (CNX), que vira o movimento certo")


def _cnx_notes(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    at_ans, sent = edits_not_sent(cursor, plan.registro_ans)
    if at_ans:
        plan.notes.append(f"{at_ans} edição(ões) da CNX com o valor que a ANS já tem na CNX mais recente: "
                          "não vão (não mudariam nada)")
    if sent:
        plan.notes.append(f"{sent} edição(ões) da CNX já foram num SBX enviado (carregado de volta): não vão de novo")


def _named(records: list[int]) -> str:
    shown = ", ".join(str(number) for number in records[:NAMED])
    more = f" e mais {len(records) - NAMED}: {SEE_ALL}" if len(records) > NAMED else ""
    return f"registro{'s' if len(records) > 1 else ''} {shown}{more}"
