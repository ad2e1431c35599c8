"""Compliance month by month (`sibtui status --months`) and the no-movement file (RN 250 arts.
6, 7, 11–13, 25): a gap month is missing, an overdue correction is overdue, a file rejected
whole does not count as sent, and a no-movement file sibtui writes validates, is named and
logged like any SBX, and loads back showing its reason."""

from __future__ import annotations

import csv
import io

import pytest
from cli_helpers import run_cli
from lxml import etree

from conftest import XSD_DIR, spec_file
from sibfiles import CANCELAMENTO, INCLUSAO, document, header, reference_hash, rpx_rejecting, sbx, write
from sibtui.cli import main

REGISTRO = "999997"


def _sbx(folder, stamp: str, movements: str = INCLUSAO + CANCELAMENTO):
    when = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}"
    return write(folder, f"{REGISTRO}{stamp}.SBX", sbx(movements, head=header(REGISTRO, when=when)))


def _rpx(folder, sbx_name: str, stamp: str, rejections):
    when = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T10:00:00"
    return write(folder, f"{REGISTRO}{stamp}100000.RPX", rpx_rejecting(sbx_name, rejections, when=when))


def _rejected_whole(folder, sbx_name: str, stamp: str):
    result = (f"<arquivoRejeitado><nomeArquivo>{sbx_name}</nomeArquivo><tamanhoArquivo>1</tamanhoArquivo>"
              f"<dataHoraRecebimento>{stamp}T09:00:00</dataHoraRecebimento><enderecoIPOrigem>10.0.0.1"
              "</enderecoIPOrigem><codigoMotivoRejeicao>20</codigoMotivoRejeicao><motivoRejeicao>HASH INVALIDO"
              "</motivoRejeicao></arquivoRejeitado>")
    message = f"<ansParaOperadora><resultadoProcessamento>{result}</resultadoProcessamento></ansParaOperadora>"
    content = document(message, kind="RPX", head=header(REGISTRO, kind="RPX", when=f"{stamp}T10:00:00"))
    return write(folder, f"{REGISTRO}{stamp.replace('-', '')}100000.RPX", content)


@pytest.fixture
def db(tmp_path):
    """2026-07 accepted; 2026-08 rejected whole; 2026-09 nothing; 2026-10 accepted with one record
    rejected and not corrected."""
    folder = tmp_path / "in"
    folder.mkdir()
    july = _sbx(folder, "20260803101500")
    august = _sbx(folder, "20260904101500")
    october = _sbx(folder, "20261104101500")
    paths = [july, _rpx(folder, july.name, "20260806", []), august,
             _rejected_whole(folder, august.name, "2026-09-06"), october,
             _rpx(folder, october.name, "20261107", [("4", "039876543205", "31", "3101")])]
    path = tmp_path / "w.duckdb"
    assert main(["load", "--db", str(path), "--quiet", *map(str, paths)]) == 0
    return path



def _months(capsys, db, today: str) -> dict[str, dict]:
    code, out, err = run_cli(capsys, "status", "--db", db, "--months", "--format", "csv", "--today", today)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:2] == ["competencia", "situacao"]
    return {row["competencia"]: row for row in rows}


def test_a_gap_month_is_missing_and_an_overdue_correction_is_overdue(db, capsys):
    months = _months(capsys, db, "2026-12-20")
    assert list(months) == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert {key: row["situacao"] for key, row in months.items()} == {
        "2026-07": "aceito", "2026-08": "rejeitado", "2026-09": "faltando", "2026-10": "aceito",
        "2026-11": "faltando", "2026-12": "faltando"}
    gap = months["2026-09"]
    assert (gap["prazo_envio"], gap["envio"], gap["envio_vencido"]) == ("2026-10-05", "vencido", "True")
    rejected = months["2026-08"]  # rejected whole: counts as not sent (art. 25 §2)
    assert (rejected["envio"], rejected["envio_vencido"]) == ("vencido", "True")
    october = months["2026-10"]
    assert (october["envio"], october["prazo_correcao"], october["correcao"], october["correcao_vencida"],
            october["a_reenviar"]) == ("enviado", "2026-12-05", "vencido", "True", "1")
    assert (months["2026-07"]["correcao"], months["2026-12"]["envio"]) == ("sem_erros", "no_prazo")


