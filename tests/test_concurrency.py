"""Two sibtui processes on one workspace: a clear refusal naming the other, never corruption.

DuckDB allows one process that changes a file or several that read it. While a real
`sibtui load` holds the workspace (stopped mid-transaction at a crash point), a second
`sibtui` that reads or writes is refused in one line naming the holder and what to do; once
the load ends, everything is there. While a `sibtui query` reads, other reads run and a
change is refused.
"""

from __future__ import annotations

import subprocess

import pytest
from corpus.workspaces import first_named_movement, snapshot
from crash.harness import run, start

from sibfiles import CANCELAMENTO, header, sbx, write
from sibtui.errors import WorkspaceBusy
from sibtui.workspace import Workspace, open_or_read_only


@pytest.fixture
def new_sbx(tmp_path):
    return write(tmp_path, "99999720261201101500.SBX", sbx(CANCELAMENTO * 12, head=header(sequencial="40")))


def one_error_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_while_a_load_writes_others_are_refused_and_nothing_breaks(analyst, new_sbx, tmp_path):
    with Workspace(analyst, read_only=True) as workspace:
        ref = "{}:{}".format(*first_named_movement(workspace.cursor()))
        before = snapshot(workspace)
    holder = start("after-insert:1", "load", "--db", str(analyst), "--quiet", str(new_sbx), scratch=tmp_path / "c")
    holder.wait()
    try:
        reading = one_error_line(run("query", "--db", str(analyst), "select count(*) from files"))
        assert f"process {holder.process.pid}, sibtui load" in reading
        assert "being changed by another sibtui" in reading and "run this again when that one ends" in reading
        for command in (["load", "--quiet", str(new_sbx)], ["fix", "set", "--record", ref, "nome=OUTRO"],
                        ["check"], ["status"]):
            line = one_error_line(run(command[0], "--db", str(analyst), *command[1:]))
            assert f"process {holder.process.pid}, sibtui load" in line, line
    finally:
        assert holder.release() == 0, holder.output()
    with Workspace(analyst, read_only=True) as workspace:
        after = snapshot(workspace)
    assert [row[2] for row in after["files"]] == [row[2] for row in before["files"]] + [new_sbx.name]
    assert after["edit_journal"] == before["edit_journal"]  # the refused fix wrote nothing
    assert run("query", "--db", str(analyst), "select count(*) from files").returncode == 0


def test_while_a_query_reads_other_reads_run_and_changes_wait(analyst, new_sbx, tmp_path):
    reader = start("before-query", "query", "--db", str(analyst), "--format", "csv", "select count(*) from files",
                   scratch=tmp_path / "c")
    reader.wait()
    try:
        assert run("query", "--db", str(analyst), "--format", "csv", "select count(*) from files").stdout == \
            "count_star()\n6\n"
        line = one_error_line(run("load", "--db", str(analyst), "--quiet", str(new_sbx)))
        assert f"process {reader.process.pid}, sibtui query" in line
        assert "being read by another sibtui" in line and "read-only commands can run now" in line
    finally:
        assert reader.release() == 0, reader.output()
    assert reader.stdout() == "count_star()\n6\n"
    loaded = run("load", "--db", str(analyst), "--quiet", str(new_sbx))
    assert loaded.returncode == 0, loaded.stderr


def test_the_refusal_is_typed_for_the_console(analyst, new_sbx, tmp_path):
    """The console can tell "another sibtui changes it" from "only reads it" (read-only fallback)."""
    holder = start("after-insert:1", "load", "--db", str(analyst), "--quiet", str(new_sbx), scratch=tmp_path / "c")
    holder.wait()
    try:
        for read_only in (True, False):
            with pytest.raises(WorkspaceBusy) as raised:
                Workspace(analyst, read_only=read_only)
            assert raised.value.holder_pid == holder.process.pid and raised.value.holder_writes
        with pytest.raises(WorkspaceBusy):
            open_or_read_only(analyst)
    finally:
        holder.release()


def test_the_console_can_fall_back_to_read_only_while_another_only_reads(analyst, tmp_path):
    workspace, notice = open_or_read_only(analyst)
    assert not workspace.read_only and notice is None
    workspace.close()
    reader = start("before-query", "query", "--db", str(analyst), "select 1", scratch=tmp_path / "c")
    reader.wait()
    try:
        workspace, notice = open_or_read_only(analyst)
        with workspace:
            assert workspace.read_only
            assert notice.startswith("somente leitura") and f"processo {reader.process.pid}, sibtui query" in notice
            cursor = workspace.cursor()
            assert cursor.execute("SELECT count(*) FROM files").fetchall() == [(6,)]
            cursor.close()
    finally:
        assert reader.release() == 0, reader.output()
