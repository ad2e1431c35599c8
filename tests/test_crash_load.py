"""SIGKILL during `sibtui load` (and `sibtui check`): the workspace is what was committed.

Each test copies an analyst's workspace, starts a real `sibtui load` that stops at a named
point (an INSERT done, the COMMIT about to run, the COMMIT done), kills it with SIGKILL and
reopens the workspace as the next sibtui would. A file is in it whole or not at all, the
journal and the findings are untouched, the WAL left behind is owner-only, and the same
file loads normally afterwards.
"""

from __future__ import annotations

import pytest
from corpus.workspaces import preview_tables, snapshot
from crash.harness import run, start

from sibfiles import BENEFICIARIO, CANCELAMENTO, INCLUSAO, cnx, header, sbx, write
from sibtui.ingest import fastpath
from sibtui.workspace import Workspace


@pytest.fixture
def new_files(tmp_path):
    """Files the analyst's workspace does not hold yet."""
    folder = tmp_path / "novos"
    folder.mkdir()
    return [
        write(folder, "99999720261201101500.SBX", sbx(INCLUSAO * 40 + CANCELAMENTO * 40, head=header(sequencial="31"))),
        write(folder, "99999720261202101500.SBX", sbx(CANCELAMENTO * 7, head=header(sequencial="32"))),
        write(folder, "ArqConf9999971120261210.CNX", cnx(BENEFICIARIO * 30)),
    ]


def reopened(path) -> dict:
    """Open as the next sibtui would (read-write: DuckDB replays its WAL) and read every table."""
    with Workspace(path) as workspace:
        assert preview_tables(workspace) == []
        return snapshot(workspace)


def files_loaded(path) -> list[tuple]:
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        rows = cursor.execute("SELECT name, record_count FROM files ORDER BY file_id").fetchall()
        cursor.close()
    return rows


def assert_wal_owner_only(path) -> None:
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        assert wal.stat().st_mode & 0o077 == 0, oct(wal.stat().st_mode)


@pytest.mark.parametrize("point", ["after-insert:1", "before-commit:1"])
def test_killed_before_the_commit_the_file_is_not_there(point, analyst, new_files, tmp_path):
    before = reopened(analyst)
    beside = set(analyst.parent.iterdir())
    stopped = start(point, "load", "--db", str(analyst), "--quiet", str(new_files[0]), scratch=tmp_path / "crash")
    stopped.wait()
    assert stopped.kill() == -9
    assert_wal_owner_only(analyst)
    # the original's compressed pieces waited in an unlinked spool: no orphan beside the workspace
    assert set(analyst.parent.iterdir()) - beside <= {analyst.with_name(analyst.name + ".wal")}
    assert reopened(analyst) == before
    loaded = run("load", "--db", str(analyst), "--quiet", str(new_files[0]))
    assert loaded.returncode == 0, loaded.stderr
    assert files_loaded(analyst)[-1] == (new_files[0].name, 80)


def test_killed_right_after_the_commit_the_file_is_there_whole(analyst, new_files, tmp_path):
    stopped = start("after-commit:1", "load", "--db", str(analyst), "--quiet", str(new_files[0]),
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    assert_wal_owner_only(analyst)
    after = reopened(analyst)
    new = [row for row in after["files"] if row[2] == new_files[0].name]
    assert len(new) == 1
    file_id = new[0][0]
    assert len([row for row in after["sbx_movements"] if row[0] == file_id]) == 80
    again = run("load", "--db", str(analyst), "--quiet", str(new_files[0]))
    assert again.returncode == 0 and "already loaded" in again.stdout


def test_killed_between_files_keeps_the_ones_committed(analyst, new_files, tmp_path):
    before = [name for name, _ in files_loaded(analyst)]
    stopped = start("before-commit:2", "load", "--db", str(analyst), "--quiet", *map(str, new_files),
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    reopened(analyst)
    assert [name for name, _ in files_loaded(analyst)] == [*before, new_files[0].name]


def test_killed_inside_the_fast_path_keeps_nothing(analyst, new_files, tmp_path):
    before = reopened(analyst)
    stopped = start("fast-first-batch", "load", "--db", str(analyst), "--quiet", str(new_files[2]),
                    scratch=tmp_path / "crash", **{fastpath.PARSER_ENV: "fast"})
    stopped.wait()
    stopped.kill()
    assert reopened(analyst) == before
    loaded = run("load", "--db", str(analyst), "--quiet", str(new_files[2]), **{fastpath.PARSER_ENV: "fast"})
    assert loaded.returncode == 0, loaded.stderr
    assert files_loaded(analyst)[-1] == (new_files[2].name, 30)


def test_killed_while_the_check_replaces_findings_keeps_the_previous_ones(analyst, tmp_path):
    before = reopened(analyst)
    stopped = start("before-commit:1", "check", "--db", str(analyst), "--today", "2026-12-01",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    assert reopened(analyst) == before
