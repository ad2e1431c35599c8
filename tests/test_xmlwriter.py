"""The SIB XML writer: schema-valid, correctly hashed, values escaped, bad values refused."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from conftest import XSD_DIR, spec_file
from sibfiles import reference_hash
from sibtui.catalog import shapes
from sibtui.catalog.kinds import Movement
from sibtui.ingest.hashcheck import check_hash
from sibtui.ingest.loader import load_file
from sibtui.xmlwriter import SibXmlWriter, UnwritableValue


def official_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))


def _rewrite(workspace, file_id: int, kind: str) -> bytes:
    cursor = workspace.cursor()
    header_row = cursor.execute("SELECT * FROM files WHERE file_id = ?", [file_id])
    header = dict(zip([d[0] for d in cursor.description], header_row.fetchall()[0]))
    table = "sbx_movements" if kind == "SBX" else "cnx_beneficiaries"
    result = cursor.execute(f"SELECT * FROM {table} WHERE file_id = ? ORDER BY record_no", [file_id])
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, row)) for row in result.fetchall()]
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.node(shapes.CABECALHO, header)
    writer.open("mensagem")
    if kind == "SBX":
        writer.open("operadoraParaANS")
        writer.open("beneficiarios")
        for row in rows:
            writer.node(shapes.MOVEMENT_SHAPES[Movement(row["movement"])], row)
    else:
        writer.open("ansParaOperadora")
        writer.open("conferencia")
        for row in rows:
            writer.node(shapes.CNX_BENEFICIARIO, row)
    writer.finish()
    return out.getvalue()


@pytest.mark.parametrize("kind", ["SBX", "CNX"])
def test_rewriting_loaded_rows_reproduces_the_declared_hash(kind, workspace, fact_sheet_files, tmp_path):
    report = load_file(workspace, fact_sheet_files[kind])
    content = _rewrite(workspace, report.file_id, kind)
    (tmp_path / "again.xml").write_bytes(content)
    check = check_hash(tmp_path / "again.xml")
    assert check.ok
    assert check.declared == report.hash_declared.strip()
    assert official_schema().validate(etree.fromstring(content)), official_schema().error_log


def test_values_are_escaped_and_hashed_unescaped(tmp_path):
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.open("cabecalho")
    writer.leaf("tipoTransacao", 'A & B <"C">')
    writer.close("cabecalho")
    writer.finish()
    content = out.getvalue()
    assert b"A &amp; B &lt;\"C\"&gt;" in content
    root = etree.fromstring(content)
    assert root.findtext("cabecalho/tipoTransacao") == 'A & B <"C">'
    assert root.findtext("epilogo/hash") == reference_hash(content)


@pytest.mark.parametrize("value", ["EURO €", "TAB\x01"])
def test_values_outside_latin1_or_xml_are_refused(value):
    writer = SibXmlWriter(io.BytesIO())
    with pytest.raises(UnwritableValue):
        writer.leaf("nome", value)


def test_absent_values_are_omitted_and_required_containers_kept(workspace, tmp_path):
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.node(shapes.RETIFICACAO, {"cco": "041036536701", "cpf": "14725294802", "cns": None})
    writer.finish()
    root = etree.fromstring(out.getvalue())
    retificacao = root.find("retificacao")
    assert [child.tag for child in retificacao] == ["cco", "identificacao", "endereco", "vinculo"]
    assert [child.tag for child in retificacao.find("identificacao")] == ["cpf"]
    assert len(retificacao.find("endereco")) == 0
