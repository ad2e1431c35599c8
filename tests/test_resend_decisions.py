"""Resend exactly what should go: a decision per rejected movement, one file per change.

The sample month: the RPX rejected 11 movements of the SBX (file 1), among them a titular
(record 3, CPF) and its dependent rejected only because of it (record 4, 1802: a cascade),
and rejected a second SBX (file 2) whole.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from conftest import XSD_DIR, spec_file
from sibtui.commands.status import COLUMNS, _values
from sibtui.cycle.status import cycle_rows
from sibtui.edit import editor
from sibtui.edit.decision_list import DECISION_COLUMNS, decision_rows
from sibtui.edit.decisions import HOLD, RESEND, decide
from sibtui.edit.records import EditError, RecordRef
from sibtui.edit.regen.run import regenerate
from sibtui.edit.resend import state_rows
from sibtui.ingest.hashcheck import check_hash
from sibtui.rules.check_digits import with_cpf_digits

GOOD_CPF = with_cpf_digits("394857162")
TODAY = dt.date(2026, 12, 1)
MAIN = "99999720261103101500.SBX"


class Clock:
    def __init__(self):
        self.moment = dt.datetime(2026, 11, 20, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.moment


def _codes(path) -> list[str | None]:
    movements = etree.parse(str(path)).getroot().find("mensagem/operadoraParaANS/beneficiarios")
    return [m.findtext("vinculo/codigoBeneficiario") or m.findtext("cco") for m in movements]


def _status(cursor) -> dict[str, dict]:
    """What `sibtui status --format csv` prints, per SBX."""
    return {row.sbx_name: dict(zip(COLUMNS, _values(row, TODAY))) for row in cycle_rows(cursor, TODAY)}


def _decide_the_bar(cursor) -> None:
    editor.set_field(cursor, RecordRef(1, 3), "cpf", GOOD_CPF)  # the rejected titular, corrected
    decide(cursor, [RecordRef(1, 22)], HOLD, "o vínculo já está inativo na ANS")
    decide(cursor, [RecordRef(1, 10)], RESEND, "a ANS corrigiu a data de nascimento no cadastro")


def test_default_regeneration_writes_exactly_what_was_decided(loaded, out):
    _decide_the_bar(loaded)
    schema_path = spec_file(XSD_DIR / "sib.xsd")
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), xsd_path=schema_path).regenerations
    [written] = regeneration.files
    # the corrected titular, its cascade dependent right after it, and the "como está" one
    assert _codes(written.path) == ["0000200003", "0000200004", "0000200010"]
    assert check_hash(written.path).ok
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    assert schema.validate(etree.parse(str(written.path))), schema.error_log
    logged = loaded.execute("SELECT source_record_no, decision FROM regenerated_movements ORDER BY position")
    assert logged.fetchall() == [(3, "corrigido"), (4, "com_titular"), (10, "como_esta")]
    notes = regeneration.plan.notes
    assert any(note.startswith("7 sem decisão ficaram de fora (registros 5, 6, 8, 9, 11, 19, 23)") for note in notes)
    assert any(note.startswith("1 marcado(s) não reenviar ficaram de fora (registro 22)") for note in notes)


def test_running_again_writes_nothing_and_the_status_does_not_move(loaded, out):
    _decide_the_bar(loaded)
    [first] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock()).regenerations
    before = _status(loaded)
    again = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock())
    assert again.regenerations == []
    [(label, why)] = again.skipped
    assert label == MAIN and f"já estão em {first.files[0].name}" in why
    assert _status(loaded) == before
    row = before[MAIN]
    assert (row["regenerados"], row["arquivos_regenerados"], row["sem_correcao"], row["nao_reenviar"]) == (
        3, first.files[0].name, 7, 1)
    states = ("sem_correcao", "corrigidos_nao_regenerados", "regenerados", "reenviar_como_esta", "com_titular",
              "nao_reenviar", "ja_na_ans", "reenviados_aceitos", "reenviados_rejeitados", "reenviados_aguardando")
    assert sum(row[name] for name in states) == row["pendentes"] == 11  # each movement once
    assert COLUMNS[:22] == (  # the columns scripts read stay where they were; new ones come after
        "sbx", "registro_ans", "competencia", "enviado_em", "rpx", "protocolo", "situacao", "motivo_rejeicao",
        "movimentos", "rejeitados", "percentual_acerto", "pendentes", "sem_correcao", "corrigidos_nao_regenerados",
        "regenerados", "arquivos_regenerados", "reenviados_aceitos", "reenviados_rejeitados", "reenviados_aguardando",
        "prazo", "dias_restantes", "alertas")


def test_a_further_edit_writes_a_file_that_supersedes_the_first(loaded, out):
    _decide_the_bar(loaded)
    clock = Clock()
    [first] = regenerate(loaded, out, sbx_file_ids=[1], clock=clock).regenerations
    editor.set_field(loaded, RecordRef(1, 3), "nomeMae", "DALVA BATISTA LOPES")  # already so: no change
    editor.set_field(loaded, RecordRef(1, 4), "nomeMae", "CAMILA LOPES BATISTA")
    [second] = regenerate(loaded, out, sbx_file_ids=[1], clock=clock).regenerations
    old, new = first.files[0].name, second.files[0].name
    assert second.superseded == [old] and _codes(second.files[0].path) == ["0000200003", "0000200004", "0000200010"]
    assert sorted(path.name for path in out.glob("*.SBX")) == [new]  # exactly the file to send
    assert (out / "substituidos" / old).is_file()
    row = _status(loaded)[MAIN]
    assert row["arquivos_regenerados"] == new and row["arquivos_substituidos"] == f"{old}>{new}"
    assert f"{old} substituído por {new} — não envie" in row["alertas"]
    assert loaded.execute("SELECT output_name, superseded_by FROM regenerations ORDER BY regeneration_id").fetchall() == [
        (old, new), (new, None)]


def test_a_decision_is_a_journal_action_with_undo_and_redo(loaded):
    result = decide(loaded, [RecordRef(1, 22), RecordRef(1, 23)], HOLD, "cancelamentos que não procedem")
    assert result.action_id is not None and result.changed_records == 2
    journal = loaded.execute("SELECT action, field, new_value, reason, os_user IS NOT NULL, edited_at IS NOT NULL "
                             "FROM edit_journal ORDER BY edit_id").fetchall()
    assert journal == [("hold", "decisao_reenvio", "hold", "cancelamentos que não procedem", True, True)] * 2
    states = {row["record_no"]: row for row in state_rows(loaded, 1)}
    assert (states[22]["state"], states[22]["reason"]) == ("nao_reenviar", "cancelamentos que não procedem")
    editor.undo(loaded)
    assert {row["record_no"]: row["state"] for row in state_rows(loaded, 1)}[22] == "pendente"
    editor.redo(loaded)
    assert {row["record_no"]: row["state"] for row in state_rows(loaded, 1)}[22] == "nao_reenviar"
    assert editor.set_field(loaded, RecordRef(1, 3), "cpf", GOOD_CPF).changes  # the journal goes on as usual
    assert [row["state"] for row in state_rows(loaded, 1) if row["record_no"] in (3, 22)] == ["corrigido",
                                                                                             "nao_reenviar"]


def test_a_decision_needs_a_reason_and_a_rejected_movement(loaded):
    with pytest.raises(EditError, match="say why"):
        decide(loaded, [RecordRef(1, 22)], RESEND, "  ")
    result = decide(loaded, [RecordRef(1, 1), RecordRef(5, 1), RecordRef(1, 22)], RESEND, "motivo")
    assert [(r.ref, r.why.split(":")[0]) for r in result.refused] == [
        (RecordRef(1, 1), "a ANS não rejeitou este movimento (no RPX que vale)"),
        (RecordRef(5, 1), "o arquivo 5 é um CNX")]
    assert [c.ref for c in result.changes] == [RecordRef(1, 22)]


def test_cascades_are_linked_both_ways(loaded):
    rows = {(row[1], row[2]): dict(zip(DECISION_COLUMNS, row)) for row in decision_rows(loaded)}
    assert rows[(1, 4)]["decisao"] == "vai com o titular (registro 3)" and rows[(1, 4)]["titular_registro"] == 3
    assert rows[(1, 3)]["dependentes_em_cascata"] == "4"
    # 1:8 is a dependent rejected with 1802 too, but its titular is not in the file: no cascade, its own problem
    assert (rows[(1, 8)]["estado"], rows[(1, 8)]["titular_registro"]) == ("pendente", None)
    # the dependent goes when its titular goes, and only then
    decide(loaded, [RecordRef(1, 3)], RESEND, "CPF conferido na Receita")
    assert rows[(1, 4)]["vai"] == "não"
    assert {r[2]: r[9] for r in decision_rows(loaded)}[4] == "sim"


def test_include_pending_sends_the_undecided_but_never_the_held(loaded, out):
    decide(loaded, [RecordRef(1, 22)], HOLD, "já inativo")
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True).regenerations
    records = [r for (r,) in loaded.execute("SELECT source_record_no FROM regenerated_movements ORDER BY 1").fetchall()]
    assert records == [3, 4, 5, 6, 8, 9, 10, 11, 19, 23]


def test_all_with_the_rpx_loaded_never_resends_an_accepted_inclusion(loaded, out):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=Clock()).regenerations
    accepted = {code for (code,) in loaded.execute("SELECT codigoBeneficiario FROM rpx_inclusions").fetchall()}
    assert len(accepted) == 8
    written = set(_codes(regeneration.files[0].path))
    assert not written & accepted
    assert {"0000200003", "0000200004"} <= written  # the rejected inclusões still go
    assert any("8 inclusão(ões) que a ANS aceitou" in note for note in regeneration.plan.notes)


def test_the_console_report_lists_unwritten_files_and_never_cuts_a_list_silently():
    from sibtui.edit.regen.plan import SourcePlan
    from sibtui.edit.regen.results import RegenerateResult, Regeneration
    from sibtui.tui.screens.regenerate import report_text

    failed = Regeneration(SourcePlan("rejected", "999997", 1, "A.SBX", notes=["3 sem decisão ficaram de fora"]))
    failed.problems = [f"registro 1:{n} (inclusao): CPF: formato (o XSD rejeita o arquivo inteiro)" for n in (1, 2)]
    failed.problem_count = 250
    skipped = SourcePlan("rejected", "999997", 2, "B.SBX", notes=["1 marcado(s) não reenviar ficaram de fora"])
    result = RegenerateResult(regenerations=[failed], skipped=[("B.SBX", "nada mudou: os 2 movimento(s) já estão em "
                                                                     "C.SBX")], skipped_plans=[skipped])
    text = str(report_text(result))
    assert "✗ NÃO GRAVADO: 250 problema(s)" in text and all(problem in text for problem in failed.problems)
    assert "… e mais 248 (veja: sibtui check)" in text
    assert "nota: 3 sem decisão ficaram de fora" in text
    assert "B.SBX: nada mudou: os 2 movimento(s) já estão em C.SBX" in text
    assert "nota: 1 marcado(s) não reenviar ficaram de fora" in text


def test_a_movement_resent_with_an_error_of_the_last_check_is_named(loaded, workspace, out):
    from sibtui.rules.engine import run_checks

    _decide_the_bar(loaded)
    run_checks(workspace, today=TODAY)
    erring = {row[0] for row in loaded.execute(
        "SELECT record_no FROM findings WHERE file_id = 1 AND source_table = 'sbx_movements' "
        "AND severity = 'error'").fetchall()}
    assert 3 not in erring and 10 in erring  # the corrected titular is clean; "como está" is not
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock()).regenerations
    [note] = [note for note in regeneration.plan.notes if "pré-crítica" in note]
    assert note.startswith("1 movimento(s) vão com erro apontado pela última pré-crítica (registro 10)")


def test_no_error_note_when_what_goes_is_clean(loaded, workspace, out):
    from sibtui.rules.engine import run_checks

    editor.set_field(loaded, RecordRef(1, 3), "cpf", GOOD_CPF)
    run_checks(workspace, today=TODAY)
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock()).regenerations
    assert not [note for note in regeneration.plan.notes if "pré-crítica" in note]


def test_all_with_the_rpx_loaded_resends_no_accepted_movement_of_any_kind(loaded, out):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=Clock()).regenerations
    rows = loaded.execute(
        "SELECT m.movement, coalesce(m.codigoBeneficiario, m.cco), l.sbx_record_no IS NOT NULL FROM sbx_movements m "
        "LEFT JOIN (SELECT DISTINCT sbx_record_no FROM rpx_rejection_links WHERE sbx_file_id = 1) l "
        "ON l.sbx_record_no = m.record_no WHERE m.file_id = 1").fetchall()
    accepted_others = {code for movement, code, rejected in rows if not rejected and movement != "inclusao"}
    assert accepted_others  # the sample month has accepted retificações, cancelamentos...
    written = set(_codes(regeneration.files[0].path))
    assert not written & accepted_others
    [note] = [note for note in regeneration.plan.notes if "outro(s) movimento(s) que a ANS aceitou" in note]
    assert note.startswith(f"{len(accepted_others)} outro(s)")
