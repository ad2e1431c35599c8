"""The cycle follows each rejected movement: corrected, regenerated, re-sent, accepted or not."""

from __future__ import annotations

import datetime as dt

import pytest
from test_cycle_status import rpx

from conftest import SAMPLE_DIR
from sibfiles import write
from sibtui.cycle.status import cycle_rows
from sibtui.edit import editor
from sibtui.edit.decisions import HOLD, decide
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


def test_each_rejected_movement_is_counted_once_in_its_latest_state(cursor, tmp_path):
    before = _rows(cursor)[MAIN]
    assert (before.protocolo, before.rejected_records) == ("202611000417362", 11)
    assert (before.progress.uncorrected, before.progress.with_titular, before.progress.total) == (10, 1, 11)
    assert _rows(cursor)[REJECTED_FILE].progress.as_is == 2  # rejected whole: they go as they are

    editor.set_field(cursor, RecordRef(1, 3), "cpf", with_cpf_digits("394857162"), reason="0402")
    decide(cursor, [RecordRef(1, 22)], HOLD, "já inativo na ANS")
    fixed = _rows(cursor)[MAIN].progress
    assert (fixed.uncorrected, fixed.corrected, fixed.with_titular, fixed.held, fixed.regenerated) == (8, 1, 1, 1, 0)

    clock = lambda: dt.datetime(2026, 12, 1, 9, 0, 0)  # noqa: E731
    result = regenerate(cursor, tmp_path, sbx_file_ids=[1], clock=clock, today=TODAY)
    (written,) = [f.name for regeneration in result.regenerations for f in regeneration.files]
    after = _rows(cursor)[MAIN]
    progress = after.progress
    assert (progress.uncorrected, progress.corrected, progress.with_titular, progress.held, progress.regenerated) == (
        8, 0, 0, 1, 2)
    assert progress.regenerated_files == (written,) and progress.total == 11
    assert after.outstanding == 10  # everything but the held one must still reach ANS
    regenerate(cursor, tmp_path, sbx_file_ids=[1], clock=clock, today=TODAY)  # nothing changed: nothing moves
    assert _rows(cursor)[MAIN].progress == progress


def test_undo_and_redo_of_a_generated_edit_never_make_the_card_lie(cursor, tmp_path):
    clock = lambda: dt.datetime(2026, 12, 1, 9, 0, 0)  # noqa: E731
    editor.set_field(cursor, RecordRef(1, 3), "cpf", with_cpf_digits("394857162"))
    regenerate(cursor, tmp_path, sbx_file_ids=[1], clock=clock, today=TODAY)
    editor.undo(cursor)
    undone = _rows(cursor)[MAIN]
    assert (undone.progress.regenerated, undone.progress.corrected, undone.progress.stale) == (0, 0, 2)
    assert any("mudaram depois de gerado" in alert for alert in undone.alerts(TODAY))
    editor.redo(cursor)
    redone = _rows(cursor)[MAIN].progress
    assert (redone.regenerated, redone.corrected, redone.stale) == (2, 0, 0)  # the file holds it as it is again


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
