"""Loader behaviour beyond table contents: duplicates, progress, cancel, warnings, edge structures."""

from __future__ import annotations

import shutil

import pytest

from conftest import ANS_EXAMPLE, query, spec_file, table_snapshot
from sibfiles import BENEFICIARIO, CANCELAMENTO, DECLARATION, INCLUSAO, cnx, document, header, sbx, write
from sibtui.errors import DuplicateFileError, LoadCancelled
from sibtui.ingest import parser as parser_module
from sibtui.ingest.loader import load_file, load_files


def test_same_content_twice_is_detected_even_under_another_name(workspace, tmp_path):
    first = load_file(workspace, spec_file(ANS_EXAMPLE))
    copy = tmp_path / "renomeado.sbx"
    shutil.copy(ANS_EXAMPLE, copy)
    with pytest.raises(DuplicateFileError) as raised:
        load_file(workspace, copy)
    assert raised.value.existing_file_id == first.file_id
    assert query(workspace, "SELECT count(*) FROM sbx_movements") == [(5,)]
    assert query(workspace, "SELECT count(*) FROM files") == [(1,)]


def test_load_files_reports_a_bad_file_and_loads_the_rest(workspace, tmp_path):
    good_a = write(tmp_path, "a.sbx", sbx(INCLUSAO))
    bad = write(tmp_path, "b.sbx", b"<nope")
    good_c = write(tmp_path, "c.cnx", cnx(BENEFICIARIO))
    outcomes = list(load_files(workspace, [good_a, bad, good_c]))
    assert [o.report is not None for o in outcomes] == [True, False, True]
    assert "b.sbx" in str(outcomes[1].error)
    assert query(workspace, "SELECT name, kind, record_count FROM files ORDER BY file_id") == [
        ("a.sbx", "SBX", 1), ("c.cnx", "CNX", 1)
    ]


def test_folders_expand_to_their_sib_files(workspace, tmp_path):
    write(tmp_path, "a.SBX", sbx(INCLUSAO))
    write(tmp_path, "notas.txt", b"nada")
    outcomes = list(load_files(workspace, [tmp_path]))
    assert [o.path.name for o in outcomes] == ["a.SBX"]


