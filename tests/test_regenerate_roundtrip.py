"""Round trip: load an SBX, regenerate it with every movement and no edits, load it back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import ANS_EXAMPLE, REAL_SBX_DIR, SAMPLE_DIR, XSD_DIR, spec_file
from sibfiles import reference_hash
from sibtui.edit.regen.run import regenerate
from sibtui.ingest.hashcheck import check_hash
from sibtui.ingest.loader import load_file
from sibtui.workspace import Workspace

SBX_MAIN = SAMPLE_DIR / "99999720261103101500.SBX"
CLOCK = dt.datetime(2026, 11, 20, 9, 30, 0)


def _movements(workspace: Workspace, file_id: int) -> list[tuple]:
    cursor = workspace.cursor()
    try:
        return cursor.execute(
            "SELECT * EXCLUDE (file_id, line) FROM sbx_movements WHERE file_id = ? ORDER BY record_no", [file_id]
        ).fetchall()
    finally:
        cursor.close()


def _round_trip(tmp_path: Path, source: Path) -> tuple[list[tuple], list[tuple], Path, Workspace]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    original = Workspace(tmp_path / "original.duckdb")
    file_id = load_file(original, source).file_id
    cursor = original.cursor()
    result = regenerate(cursor, out, sbx_file_ids=[file_id], all_movements=True, clock=lambda: CLOCK)
    cursor.close()
    assert not result.failed, result.failed[0].problems
    [written] = result.regenerations[0].files
    with Workspace(tmp_path / "reloaded.duckdb") as reloaded:
        again = _movements(reloaded, load_file(reloaded, written.path).file_id)
    return _movements(original, file_id), again, written.path, original


def test_sample_sbx_comes_back_identical_with_a_correct_hash(tmp_path):
    before, after, path, original = _round_trip(tmp_path, SBX_MAIN)
    original.close()
    assert after == before
    assert len(after) == 25
    check = check_hash(path)
    assert check.ok and check.matched_encoding == "ISO-8859-1"
    assert check.declared == reference_hash(path.read_bytes())  # an implementation sharing no code


def test_written_name_and_header_follow_the_spec(tmp_path):
    *_, path, original = _round_trip(tmp_path, SBX_MAIN)
    original.close()
    assert path.name == "99999720261120093000.SBX"
    root = etree.parse(str(path)).getroot()
    assert root.findtext("cabecalho/identificacaoTransacao/dataHoraRegistroTransacao") == "2026-11-20T09:30:00"
    assert root.findtext("cabecalho/identificacaoTransacao/sequencialTransacao") == "42"  # the sample's was 41
    assert root.findtext("cabecalho/origem/registroANS") == "999997"
    assert root.findtext("cabecalho/destino/cnpj") == "03589068000146"
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')


def test_written_file_is_valid_against_the_official_schema(tmp_path):
    schema = etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))
    *_, path, original = _round_trip(tmp_path, SBX_MAIN)
    original.close()
    assert schema.validate(etree.parse(str(path))), schema.error_log


def test_ans_example_is_reordered_and_trimmed_and_nothing_else(tmp_path):
    before, after, path, original = _round_trip(tmp_path, spec_file(ANS_EXAMPLE))
    cursor = original.cursor()
    changes = cursor.execute("SELECT field, original_value, written_value, why FROM regenerated_changes "
                             "ORDER BY position, field").fetchall()
    cursor.close()
    original.close()
    assert changes == [("nome", "NOME TESTE ", "NOME TESTE", "trim"), ("nomeMae", "NOME MAE TESTE ", "NOME MAE TESTE",
                        "trim")] * 2
    movements = [row[1] for row in after]
    assert movements == ["inclusao", "retificacao", "mudancaContratual", "cancelamento", "reativacao"]

    def trimmed(rows):
        return sorted(tuple(v.strip() if isinstance(v, str) else v for v in row[1:]) for row in rows)

    assert trimmed(after) == trimmed(before)
    assert check_hash(path).ok


@pytest.mark.parametrize("name", ["00058220170102082100.SBX", "31212620170217134439.SBX"])
def test_real_files_come_back_identical_and_schema_valid(tmp_path, name):
    schema = etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))
    before, after, path, original = _round_trip(tmp_path, spec_file(REAL_SBX_DIR / name))
    original.close()
    assert after == before  # partial retificações: only what changes, containers kept
    assert schema.validate(etree.parse(str(path))), schema.error_log
    assert re.fullmatch(rf"{name[:6]}2026112009300\d\.SBX", path.name)
