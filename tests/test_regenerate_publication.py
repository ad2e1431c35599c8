"""The regeneration log is committed before the files get their names, and settled after.

Killing the process is tested in `test_crash_regenerate.py`; here, in process: a part whose
name appears meanwhile, what recovery does with rows and left-over parts it finds, and a
workspace logged before the `published` column.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from conftest import SAMPLE_DIR
from sibtui.cycle.progress import pending_progress
from sibtui.edit.diff import NoRegeneration, diff_rows, latest_regeneration_id
from sibtui.edit.regen import log, recovery
from sibtui.edit.regen import parts as regen_parts
from sibtui.edit.regen.output import OutputError, PartWriter
from sibtui.edit.regen.run import regenerate
from sibtui.ingest.hashcheck import check_hash
from sibtui.ingest.loader import load_files
from sibtui.workspace import Workspace

CLOCK = dt.datetime(2026, 11, 20, 9, 0, 0)


def _log(cursor) -> list[tuple]:
    return cursor.execute("SELECT part_no, output_name, published FROM regenerations ORDER BY part_no").fetchall()


def test_a_finished_regeneration_is_logged_published(loaded, out):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=lambda: CLOCK, include_pending=True).regenerations
    assert _log(loaded) == [(1, regeneration.files[0].name, True)]
    assert [path.name for path in out.iterdir()] == [regeneration.files[0].name]


def test_a_part_whose_name_appears_meanwhile_loses_its_rows_the_linked_ones_stay(loaded, out, monkeypatch):
    monkeypatch.setattr(regen_parts, "MAX_MOVEMENTS", 10)
    original = PartWriter.publish

    def publish(self):
        if self.header.name.endswith("0001.SBX"):  # the second part: someone else takes its name
            self.final_path.write_bytes(b"someone else's file")
        return original(self)

    monkeypatch.setattr(PartWriter, "publish", publish)
    with pytest.raises(OutputError, match="appeared while writing"):
        regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK)
    assert _log(loaded) == [(1, "99999720261120090000.SBX", True)]
    movements = loaded.execute("SELECT DISTINCT part_no FROM regenerated_movements").fetchall()
    assert movements == [(1,)]
    assert (out / "99999720261120090001.SBX").read_bytes() == b"someone else's file"


def _unpublished(cursor, out, name: str, hash_value: str) -> None:
    """A log row as a killed regeneration leaves it: committed, not yet marked published."""
    regeneration_id = log.new_regeneration_id(cursor)
    row = {"regeneration_id": regeneration_id, "part_no": 1, "part_count": 1, "registroANS": "999997",
           "output_name": name, "output_path": str(out / name), "sequencialTransacao": "99", "hash": hash_value}
    log.record(cursor, [row], [{"regeneration_id": regeneration_id, "part_no": 1, "position": 1}], [])


def test_recovery_keeps_a_whole_file_and_drops_a_row_only_with_proof_it_was_never_named(loaded, out):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=lambda: CLOCK, include_pending=True).regenerations
    written = regeneration.files[0]
    loaded.execute("UPDATE regenerations SET published = false")
    tag = recovery.workspace_tag(loaded)
    never_named = "99999720261120093000.SBX"
    part = out / f".{never_named}.{tag}.k3j2h1g0.part"  # the proof: publishing starts by renaming the part
    part.write_bytes(written.path.read_bytes())
    _unpublished(loaded, out, never_named, written.hash)
    notes = recovery.recover(loaded, out, tag)
    assert notes == [
        f"{written.name}: já tinha o nome final quando a geração {regeneration.regeneration_id} foi interrompida; "
        "registrado como gerado",
        f"{never_named}: a geração {regeneration.regeneration_id + 1} foi interrompida antes de o "
        "arquivo receber o nome; registro descartado",
        f"{part.name}: arquivo temporário de uma geração interrompida, removido",
    ]
    assert _log(loaded) == [(1, written.name, True)]
    assert loaded.execute("SELECT count(*) FROM regenerated_movements WHERE regeneration_id = ?",
                          [regeneration.regeneration_id + 1]).fetchall() == [(0,)]
    assert not part.exists()
    assert recovery.recover(loaded, out, tag) == []  # nothing left to settle


def test_a_logged_file_that_left_the_folder_keeps_its_name_and_sequencial(loaded, out, tmp_path):
    """Killed after the link, the SBX moved away to be sent: it may have gone to ANS."""
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=lambda: CLOCK, include_pending=True).regenerations
    written = regeneration.files[0]
    loaded.execute("UPDATE regenerations SET published = false")
    written.path.rename(tmp_path / written.name)
    [note] = recovery.recover(loaded, out, recovery.workspace_tag(loaded))
    assert note.startswith(f"{written.name}: não está mais em") and "não serão reusados" in note
    assert _log(loaded) == [(1, written.name, True)]
    assert log.next_sequencial(loaded, "999997") == written.sequencial + 1
    assert written.name.upper() in log.taken_names(loaded)


def test_a_claimed_part_killed_while_linking_is_published_now(loaded, out):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=lambda: CLOCK, include_pending=True).regenerations
    written = regeneration.files[0]
    loaded.execute("UPDATE regenerations SET published = false")
    tag = recovery.workspace_tag(loaded)
    claim = out / f".{written.name}.{tag}.k3j2h1g0.claim"
    written.path.rename(claim)
    [note] = recovery.recover(loaded, out, tag)
    assert note.endswith("publicação concluída")
    assert [path.name for path in out.iterdir()] == [written.name] and check_hash(written.path).ok
    assert _log(loaded) == [(1, written.name, True)]


def test_a_file_at_the_logged_name_with_another_hash_keeps_the_name_reserved(loaded, out):
    (out / "99999720261120093000.SBX").write_bytes(b"not a SIB file")
    _unpublished(loaded, out, "99999720261120093000.SBX", "0" * 32)
    [note] = recovery.recover(loaded, out, recovery.workspace_tag(loaded))
    assert "não serão reusados" in note
    assert _log(loaded) == [(1, "99999720261120093000.SBX", True)]


def test_recovery_removes_our_left_over_parts_and_reports_the_others(loaded, out):
    tag = recovery.workspace_tag(loaded)
    ours = out / f".99999720261120090000.SBX.{tag}.k3j2h1g0.part"
    theirs = out / ".99999720261120090000.SBX.k3j2h1g0.part"
    unrelated = out / ".notes.part"
    for path in (ours, theirs, unrelated):
        path.write_bytes(b"<mensagemSIB>")
    assert sorted(recovery.recover(loaded, out, tag)) == sorted([
        f"{theirs.name}: arquivo temporário que não é deste workspace; deixado como está",
        f"{ours.name}: arquivo temporário de uma geração interrompida, removido",
    ])
    assert sorted(path.name for path in out.iterdir()) == sorted([theirs.name, unrelated.name])


def test_readers_leave_unpublished_rows_out(loaded, out):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], clock=lambda: CLOCK, include_pending=True).regenerations
    assert latest_regeneration_id(loaded) == regeneration.regeneration_id
    assert sum(progress.regenerated for progress in pending_progress(loaded).values()) == 11
    loaded.execute("UPDATE regenerations SET published = false")
    assert sum(progress.regenerated for progress in pending_progress(loaded).values()) == 0
    loaded_names = {name.upper() for (name,) in loaded.execute("SELECT name FROM files WHERE kind = 'SBX'").fetchall()}
    assert log.taken_names(loaded) == loaded_names
    with pytest.raises(NoRegeneration):
        latest_regeneration_id(loaded)
    loaded.execute("UPDATE regenerations SET published = true")
    assert log.taken_names(loaded) == loaded_names | {regeneration.files[0].name}


def test_a_workspace_logged_before_the_published_column_still_reads_and_upgrades(tmp_path, out):
    path = tmp_path / "old.duckdb"
    with Workspace(path) as workspace:
        for outcome in load_files(workspace, [SAMPLE_DIR]):
            assert outcome.report is not None
        cursor = workspace.cursor()
        [regeneration] = regenerate(cursor, out, sbx_file_ids=[1], clock=lambda: CLOCK, include_pending=True).regenerations
        cursor.close()
    connection = duckdb.connect(str(path))
    connection.execute("ALTER TABLE regenerations DROP COLUMN published")
    for table, column in (("regenerations", "superseded_at"), ("regenerations", "superseded_by"),
                          ("regenerations", "moved_to"), ("regenerated_movements", "edits_key"),
                          ("regenerated_movements", "decision")):
        connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    connection.execute("DELETE FROM meta WHERE key = 'schema_fingerprint'")  # a sibtui of then wrote none
    connection.close()
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        assert latest_regeneration_id(cursor) == regeneration.regeneration_id
        assert diff_rows(cursor) == diff_rows(cursor, regeneration.regeneration_id)
        assert pending_progress(cursor)[1].total == 11  # the cycle reads it too
        cursor.close()
    with Workspace(path) as workspace:
        cursor = workspace.cursor()
        assert cursor.execute("SELECT published FROM regenerations").fetchall() == [(True,)]
        cursor.close()
