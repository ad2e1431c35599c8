"""`sibtui fix ...` and `sibtui regenerate`: the headless loop, exit codes and messages."""

from __future__ import annotations

import csv
import io

import pytest
from cli_helpers import run_cli

from conftest import SAMPLE_DIR, XSD_DIR
from sibtui.cli import main
from sibtui.rules.check_digits import with_cpf_digits

GOOD_CPF = with_cpf_digits("394857162")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    assert main(["load", "--db", str(path), "--quiet", str(SAMPLE_DIR)]) == 1  # one sample SBX: hash mismatch
    return path


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder



def test_set_then_list_then_undo(db, capsys):
    code, stdout, _ = run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", f"cpf={GOOD_CPF}")
    assert code == 0
    assert stdout == f"1:3 cpf: '39485716203' -> '{GOOD_CPF}'  (motivo 0402)\n"
    code, stdout, _ = run_cli(capsys, "--db", str(db), "fix", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert [(r["action"], r["field"], r["new_value"], r["reason"]) for r in rows] == [("set", "cpf", GOOD_CPF, "0402")]
    code, stdout, _ = run_cli(capsys, "fix", "undo", "--db", str(db))
    assert code == 0 and stdout.startswith("undone action 1\n")
    code, stdout, _ = run_cli(capsys, "fix", "list", "--db", str(db), "--pending", "--format", "csv")
    assert stdout.strip().count("\n") == 0  # header only: nothing pending
    code, stdout, _ = run_cli(capsys, "fix", "undo", "--db", str(db))
    assert stdout == "nothing to undo\n"


def test_an_invalid_value_is_refused_in_one_line(db, capsys):
    code, _, stderr = run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", "cpf=39485716204")
    assert code == 1
    assert stderr == ("sibtui: error: 99999720261103101500.SBX:75: <cpf> registro 1:3: CPF: dígito verificador "
                      "não confere (use --force to save it anyway)\n")
    code, _, _ = run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", "cpf=39485716204", "--force")
    assert code == 0


@pytest.mark.parametrize("argv", [["--record", "1:3", "cpf"], ["cpf=1"], ["--record", "um", "cpf=1"]])
def test_usage_mistakes(db, capsys, argv):
    code, _, stderr = run_cli(capsys, "fix", "set", "--db", str(db), *argv)
    assert code in (1, 2) and stderr.startswith("sibtui: error:") and stderr.count("\n") == 1


def test_bulk_set_by_error_code_with_reason(db, capsys):
    code, stdout, _ = run_cli(capsys, "fix", "set", "--db", str(db), "--error", "0701", "cns=", "--reason", "0701")
    assert code == 0
    assert stdout.splitlines() == ["1:5 cns: '209182736450007' -> (ausente)  (motivo 0701)",
                                   "1:6 cns: '191827364510101' -> (ausente)  (motivo 0701)"]


def test_fill_cns_leaves_accepted_movements_and_conference_rows_alone(db, capsys):
    # 1:7 was accepted without CNS and ANS assigned one: it goes to the operator's base (diff
    # --cns-assigned), never into a movement that does not go, nor into ANS's own conference rows.
    code, stdout, stderr = run_cli(capsys, "fix", "fill-cns", "--db", str(db), "--dry-run")
    assert code == 0 and stdout == "" and "would change 0 field(s)" in stderr
    code, stdout, _ = run_cli(capsys, "diff", "--db", str(db), "--cns-assigned", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert ("0000200007", "208192037460004", "sbx_sem_cns") in [(r["codigoBeneficiario"], r["cns"], r["como"])
                                                               for r in rows]
    assert set(rows[0]) >= {"codigoBeneficiario", "cco", "cns", "data"}


def test_clean_names(db, capsys):
    run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:1", "nome= Mariana Costa Ferreira")
    code, stdout, _ = run_cli(capsys, "fix", "clean", "--db", str(db), "--record", "1:1", "--trim", "--upper")
    assert code == 0 and stdout == "1:1 nome: ' Mariana Costa Ferreira' -> 'MARIANA COSTA FERREIRA'\n"


def test_regenerate_then_diff_as_csv(db, out, capsys):
    run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", f"cpf={GOOD_CPF}")
    code, stdout, _ = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(out), "--sbx", "1")
    assert code == 0
    [written] = list(out.iterdir())
    assert f"wrote {written}  2 movements" in stdout  # the corrected titular and its cascade dependent
    assert "1 edit(s) applied in 1 movement(s)" in stdout
    code, stdout, _ = run_cli(capsys, "fix", "diff", "--db", str(db), "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(stdout)))
    assert (row["output_name"], row["field"], row["original"], row["corrected"], row["why"]) == (
        written.name, "cpf", "39485716203", GOOD_CPF, "edit")


def test_regenerate_with_the_schema(db, out, capsys):
    xsd = XSD_DIR / "sib.xsd"
    if not xsd.exists():
        pytest.skip(f"{xsd} is not available")
    code, stdout, stderr = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(out), "--xsd", str(xsd))
    assert code == 0 and len(list(out.iterdir())) == 1  # the file rejected whole; nothing of SBX 1 is decided
    assert "skipped 99999720261103101500.SBX: nada a reenviar" in stdout
    assert "10 sem decisão ficaram de fora" in stderr


def test_regenerate_failure_writes_nothing_and_exits_1(db, out, capsys):
    run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", "cpf=1", "--force")
    code, _, stderr = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(out), "--sbx", "1")
    assert code == 1 and "nothing written" in stderr and "registro 1:3" in stderr
    assert list(out.iterdir()) == []


