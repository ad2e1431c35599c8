"""Several sibtui processes on one workspace: reads run at once, writing jobs take turns.

Against real `python -m sibtui` children stopped at a crash point (tests/crash): while a
`sibtui load` holds its file's transaction open, `query` and `status` answer at once from
the committed state (the load's process serves them); `fix`, `check` and a second `load`
say whom they wait for, wait, and run once it ends. While a `sibtui query` alone reads the
file (read-only, nobody serving it), other reads run and a `load` waits for it.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from corpus.child import REPO, child_env, sibtui_command
from corpus.workspaces import first_named_movement, snapshot
from crash.harness import REACH_LIMIT_SECONDS, run, start

from sibfiles import CANCELAMENTO, header, sbx, write
from sibtui.shared_workspace.client import RemoteWorkspace
from sibtui.shared_workspace.opening import open_workspace
from sibtui.workspace import Workspace


@pytest.fixture
def new_sbx(tmp_path):
    return write(tmp_path, "99999720261201101500.SBX", sbx(CANCELAMENTO * 12, head=header(sequencial="40")))


def background(*arguments: str) -> subprocess.Popen:
    return subprocess.Popen(sibtui_command(*arguments), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=REPO)


def first_stderr_line(process: subprocess.Popen) -> str:
    """What a waiting command said first (it says whom it waits for before it waits)."""
    return process.stderr.readline().strip()


def test_while_a_load_writes_reads_answer_and_writing_jobs_wait_their_turn(analyst, new_sbx, tmp_path):
    with Workspace(analyst, read_only=True) as workspace:
        ref = "{}:{}".format(*first_named_movement(workspace.cursor()))
        before = snapshot(workspace)
    holder = start("after-insert:1", "load", "--db", str(analyst), "--quiet", str(new_sbx), scratch=tmp_path / "c")
    holder.wait()
    try:
        reading = run("query", "--db", str(analyst), "--format", "csv", "select count(*) from files")
        assert reading.returncode == 0 and reading.stdout == "count_star()\n6\n", reading.stderr  # committed state
        assert run("status", "--db", str(analyst)).returncode == 0
        fixing = background("fix", "set", "--db", str(analyst), "--record", ref, "nome=OUTRO NOME")
        line = first_stderr_line(fixing)
        assert line.startswith(f"sibtui: waiting for sibtui load (process {holder.process.pid})"), line
        assert "Ctrl+C stops waiting" in line and fixing.poll() is None
    finally:
        assert holder.release() == 0, holder.output()
    assert fixing.wait(REACH_LIMIT_SECONDS) == 0, fixing.stderr.read()
    with open_workspace(analyst, read_only=True) as workspace:  # the fix's successor may still serve it
        after = snapshot(workspace)
    assert [row[2] for row in after["files"]] == [row[2] for row in before["files"]] + [new_sbx.name]
    assert len(after["edit_journal"]) == len(before["edit_journal"]) + 1  # the fix ran after the load
    again = run("load", "--db", str(analyst), "--quiet", str(new_sbx))
    assert again.returncode == 0 and "1 already in the workspace" in again.stderr


def test_while_a_query_alone_reads_other_reads_run_and_a_load_waits(analyst, new_sbx, tmp_path):
    reader = start("before-query", "query", "--db", str(analyst), "--format", "csv", "select count(*) from files",
                   scratch=tmp_path / "c")
    reader.wait()
    try:
        assert run("query", "--db", str(analyst), "--format", "csv", "select count(*) from files").stdout == \
            "count_star()\n6\n"
        loading = background("load", "--db", str(analyst), "--quiet", str(new_sbx))
        line = first_stderr_line(loading)
        assert line.startswith(f"sibtui: waiting for sibtui query (process {reader.process.pid}) to let go"), line
    finally:
        assert reader.release() == 0, reader.output()
    assert reader.stdout() == "count_star()\n6\n"
    assert loading.wait(REACH_LIMIT_SECONDS) == 0, loading.stderr.read()
    assert run("query", "--db", str(analyst), "--format", "csv", "select count(*) from files").stdout == \
        "count_star()\n7\n"


def test_a_second_process_reads_and_writes_through_the_owner(analyst, tmp_path):
    """In this process the owner; in a child, the same core over a remote cursor: types, errors,
    transactions, registered Arrow tables, and read-only sessions that cannot write."""
    owner = open_workspace(analyst)
    try:
        assert isinstance(owner, Workspace)
        script = (
            "import sys, duckdb, pyarrow as pa\n"
            "from sibtui.shared_workspace.opening import open_workspace\n"
            "from sibtui.shared_workspace.client import RemoteWorkspace\n"
            "ws = open_workspace(sys.argv[1]); c = ws.cursor()\n"
            "assert isinstance(ws, RemoteWorkspace)\n"
            "print(c.execute('SELECT count(*), sum(file_id), max(name) FROM files').fetchall())\n"
            "c.register('__t', pa.table({'x': [1, 2, 3]}))\n"
            "c.execute('BEGIN TRANSACTION'); c.execute('CREATE TABLE mine AS SELECT * FROM __t'); c.execute('COMMIT')\n"
            "print(c.sql('SELECT CAST(sum(x) AS BIGINT) AS s FROM mine').to_arrow_table().to_pylist())\n"
            "try:\n    c.execute('SELECT * FROM nowhere')\nexcept duckdb.CatalogException as e:\n    print('catalog')\n"
            "ro = open_workspace(sys.argv[1], read_only=True).cursor()\n"
            "try:\n    ro.execute('DROP TABLE mine')\nexcept duckdb.Error as e:\n    print('refused', 'read-only' in str(e))\n"
            "ro.execute('CREATE TEMP VIEW v AS SELECT 1 AS one'); print(ro.execute('SELECT * FROM v').fetchall())\n"
        )
        child = subprocess.run([*sibtui_command()[:1], "-c", script, str(analyst)], capture_output=True, text=True,
                               env=child_env(), cwd=REPO, timeout=REACH_LIMIT_SECONDS)
        assert child.returncode == 0, child.stderr
        assert child.stdout.splitlines() == ["[(6, 21, 'ArqConf9999971020261110.CNX')]", "[{'s': 6}]", "catalog", "refused True", "[(1,)]"]
        cursor = owner.cursor()
        assert cursor.execute("SELECT sum(x) FROM mine").fetchall() == [(6,)]  # committed through the owner
        cursor.close()
        assert owner.shared
    finally:
        owner.close()


def test_a_process_that_holds_the_file_without_serving_it_is_waited_for(analyst):
    """The console's open waits (cancellably) instead of failing or going read-only."""
    with Workspace(analyst, read_only=True):  # this process reads it directly; no server
        script = ("import sys\nfrom sibtui.shared_workspace.opening import open_workspace\n"
                  "from sibtui.db.turns import TurnCancelled\n"
                  "try:\n    open_workspace(sys.argv[1], cancel=lambda: True, on_wait=print)\n"
                  "except TurnCancelled as stopped:\n    print(stopped)\n")
        child = subprocess.run([*sibtui_command()[:1], "-c", script, str(analyst)], capture_output=True, text=True,
                               env=child_env(), cwd=REPO, timeout=REACH_LIMIT_SECONDS)
        told = child.stdout.splitlines()
    assert child.returncode == 0, child.stderr
    assert len(told) == 2 and f"(process {os.getpid()})" in told[0] and "stopped waiting for the workspace" in told[1]
    assert not isinstance(open_workspace(analyst, read_only=True), RemoteWorkspace)  # free again: direct
