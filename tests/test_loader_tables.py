"""Each workspace table against values read by hand from the source files."""

from __future__ import annotations

from conftest import ANS_EXAMPLE, ANS_EXAMPLE_HASH, REAL_SBX_DIR, query, spec_file
from sibtui.catalog.tables import SBX_MOVEMENTS
from sibtui.ingest.loader import load_file


def test_ans_example_movements_and_files_row(workspace):
    report = load_file(workspace, spec_file(ANS_EXAMPLE))
    assert report.record_count == 5 and report.hash_ok
    rows = query(
        workspace,
        "SELECT record_no, line, movement, cco, cpf, dn, nome, sexo, dataNascimento, nomeMae, "
        "codigoMunicipio, codigoMunicipioResidencia, cep, tipoEndereco, codigoBeneficiario, "
        "numeroPlanoANS, dataCancelamento, motivoCancelamento, dataReativacao, logradouro "
        "FROM sbx_movements ORDER BY record_no",
    )
    assert rows == [
        (1, 26, "inclusao", None, "00000000000", "00000000000", "NOME TESTE ", "1", "1980-01-01", "NOME MAE TESTE ",
         "000000", "000000", "00000000", "1", "000", "000000000", None, None, None, "RUA TESTE"),
        (2, 54, "cancelamento", "000000000000", None, None, None, None, None, None,
         None, None, None, None, None, None, "2000-01-01", "41", None, None),
        (3, 59, "reativacao", "000000000000", None, None, None, None, None, None,
         None, None, None, None, None, None, None, None, "2000-01-01", None),
        (4, 63, "mudancaContratual", "000000000000", None, None, None, None, None, None,
         None, None, None, None, None, "000000000", None, None, None, None),
        (5, 71, "retificacao", "000000000000", "00000000000", "00000000000", "NOME TESTE ", "1", "1980-01-01",
         "NOME MAE TESTE ", "000000", "000000", "00000000", "1", "000", "000000000", None, None, None, "RUA TEST"),
    ]
    files = query(
        workspace,
        "SELECT file_id, name, kind, registroANS, tipoTransacao, sequencialTransacao, dataHoraRegistroTransacao, "
        "origem_registroANS, destino_cnpj, versaoPadrao, nomeAplicativo, versaoAplicativo, fabricanteAplicativo, "
        "hash_declared, hash_computed, hash_ok, hash_encoding, record_count, motivoNaoEnvioBeneficiarios FROM files",
    )
    assert files == [
        (1, "ans-exemplo.sbx", "SBX", "000000", "SIB", "0", "2011-05-16T09:00:00.0Z", "000000", "03589068000146",
         "1.1", "TESTE", "1", "ANS", ANS_EXAMPLE_HASH, ANS_EXAMPLE_HASH, True, "ISO-8859-1", 5, None)
    ]