def test_before_the_correction_deadline_it_is_pending(db, capsys):
    october = _months(capsys, db, "2026-11-20")["2026-10"]
    assert (october["correcao"], october["correcao_vencida"]) == ("pendente", "False")


def test_status_names_the_missed_correction_not_the_next_day_5(db, capsys):
    code, out, _ = run_cli(capsys, "status", "--db", db, "--format", "csv", "--today", "2026-12-20")
    rows = {row["sbx"]: row for row in csv.DictReader(io.StringIO(out))}
    october = rows[f"{REGISTRO}20261104101500.SBX"]
    assert (october["prazo"], october["dias_restantes"]) == ("2026-12-05", "-15")
    assert "correção vencida em 05/12/2026" in october["alertas"]


def test_a_no_movement_file_validates_and_loads_back_with_its_reason(db, capsys, tmp_path):
    schema = etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run_cli(capsys, "regenerate", "--db", db, "--out", out, "--no-movement", "2026-09",
                             "--reason", "62", "--xsd", XSD_DIR / "sib.xsd")
    assert code == 0, err
    [written] = list(out.glob("*.SBX"))
    assert written.name.startswith(REGISTRO) and len(written.name) == 24
    parsed = etree.parse(str(written))
    assert schema.validate(parsed), schema.error_log.last_error
    assert parsed.findtext("epilogo/hash") == reference_hash(written.read_bytes())
    assert parsed.findtext("mensagem/operadoraParaANS/naoEnvioBeneficiarios/motivoNaoEnvioBeneficiarios") == "62"
    assert parsed.findtext("cabecalho/identificacaoTransacao/sequencialTransacao") == "8"  # after the loaded 7
    code, stdout, _ = run_cli(capsys, "query", "--db", db, "--format", "csv",
                           "select scope, competencia, movement_count, published from regenerations")
    assert stdout.splitlines()[1] == "no-movement,2026-09,0,True"
    code, stdout, err = run_cli(capsys, "regenerate", "--db", db, "--out", out, "--no-movement", "2026-09",
                             "--reason", "62")
    assert code == 0 and "nada a gerar" in stdout and len(list(out.glob("*.SBX"))) == 1  # never twice
    assert main(["load", "--db", str(db), "--quiet", str(written)]) == 0
    months = _months(capsys, db, "2026-12-20")
    assert (months["2026-09"]["situacao"], months["2026-09"]["motivo_sem_movimento"]) == (
        "sem_resposta", "62 (sem atualização cadastral)")  # declared 2026-09, though made in another month
    code, stdout, _ = run_cli(capsys, "status", "--db", db, "--format", "csv", "--today", "2026-12-20")
    row = next(r for r in csv.DictReader(io.StringIO(stdout)) if r["sbx"] == written.name)
    assert (row["competencia"], row["movimentos"], row["motivo_sem_movimento"]) == (
        "2026-09", "0", "62 (sem atualização cadastral)")


def test_a_month_with_movements_takes_no_no_movement_file(db, capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli(capsys, "regenerate", "--db", db, "--out", out, "--no-movement", "2026-10", "--reason", "62")
    assert code == 1 and "já leva 2 movimento(s)" in err and list(out.iterdir()) == []
    code, _, err = run_cli(capsys, "regenerate", "--db", db, "--out", out, "--no-movement", "2026-13", "--reason", "62")
    assert code == 1 and "AAAA-MM" in err
    code, _, err = run_cli(capsys, "regenerate", "--db", db, "--out", out, "--no-movement", "2026-09")
    assert code == 2
