"""Regenerating what ANS rejected: exactly those movements, corrected; undo restores; the log."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from conftest import SAMPLE_DIR, XSD_DIR, spec_file
from sibtui.edit import editor
from sibtui.edit.diff import NoRegeneration, diff_rows
from sibtui.edit.records import EditError, RecordRef
from sibtui.edit.regen import parts as regen_parts
from sibtui.edit.regen.run import RegenerationCancelled, regenerate
from sibtui.ingest.loader import load_file
from sibtui.rules.check_digits import with_cpf_digits
from sibtui.workspace import Workspace

REJECTED_RECORDS = [3, 4, 5, 6, 8, 9, 10, 11, 19, 22, 23]  # the 11 records 99999720261105031244.RPX rejects
GOOD_CPF = with_cpf_digits("394857162")


class Clock:
    """A fixed generation time, so names are known in advance."""

    def __init__(self, moment=dt.datetime(2026, 11, 20, 9, 0, 0)):
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def _reload(tmp_path, path, name="check.duckdb") -> list[dict]:
    with Workspace(tmp_path / name) as workspace:
        file_id = load_file(workspace, path).file_id
        cursor = workspace.cursor()
        result = cursor.execute("SELECT * FROM sbx_movements WHERE file_id = ? ORDER BY record_no", [file_id])
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row)) for row in result.fetchall()]


def _source_rows(cursor, records) -> list[dict]:
    result = cursor.execute("SELECT * FROM sbx_movements WHERE file_id = 1 ORDER BY record_no")
    columns = [d[0] for d in result.description]
    rows = {row[1]: dict(zip(columns, row)) for row in result.fetchall()}
    return [rows[n] for n in records]


def _values(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("file_id", "record_no", "line")}


def test_include_pending_sends_every_rejected_movement_corrected_or_not(loaded, out, tmp_path):
    editor.set_field(loaded, RecordRef(1, 3), "cpf", GOOD_CPF)
    result = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True)
    [regeneration] = result.regenerations
    assert regeneration.plan.scope == "rejected" and regeneration.plan.rpx_name == "99999720261105031244.RPX"
    [written] = regeneration.files
    reloaded = _reload(tmp_path, written.path)
    expected = _source_rows(loaded, REJECTED_RECORDS)
    expected[0]["cpf"] = GOOD_CPF
    assert [_values(row) for row in reloaded] == [_values(row) for row in expected]
    # The evidence is untouched.
    assert _source_rows(loaded, [3])[0]["cpf"] == "39485716203"


def test_undo_then_regenerate_restores_the_original_value(loaded, out, tmp_path):
    editor.set_field(loaded, RecordRef(1, 3), "cpf", GOOD_CPF)
    first = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True).regenerations[0].files[0]
    editor.undo(loaded)
    [again] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True).regenerations
    second = again.files[0]
    assert second.name == "99999720261120090001.SBX" and second.sequencial == first.sequencial + 1  # a new name
    assert again.superseded == [first.name]  # the first carries the undone value: it must not go
    assert not first.path.exists() and (out / "substituidos" / first.name).is_file()
    assert _reload(tmp_path, second.path, "again.duckdb")[0]["cpf"] == "39485716203"


def test_whole_file_rejection_resends_every_movement(loaded, out):
    result = regenerate(loaded, out, sbx_file_ids=[2], clock=Clock())
    [regeneration] = result.regenerations
    assert regeneration.plan.scope == "file-rejected"
    assert regeneration.movement_count == 2
    codes = loaded.execute("SELECT DISTINCT rejection_codes FROM regenerated_movements").fetchall()
    assert codes == [(["20"],)]


def test_without_sbx_every_answered_sbx_with_rejections_is_regenerated(loaded, out):
    result = regenerate(loaded, out, clock=Clock(), include_pending=True)
    assert [(r.plan.source_file_id, r.plan.scope, r.movement_count) for r in result.regenerations] == [
        (1, "rejected", 11), (2, "file-rejected", 2)]
    names = [r.files[0].name for r in result.regenerations]
    assert names == ["99999720261120090000.SBX", "99999720261120090001.SBX"]


def test_no_answer_needs_all(workspace, out):
    load_file(workspace, SAMPLE_DIR / "99999720261103101500.SBX")
    cursor = workspace.cursor()
    with pytest.raises(EditError, match="no RPX answering it is loaded"):
        regenerate(cursor, out, sbx_file_ids=[1])
    assert regenerate(cursor, out, sbx_file_ids=[1], all_movements=True).regenerations[0].movement_count == 25


def test_the_log_says_what_went_in_and_why(loaded, out):
    editor.set_field(loaded, RecordRef(1, 3), "cpf", GOOD_CPF)
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True).regenerations
    log = loaded.execute("SELECT regeneration_id, part_no, scope, source_file_id, rpx_file_id, output_name, "
                         "sequencialTransacao, movement_count, hash FROM regenerations").fetchall()
    assert log == [(regeneration.regeneration_id, 1, "rejected", 1, 3, "99999720261120090000.SBX", "43", 11,
                    regeneration.files[0].hash)]
    movements = loaded.execute("SELECT position, source_record_no, why, rejection_codes, edit_ids, decision "
                               "FROM regenerated_movements ORDER BY position").fetchall()
    assert [row[1] for row in movements] == [3, 4, 5, 6, 8, 9, 10, 11, 19, 22, 23]
    assert movements[0] == (1, 3, "rejected", ["0402"], [1], "corrigido")
    assert movements[1][5] == "com_titular" and movements[2][5] == "pendente"
    assert movements[2][3] == ["0401", "0701"]
    diff = diff_rows(loaded)
    assert [(r[5], r[8], r[9], r[10], r[11], r[13]) for r in diff] == [(3, "cpf", "39485716203", GOOD_CPF, "edit",
                                                                      "0402")]


def test_diff_without_a_regeneration_says_so(loaded):
    with pytest.raises(NoRegeneration):
        diff_rows(loaded)


def test_accepted_edited_movements_are_left_out_with_a_note(loaded, out):
    editor.set_field(loaded, RecordRef(1, 1), "nomeMae", "REGINA FERREIRA")  # 0000200001 was accepted
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True).regenerations
    assert regeneration.movement_count == 11
    assert any("aceitou não entram" in note for note in regeneration.plan.notes)


def test_a_value_that_would_fail_the_schema_writes_nothing(loaded, out):
    editor.set_field(loaded, RecordRef(1, 3), "cpf", "123", force=True)
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock()).regenerations
    assert regeneration.problems and "registro 1:3" in regeneration.problems[0]
    assert list(out.iterdir()) == []
    assert loaded.execute("SELECT count(*) FROM regenerations").fetchall() == [(0,)]


def test_cancel_keeps_no_file(loaded, out):
    with pytest.raises(RegenerationCancelled):
        regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, cancel=lambda: True)
    assert list(out.iterdir()) == []


def test_progress_is_reported(loaded, out):
    seen = []
    regenerate(loaded, out, sbx_file_ids=[1], progress=lambda done, total, label: seen.append((done, total)),
               include_pending=True)
    assert seen[-1] == (11, 11)


def test_an_existing_name_is_never_overwritten(loaded, out):
    taken = out / "99999720261120090000.SBX"
    taken.write_bytes(b"someone else's file")
    written = regenerate(loaded, out, sbx_file_ids=[1], clock=Clock(), include_pending=True).regenerations[0].files[0]
    assert written.name == "99999720261120090001.SBX"
    assert taken.read_bytes() == b"someone else's file"


def test_more_than_the_limit_is_split_into_parts(workspace, out, monkeypatch, tmp_path):
    load_file(workspace, SAMPLE_DIR / "99999720261103101500.SBX")  # no answer: --all is the round trip
    loaded = workspace.cursor()
    monkeypatch.setattr(regen_parts, "MAX_MOVEMENTS", 10)
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=Clock()).regenerations
    assert [(f.part_no, f.part_count, f.movement_count, f.sequencial) for f in regeneration.files] == [
        (1, 3, 10, 42), (2, 3, 10, 43), (3, 3, 5, 44)]  # after 41 loaded
    assert [f.name for f in regeneration.files] == [
        "99999720261120090000.SBX", "99999720261120090001.SBX", "99999720261120090002.SBX"]
    reloaded = [row for i, f in enumerate(regeneration.files) for row in _reload(tmp_path, f.path, f"p{i}.duckdb")]
    assert [_values(r) for r in reloaded] == [_values(r) for r in _source_rows(loaded, range(1, 26))]


def test_regenerated_rejected_file_is_schema_valid(loaded, out):
    schema_path = spec_file(XSD_DIR / "sib.xsd")
    editor.set_field(loaded, RecordRef(1, 3), "cpf", GOOD_CPF)
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], xsd_path=schema_path).regenerations
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    assert schema.validate(etree.parse(str(regeneration.files[0].path))), schema.error_log
    assert loaded.execute("SELECT xsd_path FROM regenerations").fetchall() == [(str(schema_path),)]
