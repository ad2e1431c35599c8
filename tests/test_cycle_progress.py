"""The cycle follows each rejected movement: corrected, regenerated, re-sent, accepted or not."""

from __future__ import annotations

import datetime as dt

import pytest
from test_cycle_status import rpx

from conftest import SAMPLE_DIR
from sibfiles import write
from sibtui.cycle.status import cycle_rows
from sibtui.edit import editor
from sibtui.edit.records import RecordRef
from sibtui.edit.regen.run import regenerate
from sibtui.ingest.loader import load_file, load_files
from sibtui.rules.check_digits import with_cpf_digits

TODAY = dt.date(2026, 12, 1)
MAIN, REJECTED_FILE = "99999720261103101500.SBX", "99999720261104160000.SBX"


def _rows(cursor):
    return {row.sbx_name: row for row in cycle_rows(cursor, TODAY)}


@pytest.fixture
def cursor(workspace):
    for outcome in load_files(workspace, [SAMPLE_DIR]):
        assert outcome.report is not None, outcome.error
    opened = workspace.cursor()
    yield opened
    opened.close()


def test_the_status_bar_fix_then_regenerate(cursor, tmp_path):
    before = _rows(cursor)
    assert (before[MAIN].protocolo, before[MAIN].rejected_records, before[MAIN].progress.uncorrected) == (
        "202611000417362", 11, 11)
    assert (before[REJECTED_FILE].rejection_code, before[REJECTED_FILE].progress.uncorrected) == ("20", 2)

    editor.set_field(cursor, RecordRef(1, 3), "cpf", with_cpf_digits("394857162"), reason="0402")
    fixed = _rows(cursor)[MAIN].progress
    assert (fixed.uncorrected, fixed.corrected, fixed.regenerated) == (10, 1, 0)

    clock = lambda: dt.datetime(2026, 12, 1, 9, 0, 0)  # noqa: E731
    result = regenerate(cursor, tmp_path, sbx_file_ids=[1], clock=clock, today=TODAY)
    (written,) = [f.name for regeneration in result.regenerations for f in regeneration.files]
    after = _rows(cursor)[MAIN]
    assert (after.progress.uncorrected, after.progress.corrected, after.progress.regenerated) == (0, 0, 11)
    assert after.progress.regenerated_unchanged == 10
    assert after.progress.regenerated_files == (written,)
    assert any("10 regenerado(s) sem correção" in alert for alert in after.alerts(TODAY))


def test_a_correction_after_the_regeneration_makes_it_stale(cursor, tmp_path):
    clock = lambda: dt.datetime(2026, 12, 1, 9, 0, 0)  # noqa: E731
    regenerate(cursor, tmp_path, sbx_file_ids=[1], clock=clock, today=TODAY)
    editor.set_field(cursor, RecordRef(1, 3), "cpf", with_cpf_digits("394857162"))
    progress = _rows(cursor)[MAIN].progress
    assert (progress.corrected, progress.regenerated) == (1, 10)


def test_resent_movements_follow_the_later_rpx(cursor, workspace, tmp_path):
    clock = lambda: dt.datetime(2026, 12, 1, 9, 0, 0)  # noqa: E731
    out = tmp_path / "out"
    out.mkdir()
    result = regenerate(cursor, out, sbx_file_ids=[2], all_movements=True, clock=clock, today=TODAY)
    (path,) = [f.path for regeneration in result.regenerations for f in regeneration.files]
    resent = load_file(workspace, path)
    assert _rows(cursor)[REJECTED_FILE].progress.resent_awaiting == 2
    load_file(workspace, write(tmp_path, "99999720261202030000.RPX", rpx(path.name, when="2026-12-02T03:00:00")))
    progress = _rows(cursor)[REJECTED_FILE].progress
    assert (progress.resent_accepted, progress.resent_rejected, progress.resent_awaiting) == (2, 0, 0)
    assert _rows(cursor)[path.name].sbx_file_id == resent.file_id
