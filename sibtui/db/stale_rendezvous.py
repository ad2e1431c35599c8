"""Sweeping what killed sibtuis left in the rendezvous directory — and nothing a live one uses.

An owner killed by SIGKILL leaves its socket; a job killed while it held the write turn leaves
the turn file (the kernel releases the `flock`, nobody removes the file); a waiter that gave
up leaves its knock. Nothing reads them wrongly, but they piled up forever
(`sibtui.db.rendezvous`). Each time a workspace opens (`sibtui.shared_workspace.opening`),
`sweep` removes from the user's rendezvous directory those it can prove stale, of every
workspace (a file's name is a digest of its workspace's path, so a deleted workspace's are
never opened again), and keeps anything it cannot prove:

- **A socket** (`.sock`) is removed only when a connection to it is refused, under an
  exclusive `flock` of the directory itself. Every owner holds that lock (shared) from
  removing an old socket to listening on the new one (`binding_socket`, around the Flight
  server's start), so under it no socket is between its bind and its listen: refused means
  no process listens there, and none can start to before the unlink. A live server accepts
  (or, its backlog full, answers "try again"): kept. If an owner is binding right now, the
  sweep does not wait for the lock: it sweeps another time.
- **A turn file** (`.turn`) is removed only by taking its lock exactly as a job does
  (`sibtui.db.lockfiles.try_lock`: locked, and still the file at that path), with the label
  inside naming a process that no longer exists, read again under the lock. A held turn is
  never touched (the lock is refused). Removing the file while holding its lock is what
  every holder does at release, and whoever opened the old file meanwhile finds, once it gets
  the lock, that it is no longer the file at the path and opens again: never two holders.
  An empty file (a job that has created it and not yet locked it) names no process: kept.
  Whether its workspace still exists does not matter: a turn file nobody holds carries
  nothing (a job creates it, or opens the one left, and locks it the same way).
  Waiting jobs do not report a dead process's label as the holder (`sibtui.db.turns`).
- **A knock** (`.knock`) is touched every 0.1 s by a process while it waits; one not touched
  for `AGED_SECONDS` has no waiter. Removing one is harmless even so: a waiter knocks again.

Only names of the rendezvous shape (24 hex digits and one of those suffixes) are looked at.
A successor lock (`.successor`), held for a moment while a successor starts, is never swept:
a client that found it held by a sweep would think a successor on its way and start none.
It is left only by a process killed in those few milliseconds.
Limits: a sibtui older than this sweep does not take the directory lock while it binds, so a
sweep racing its bind (microseconds, once per server start) could remove its new socket; its
clients would then start a successor when it ends, as for a killed owner.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import socket
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sibtui.db.lockfiles import release, try_lock
from sibtui.db.turns import holder_label, names_a_dead_process

AGED_SECONDS = 60.0
_NAME = re.compile(r"^[0-9a-f]{24}\.(sock|turn|knock)$")


def sweep(directory: Path) -> list[str]:
    """Remove the provably stale rendezvous files of `directory`; the names removed.

    Never raises: a file it cannot judge (or that changes under it) is kept."""
    try:
        guard = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return []
    try:
        try:
            fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # an owner is binding its socket, or another process sweeps: next time
            return []
        removed = []
        for entry in os.scandir(directory):
            shape = _NAME.match(entry.name)
            if shape is None:
                continue
            try:
                if _STALE[shape.group(1)](Path(entry.path)):
                    removed.append(entry.name)
            except OSError:
                continue
        return removed
    finally:
        os.close(guard)


@contextmanager
def binding_socket(directory: Path) -> Iterator[None]:
    """Held by an owner from removing the old socket to listening on its new one: no sweep
    runs meanwhile, so a sweep never mistakes a socket bound and not yet listening for a
    dead one."""
    guard = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(guard, fcntl.LOCK_SH)
        yield
    finally:
        os.close(guard)


def _socket(path: Path) -> bool:
    if not stat.S_ISSOCK(os.lstat(path).st_mode):
        return False
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.setblocking(False)  # a live server with a full backlog answers EAGAIN instead of blocking us
    try:
        probe.connect(str(path))
    except OSError as error:
        if error.errno != errno.ECONNREFUSED:
            return False  # EAGAIN (alive, busy), EACCES, ENOENT...: not proved dead
    else:
        return False  # someone listens
    finally:
        probe.close()
    path.unlink()
    return True


def _turn(path: Path) -> bool:
    if not names_a_dead_process(holder_label(path)):
        return False
    return _remove_locked(path, lambda: names_a_dead_process(holder_label(path)))


def _knock(path: Path) -> bool:
    if not stat.S_ISREG(os.lstat(path).st_mode) or not _aged(path):
        return False
    path.unlink()
    return True


def _remove_locked(path: Path, still_stale: Callable[[], bool]) -> bool:
    """Take the file's lock as its users do, check `still_stale` under it, remove it as a holder does."""
    descriptor = try_lock(path, create=False)
    if descriptor is None:
        return False
    if not still_stale():
        os.close(descriptor)
        return False
    release(descriptor, path)
    return True


def _aged(path: Path) -> bool:
    return time.time() - os.lstat(path).st_mtime > AGED_SECONDS


_STALE: dict[str, Callable[[Path], bool]] = {"sock": _socket, "turn": _turn, "knock": _knock}
