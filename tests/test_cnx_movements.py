"""Edits of conference (CNX) records go out as the movement they mean (§6.4), and `check`
judges them as those movements before they are written."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from conftest import SAMPLE_DIR, XSD_DIR, spec_file
from sibtui.edit import editor
from sibtui.edit.cancel_links import cancel_links
from sibtui.edit.precritique import run_checks
from sibtui.edit.records import RecordRef
from sibtui.edit.regen.run import regenerate
from sibtui.ingest.loader import load_file

CLOCK = dt.datetime(2026, 11, 21, 8, 0, 0)
NEWEST_CNX = SAMPLE_DIR / "ArqConf9999971020261110.CNX"
ACTIVE, ACTIVE_DEPENDENT, INACTIVE = 1, 2, 11  # records of the newest sample CNX (11: INATIVO since 2026-10-15)


@pytest.fixture
def cnx(workspace):
    """A cursor on a workspace holding the newest sample conference (file 1)."""
    load_file(workspace, NEWEST_CNX)
    cursor = workspace.cursor()
    yield cursor
    cursor.close()


def _movements(path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(element, [(leaf, text)...]) of every movement written, leaves in document order (empty
    containers left out: a retificação keeps them, the XSD requires them)."""
    root = etree.parse(str(path)).getroot()
    return [(m.tag, [(leaf.tag, leaf.text) for leaf in m.iter() if len(leaf) == 0 and leaf.text])
            for m in root.find("mensagem/operadoraParaANS/beneficiarios")]


def _written(cursor, out) -> list[tuple[str, list[tuple[str, str]]]]:
    [regeneration] = regenerate(cursor, out, clock=lambda: CLOCK).regenerations
    [written] = regeneration.files
    schema = etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))
    assert schema.validate(etree.parse(str(written.path))), schema.error_log
    return _movements(written.path)


def test_cancellation_data_on_an_active_vinculo_is_a_cancelamento(cnx, out):
    editor.set_fields(cnx, RecordRef(1, ACTIVE), {"dataCancelamento": "2026-11-30", "motivoCancelamento": "42"})
    assert _written(cnx, out) == [
        ("cancelamento", [("cco", "455500010004"), ("dataCancelamento", "2026-11-30"), ("motivoCancelamento", "42")])]


def test_on_an_inactive_vinculo_it_corrects_the_cancellation(cnx, out):
    editor.set_field(cnx, RecordRef(1, INACTIVE), "dataCancelamento", "2026-10-16")
    assert _written(cnx, out) == [("retificacao", [("cco", "455500017005"), ("dataCancelamento", "2026-10-16")])]


def test_a_reactivation_of_an_inactive_vinculo_is_a_reativacao(cnx, out):
    editor.set_field(cnx, RecordRef(1, INACTIVE), "dataReativacao", "2026-11-20")
    assert _written(cnx, out) == [("reativacao", [("cco", "455500017005"), ("dataReativacao", "2026-11-20")])]


def test_a_plan_change_is_a_mudanca_contratual_and_the_rest_a_partial_retificacao(cnx, out):
    editor.set_fields(cnx, RecordRef(1, ACTIVE_DEPENDENT),
                      {"numeroPlanoANS": "478901234", "dataContratacao": "2026-11-01", "nome": "LAURA COSTA LIMA"})
    assert _written(cnx, out) == [
        ("retificacao", [("cco", "455500010701"), ("nome", "LAURA COSTA LIMA")]),
        ("mudancaContratual", [("cco", "455500010701"), ("relacaoDependencia", "3"), ("dataContratacao", "2026-11-01"),
                               ("numeroPlanoANS", "478901234"), ("cnpjEmpresaContratante", "11222333000181")]),
    ]


def test_an_edit_ans_already_holds_is_not_sent(workspace, out):
    older = load_file(workspace, SAMPLE_DIR / "ArqConf9999970920261001.CNX").file_id
    load_file(workspace, NEWEST_CNX)
    cursor = workspace.cursor()
    newest_cns = cursor.execute("SELECT cns FROM cnx_beneficiaries WHERE file_id = 2 AND cco = '455500012107'")
    [(cns,)] = newest_cns.fetchall()
    [(record_no,)] = cursor.execute("SELECT record_no FROM cnx_beneficiaries WHERE file_id = ? AND cco = '455500012107'",
                                    [older]).fetchall()
    editor.set_field(cursor, RecordRef(older, record_no), "cns", cns)  # the older view, brought up to date
    result = regenerate(cursor, out, clock=lambda: CLOCK)
    assert result.regenerations == [] and list(out.iterdir()) == []
    [plan] = result.skipped_plans
    assert plan.notes == ["1 edição(ões) da CNX com o valor que a ANS já tem na CNX mais recente: não vão "
                          "(não mudariam nada)"]


def test_check_judges_the_movements_cnx_edits_will_become(cnx, workspace):
    editor.set_fields(cnx, RecordRef(1, ACTIVE), {"dataCancelamento": "2001-01-01", "motivoCancelamento": "42"})
    editor.set_field(cnx, RecordRef(1, 3), "dataCancelamento", "2026-11-30")  # no motivo: the XSD needs one
    run_checks(workspace, today=dt.date(2026, 12, 1))
    found = cnx.execute("SELECT record_no, field, rule FROM findings WHERE source_table = 'cnx_beneficiaries' "
                        "AND rule IN ('cancel_before_contract', 'required_missing') ORDER BY 1").fetchall()
    assert found == [(ACTIVE, "dataCancelamento", "cancel_before_contract"),
                     (3, "motivoCancelamento", "required_missing")]


def test_cancel_these_vinculos_cancels_the_active_ones_in_one_action(cnx, out):
    result = cancel_links(cnx, [RecordRef(1, 4), RecordRef(1, 5), RecordRef(1, INACTIVE)], "2026-11-30", "41")
    assert result.changed_records == 2 and result.not_applicable == 1 and result.action_id is not None
    written = _written(cnx, out)
    assert [(tag, leaves[0][1]) for tag, leaves in written] == [("cancelamento", "455500012107"),
                                                                ("cancelamento", "455500012804")]
    editor.undo(cnx)
    assert regenerate(cnx, out, clock=lambda: CLOCK).regenerations == []  # one undo takes both back