def test_progress_reports_bytes_and_records_and_cancel_keeps_nothing(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(parser_module, "PROGRESS_EVERY", 10)
    path = write(tmp_path, "grande.sbx", sbx(CANCELAMENTO * 55))
    seen: list[tuple[int, int, int]] = []
    report = load_file(workspace, path, progress=lambda *values: seen.append(values))
    assert report.record_count == 55
    assert [records for _, _, records in seen[:-1]] == [10, 20, 30, 40, 50]
    assert seen[-1] == (path.stat().st_size, path.stat().st_size, 55)

    before = table_snapshot(workspace)
    other = write(tmp_path, "outro.sbx", sbx(CANCELAMENTO * 30, registro="000582"))
    with pytest.raises(LoadCancelled):
        load_file(workspace, other, cancel=lambda: True)
    assert table_snapshot(workspace) == before


def test_empty_and_absent_elements_stay_distinct(workspace, tmp_path):
    movement = (
        "<retificacao><cco>041036536701</cco><identificacao><cpf></cpf><nomeMae/></identificacao>"
        "<endereco/><vinculo/></retificacao>"
    )
    load_file(workspace, write(tmp_path, "r.sbx", sbx(movement)))
    assert query(workspace, "SELECT cpf, nomeMae, cns FROM sbx_movements") == [("", "", None)]


def test_no_movement_declaration(workspace, tmp_path):
    content = document(
        "<operadoraParaANS><naoEnvioBeneficiarios><motivoNaoEnvioBeneficiarios>62</motivoNaoEnvioBeneficiarios>"
        "</naoEnvioBeneficiarios></operadoraParaANS>"
    )
    report = load_file(workspace, write(tmp_path, "s.sbx", content))
    assert report.record_count == 0 and report.hash_ok
    assert query(workspace, "SELECT kind, motivoNaoEnvioBeneficiarios FROM files") == [("SBX", "62")]


def test_whole_file_rejection_rpx(workspace, tmp_path):
    content = document(
        "<ansParaOperadora><resultadoProcessamento><arquivoRejeitado><nomeArquivo>99999720250203101500.SBX</nomeArquivo>"
        "<tamanhoArquivo>4213</tamanhoArquivo><dataHoraRecebimento>2025-02-03T11:00:00</dataHoraRecebimento>"
        "<enderecoIPOrigem>10.0.0.1</enderecoIPOrigem><codigoMotivoRejeicao>20</codigoMotivoRejeicao>"
        "<motivoRejeicao>ERRO_EPILOGO_HASH_INVALIDO</motivoRejeicao></arquivoRejeitado></resultadoProcessamento>"
        "</ansParaOperadora>",
        kind="RPX",
    )
    report = load_file(workspace, write(tmp_path, "99999720250205031244.RPX", content))
    assert report.kind.value == "RPX" and report.hash_ok
    assert query(workspace, "SELECT status, nomeArquivo, codigoMotivoRejeicao, motivoRejeicao, numeroProtocolo FROM rpx_results") == [
        ("rejeitado", "99999720250203101500.SBX", "20", "ERRO_EPILOGO_HASH_INVALIDO", None)
    ]


def test_rpx_with_two_consolidated_blocks_and_multi_error_record(workspace, tmp_path):
    counts = "".join(
        f"<{tag}><quantidadeRegistros>1</quantidadeRegistros><quantidadeProcessados>1</quantidadeProcessados>"
        f"<quantidadeRejeitados>0</quantidadeRejeitados><percentualAcerto>100</percentualAcerto></{tag}>"
        for tag in ("consolidadoInclusao", "consolidadoRetificacao", "consolidadoMudancaContratual",
                    "consolidadoReativacao", "consolidadoCancelamento", "consolidadoSemMovimentacao", "consolidadoTotal")
    )
    rejected = (
        '<registroRejeitado cco="041036536701" codigoTipoMovimento="02" tipoMovimento="RETIFICAÇÃO">'
        "<campoErro><codigoCampo>04</codigoCampo><descricaoCampo>CPF</descricaoCampo><valorCampo>1</valorCampo>"
        "<erro><codigoErro>0401</codigoErro><mensagemErro>A</mensagemErro></erro>"
        "<erro><codigoErro>0403</codigoErro><mensagemErro>B</mensagemErro></erro></campoErro>"
        "<campoErro><codigoCampo>07</codigoCampo><descricaoCampo>CNS</descricaoCampo>"
        "<erro><codigoErro>0701</codigoErro><mensagemErro>C</mensagemErro></erro></campoErro></registroRejeitado>"
    )
    content = document(
        "<ansParaOperadora><resultadoProcessamento><arquivoProcessado><protocoloProcessamento>"
        "<numeroProtocolo>1</numeroProtocolo><nomeArquivo>X.SBX</nomeArquivo></protocoloProcessamento>"
        f"<registrosRejeitados>{rejected}</registrosRejeitados><consolidado>"
        f"<consolidadoProcessamento>{counts}</consolidadoProcessamento>"
        "<consolidadoErroProcessamento><erro><codigoErro>0401</codigoErro><mensagemErro>A</mensagemErro>"
        "<quantidadeOcorrenciaErro>1</quantidadeOcorrenciaErro></erro></consolidadoErroProcessamento>"
        f"<consolidadoProcessamento>{counts}</consolidadoProcessamento></consolidado>"
        "</arquivoProcessado></resultadoProcessamento></ansParaOperadora>",
        kind="RPX",
    )
    report = load_file(workspace, write(tmp_path, "r.rpx", content))
    assert report.hash_ok
    assert query(workspace, "SELECT record_no, error_no, codigoTipoMovimento, codigoCampo, valorCampo, codigoErro FROM rpx_rejections ORDER BY 2") == [
        (1, 1, "02", "04", "1", "0401"), (1, 2, "02", "04", "1", "0403"), (1, 3, "02", "07", None, "0701")
    ]
    assert query(workspace, "SELECT block_no, count(*) FROM rpx_totals GROUP BY 1 ORDER BY 1") == [(1, 7), (2, 7)]
    assert query(workspace, "SELECT block_no, codigoErro FROM rpx_error_totals") == [(2, "0401")]


def test_header_business_failures_are_kept(workspace, tmp_path):
    failures = "<falhaNegocio><falha><codigoFalha>9</codigoFalha><descricaoFalha>TESTE</descricaoFalha></falha></falhaNegocio>"
    head = header().replace("</identificacaoTransacao>", "</identificacaoTransacao>" + failures)
    load_file(workspace, write(tmp_path, "f.sbx", sbx(INCLUSAO, head=head)))
    assert query(workspace, "SELECT codigoFalha, descricaoFalha FROM header_failures") == [("9", "TESTE")]


def test_kind_comes_from_content_and_a_wrong_extension_is_a_warning(workspace, tmp_path):
    report = load_file(workspace, write(tmp_path, "engano.RPX", sbx(INCLUSAO)))
    assert report.kind.value == "SBX"
    assert any("named .RPX but holds an SBX" in w.message for w in report.warnings)
    assert query(workspace, "SELECT message FROM load_warnings") == [("named .RPX but holds an SBX; loaded as SBX",)]


def test_namespaced_elements_load_with_a_warning(workspace, tmp_path):
    plain = sbx(CANCELAMENTO).decode("latin-1")
    namespaced = plain.replace("<mensagemSIB ", '<mensagemSIB xmlns="http://www.ans.gov.br/padroes/sib/schemas" ')
    report = load_file(workspace, write(tmp_path, "ns.sbx", namespaced.encode("latin-1")))
    assert report.record_count == 1 and report.hash_ok
    assert any("namespace" in w.message for w in report.warnings)
    assert query(workspace, "SELECT cco, motivoCancelamento FROM sbx_movements") == [("039876543205", "42")]


def test_version_other_than_1_1_is_loaded_with_a_warning(workspace, tmp_path):
    report = load_file(workspace, write(tmp_path, "v.sbx", sbx(INCLUSAO, head=header(version="1.2"))))
    assert any("versaoPadrao '1.2'" in w.message for w in report.warnings)


def test_missing_declaration_reads_latin1_with_a_warning(workspace, tmp_path):
    content = sbx(INCLUSAO.replace("MARIA DA SILVA", "MARIA DA CONCEIÇÃO"))[len(DECLARATION):]
    report = load_file(workspace, write(tmp_path, "sem.sbx", content))
    assert report.hash_ok
    assert query(workspace, "SELECT nome FROM sbx_movements") == [("MARIA DA CONCEIÇÃO EXEMPLO",)]
    assert any("no XML declaration" in w.message for w in report.warnings)


def test_latin1_accents_are_decoded(workspace, tmp_path):
    load_file(workspace, write(tmp_path, "a.sbx", sbx(INCLUSAO.replace("ANA DA SILVA", "ANA DA CONCEIÇÃO"))))
    assert query(workspace, "SELECT nomeMae FROM sbx_movements") == [("ANA DA CONCEIÇÃO EXEMPLO",)]
