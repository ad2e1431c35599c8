"""Portfolio transfer (RN 250 art. 22): both sides load, the acquirer re-codes, cancels and
confirms, and the regeneration writes exactly those movements, XSD-valid and hashed.

The transfer files are generated here (`transfers.py`) from the XSD's element order and
hashed by the independent reference hash; no spec file is copied."""

from __future__ import annotations

import csv
import io

import pytest
from cli_helpers import run_cli
from lxml import etree
from transfers import ACQUIRER, CEDING, ceding_view, families, transfer_file

from conftest import XSD_DIR, spec_file
from sibfiles import reference_hash
from sibtui.cli import main


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(spec_file(XSD_DIR / "sib.xsd"))))


@pytest.fixture(scope="module")
def transfer():
    return families(6, dependents=2, duplicity_every=3)  # 18 vínculos, 2 titulares cancelled for duplicity


@pytest.fixture
def files(tmp_path, transfer):
    folder = tmp_path / "in"
    folder.mkdir()
    acquirer = folder / "TRANSF_ADQ.CNX"
    acquirer.write_bytes(transfer_file(transfer, side="adquirente"))
    ceding = folder / "TRANSF_CED.xml"
    ceding.write_bytes(transfer_file(ceding_view(transfer), side="cedente"))
    return acquirer, ceding


@pytest.fixture
def db(tmp_path, files):
    path = tmp_path / "w.duckdb"
    assert main(["load", "--db", str(path), "--quiet", *map(str, files)]) == 0
    return path



def _query(capsys, db, sql) -> list[dict]:
    code, out, err = run_cli(capsys, "query", "--db", db, "--format", "csv", sql)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_the_generated_files_are_xsd_valid_and_hashed(files, schema):
    for path in files:
        document = etree.parse(str(path))
        assert schema.validate(document), schema.error_log.last_error
        assert document.findtext("epilogo/hash") == reference_hash(path.read_bytes())


def test_both_sides_load_as_transfers_with_the_tab_in_files(db, capsys):
    rows = _query(capsys, db, "select name, kind, registroANS, transfer_side, tab_id, dataEfetivaTransferencia, "
                              "regsAnsOperadoraCedente, regsAnsOperadoraAdquirente, hash_ok, record_count "
                              "from files order by file_id")
    assert [(r["kind"], r["registroANS"], r["transfer_side"], r["hash_ok"], r["record_count"]) for r in rows] == [
        ("TRF", ACQUIRER, "adquirente", "True", "18"), ("TRF", CEDING, "cedente", "True", "18")]
    assert {(r["tab_id"], r["dataEfetivaTransferencia"], r["regsAnsOperadoraCedente"],
             r["regsAnsOperadoraAdquirente"]) for r in rows} == {("4711", "2026-10-01", CEDING, ACQUIRER)}
    warnings = _query(capsys, db, "select count(*) as n from load_warnings")
    assert warnings == [{"n": "0"}]  # a transfer named .CNX is no surprise


def test_the_acquirers_counts_by_situation_are_right(db, capsys, transfer):
    rows = _query(capsys, db, "select situacaoTransferencia, situacao, count(*) as n from transfer_beneficiaries "
                              "where file_id = 1 group by all order by 1")
    assert [(r["situacaoTransferencia"], r["situacao"], int(r["n"])) for r in rows] == [
        ("1", "ATIVO", transfer.by_situation()["1"]), ("2", "INATIVO", transfer.by_situation()["2"])]
    from sibtui.edit.transfer import transfer_summaries
    from sibtui.workspace import Workspace

    with Workspace(db, read_only=True) as workspace:
        cursor = workspace.cursor()
        acquirer, ceding = sorted(transfer_summaries(cursor), key=lambda s: s.file_id)
    assert (acquirer.side, acquirer.records, acquirer.families, acquirer.titulares) == ("adquirente", 18, 6, 6)
    assert acquirer.by_situation == {"1": 16, "2": 2}
    assert acquirer.by_state == {"pendente": 16, "duplicidade": 2}
    assert ceding.by_state == {"cancelado_na_cedente": 18}