def test_regenerate_into_a_missing_folder(db, tmp_path, capsys):
    code, _, stderr = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(tmp_path / "nope"))
    assert code == 1 and stderr.startswith("sibtui: error:") and "does not exist" in stderr


def test_diff_before_any_regeneration(db, capsys):
    code, _, stderr = run_cli(capsys, "fix", "diff", "--db", str(db))
    assert code == 1 and "no SBX has been regenerated" in stderr


def test_regenerate_report_lists_every_movement_and_why(db, out, tmp_path, capsys):
    report = tmp_path / "relatorio.csv"
    run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", f"cpf={GOOD_CPF}")
    code, _, _ = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(out), "--sbx", "1", "--report", str(report),
                      "--include-pending")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert [r["source_record_no"] for r in rows] == ["3", "4", "5", "6", "8", "9", "10", "11", "19", "22", "23"]
    assert (rows[0]["record_key"], rows[0]["why"], rows[0]["rejection_codes"], rows[0]["edit_ids"]) == (
        "0000200003", "rejected", "0402", "1")
    assert rows[2]["rejection_codes"] == "0401,0701"


def test_decide_from_the_command_line_then_regenerate_exactly_that(db, out, capsys):
    run_cli(capsys, "fix", "set", "--db", str(db), "--record", "1:3", f"cpf={GOOD_CPF}")
    code, stdout, stderr = run_cli(capsys, "fix", "hold", "--db", str(db), "--record", "1:22", "--record", "1:23",
                                "--reason", "cancelamentos indevidos")
    assert code == 0 and stdout.splitlines() == ["1:22: pendente -> não reenviar  (motivo: cancelamentos indevidos)",
                                                 "1:23: pendente -> não reenviar  (motivo: cancelamentos indevidos)"]
    code, _, stderr = run_cli(capsys, "fix", "resend", "--db", str(db), "--record", "1:10", "--record", "1:1",
                           "--reason", "data conferida")
    assert code == 1 and "refused 1:1: a ANS não rejeitou este movimento" in stderr  # 1:1 was accepted
    with pytest.raises(SystemExit) as usage:
        main(["fix", "hold", "--db", str(db), "--record", "1:19"])
    assert usage.value.code == 2 and "--reason" in capsys.readouterr().err  # a decision says why
    code, stdout, _ = run_cli(capsys, "fix", "list", "--db", str(db), "--decisions", "--format", "csv")
    rows = {r["record_no"]: r for r in csv.DictReader(io.StringIO(stdout))}
    assert (rows["22"]["decisao"], rows["22"]["motivo"], rows["22"]["vai"]) == ("não reenviar",
                                                                               "cancelamentos indevidos", "não")
    assert (rows["4"]["decisao"], rows["4"]["vai"], rows["3"]["dependentes_em_cascata"]) == (
        "vai com o titular (registro 3)", "sim", "4")
    code, stdout, stderr = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(out), "--sbx", "1")
    assert code == 0 and " 3 movements " in stdout and "6 sem decisão ficaram de fora" in stderr
    status = run_cli(capsys, "status", "--db", str(db), "--format", "csv", "--today", "2026-12-01")[1]
    code, stdout, _ = run_cli(capsys, "regenerate", "--db", str(db), "--out", str(out), "--sbx", "1")
    assert code == 0 and "skipped 99999720261103101500.SBX: nada mudou: os 3 movimento(s) já estão em" in stdout
    assert run_cli(capsys, "status", "--db", str(db), "--format", "csv", "--today", "2026-12-01")[1] == status
    assert len(list(out.glob("*.SBX"))) == 1


def test_the_cns_ans_assigned_goes_to_a_workbook_for_the_operators_base(db, tmp_path, capsys):
    import openpyxl

    book = tmp_path / "cns.xlsx"
    code, _, stderr = run_cli(capsys, "diff", "--db", str(db), "--cns-assigned", "--output", str(book))
    assert code == 0 and "CNS written to" in stderr
    rows = list(openpyxl.load_workbook(book).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("codigoBeneficiario", "cco", "cns", "data")
    assert ("0000200007", "455500024000", "208192037460004") in [row[:3] for row in rows]  # text, every digit kept
