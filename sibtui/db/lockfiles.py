"""Lock files that vanish when released: the protocol the write turn and the successor use.

A lock file is held by an exclusive `flock` and removed by its holder while still locked
(`release`), so nothing is left behind. Whoever locks one checks afterwards that the file it
locked is still the one at the path (`try_lock`): a file removed (or replaced) between its
open and its lock is not the lock, so it opens again. That check is what lets anyone who
holds the lock remove the file — the holder at release, or `sibtui.db.stale_rendezvous`
sweeping one whose holder was killed — without two processes ever holding locks on two
different files of one path.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def try_lock(path: Path, create: bool = True) -> int | None:
    """A descriptor holding the exclusive lock on the file at `path` as it is now, or None
    when another open file holds it (or, with `create` False, when there is no file)."""
    flags = os.O_RDWR | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
    while True:
        try:
            descriptor = os.open(path, flags, 0o600)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
        if same_file(descriptor, path):
            return descriptor
        os.close(descriptor)
        if not create:
            return None


def same_file(descriptor: int, path: Path) -> bool:
    """Whether `descriptor` is the file at `path` now (not one removed or replaced meanwhile)."""
    try:
        on_disk = os.lstat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def release(descriptor: int, path: Path) -> None:
    """Remove the lock file while it is locked, then unlock: nothing is left behind."""
    try:
        path.unlink(missing_ok=True)
    finally:
        os.close(descriptor)
