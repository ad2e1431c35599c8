"""The conference memo: a check judges a CNX again exactly when its answer could differ.

Each test marks what the memo holds (`_mark`) and looks for the mark in `findings` after
the next check: marked findings were read from the memo, unmarked ones judged again.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from cli_helpers import run_cli

from conftest import SAMPLE_DIR, query
from sibtui.edit import editor
from sibtui.edit.precritique import run_checks
from sibtui.edit.records import RecordRef
from sibtui.ingest.loader import load_file, load_files
from sibtui.rules import cns, conference_memo
from sibtui.workspace import Workspace

DAY = dt.date(2026, 12, 1)
OLDER_CNX = SAMPLE_DIR / "ArqConf9999970920261001.CNX"
NEWEST_CNX = SAMPLE_DIR / "ArqConf9999971020261110.CNX"
MARK = " [memo]"


def _load_samples(workspace: Workspace) -> None:
    for outcome in load_files(workspace, [SAMPLE_DIR]):
        assert outcome.report is not None, outcome.error


@pytest.fixture
def sampled(workspace):
    _load_samples(workspace)
    return workspace


def _conference(workspace: Workspace) -> list[tuple]:
    return query(workspace, "SELECT file_id, record_no, field, rule, message, value FROM findings "
                            "WHERE source_table = 'cnx_beneficiaries' ORDER BY ALL")


def _all_findings(workspace: Workspace) -> list[tuple]:
    return query(workspace, "SELECT * FROM findings ORDER BY ALL")


def _mark(workspace: Workspace) -> None:
    cursor = workspace.cursor()
    cursor.execute(f"UPDATE {conference_memo.MEMO_FINDINGS_TABLE} SET message = message || '{MARK}'")
    cursor.close()


def _marked(workspace: Workspace) -> tuple[int, int]:
    """(findings on the conference, how many of them carry the mark)."""
    found = _conference(workspace)
    return len(found), sum(message.endswith(MARK) for _, _, _, _, message, _ in found)


def _forget(workspace: Workspace) -> None:
    cursor = workspace.cursor()
    for table in (conference_memo.MEMO_TABLE, conference_memo.MEMO_FINDINGS_TABLE):
        cursor.execute(f"DELETE FROM {table}")
    cursor.close()


def test_a_second_check_reads_the_conference_from_the_memo(sampled):
    run_checks(sampled, today=DAY)
    judged = _conference(sampled)
    assert judged, "the sample conference has findings (CNS gaps)"
    _mark(sampled)
    run_checks(sampled, today=DAY)
    assert _marked(sampled) == (len(judged), len(judged))


def test_an_sbx_edit_keeps_the_conference_remembered(sampled):
    run_checks(sampled, today=DAY)
    _mark(sampled)
    cursor = sampled.cursor()
    editor.set_field(cursor, RecordRef(1, 1), "nome", "MARIA DA SILVA", force=True)
    cursor.close()
    run_checks(sampled, today=DAY)
    total, marked = _marked(sampled)
    assert total and marked == total


def test_a_cnx_edit_and_its_undo_judge_the_conference_again(sampled):
    run_checks(sampled, today=DAY)
    before = _conference(sampled)
    newest = query(sampled, "SELECT file_id FROM newest_cnx")[0][0]
    record_no = query(sampled, "SELECT min(record_no) FROM cnx_beneficiaries WHERE file_id = ? "
                               "AND situacao = 'ATIVO' AND cns IS NOT NULL", [newest])[0][0]
    _mark(sampled)
    cursor = sampled.cursor()
    editor.set_field(cursor, RecordRef(newest, record_no), "cns", "123456789012345", force=True)  # a wrong check digit
    run_checks(sampled, today=DAY)
    assert _marked(sampled)[1] == 0
    assert (newest, record_no, "cns", "cns_invalid") in {row[:4] for row in _conference(sampled)}
    _mark(sampled)
    editor.undo(cursor)
    cursor.close()
    run_checks(sampled, today=DAY)
    assert _marked(sampled)[1] == 0
    assert _conference(sampled) == before


def test_a_day_past_a_date_of_the_cnx_judges_it_again(workspace):
    """The newest sample CNX cancels a vínculo on 2026-10-31: in the future on 2026-10-25, not on 2026-11-05."""
    load_file(workspace, NEWEST_CNX)
    run_checks(workspace, today=dt.date(2026, 10, 25))
    assert "date_future" in {row[3] for row in _conference(workspace)}
    _mark(workspace)
    run_checks(workspace, today=dt.date(2026, 11, 5))
    assert _marked(workspace)[1] == 0
    assert "date_future" not in {row[3] for row in _conference(workspace)}
    _mark(workspace)
    run_checks(workspace, today=dt.date(2027, 3, 1))  # no date of the CNX lies in between
    total, marked = _marked(workspace)
    assert total and marked == total


def test_findings_from_the_memo_equal_judging_again_on_any_day(tmp_path):
    """Two workspaces with the same files: one keeps its memo from day to day, the other forgets it
    before every check. On every day around the CNX's own dates their findings are the same."""
    kept, fresh = Workspace(tmp_path / "kept.duckdb"), Workspace(tmp_path / "fresh.duckdb")
    try:
        for workspace in (kept, fresh):
            _load_samples(workspace)
        dates = sorted({row[0] for row in query(kept, """
            SELECT unnest([TRY_CAST(dataNascimento AS DATE), TRY_CAST(dataContratacao AS DATE),
                           TRY_CAST(dataCancelamento AS DATE), TRY_CAST(dataReativacao AS DATE)])
            FROM cnx_beneficiaries""") if row[0] is not None})
        days = [dates[0] - dt.timedelta(days=1), DAY]
        for date in dates[-4:]:
            days += [date - dt.timedelta(days=1), date, date + dt.timedelta(days=1)]
        days += [DAY + dt.timedelta(days=400), dates[-5]]
        remembered = judged = 0
        for day in days:
            run_checks(kept, today=day)
            _forget(fresh)
            run_checks(fresh, today=day)
            assert _all_findings(kept) == _all_findings(fresh), day
            on_day = query(kept, f"SELECT count(*) FILTER (WHERE judged_on = ?), count(*) "
                                 f"FROM {conference_memo.MEMO_TABLE}", [day])[0]
            judged += on_day[0]
            remembered += on_day[1] - on_day[0]
        assert remembered and judged, "the days both reuse and renew the memo"
    finally:
        kept.close()
        fresh.close()