def test_a_code_mapping_becomes_retificacoes_of_exactly_the_mapped_vinculos(db, capsys, tmp_path, schema):
    people = _query(capsys, db, "select cco, codigoBeneficiario from transfer_beneficiaries where file_id = 1 "
                                "and situacaoTransferencia = '1' order by record_no")
    mapped = {row["cco"]: f"ACQ-{index:04d}" for index, row in enumerate(people[:5], start=1)}
    mapped[people[5]["cco"]] = people[5]["codigoBeneficiario"]  # already that code: no movement
    sheet = tmp_path / "codigos.csv"
    # Latin-1, `;`, a CCO a spreadsheet stripped of nothing, blanks around values
    sheet.write_bytes(("cco;codigoBeneficiario\n" + "".join(f"{cco}; {code} \n" for cco, code in mapped.items())
                       ).encode("latin-1"))
    code, out, err = run_cli(capsys, "fix", "set", "--db", db, "--csv", sheet, "--dry-run")
    assert code == 0, err
    assert out.count(" -> ") == 5 and "would change 5 field(s) in 5 record(s) from 6 row(s)" in err
    assert _query(capsys, db, "select count(*) as n from edit_journal") == [{"n": "0"}]  # a dry run writes nothing
    code, out, err = run_cli(capsys, "fix", "set", "--db", db, "--csv", sheet)
    assert code == 0, err
    actions = _query(capsys, db, "select count(distinct action_id) as actions, count(*) as n from edit_journal")
    assert actions == [{"actions": "1", "n": "5"}]  # one journal action
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run_cli(capsys, "regenerate", "--db", db, "--out", out_dir, "--xsd", XSD_DIR / "sib.xsd")
    assert code == 0, err
    [written] = list(out_dir.glob("*.SBX"))
    document = etree.parse(str(written))
    assert schema.validate(document), schema.error_log.last_error
    assert document.findtext("epilogo/hash") == reference_hash(written.read_bytes())
    movements = document.find("mensagem/operadoraParaANS/beneficiarios")
    assert [m.tag for m in movements] == ["retificacao"] * 5
    sent = {m.findtext("cco"): m.findtext("vinculo/codigoBeneficiario") for m in movements}
    assert sent == {cco: new for cco, new in list(mapped.items())[:5]}
    assert all(len(m.find("vinculo")) == 1 and len(m.find("identificacao")) == 0 for m in movements)


def test_cancellations_of_the_non_effective_become_cancelamentos(db, capsys, tmp_path, schema):
    people = _query(capsys, db, "select cco from transfer_beneficiaries where file_id = 1 "
                                "and situacaoTransferencia = '1' and relacaoDependencia <> '1' order by record_no")
    chosen = [row["cco"] for row in people[:3]]
    sheet = tmp_path / "cancelar.csv"
    sheet.write_text("cco,dataCancelamento,motivoCancelamento\n"
                     + "".join(f"{cco},2026-10-01,46\n" for cco in chosen), encoding="utf-8-sig")
    code, out, err = run_cli(capsys, "fix", "set", "--db", db, "--csv", sheet)
    assert code == 0, err
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run_cli(capsys, "regenerate", "--db", db, "--out", out_dir, "--xsd", XSD_DIR / "sib.xsd")
    assert code == 0, err
    [written] = list(out_dir.glob("*.SBX"))
    document = etree.parse(str(written))
    assert schema.validate(document)
    assert document.findtext("epilogo/hash") == reference_hash(written.read_bytes())
    movements = list(document.find("mensagem/operadoraParaANS/beneficiarios"))
    assert [(m.tag, m.findtext("cco"), m.findtext("dataCancelamento"), m.findtext("motivoCancelamento"))
            for m in movements] == [("cancelamento", cco, "2026-10-01", "46") for cco in chosen]
    logged = _query(capsys, db, "select distinct source_table, why from regenerated_movements")
    assert logged == [{"source_table": "transfer_beneficiaries", "why": "transfer-edit"}]


