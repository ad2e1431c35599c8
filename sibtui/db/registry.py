"""The workspaces open in this process, so Ctrl+C can interrupt their running queries.

A weak set: a workspace leaves it when it is closed or collected. Importing this module
loads no DuckDB, so commands that never open a workspace (`sibtui hash`) stay light.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol


class _Interruptible(Protocol):
    def interrupt_cursors(self) -> None: ...


_open: weakref.WeakSet = weakref.WeakSet()
_lock = threading.Lock()


def register(workspace: _Interruptible) -> None:
    with _lock:
        _open.add(workspace)


def forget(workspace: _Interruptible) -> None:
    with _lock:
        _open.discard(workspace)


def interrupt_open_cursors() -> None:
    """DuckDB's `interrupt()` on every open cursor of every open workspace (any thread)."""
    with _lock:
        workspaces = list(_open)
    for workspace in workspaces:
        workspace.interrupt_cursors()
