"""The pre-critique on realistic months: what ANS rejected, foreseen before sending.

`realistic_month` writes a CNX before the month, an SBX of some 700 movements with every
fault issue 19 lists injected, and the RPX ANS would answer (a model of ANS written from the
regulation, not from sibtui's rules). The check runs as on the day the SBX was made; then
its findings are held against that RPX, as `sibtui check --against-rpx` does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest
from realistic_month import build_month

from sibtui.cli import main
from sibtui.edit.precritique import run_checks
from sibtui.ingest.loader import load_files
from sibtui.rules.against_rpx import compare_with_rpx
from sibtui.workspace import Workspace

SENT_ON = dt.date(2026, 11, 3)


@pytest.fixture(scope="module", params=[19, 2026])
def checked_month(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"month{request.param}")
    month = build_month(folder / "files", seed=request.param, scale=4)
    db = folder / "month.duckdb"
    with Workspace(db) as workspace:
        for outcome in load_files(workspace, [month.cnx, month.sbx, month.rpx]):
            assert outcome.error is None, outcome.error
        run_checks(workspace, today=SENT_ON)
        cursor = workspace.cursor()
        findings: dict[int, dict[str, str]] = defaultdict(dict)
        for record_no, rule, severity in cursor.execute(
                "SELECT record_no, rule, severity FROM findings JOIN files USING (file_id) WHERE kind = 'SBX'").fetchall():
            findings[record_no][rule] = severity
        rpx_id = cursor.execute("SELECT file_id FROM files WHERE kind = 'RPX'").fetchone()[0]
        comparison = compare_with_rpx(cursor, rpx_id)
        cursor.close()
    return month, findings, comparison, db, rpx_id


def test_each_fault_is_flagged_by_its_rule(checked_month):
    month, findings, _, _, _ = checked_month
    missed = [(number, planned.fault, sorted(findings.get(number, {})))
              for number, planned in enumerate(month.movements, start=1)
              if planned.fault and planned.rule not in findings.get(number, {})]
    assert missed == []
    faults = {planned.fault for planned in month.movements if planned.fault}
    assert len(faults) >= 25  # every kind the generator injects was there to be found


def test_clean_movements_get_no_error(checked_month):
    month, findings, _, _, _ = checked_month
    clean = [number for number, planned in enumerate(month.movements, start=1) if planned.fault is None]
    assert len(clean) > 400
    flagged = {number: findings[number] for number in clean if "error" in findings.get(number, {}).values()}
    assert flagged == {}


def test_records_ans_accepted_get_no_error(checked_month):
    month, findings, comparison, _, _ = checked_month
    accepted = [number for number, outcome in enumerate(month.outcomes, start=1) if outcome.accepted]
    wrongly = [number for number in accepted if "error" in findings.get(number, {}).values()]
    assert len(wrongly) <= 0.005 * len(accepted)
    assert comparison.accepted == len(accepted) and comparison.accepted_with_error == len(wrongly)


def test_recall_and_precision_against_the_rpx(checked_month):
    month, _, comparison, _, _ = checked_month
    rejected = sum(not outcome.accepted for outcome in month.outcomes)
    assert comparison.rejected == rejected > 100
    assert comparison.recall_error >= 0.85
    assert comparison.recall_any >= 0.96
    assert comparison.precision >= 0.99
    by_code = {score.code: score for score in comparison.codes}
    for code in ("0802", "3011", "0204", "1205", "1802", "0905", "0906", "1213", "3114", "2013", "3105", "0410"):
        assert by_code[code].recall == 1.0, code


def test_check_against_rpx_from_the_command_line(checked_month, capsys):
    _, _, comparison, db, rpx_id = checked_month
    assert main(["check", "--db", str(db), "--today", SENT_ON.isoformat(), "--against-rpx", str(rpx_id),
                 "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows = {row["code"]: row for row in json.loads(captured.out)}
    assert rows["*"]["rejected"] == comparison.rejected
    assert rows["*"]["recall"] == round(comparison.recall_error, 4)
    assert rows["0802"]["foreseen_error"] == rows["0802"]["rejected"] > 0
    assert "rejected by ANS" in captured.err and "precision" in captured.err
