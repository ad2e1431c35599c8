"""sample_files/: up to date with its generator, schema-valid, consistent, and loaded whole."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lxml import etree

from conftest import REPO, SAMPLE_DIR, XSD_DIR, query, spec_file
from sibtui.ingest.loader import load_files

SAMPLES = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix.upper() in {".SBX", ".RPX", ".CNX"})
WRONG_HASH = "99999720261104160000.SBX"  # deliberately: ANS rejects it with code 20


def test_samples_are_what_the_generator_writes():
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "make_samples.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_samples_validate_against_the_official_schema():
    schema = etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))
    for path in SAMPLES:
        assert schema.validate(etree.parse(str(path))), (path.name, schema.error_log.last_error)


def _independent_counts(path) -> dict[str, int]:
    """Records per table, counted with a plain DOM walk that shares nothing with the loader."""
    root = etree.parse(str(path)).getroot()
    movements = root.findall("mensagem/operadoraParaANS/beneficiarios/*")
    errors = root.findall(".//registroRejeitado/campoErro/erro")
    return {
        "sbx_movements": len(movements),
        "cnx_beneficiaries": len(root.findall(".//conferencia/beneficiario")),
        "rpx_rejections": len(errors),
        "rpx_inclusions": len(root.findall(".//registrosIncluidos/registroIncluido")),
        "rpx_results": len(root.findall(".//resultadoProcessamento/*")),
        "rpx_error_totals": len(root.findall(".//consolidadoErroProcessamento/erro")),
    }


@pytest.fixture
def loaded(workspace):
    outcomes = list(load_files(workspace, [SAMPLE_DIR]))
    assert [o.error for o in outcomes] == [None] * len(SAMPLES)
    return {o.path.name: o.report for o in outcomes}


def test_every_record_of_every_sample_is_loaded(workspace, loaded):
    assert sorted(loaded) == [p.name for p in SAMPLES]
    for path in SAMPLES:
        file_id = loaded[path.name].file_id
        for table, expected in _independent_counts(path).items():
            (count,) = query(workspace, f"SELECT count(*) FROM {table} WHERE file_id = ?", [file_id])[0]
            assert count == expected, (path.name, table)


def test_hashes_are_right_except_the_deliberate_one(loaded):
    assert {name for name, report in loaded.items() if not report.hash_ok} == {WRONG_HASH}


def test_the_rpx_answers_the_sbx_and_its_inclusions_reach_the_later_cnx(workspace, loaded):
    links = query(workspace, "SELECT count(*), count(sbx_record_no) FROM rpx_rejection_links")[0]
    assert links[0] == links[1] > 0  # every rejection points at a loaded movement
    unmatched = query(
        workspace,
        """SELECT i.codigoBeneficiario FROM rpx_inclusions i
           LEFT JOIN cnx_beneficiaries c ON c.cco = i.cco AND c.file_id = ?
           WHERE c.cco IS NULL OR c.codigoBeneficiario <> i.codigoBeneficiario""",
        [loaded["ArqConf9999971020261110.CNX"].file_id],
    )
    assert unmatched == []
    rejected = query(workspace, "SELECT nomeArquivo, codigoMotivoRejeicao FROM rpx_results WHERE status = 'rejeitado'")
    assert rejected == [(WRONG_HASH, "20")]
