"""The cycle table: pairing, orphans, re-processed files, late and expired RPX, bad dates."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SAMPLE_DIR
from sibfiles import INCLUSAO, document, header, sbx, write
from sibtui.cli import main
from sibtui.cycle.status import AWAITING, ORPHAN, PROCESSED, REJECTED, cycle_rows
from sibtui.ingest.loader import load_file, load_files

TODAY = date(2026, 12, 1)


def rpx(sbx_name: str, *, when: str, registro: str = "999997", protocolo: str = "1", rejected: bool = False) -> bytes:
    if rejected:
        result = (
            f"<arquivoRejeitado><nomeArquivo>{sbx_name}</nomeArquivo><tamanhoArquivo>10</tamanhoArquivo>"
            "<dataHoraRecebimento>2026-11-04T10:00:00</dataHoraRecebimento><enderecoIPOrigem>10.0.0.1</enderecoIPOrigem>"
            "<codigoMotivoRejeicao>16</codigoMotivoRejeicao><motivoRejeicao>ERRO_VALIDACAO_XSD</motivoRejeicao>"
            "</arquivoRejeitado>"
        )
    else:
        result = (
            f"<arquivoProcessado><protocoloProcessamento><numeroProtocolo>{protocolo}</numeroProtocolo>"
            f"<nomeArquivo>{sbx_name}</nomeArquivo></protocoloProcessamento><consolidado><consolidadoProcessamento>"
            + "".join(
                f"<{tag}><quantidadeRegistros>1</quantidadeRegistros><quantidadeProcessados>1</quantidadeProcessados>"
                f"<quantidadeRejeitados>0</quantidadeRejeitados><percentualAcerto>100.0</percentualAcerto></{tag}>"
                for tag in ("consolidadoInclusao", "consolidadoRetificacao", "consolidadoMudancaContratual",
                            "consolidadoReativacao", "consolidadoCancelamento", "consolidadoSemMovimentacao",
                            "consolidadoTotal")
            )
            + "</consolidadoProcessamento></consolidado></arquivoProcessado>"
        )
    message = f"<ansParaOperadora><resultadoProcessamento>{result}</resultadoProcessamento></ansParaOperadora>"
    return document(message, kind="RPX", head=header(registro, kind="RPX", when=when))


def _sbx(tmp_path, name: str, when: str):
    return write(tmp_path, name, sbx(INCLUSAO, head=header("999997", when=when)))


def test_sample_month(workspace):
    list(load_files(workspace, [SAMPLE_DIR]))
    rows = {row.sbx_name: row for row in cycle_rows(workspace.cursor(), TODAY)}
    processed = rows["99999720261103101500.SBX"]
    assert (processed.outcome, processed.protocolo, processed.rejected_records) == (PROCESSED, "202611000417362", 11)
    assert processed.totals["total"].percentual_acerto == 56.0
    rejected = rows["99999720261104160000.SBX"]
    assert (rejected.outcome, rejected.rejection_code, rejected.pending_records) == (REJECTED, "20", 2)
    assert str(rejected.competencia) == "2026-10"
    assert rejected.deadline(TODAY) == date(2026, 12, 5) and rejected.days_left(TODAY) == 4
    assert "envio de 2026-10 venceu em 05/11/2026; a correção vai até 05/12/2026" in rejected.alerts(TODAY)


def test_an_rpx_whose_sbx_is_not_loaded_is_its_own_row(workspace, tmp_path):
    load_file(workspace, write(tmp_path, "99999720261105030000.RPX", rpx("99999720261101090000.SBX", when="2026-11-05T03:00:00")))
    (row,) = cycle_rows(workspace.cursor(), TODAY)
    assert (row.outcome, row.sbx_name, row.sbx_file_id) == (ORPHAN, "99999720261101090000.SBX", None)
    assert "SBX não carregado" in row.alerts(TODAY)


def test_two_answers_to_one_sbx_the_newer_counts(workspace, tmp_path):
    load_file(workspace, _sbx(tmp_path, "99999720261103101500.SBX", "2026-11-03T10:15:00"))
    name = "99999720261103101500.SBX"
    load_file(workspace, write(tmp_path, "99999720261106000000.RPX", rpx(name, when="2026-11-06T00:00:00", protocolo="NOVO")))
    load_file(workspace, write(tmp_path, "99999720261105000000.RPX", rpx(name, when="2026-11-05T00:00:00", protocolo="VELHO")))
    (row,) = cycle_rows(workspace.cursor(), TODAY)
    assert (row.protocolo, row.answers) == ("NOVO", 2)
    assert "2 RPX para este SBX: vale o mais novo" in row.alerts(TODAY)


def test_an_rpx_of_another_registro_is_flagged(workspace, tmp_path):
    load_file(workspace, _sbx(tmp_path, "99999720261103101500.SBX", "2026-11-03T10:15:00"))
    load_file(workspace, write(tmp_path, "00058220261105000000.RPX",
                               rpx("99999720261103101500.SBX", when="2026-11-05T00:00:00", registro="000582")))
    (row,) = cycle_rows(workspace.cursor(), TODAY)
    assert row.registro_mismatch and "RPX de outro registro ANS" in row.alerts(TODAY)


@pytest.mark.parametrize("today, late", [(date(2026, 11, 28), False), (date(2026, 11, 29), True)])
def test_an_sbx_waiting_more_than_five_days_is_late(workspace, tmp_path, today, late):
    load_file(workspace, _sbx(tmp_path, "99999720261123090000.SBX", "2026-11-23T09:00:00"))
    (row,) = cycle_rows(workspace.cursor(), today)
    assert row.outcome == AWAITING and row.rpx_late is late


def test_an_rpx_older_than_three_months_is_marked_expired(workspace, tmp_path):
    load_file(workspace, _sbx(tmp_path, "99999720260803101500.SBX", "2026-08-03T10:15:00"))
    load_file(workspace, write(tmp_path, "99999720260805000000.RPX",
                               rpx("99999720260803101500.SBX", when="2026-08-05T00:00:00", rejected=True)))
    assert not cycle_rows(workspace.cursor(), date(2026, 11, 5))[0].rpx_expired
    assert cycle_rows(workspace.cursor(), date(2026, 11, 6))[0].rpx_expired


def test_dates_that_do_not_parse_leave_the_row_without_them(workspace, tmp_path):
    load_file(workspace, write(tmp_path, "remessa.sbx", sbx(INCLUSAO, head=header("999997", when="ontem"))))
    (row,) = cycle_rows(workspace.cursor(), TODAY)
    assert (row.sent_at, row.competencia, row.deadline(TODAY)) == (None, None, None)


def test_status_command_prints_the_table(workspace, capsys):
    list(load_files(workspace, [SAMPLE_DIR]))
    workspace.close()
    assert main(["status", "--db", str(workspace.path), "--today", "2026-12-01", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("sbx,registro_ans,competencia")
    assert any(line.startswith("99999720261104160000.SBX,999997,2026-10,") and "arquivo rejeitado (20)" in line
               for line in lines)
    with pytest.raises(SystemExit) as usage:
        main(["status", "--db", str(workspace.path), "--today", "amanhã"])
    assert usage.value.code == 2
    assert "not a date" in capsys.readouterr().err
