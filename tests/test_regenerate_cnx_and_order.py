"""CNX edits become partial retificações; movements go out in ANS's order; the re-read catches faults."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import etree

from conftest import SAMPLE_DIR, XSD_DIR, spec_file
from sibfiles import BENEFICIARIO, CANCELAMENTO, INCLUSAO, cnx, sbx, write
from sibtui.catalog import shapes
from sibtui.edit import editor
from sibtui.edit.records import RecordRef
from sibtui.edit.regen.run import regenerate
from sibtui.edit.regen.verify import Expected, element_problems, row_digest, verify_part
from sibtui.ingest.loader import load_file

CLOCK = dt.datetime(2026, 11, 21, 8, 0, 0)
NEWEST_CNX = SAMPLE_DIR / "ArqConf9999971020261110.CNX"


def _movement_tags(path) -> list[str]:
    return [element.tag for element in etree.parse(str(path)).getroot().find("mensagem/operadoraParaANS/beneficiarios")]


def test_cnx_edits_become_retificacoes_with_only_the_changed_fields(workspace, out):
    file_id = load_file(workspace, NEWEST_CNX).file_id
    cursor = workspace.cursor()
    editor.set_field(cursor, RecordRef(file_id, 2), "nomeMae", "MARIANA COSTA FERREIRA LIMA")
    editor.set_field(cursor, RecordRef(file_id, 1), "codigoBeneficiario", "0000100001A")
    editor.set_field(cursor, RecordRef(file_id, 1), "numero", "12")
    [regeneration] = regenerate(cursor, out, clock=lambda: CLOCK).regenerations
    assert regeneration.plan.scope == "cnx-edits"
    [written] = regeneration.files
    assert written.name == "99999720261121080000.SBX"
    root = etree.parse(str(written.path)).getroot()
    first, second = root.find("mensagem/operadoraParaANS/beneficiarios")
    assert [child.tag for child in first] == ["cco", "identificacao", "endereco", "vinculo"]
    assert first.findtext("cco") == "455500010004"
    assert len(first.find("identificacao")) == 0
    assert [(c.tag, c.text) for c in first.find("endereco")] == [("numero", "12")]
    assert [(c.tag, c.text) for c in first.find("vinculo")] == [("codigoBeneficiario", "0000100001A")]
    assert second.findtext("cco") == "455500010701"  # the dependent, after its titular
    assert [(c.tag, c.text) for c in second.find("identificacao")] == [("nomeMae", "MARIANA COSTA FERREIRA LIMA")]
    schema = etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))
    assert schema.validate(root.getroottree()), schema.error_log


def test_no_cnx_edits_when_an_sbx_is_named(workspace, out):
    cnx_id = load_file(workspace, NEWEST_CNX).file_id
    sbx_id = load_file(workspace, SAMPLE_DIR / "99999720261103101500.SBX").file_id
    cursor = workspace.cursor()
    editor.set_field(cursor, RecordRef(cnx_id, 2), "nomeMae", "MARIANA COSTA FERREIRA LIMA")
    result = regenerate(cursor, out, sbx_file_ids=[sbx_id], all_movements=True, clock=lambda: CLOCK)
    assert [r.plan.scope for r in result.regenerations] == ["all"]


DEPENDENTE = (
    INCLUSAO.replace("0001000100", "0001000101").replace("<relacaoDependencia>1<", "<relacaoDependencia>4<")
    .replace("</relacaoDependencia>", "</relacaoDependencia><codigoBeneficiarioTitular>0001000100"
             "</codigoBeneficiarioTitular>", 1)
    .replace("<cpf>48291736537</cpf>", "")
)
RETIFICACAO = "<retificacao><cco>041234567802</cco><identificacao/><endereco/><vinculo/></retificacao>"


def test_movements_follow_the_submission_order_with_titulares_first(workspace, out, tmp_path):
    source = write(tmp_path, "99999720250203101500.SBX", sbx(CANCELAMENTO + DEPENDENTE + RETIFICACAO + INCLUSAO))
    file_id = load_file(workspace, source).file_id
    cursor = workspace.cursor()
    [regeneration] = regenerate(cursor, out, sbx_file_ids=[file_id], all_movements=True).regenerations
    path = regeneration.files[0].path
    assert _movement_tags(path) == ["inclusao", "inclusao", "retificacao", "cancelamento"]
    codes = [e.text for e in etree.parse(str(path)).getroot().iter("codigoBeneficiario")]
    assert codes == ["0001000100", "0001000101"]
    positions = cursor.execute("SELECT source_record_no FROM regenerated_movements ORDER BY position").fetchall()
    assert positions == [(4,), (2,), (3,), (1,)]


def test_a_file_already_in_order_keeps_its_order(workspace, out, tmp_path):
    source = write(tmp_path, "99999720250203101500.SBX", sbx(INCLUSAO + DEPENDENTE + RETIFICACAO + CANCELAMENTO))
    file_id = load_file(workspace, source).file_id
    cursor = workspace.cursor()
    regenerate(cursor, out, sbx_file_ids=[file_id], all_movements=True)
    positions = cursor.execute("SELECT source_record_no FROM regenerated_movements ORDER BY position").fetchall()
    assert positions == [(1,), (2,), (3,), (4,)]


def test_cnx_titulares_go_before_their_dependents(workspace, out, tmp_path):
    dependent = BENEFICIARIO.replace("045550001100", "045550001209").replace(
        "<vinculo><codigoBeneficiario>0001000100</codigoBeneficiario>",
        "<vinculo><codigoBeneficiario>0001000102</codigoBeneficiario>"
        "<ccoBeneficiarioTitular>045550001100</ccoBeneficiarioTitular>")
    file_id = load_file(workspace, write(tmp_path, "ArqConf9999970220250210.CNX", cnx(dependent + BENEFICIARIO))).file_id
    cursor = workspace.cursor()
    editor.set_field(cursor, RecordRef(file_id, 1), "nomeMae", "MAE DO DEPENDENTE")
    editor.set_field(cursor, RecordRef(file_id, 2), "nomeMae", "MAE DO TITULAR")
    [regeneration] = regenerate(cursor, out).regenerations
    root = etree.parse(str(regeneration.files[0].path)).getroot()
    assert [e.text for e in root.iter("cco")] == ["045550001100", "045550001209"]


def _element(xml: str) -> etree._Element:
    return etree.fromstring(xml)


@pytest.mark.parametrize(
    "xml, expected",
    [
        ("<cancelamento><cco>039876543205</cco><dataCancelamento>2025-01-31</dataCancelamento>"
         "<motivoCancelamento>42</motivoCancelamento></cancelamento>", []),
        ("<cancelamento><dataCancelamento>2025-01-31</dataCancelamento><cco>039876543205</cco>"
         "<motivoCancelamento>42</motivoCancelamento></cancelamento>", ["<cco> is out of the schema's order"]),
        ("<cancelamento><cco>039876543205</cco><dataCancelamento>2025-01-31</dataCancelamento></cancelamento>",
         ["required <motivoCancelamento> is missing"]),
        ("<cancelamento><cco/><dataCancelamento> 2025-01-31</dataCancelamento>"
         "<motivoCancelamento>42</motivoCancelamento></cancelamento>",
         ["<cco> is empty (empty elements are left out)", "<dataCancelamento> has blanks around its value"]),
    ],
)
def test_element_problems_read_the_catalogue_trees(xml, expected):
    assert element_problems(_element(xml), shapes.CANCELAMENTO) == expected


def test_inclusion_without_a_plan_is_caught():
    xml = INCLUSAO.replace("<numeroPlanoANS>412345678</numeroPlanoANS>", "")
    assert element_problems(_element(xml), shapes.INCLUSAO) == ["none of the 'plano' elements is present"]


def _digests(workspace, file_id: int) -> list[bytes]:
    cursor = workspace.cursor()
    result = cursor.execute("SELECT * FROM sbx_movements WHERE file_id = ? ORDER BY record_no", [file_id])
    columns = [d[0] for d in result.description]
    rows = [dict(zip(columns, row)) for row in result.fetchall()]
    return [row_digest(row["movement"], row) for row in rows]


def test_a_tampered_file_fails_verification(workspace, out, tmp_path):
    source_id = load_file(workspace, SAMPLE_DIR / "99999720261103101500.SBX").file_id
    cursor = workspace.cursor()
    [regeneration] = regenerate(cursor, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK).regenerations
    written = regeneration.files[0]
    expected = Expected(written.name, "999997", "2026-11-21T08:00:00", written.hash, _digests(workspace, source_id))
    assert verify_part(written.path, expected) == []
    content = written.path.read_bytes()
    tampered = content.replace(b"<nome>MARIANA COSTA FERREIRA</nome>", b"<nome>MARIANA COSTA FERREIRO</nome>")
    assert tampered != content
    written.path.write_bytes(tampered)
    problems = verify_part(written.path, expected)
    assert problems == [f"{written.name}: declared hash {written.hash} does not match the content",
                        f"{written.name}: movement 1 reads back with other values"]


def test_cnx_edits_already_written_are_not_written_again_until_they_change(workspace, out):
    file_id = load_file(workspace, NEWEST_CNX).file_id
    cursor = workspace.cursor()
    editor.set_field(cursor, RecordRef(file_id, 1), "numero", "12")
    [first] = regenerate(cursor, out, clock=lambda: CLOCK).regenerations
    again = regenerate(cursor, out, clock=lambda: CLOCK)
    assert again.regenerations == []
    [(_, why)] = again.skipped
    assert why.startswith("nada mudou: os 1 movimento(s) já estão em 99999720261121080000.SBX")
    editor.set_field(cursor, RecordRef(file_id, 1), "bairro", "JARDINS")
    [second] = regenerate(cursor, out, clock=lambda: CLOCK).regenerations
    assert second.superseded == [first.files[0].name]  # the first file is not to be sent any more
    root = etree.parse(str(second.files[0].path)).getroot()
    assert [(c.tag, c.text) for c in root.find(".//retificacao/endereco")] == [("numero", "12"), ("bairro", "JARDINS")]
    assert sorted(p.name for p in out.glob("*.SBX")) == [second.files[0].name]


def test_cnx_edits_in_a_file_sent_to_ans_are_not_sent_again(workspace, out):
    file_id = load_file(workspace, NEWEST_CNX).file_id
    cursor = workspace.cursor()
    editor.set_field(cursor, RecordRef(file_id, 1), "numero", "12")
    [first] = regenerate(cursor, out, clock=lambda: CLOCK).regenerations
    load_file(workspace, first.files[0].path)  # sent: the analyst loads what went to ANS
    editor.set_field(cursor, RecordRef(file_id, 1), "bairro", "JARDINS")
    [second] = regenerate(cursor, out, clock=lambda: CLOCK).regenerations
    assert second.superseded == []
    root = etree.parse(str(second.files[0].path)).getroot()
    assert [(c.tag, c.text) for c in root.find(".//retificacao/endereco")] == [("bairro", "JARDINS")]


def _regenerated_sample(workspace, out):
    source_id = load_file(workspace, SAMPLE_DIR / "99999720261103101500.SBX").file_id
    cursor = workspace.cursor()
    [regeneration] = regenerate(cursor, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK).regenerations
    written = regeneration.files[0]
    expected = Expected(written.name, "999997", "2026-11-21T08:00:00", written.hash, _digests(workspace, source_id))
    assert verify_part(written.path, expected) == []
    return written, expected


def test_the_reload_checks_element_order_of_every_movement(workspace, out):
    """Order is judged in the reload itself, once per distinct structure: a movement whose
    elements are swapped is caught after movements of the same shape passed."""
    written, expected = _regenerated_sample(workspace, out)
    content = written.path.read_bytes()
    inclusions = [match.start() for match in re.finditer(rb"<inclusao>", content)]
    assert len(inclusions) >= 3
    start, end = inclusions[2], inclusions[2] + content[inclusions[2]:].index(b"</inclusao>")
    block = content[start:end]
    swapped = re.sub(rb"(\n *<nome>[^<]*</nome>)(\n *<sexo>[^<]*</sexo>)", rb"\2\1", block, count=1)
    assert swapped != block
    written.path.write_bytes(content[:start] + swapped + content[end:])
    problems = verify_part(written.path, expected)
    assert f"{written.name}: movement 3 <inclusao>: <identificacao>: <nome> is out of the schema's order" in problems
    assert not any("movement 1 " in problem or "movement 2 " in problem for problem in problems)


def test_the_reload_refuses_an_empty_element(workspace, out):
    written, expected = _regenerated_sample(workspace, out)
    content = written.path.read_bytes()
    emptied = content.replace(b"<cep>01310930</cep>", b"<cep></cep>", 1)
    assert emptied != content
    written.path.write_bytes(emptied)
    problems = verify_part(written.path, expected)
    assert f"{written.name}: movement 1: <cep> is empty (empty elements are left out)" in problems
