"""Never a movement that changes nothing: fill-cns with a newer CNX, then regenerate.

A month built here: an older CNX where ANS had no CNS for two vínculos, an SBX whose two
retificações sent an invalid CNS (one also a new mother's name), the RPX rejecting both
(0701), and a newer CNX where ANS assigned the CNS of both.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from sibfiles import cnx, header, rpx_rejecting, sbx, write
from sibtui.commands.status import COLUMNS, _values
from sibtui.cycle.status import cycle_rows
from sibtui.edit.cns import fill_cns
from sibtui.edit.regen.run import regenerate
from sibtui.edit.selection import refs_with_error_code
from sibtui.ingest.loader import load_file
from sibtui.rules.check_digits import with_definitive_cns_digits

A, B = "045550001100", "045550001209"
CNS_A, CNS_B = with_definitive_cns_digits("19876543210"), with_definitive_cns_digits("20765432109")
BAD_CNS = CNS_A[:-1] + str((int(CNS_A[-1]) + 1) % 10)
SBX_NAME = "99999720261103101500.SBX"


def _beneficiario(cco: str, code: str, cns: str | None) -> str:
    identification = (f"<cns>{cns}</cns>" if cns else "") + (
        "<nome>MARIA DA SILVA EXEMPLO</nome><sexo>3</sexo><dataNascimento>1985-07-15</dataNascimento>"
        "<nomeMae>ANA DA SILVA EXEMPLO</nomeMae>")
    return (f'<beneficiario cco="{cco}" situacao="ATIVO" dataAtualizacao="2026-10-01">'
            f"<identificacao>{identification}</identificacao><endereco/>"
            f"<vinculo><codigoBeneficiario>{code}</codigoBeneficiario><dataContratacao>2025-01-10</dataContratacao>"
            "</vinculo></beneficiario>")


def _retificacao(cco: str, identification: str) -> str:
    return f"<retificacao><cco>{cco}</cco><identificacao>{identification}</identificacao><endereco/><vinculo/></retificacao>"


@pytest.fixture
def month(workspace, tmp_path):
    files = [
        ("ArqConf9999970920261001.CNX", cnx(_beneficiario(A, "1", None) + _beneficiario(B, "2", None),
                                            head=header(kind="CNX", when="2026-10-01T00:00:00"))),
        (SBX_NAME, sbx(_retificacao(A, f"<cns>{BAD_CNS}</cns><nomeMae>ANA NOVA DA SILVA</nomeMae>")
                       + _retificacao(B, f"<cns>{BAD_CNS}</cns>"), head=header(when="2026-11-03T10:15:00"))),
        ("99999720261105031244.RPX", rpx_rejecting(SBX_NAME, [("2", A, "07", "0701"), ("2", B, "07", "0701")],
                                                   when="2026-11-05T03:12:44")),
        ("ArqConf9999971020261110.CNX", cnx(_beneficiario(A, "1", CNS_A) + _beneficiario(B, "2", CNS_B),
                                            head=header(kind="CNX", when="2026-11-10T00:00:00"))),
    ]
    for name, content in files:
        load_file(workspace, write(tmp_path, name, content))
    cursor = workspace.cursor()
    yield cursor
    cursor.close()


def test_fill_cns_then_regenerate_writes_nothing_ans_already_holds(month, out):
    assert fill_cns(month).changes == []  # both pending: filling would only make them look corrected
    chosen = fill_cns(month, refs_with_error_code(month, "0701"))  # the analyst's correction of the 0701s
    assert sorted((c.table, c.ref.record_no, c.new) for c in chosen.changes) == [
        ("sbx_movements", 1, CNS_A), ("sbx_movements", 2, CNS_B)]
    result = regenerate(month, out, clock=lambda: dt.datetime(2026, 11, 20, 9, 0, 0))
    [regeneration] = result.regenerations
    [written] = regeneration.files
    movements = etree.parse(str(written.path)).getroot().find("mensagem/operadoraParaANS/beneficiarios")
    assert [m.findtext("cco") for m in movements] == [A]  # B now sends ANS only what ANS holds: dropped
    assert any(note.startswith("1 retificação(ões) igual(is) ao que a ANS já tem na CNX mais recente (registro 2)")
               for note in regeneration.plan.notes)
    for movement in movements:  # every value it sends, against what the newest CNX holds for its CCO
        sent = {leaf.tag: leaf.text for leaf in movement.iter() if len(leaf) == 0 and leaf.text and leaf.tag != "cco"}
        held = month.execute(f"SELECT {', '.join(sent)} FROM cnx_beneficiaries WHERE file_id = 4 AND cco = ?",
                             [movement.findtext("cco")]).fetchall()[0]
        assert dict(zip(sent, held)) != sent
    assert month.execute("SELECT count(*) FROM edit_journal WHERE table_name = 'cnx_beneficiaries'").fetchall() == [
        (0,)]  # ANS's own conference rows untouched
    today = dt.date(2026, 12, 1)
    [row] = cycle_rows(month, today)
    assert dict(zip(COLUMNS, _values(row, today)))["ja_na_ans"] == 1 and row.outstanding == 1


def test_a_cascade_goes_right_after_its_titular_even_when_it_came_first(workspace, tmp_path, out):
    from sibfiles import INCLUSAO
    from sibtui.edit import editor
    from sibtui.edit.records import RecordRef

    dependent = (INCLUSAO.replace("0001000100", "0001000101").replace("<relacaoDependencia>1<", "<relacaoDependencia>4<")
                 .replace("</relacaoDependencia>", "</relacaoDependencia><codigoBeneficiarioTitular>0001000100"
                          "</codigoBeneficiarioTitular>", 1).replace("<cpf>48291736537</cpf>", ""))
    titular = INCLUSAO.replace("<cpf>48291736537</cpf>", "<cpf>48291736500</cpf>")  # a wrong check digit
    load_file(workspace, write(tmp_path, SBX_NAME, sbx(dependent + titular, head=header(when="2026-11-03T10:15:00"))))
    load_file(workspace, write(tmp_path, "99999720261105031244.RPX", rpx_rejecting(
        SBX_NAME, [("1", "0001000101", "18", "1802"), ("1", "0001000100", "04", "0402")], when="2026-11-05T03:12:44")))
    cursor = workspace.cursor()
    editor.set_field(cursor, RecordRef(1, 2), "cpf", "48291736537")
    [regeneration] = regenerate(cursor, out, clock=lambda: dt.datetime(2026, 11, 20, 9, 0, 0)).regenerations
    movements = etree.parse(str(regeneration.files[0].path)).getroot().find("mensagem/operadoraParaANS/beneficiarios")
    assert [m.findtext("vinculo/codigoBeneficiario") for m in movements] == ["0001000100", "0001000101"]
    assert cursor.execute("SELECT source_record_no, decision FROM regenerated_movements ORDER BY position").fetchall() == [
        (2, "corrigido"), (1, "com_titular")]
