"""`sibtui check` from the command line, the read models behind it, and the learnt error-code catalogue."""

from __future__ import annotations

import csv
import io
import json

from conftest import SAMPLE_DIR, query
from sibtui.cli import main
from sibtui.edit.precritique import run_checks
from sibtui.ingest.loader import load_files
from sibtui.query.findings import cns_gap_counts, findings_by_rule
from sibtui.rules.catalog import RULES
from sibtui.workspace import Workspace

SBX_MAIN = SAMPLE_DIR / "99999720261103101500.SBX"
CNX_BEFORE = SAMPLE_DIR / "ArqConf9999970920261001.CNX"


def _load(tmp_path, *paths):
    db = tmp_path / "w.duckdb"
    with Workspace(db) as workspace:
        list(load_files(workspace, list(paths)))
    return db


def test_errors_exit_1_and_print_every_finding_as_csv(tmp_path, capsys):
    db = _load(tmp_path, SAMPLE_DIR)
    assert main(["check", "--db", str(db), "--format", "csv", "--today", "2026-12-01"]) == 1
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 22
    assert {"file", "record_no", "line", "field", "rule", "severity", "message", "value"} <= set(rows[0])
    assert "13 errors, 9 warnings" in captured.err
    first_cpf = next(r for r in rows if r["rule"] == "cpf_invalid")
    assert (first_cpf["file"], first_cpf["record_no"], first_cpf["value"]) == (SBX_MAIN.name, "3", "39485716203")
    assert int(first_cpf["line"]) > 0


def test_warnings_only_exit_0(tmp_path, capsys):
    db = _load(tmp_path, SBX_MAIN)
    with Workspace(db) as workspace:  # keep a titular and a child with a provisional CNS: a warning
        cursor = workspace.cursor()
        cursor.execute("DELETE FROM sbx_movements WHERE record_no > 2")  # a titular and her child
        cursor.close()
    assert main(["check", "--db", str(db), "--format", "json", "--today", "2026-12-01"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(f["record_no"], f["rule"], f["severity"]) for f in found] == [(2, "cns_provisional", "warning")]


def test_the_default_table_format(tmp_path, capsys):
    db = _load(tmp_path, SBX_MAIN, CNX_BEFORE)
    assert main(["check", "--db", str(db), "--today", "2026-12-01"]) == 1
    out = capsys.readouterr().out
    assert "cco_not_in_cnx" in out and "CPF: dígito verificador não confere" in out


def test_a_bad_today_is_a_usage_error(tmp_path, capsys):
    try:
        main(["check", "--db", str(tmp_path / "w.duckdb"), "--today", "ontem"])
    except SystemExit as stop:
        assert stop.code == 2
    assert "not a date" in capsys.readouterr().err


def test_read_models(workspace):
    list(load_files(workspace, [SAMPLE_DIR]))
    run_checks(workspace)
    cursor = workspace.cursor()
    by_rule = findings_by_rule(cursor)
    assert by_rule[0].severity == "error"
    assert {(c.rule, c.count) for c in by_rule} >= {("cns_duplicate", 3), ("cpf_required", 2)}
    assert all(c.description == RULES[c.rule].description for c in by_rule)
    gaps = {(g.category, g.source_table): (g.records, g.qualifying) for g in cns_gap_counts(cursor)}
    assert gaps[("cns_missing", "sbx_movements")] == (1, 1)  # record 7: ANS can assign it
    assert gaps[("cns_invalid", "sbx_movements")] == (2, 1)  # record 5 has no CPF, record 6 has one
    assert gaps[("cns_duplicate", "cnx_beneficiaries")] == (2, 2)
    cursor.close()


def test_rules_catalogue_is_published(workspace):
    rows = query(workspace, "SELECT rule, severity, description, fix FROM catalog_rules")
    assert {row[0] for row in rows} == set(RULES)
    assert all(row[1] in {"error", "warning"} and row[2] and row[3] for row in rows)


def test_error_code_catalog_learns_codes_from_loaded_rpx(workspace):
    before = dict(query(workspace, "SELECT codigoErro, explained FROM error_code_catalog"))
    assert "0402" not in before and before["0401"] is True
    list(load_files(workspace, [SAMPLE_DIR / "99999720261105031244.RPX"]))
    rows = {row[0]: row[1:] for row in query(
        workspace, "SELECT codigoErro, ans_message, field_id, explained, seen_in_rpx, occurrences_in_totals "
                   "FROM error_code_catalog")}
    assert rows["0402"] == ("CPF INVALIDO", "04", False, True, 1)  # new to us: ANS's text, no explanation
    assert rows["0701"][2:] == (True, True, 2)
    assert rows["0101"][2:] == (True, False, 0)  # known, never seen


def test_each_finding_names_the_ans_codes_it_pre_empts(tmp_path, capsys):
    db = _load(tmp_path, SAMPLE_DIR)
    main(["check", "--db", str(db), "--format", "json", "--today", "2026-12-01"])
    found = json.loads(capsys.readouterr().out)
    codes = {(f["rule"], f["ans_codes"]) for f in found}
    assert ("cns_invalid", "0701") in codes and ("titular_not_found", "1802") in codes
    assert ("hash_mismatch", "20") in codes  # a whole-file rejection code
    assert all(f["ans_codes"] == (RULES[f["rule"]].ans_codes or None) for f in found)


def test_against_rpx_needs_a_loaded_rpx_whose_sbx_is_loaded(tmp_path, capsys):
    db = _load(tmp_path, SAMPLE_DIR / "99999720261105031244.RPX", CNX_BEFORE)
    with Workspace(db) as workspace:
        ids = dict(query(workspace, "SELECT kind, file_id FROM files"))
    assert main(["check", "--db", str(db), "--against-rpx", str(ids["RPX"])]) == 1
    assert "99999720261103101500.SBX, which is not loaded" in capsys.readouterr().err
    assert main(["check", "--db", str(db), "--against-rpx", str(ids["CNX"])]) == 1
    assert "is not an RPX" in capsys.readouterr().err
    assert main(["check", "--db", str(db), "--against-rpx", "999"]) == 1
    assert "file 999 is not loaded" in capsys.readouterr().err


def test_against_rpx_on_the_sample_month(tmp_path, capsys):
    db = _load(tmp_path, SAMPLE_DIR)
    with Workspace(db) as workspace:
        rpx = query(workspace, "SELECT file_id FROM files WHERE name = '99999720261105031244.RPX'")[0][0]
    assert main(["check", "--db", str(db), "--today", "2026-12-01", "--against-rpx", str(rpx), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(captured.out))}
    assert rows["*"]["rejected"] == "11" and rows["*"]["recall"] == "1.0" and rows["*"]["precision"] == "1.0"
    assert rows["1802"]["foreseen_error"] == "2"  # the child of a rejected titular: the cascade
    assert "11 rejected by ANS" in captured.err
    with Workspace(db) as workspace:
        whole = query(workspace, "SELECT file_id FROM files WHERE name = '99999720261105031530.RPX'")[0][0]
    assert main(["check", "--db", str(db), "--today", "2026-12-01", "--against-rpx", str(whole), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert list(csv.DictReader(io.StringIO(captured.out)))[0]["code"] == "20"
    assert "foreseen by hash_mismatch" in captured.err