def test_a_wrong_csv_applies_nothing_and_lists_every_problem(db, capsys, tmp_path):
    people = _query(capsys, db, "select cco from transfer_beneficiaries where file_id = 1 order by record_no")
    sheet = tmp_path / "errado.csv"
    sheet.write_text(
        "cco;codigoBeneficiario;dataCancelamento\n"
        f"{people[0]['cco']};NOVO1;\n"          # fine alone
        "000000000000;NOVO2;\n"                  # unknown CCO
        f"{people[1]['cco']};;2026-02-30\n"      # impossible date
        f"{people[0]['cco']};OUTRO;\n",          # the same CCO with another code
        encoding="utf-8")
    code, out, err = run_cli(capsys, "fix", "set", "--db", db, "--csv", sheet)
    assert code == 1
    assert "linha 3, cco 000000000000: CCO em nenhuma conferência" in err
    assert f"linha 4, cco {people[1]['cco']}, dataCancelamento: Data de cancelamento" in err
    assert f"linha 5, cco {people[0]['cco']}, codigoBeneficiario: valor diferente do da linha 2" in err
    assert "nothing applied: 3 problem(s) in 4 row(s)" in err
    assert _query(capsys, db, "select count(*) as n from edit_journal") == [{"n": "0"}]
    bad_header = tmp_path / "cabecalho.csv"
    bad_header.write_text("codigo,nome\n1,X\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "fix", "set", "--db", db, "--csv", bad_header)
    assert code == 1 and "a primeira coluna deve ser cco" in err and "nome: não é um campo" not in err


def test_confirming_sends_nothing_and_undo_reverts_it(db, capsys, tmp_path):
    from sibtui.edit import editor
    from sibtui.edit.records import RecordRef
    from sibtui.edit.transfer import confirm, transfer_summaries
    from sibtui.workspace import Workspace

    with Workspace(db) as workspace:
        cursor = workspace.cursor()
        result = confirm(cursor, [RecordRef(1, n) for n in range(1, 19)] + [RecordRef(2, 1)])
        assert len(result.changes) == 16 and len(result.refused) == 3  # 2 duplicities, 1 of the ceding side
        acquirer = min(transfer_summaries(cursor), key=lambda s: s.file_id)
        assert acquirer.by_state == {"confirmado": 16, "duplicidade": 2}
        editor.undo(cursor)
        acquirer = min(transfer_summaries(cursor), key=lambda s: s.file_id)
        assert acquirer.by_state == {"pendente": 16, "duplicidade": 2}
        cursor.close()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run_cli(capsys, "regenerate", "--db", db, "--out", out_dir)
    assert code == 0 and list(out_dir.glob("*.SBX")) == []


def test_a_misplaced_transfer_record_is_refused_with_its_place(tmp_path, capsys, transfer):
    text = transfer_file(transfer).decode("latin-1").replace("<conferencia>", "").replace("</conferencia>", "")
    path = tmp_path / "broken.CNX"
    path.write_bytes(text.encode("latin-1"))
    code, _, err = run_cli(capsys, "load", "--db", tmp_path / "w.duckdb", "--quiet", path)
    assert code == 1
    assert "broken.CNX:2: <beneficiario> element not allowed inside <transferencia> (expected inside <conferencia>)" \
        in err


def test_fix_confirm_marks_every_pending_vinculo_of_a_transfer(db, capsys):
    code, out, err = run_cli(capsys, "fix", "confirm", "--db", db, "--transfer", 1)
    assert code == 0 and "marked 16 vínculo(s) confirmado" in err
    code, out, err = run_cli(capsys, "fix", "confirm", "--db", db, "--record", "2:1")
    assert code == 1 and "só a operadora adquirente confirma" in err
    code, out, err = run_cli(capsys, "fix", "confirm", "--db", db, "--transfer", 1, "--clear", "--dry-run")
    assert code == 0 and "would mark 16 vínculo(s) pendente" in err


def test_movements_of_transferred_vinculos_are_known_to_the_checks(db, capsys, tmp_path):
    from sibfiles import BENEFICIARIO, cnx, header, sbx, write

    [row] = _query(capsys, db, "select cco from transfer_beneficiaries where file_id = 1 and record_no = 2")
    conference = write(tmp_path, "ArqConf9999970020261020.CNX",  # made after the transfer, listing none of it
                       cnx(BENEFICIARIO, head=header(ACQUIRER, kind="CNX", when="2026-10-20T08:00:00")))
    movement = (f"<retificacao><cco>{row['cco']}</cco><identificacao/><endereco/>"
                "<vinculo><codigoBeneficiario>ACQ-1</codigoBeneficiario></vinculo></retificacao>")
    sent = write(tmp_path, f"{ACQUIRER}20261105101500.SBX", sbx(movement, head=header(ACQUIRER, when="2026-11-05T10:15:00")))
    assert main(["load", "--db", str(db), "--quiet", str(conference), str(sent)]) == 0
    capsys.readouterr()
    main(["check", "--db", str(db), "--format", "csv", "--today", "2026-12-01"])
    findings = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [f["rule"] for f in findings if f["file"] == sent.name and f["field"] == "cco"] == []
