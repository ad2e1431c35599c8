"""What killed sibtuis leave in the rendezvous directory is swept when a workspace opens,
and nothing a live sibtui uses ever is (`sibtui.db.stale_rendezvous`).

The holders here are real processes: one SIGKILLed while it owned its workspace and held
the write turn, one alive doing the same beside it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus.child import REPO, child_env
from crash.harness import REACH_LIMIT_SECONDS

from sibtui.db.rendezvous import rendezvous_for
from sibtui.db.stale_rendezvous import AGED_SECONDS, binding_socket, sweep
from sibtui.db.turns import TurnCancelled, write_turn
from sibtui.shared_workspace.connect import answers
from sibtui.shared_workspace.opening import open_workspace

HOLDER = """\
import sys, time
from sibtui.db.rendezvous import rendezvous_for
from sibtui.db.turns import write_turn
from sibtui.shared_workspace.opening import open_workspace
workspace = open_workspace(sys.argv[1])  # owns it and serves it at once
socket = rendezvous_for(workspace.path).socket
while not socket.exists():
    time.sleep(0.02)
with write_turn(workspace.path, "sibtui load"):
    print("holding", flush=True)
    time.sleep(600)
"""


class Holder:
    """A process that owns `workspace`, serves it and holds its write turn until killed."""

    def __init__(self, workspace: Path):
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(workspace)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=child_env(), cwd=REPO)
        line = self.process.stdout.readline()
        assert line == "holding\n", self.process.stderr.read()
        self.place = rendezvous_for(workspace)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(REACH_LIMIT_SECONDS)
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def holders():
    started: list[Holder] = []
    yield lambda workspace: started.append(Holder(workspace)) or started[-1]
    for holder in started:
        holder.kill()


def turn_holder_told(workspace: Path) -> list[str]:
    """Whom a job that tries to take `workspace`'s turn is told it waits for (it gives up at once)."""
    told: list[str] = []
    with pytest.raises(TurnCancelled):
        with write_turn(workspace, "test", on_wait=told.append, cancel=lambda: True):
            pass
    return told


def test_a_killed_owners_socket_and_turn_go_when_a_workspace_opens_a_live_ones_stay(tmp_path, holders):
    killed, alive = holders(tmp_path / "killed.duckdb"), holders(tmp_path / "alive.duckdb")
    killed.kill()
    assert killed.place.socket.exists() and killed.place.turn_lock.exists()  # the kernel removes nothing
    assert not answers(killed.place.socket)

    open_workspace(tmp_path / "third.duckdb").close()

    assert not killed.place.socket.exists() and not killed.place.turn_lock.exists()
    assert answers(alive.place.socket)  # still served, and its turn still held by it
    assert turn_holder_told(tmp_path / "alive.duckdb") == [f"sibtui load (process {alive.process.pid})"]
    with open_workspace(tmp_path / "killed.duckdb") as again:  # and the killed one's workspace opens as new
        cursor = again.cursor()
        assert cursor.execute("SELECT count(*) FROM files").fetchall() == [(0,)]
        cursor.close()


def dead_socket(path: Path) -> Path:
    """A socket file nobody listens on any more (what a killed server leaves)."""
    bound = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bound.bind(str(path))
    bound.close()
    return path


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_socket_is_never_swept_while_an_owner_binds_one(private_rendezvous):
    directory = rendezvous_for(private_rendezvous / "w.duckdb").socket.parent
    stale = dead_socket(directory / ("a" * 24 + ".sock"))
    with binding_socket(directory):  # an owner between removing its old socket and listening
        assert sweep(directory) == []
        assert stale.exists()
    assert sweep(directory) == [stale.name]


def test_only_a_turn_file_nobody_holds_whose_holder_is_dead_is_swept(private_rendezvous):
    directory = rendezvous_for(private_rendezvous / "w.duckdb").socket.parent
    gone = dead_pid()
    files = {name: directory / (name * 24 + ".turn") for name in "abcd"}
    files["a"].write_text(f"sibtui fix (process {gone})")  # killed holder: swept
    files["b"].write_text(f"sibtui fix (process {os.getpid()})")  # names a live process: kept
    files["c"].write_text("")  # a job that has created it and not yet locked it: kept
    files["d"].write_text(f"sibtui fix (process {gone})")
    with write_turn(directory / "d-workspace", "x"):  # another path's turn: unrelated
        pass
    import fcntl

    held = os.open(files["d"], os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # held (by whatever): never touched
    try:
        assert sweep(directory) == [files["a"].name]
    finally:
        os.close(held)
    assert [name for name, path in files.items() if path.exists()] == ["b", "c", "d"]


def test_a_waiting_job_does_not_name_a_dead_holder(private_rendezvous):
    """A sweep holds a killed holder's file for a moment: the waiter says nothing then."""
    import fcntl

    workspace = private_rendezvous / "w.duckdb"
    turn = rendezvous_for(workspace).turn_lock
    turn.write_text(f"sibtui fix (process {dead_pid()})")
    held = os.open(turn, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert turn_holder_told(workspace) == []
        turn.write_text(f"sibtui fix (process {os.getpid()})")
        assert turn_holder_told(workspace) == [f"sibtui fix (process {os.getpid()})"]
    finally:
        os.close(held)


def test_an_old_knock_goes_a_fresh_one_and_other_names_stay(private_rendezvous):
    directory = rendezvous_for(private_rendezvous / "w.duckdb").socket.parent
    old, fresh = directory / ("e" * 24 + ".knock"), directory / ("f" * 24 + ".knock")
    other = directory / "notes.turn"  # not a rendezvous name
    successor = directory / ("1" * 24 + ".successor")  # held a moment by a starter: never swept
    for path in (old, fresh, other, successor):
        path.touch()
    long_ago = time.time() - AGED_SECONDS - 5
    for path in (old, other, successor):
        os.utime(path, (long_ago, long_ago))
    dead_socket(directory / "notes.sock")
    assert sweep(directory) == [old.name]
    assert fresh.exists() and other.exists() and successor.exists() and (directory / "notes.sock").exists()