def test_a_newer_conference_replaces_the_remembered_one(workspace):
    older = load_file(workspace, OLDER_CNX).file_id
    run_checks(workspace, today=DAY)
    assert query(workspace, f"SELECT file_id FROM {conference_memo.MEMO_TABLE}") == [(older,)]
    newest = load_file(workspace, NEWEST_CNX).file_id
    run_checks(workspace, today=DAY)
    assert query(workspace, f"SELECT file_id FROM {conference_memo.MEMO_TABLE}") == [(newest,)]
    assert query(workspace, f"SELECT DISTINCT file_id FROM {conference_memo.MEMO_FINDINGS_TABLE}") == [(newest,)]


def test_a_changed_rule_judges_the_conference_again(sampled, monkeypatch):
    run_checks(sampled, today=DAY)
    _mark(sampled)
    monkeypatch.setattr(cns, "NOT_QUALIFIES_MESSAGE", "CNS: não informado (texto novo)")
    run_checks(sampled, today=DAY)
    messages = [row[4] for row in _conference(sampled) if row[3] == "cns_missing"]
    assert messages and not any(message.endswith(MARK) for message in messages)


def test_a_cancelled_check_remembers_nothing(sampled):
    report = run_checks(sampled, today=DAY, cancel=lambda: True)
    assert report.cancelled
    assert query(sampled, f"SELECT count(*) FROM {conference_memo.MEMO_TABLE}") == [(0,)]


def test_the_day_is_remembered_only_when_it_is_compared_with_dates():
    today = dt.date(2026, 12, 1)
    compared = "x > DATE '2026-12-01' AND y BETWEEN DATE '1890-01-01' AND DATE '2026-12-01'"
    assert conference_memo.day_marked(compared, today) == compared.replace(
        "DATE '2026-12-01'", conference_memo.DAY_MARKER)
    assert conference_memo.day_marked("x > DATE '2026-12-01' OR date_diff('day', d, DATE '2026-12-01') > 3",
                                      today) is None


def test_loading_a_conference_judges_it_for_the_next_check(tmp_path, capsys):
    db = tmp_path / "ws.duckdb"
    code, _, err = run_cli(capsys, "load", "--db", db, SAMPLE_DIR)
    assert code == 1  # a sample SBX declares a wrong hash on purpose
    assert "conference judged for the next checks" in err
    with Workspace(db) as workspace:
        assert query(workspace, f"SELECT count(*) FROM {conference_memo.MEMO_TABLE}") == [(1,)]
        _mark(workspace)
    run_cli(capsys, "check", "--db", db, "--today", DAY.isoformat())
    with Workspace(db) as workspace:
        total, marked = _marked(workspace)
    assert total and marked == total


def test_the_conference_reads_nothing_but_the_rows_of_its_own_cnx():
    """The memo keys a CNX's findings by that file, its edits and the rules' SQL alone: a conference
    rule that read another relation (the SBX, an RPX, another conference) would leave them stale
    when that relation changed. Such a rule belongs on the SBX side of the check."""
    from sibtui.rules import engine
    from sibtui.rules.context import CheckContext

    ctx = CheckContext(DAY)
    sql = "\n".join(select for step in engine.plan(ctx) if step.lane == "conference" for select in step.selects)
    sql += "\n".join(cns.cnx_helper_tables_sql(ctx))
    read = set(re.findall(r'(?:FROM|JOIN)\s+("[^"]+"|[\w.]+)', sql, flags=re.IGNORECASE))
    own = {name for name in read if name.startswith('"__verdicts$')}  # each column's CTE of verdicts
    assert read - own == {ctx.cnx_newest_rows, ctx.cnx_repeated_cns}
