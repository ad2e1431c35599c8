"""The issue's bar, with real processes: two consoles, `query`, `status`, `fix`, `load`, SIGKILL.

Console A opens first (it owns the workspace and serves it), console B opens read-write
beside it; each is the real app under Pilot at 80x24 in a process of its own
(`tests/console_child.py`). The waits below are hang guards, not timing assertions: the
seconds each change took to show up are in the failure message if one never does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus.child import REPO, child_env
from crash.harness import REACH_LIMIT_SECONDS, run
from tui_helpers import sample_workspace

from sibfiles import CANCELAMENTO, header, sbx, write
from sibtui.db.turns import write_turn

CHILD = Path(__file__).with_name("console_child.py")
SHOW_GUARD_SECONDS = 20  # "within 2 s" is the design (1 s polling); this only stops a hang
VALID_CNS = "209182736460001"
NEW_NAME = "MARIA TESTE DA SILVA"


class Console:
    """A console in its own process, asked one JSON command at a time."""

    def __init__(self, workspace: Path):
        self.process = subprocess.Popen([sys.executable, str(CHILD), str(workspace)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=child_env(), cwd=REPO)

    def ask(self, op: str, **fields) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"console ended: {self.process.stderr.read()[-2000:]}"
        return json.loads(line)

    def shows(self, row: int, column: str, value: str) -> float:
        answer = self.ask("wait_cell", row=row, column=column, value=value, limit=SHOW_GUARD_SECONDS)
        assert answer["seconds"] is not None, answer
        return answer["seconds"]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit")
                self.process.wait(REACH_LIMIT_SECONDS)
            except (AssertionError, BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


@pytest.fixture
def consoles():
    opened: list[Console] = []
    yield lambda path: opened.append(Console(path)) or opened[-1]
    for console in opened:
        console.close()


def sibtui(*arguments: str) -> subprocess.CompletedProcess:
    result = run(*arguments)
    assert result.returncode == 0, result.stderr
    return result


def test_two_consoles_commands_beside_them_a_load_that_waits_and_a_killed_owner(tmp_path, consoles):
    workspace = sample_workspace(tmp_path)
    db = ["--db", str(workspace)]
    console_a = consoles(workspace)
    assert console_a.ask("ready") == {"ok": True, "owner": True, "read_only": False}

    # query and status beside an idle console: they answer (no waiting line on stderr)
    counted = sibtui("query", *db, "--format", "csv", "select count(*) from files")
    assert counted.stdout == "count_star()\n6\n"
    assert sibtui("status", *db).stdout.count(".SBX") >= 2
    assert "waiting" not in sibtui("status", *db).stderr

    # console B opens read-write and edits; A shows it
    console_b = consoles(workspace)
    assert console_b.ask("ready") == {"ok": True, "owner": False, "read_only": False}
    assert console_b.ask("edit", row=4, column="cns", value=VALID_CNS)["pending"] == [1, 1]
    console_a.shows(4, "cns", VALID_CNS)

    # fix set from the command line while both are open: both show it
    sibtui("fix", "set", *db, "--record", "1:6", f"nome={NEW_NAME}")
    console_a.shows(5, "nome", NEW_NAME)
    console_b.shows(5, "nome", NEW_NAME)

    # a load while another job holds the turn: it says so, waits, then loads; both consoles see the file
    new_sbx = write(tmp_path, "99999720261201101500.SBX", sbx(CANCELAMENTO * 12, head=header(sequencial="40")))
    with write_turn(workspace, "sibtui check"):
        loading = subprocess.Popen([sys.executable, "-m", "sibtui", "load", *db, "--quiet", str(new_sbx)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(),
                                   cwd=REPO)
        waiting = loading.stderr.readline()
        assert waiting.startswith(f"sibtui: waiting for sibtui check (process {os.getpid()})"), waiting
        assert loading.poll() is None
    assert loading.wait(REACH_LIMIT_SECONDS) == 0, loading.stderr.read()
    for console in (console_a, console_b):
        seen = console.ask("wait_file", name=new_sbx.name, limit=SHOW_GUARD_SECONDS)
        assert seen["seconds"] is not None, seen

    # SIGKILL of console A (the owner) in the middle of an edit: the confirmed edit stays,
    # the one being typed is not there, and B goes on (on the successor that took over)
    console_a.ask("edit", row=6, column="nome", value="CONFIRMADO")
    console_a.ask("edit", row=7, column="nome", value="AINDA DIGITANDO", confirm=False)
    os.kill(console_a.process.pid, signal.SIGKILL)
    console_a.process.wait()
    console_b.shows(6, "nome", "CONFIRMADO")
    assert console_b.ask("edit", row=8, column="nome", value="DEPOIS DO KILL")["pending"] == [4, 4]
    journal = sibtui("query", *db, "--format", "csv", "select field, new_value from edit_journal order by edit_id")
    assert journal.stdout.splitlines() == ["field,new_value", f"cns,{VALID_CNS}", f"nome,{NEW_NAME}",
                                           "nome,CONFIRMADO", "nome,DEPOIS DO KILL"]


def test_the_rendezvous_is_private(tmp_path):
    from sibtui.db.rendezvous import rendezvous_for

    place = rendezvous_for(tmp_path / "w.duckdb")
    assert place.socket.parent.stat().st_mode & 0o777 == 0o700
    assert place.socket.parent.stat().st_uid == os.getuid()
    os.chmod(place.socket.parent, 0o755)
    try:
        with pytest.raises(Exception, match="not a private directory"):
            rendezvous_for(tmp_path / "w.duckdb")
    finally:
        os.chmod(place.socket.parent, 0o700)
    assert len(str(place.socket)) < 108 and "w.duckdb" not in str(place.socket)


def test_the_write_turn_is_released_when_its_holder_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom sibtui.db.turns import write_turn\n"
                               "with write_turn(sys.argv[1], 'sibtui regenerate'):\n    print('held', flush=True)\n"
                               "    time.sleep(600)\n", str(tmp_path / "w.duckdb")],
                              stdout=subprocess.PIPE, text=True, env=child_env(), cwd=REPO)
    assert holder.stdout.readline() == "held\n"
    told: list[str] = []
    with pytest.raises(Exception, match="stopped waiting"):
        with write_turn(tmp_path / "w.duckdb", "test", on_wait=told.append, cancel=lambda: bool(told)):
            pass
    assert told == [f"sibtui regenerate (process {holder.pid})"]
    holder.kill()
    holder.wait()
    deadline = time.monotonic() + REACH_LIMIT_SECONDS  # a hang guard: the kernel released it at once
    with write_turn(tmp_path / "w.duckdb", "test", cancel=lambda: time.monotonic() > deadline):
        pass
    holder.stdout.close()


def test_a_command_serves_only_when_another_process_knocks(tmp_path):
    """A short command pays nothing for sharing: no Flight import, no server, until someone waits."""
    from sibtui.shared_workspace.owner import serve
    from sibtui.workspace import Workspace

    workspace = Workspace(tmp_path / "w.duckdb")
    try:
        owner = serve(workspace, delay=None)
        time.sleep(0.4)  # several polls of the knock
        assert owner.server is None and not owner.place.socket.exists()
        owner.place.knock.touch()
        deadline = time.monotonic() + REACH_LIMIT_SECONDS
        while owner.server is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert owner.server is not None and owner.place.socket.exists()
        assert not owner.place.knock.exists()  # answered
    finally:
        workspace.close()
    assert not owner.place.socket.exists()