def test_every_movement_column_exists_and_values_are_text(workspace):
    load_file(workspace, spec_file(ANS_EXAMPLE))
    types = dict(query(workspace, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'sbx_movements'"))
    assert list(types) == list(SBX_MOVEMENTS.columns)
    assert {types[c] for c in SBX_MOVEMENTS.value_columns} == {"VARCHAR"}


def test_real_sbx_partial_retifications(workspace):
    folder = spec_file(REAL_SBX_DIR)
    first = load_file(workspace, folder / "00058220170102082100.SBX")
    second = load_file(workspace, folder / "31212620170217134439.SBX")
    assert (first.record_count, second.record_count) == (2, 20)
    assert not first.hash_ok and not second.hash_ok
    rows = query(workspace, "SELECT record_no, line, movement, cco, cpf, dataContratacao FROM sbx_movements WHERE file_id = ? ORDER BY 1", [first.file_id])
    assert rows == [
        (1, 25, "retificacao", "041036536701", "14725294802", None),
        (2, 33, "retificacao", "041036546403", None, "2016-10-01"),
    ]
    counts = query(workspace, "SELECT file_id, count(*), count(DISTINCT cco) FROM sbx_movements GROUP BY 1 ORDER BY 1")
    assert counts == [(1, 2, 2), (2, 20, 20)]
    registro = query(workspace, "SELECT name, registroANS, sequencialTransacao FROM files ORDER BY file_id")
    assert registro == [("00058220170102082100.SBX", "000582", "2318"), ("31212620170217134439.SBX", "312126", "0001")]


def test_fact_sheet_sbx(workspace, fact_sheet_files):
    report = load_file(workspace, fact_sheet_files["SBX"])
    assert report.record_count == 6 and report.hash_ok
    rows = query(workspace, "SELECT movement, cco, codigoBeneficiario, codigoBeneficiarioTitular, cns, dn, cnpjEmpresaContratante FROM sbx_movements ORDER BY record_no")
    assert rows == [
        ("inclusao", None, "0001000100", None, "198765432100003", None, "11222333000181"),
        ("inclusao", None, "0001000101", "0001000100", "898001234500002", "12345678901", "11222333000181"),
        ("retificacao", "041234567802", None, None, "207654321090002", None, None),
        ("mudancaContratual", "041234567900", None, None, None, None, "11222333000181"),
        ("cancelamento", "039876543205", None, None, None, None, None),
        ("reativacao", "039876544006", None, None, None, None, None),
    ]


def test_fact_sheet_rpx_tables(workspace, fact_sheet_files):
    sbx = load_file(workspace, fact_sheet_files["SBX"])
    rpx = load_file(workspace, fact_sheet_files["RPX"])
    assert rpx.kind.value == "RPX" and rpx.hash_ok and rpx.record_count == 3
    assert query(workspace, "SELECT status, numeroProtocolo, nomeArquivo, codigoMotivoRejeicao FROM rpx_results") == [
        ("processado", "202502000123456", "99999720250203101500.SBX", None)
    ]
    assert query(workspace, "SELECT record_no, error_no, cco, codigoBeneficiario, codigoTipoMovimento, tipoMovimento, codigoCampo, descricaoCampo, valorCampo, codigoErro, mensagemErro FROM rpx_rejections ORDER BY 1, 2") == [
        (1, 1, None, "0001000101", "1", "INCLUSAO", "18", "CODIGO DO BENEFICIARIO TITULAR", "0001000100", "1801", "MENSAGEM ILUSTRATIVA - TITULAR NAO ENCONTRADO"),
        (2, 1, "039876543205", None, "4", "CANCELAMENTO", "32", "DATA DE CANCELAMENTO", "2025-01-31", "3201", "MENSAGEM ILUSTRATIVA - DATA INVALIDA"),
    ]
    assert query(workspace, "SELECT record_no, codigoBeneficiario, cco, nomeBeneficiario FROM rpx_inclusions") == [
        (1, "0001000100", "045550001100", "MARIA DA SILVA EXEMPLO")
    ]
    assert query(workspace, "SELECT movement, quantidadeRegistros, quantidadeProcessados, quantidadeRejeitados, percentualAcerto FROM rpx_totals ORDER BY line") == [
        ("inclusao", "2", "1", "1", "50.0"),
        ("retificacao", "1", "1", "0", "100.0"),
        ("mudancaContratual", "1", "1", "0", "100.0"),
        ("reativacao", "1", "1", "0", "100.0"),
        ("cancelamento", "1", "0", "1", "0.0"),
        ("semMovimentacao", "0", "0", "0", "0.0"),
        ("total", "6", "4", "2", "66.67"),
    ]
    assert query(workspace, "SELECT block_no, codigoErro, quantidadeOcorrenciaErro FROM rpx_error_totals ORDER BY line") == [
        (1, "1801", "1"), (1, "3201", "1")
    ]
    links = query(workspace, "SELECT rpx_record_no, movement, sbx_file_id, sbx_record_no FROM rpx_rejection_links ORDER BY 1")
    assert links == [(1, "inclusao", sbx.file_id, 2), (2, "cancelamento", sbx.file_id, 5)]


def test_rejection_links_survive_a_missing_sbx(workspace, fact_sheet_files):
    load_file(workspace, fact_sheet_files["RPX"])
    links = query(workspace, "SELECT rpx_record_no, sbx_name, sbx_file_id, sbx_record_no FROM rpx_rejection_links ORDER BY 1")
    assert links == [(1, "99999720250203101500.SBX", None, None), (2, "99999720250203101500.SBX", None, None)]


def test_fact_sheet_cnx(workspace, fact_sheet_files):
    report = load_file(workspace, fact_sheet_files["CNX"])
    assert report.kind.value == "CNX" and report.hash_ok and report.record_count == 3
    rows = query(workspace, "SELECT record_no, line, cco, situacao, dataAtualizacao, cpf, cns, nome, codigoBeneficiario, ccoBeneficiarioTitular, dataPrimeiraContratacao, dataCancelamento, motivoCancelamento FROM cnx_beneficiaries ORDER BY 1")
    assert rows == [
        (1, 25, "045550001100", "ATIVO", "2025-02-05", "48291736537", "198765432100003", "MARIA DA SILVA EXEMPLO", "0001000100", None, "2025-01-10", None, None),
        (2, 56, "045550001209", "ATIVO", "2025-02-05", None, "207654321090002", "PEDRO DA SILVA EXEMPLO", "0001000102", "045550001100", None, None, None),
        (3, 77, "039876543205", "INATIVO", "2024-11-04", "26481397022", None, "CARLOS PEREIRA EXEMPLO", "0000777001", None, None, "2024-10-31", "43"),
    ]
    assert query(workspace, "SELECT registroANS, tipoTransacao, destino_registroANS, origem_cnpj FROM files") == [
        ("999997", "CONFERENCIA CADASTRAL", "999997", "03589068000146")
    ]
