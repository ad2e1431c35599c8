"""Whose turn it is to write: one load, check, regeneration or `fix` at a time per workspace.

DuckDB serializes commits, but a job is more than one commit (a regeneration reads the next
`sequencialTransacao` and logs it later; a check replaces the findings it computed), so
jobs from every process take turns. The turn is an `flock` on a file in the workspace's
private rendezvous directory: the kernel hands it back when the holder ends, even by
SIGKILL, so a dead process never blocks the others. Whoever waits is told who holds it
(`sibtui load (process 812)`) and can stop waiting (`cancel`).

Within one process the turn is re-entrant per thread (a load that runs the checks) and the
threads of one console take turns too.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sibtui.db.lockfiles import release, try_lock
from sibtui.db.rendezvous import rendezvous_for
from sibtui.errors import SibError

POLL_SECONDS = 0.2


class TurnCancelled(SibError):
    """The analyst stopped waiting for another sibtui's job to end."""


class _ProcessTurn:
    """The turn as this process holds it: a re-entrant lock around the file lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0
        self.descriptor: int | None = None


_turns: dict[Path, _ProcessTurn] = {}
_turns_lock = threading.Lock()


@contextmanager
def write_turn(workspace: Path, label: str, on_wait: Callable[[str], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> Iterator[None]:
    """Hold the workspace's write turn for the `with` block, waiting (cancellably) for it;
    `on_wait` is told once who holds it (`sibtui load (process 812)`)."""
    place = rendezvous_for(workspace)
    with _turns_lock:
        turn = _turns.setdefault(place.turn_lock, _ProcessTurn())
    _acquire_thread_lock(turn, label, on_wait, cancel)
    try:
        if turn.depth == 0:
            turn.descriptor = _acquire_file_lock(place.turn_lock, label, on_wait, cancel)
        turn.depth += 1
        try:
            yield
        finally:
            turn.depth -= 1
            if turn.depth == 0 and turn.descriptor is not None:
                release(turn.descriptor, place.turn_lock)
                turn.descriptor = None
    finally:
        turn.lock.release()


def _acquire_thread_lock(turn: _ProcessTurn, label: str, on_wait, cancel) -> None:
    told = False
    while not turn.lock.acquire(timeout=POLL_SECONDS):
        if not told and on_wait is not None:
            on_wait(f"{label} (this process)")
            told = True
        _stop_if_cancelled(cancel)


def _acquire_file_lock(lock_path: Path, label: str, on_wait, cancel) -> int:
    """The turn file, locked and holding `label`; removed again at release (`lockfiles.release`)."""
    told = False
    while True:
        descriptor = try_lock(lock_path)
        if descriptor is not None:
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{label} (process {os.getpid()})".encode())
            return descriptor
        holder = holder_label(lock_path)
        if not told and on_wait is not None and not names_a_dead_process(holder):
            on_wait(holder)  # a dead holder's label: a sweep holds the file for a moment (stale_rendezvous)
            told = True
        _stop_if_cancelled(cancel)
        time.sleep(POLL_SECONDS)


def holder_label(lock_path: Path) -> str:
    try:
        return lock_path.read_text(encoding="utf-8").strip() or "another sibtui"
    except OSError:
        return "another sibtui"


_PROCESS = re.compile(r"\(process (\d+)\)$")


def holder_pid(label: str) -> int | None:
    """The process a turn file's label names (`sibtui load (process 812)`), if any."""
    found = _PROCESS.search(label)
    return int(found.group(1)) if found else None


def names_a_dead_process(label: str) -> bool:
    """Whether the label names a process that no longer exists (a holder killed by SIGKILL)."""
    pid = holder_pid(label)
    return pid is not None and not process_alive(pid)


def process_alive(pid: int) -> bool:
    """Whether `pid` exists (one of another user, or a zombie, counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _stop_if_cancelled(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise TurnCancelled("stopped waiting for the other sibtui")
