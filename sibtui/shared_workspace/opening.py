"""Opening a workspace when other sibtui processes may have it open: the one seam.

`open_workspace` gives the commands and the console a workspace that works whoever else
has it open:

1. a server answers on the rendezvous socket: a `RemoteWorkspace` on it;
2. else the file opens here: this process owns it and, unless it only reads, serves it to
   the others from a thread (`owner.serve`), its own cursors staying direct;
3. else DuckDB's lock is held by a process that has not started serving yet, or by one
   that only reads (`sibtui query` alone on a workspace opens it read-only, directly):
   knock (an owner serving only when asked starts then), wait for it, telling `on_wait` who holds it (`sibtui query (process 812)`), until
   `cancel()` says stop.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from sibtui.db.locking import holder_command
from sibtui.db.rendezvous import rendezvous_for
from sibtui.db.stale_rendezvous import sweep
from sibtui.db.turns import TurnCancelled
from sibtui.db.workspace import DEFAULT_MEMORY_LIMIT
from sibtui.errors import WorkspaceBusy
from sibtui.workspace import Workspace

POLL_SECONDS = 0.1


def open_workspace(path: Path | str, *, read_only: bool = False, must_exist: bool = False,
                   memory_limit: str = DEFAULT_MEMORY_LIMIT, serve_after: float | None = 0.0,
                   on_wait: Callable[[str], None] | None = None, cancel: Callable[[], bool] | None = None):
    """A `Workspace` (this process owns it) or a `RemoteWorkspace` (another one does)."""
    path = Path(path).expanduser()
    place = rendezvous_for(path)
    sweep(place.socket.parent)  # what killed sibtuis left there (never what a live one uses)
    told: int | None = -1
    while True:
        remote = _connect(place.socket, path, read_only)
        if remote is not None:
            return remote
        try:
            workspace = Workspace(path, read_only=read_only, must_exist=must_exist, memory_limit=memory_limit)
        except WorkspaceBusy as busy:
            _knock(place.knock)  # an owner that serves only when asked starts now
            if told != busy.holder_pid and on_wait is not None:
                on_wait(_holder(busy))
            told = busy.holder_pid
            if cancel is not None and cancel():
                raise TurnCancelled(f"{path}: stopped waiting for the workspace") from None
            time.sleep(POLL_SECONDS)
            continue
        if not read_only:
            from sibtui.shared_workspace.owner import serve

            serve(workspace, delay=serve_after)
        return workspace


def writable(path: Path | str) -> bool:
    """Whether the file's permissions let this user change it (else the console only reads)."""
    path = Path(path).expanduser()
    return not path.exists() or os.access(path, os.W_OK)


def _connect(socket: Path, path: Path, read_only: bool):
    if not socket.exists():
        return None
    from sibtui.shared_workspace.client import RemoteWorkspace
    from sibtui.shared_workspace.connect import flight_client, ping

    client = flight_client(socket)
    if not ping(client):
        client.close()
        return None
    return RemoteWorkspace(path, client, read_only=read_only)


def _knock(knock: Path) -> None:
    try:
        knock.touch(mode=0o600)
    except OSError:  # the wait goes on; a holder that serves on a delay still answers
        pass


def _holder(busy: WorkspaceBusy) -> str:
    """`sibtui query (process 812)`: who holds DuckDB's lock, for the waiting message."""
    if not busy.holder_pid:
        return "another process"
    command = holder_command(busy.holder_pid)
    return f"{command or 'another process'} (process {busy.holder_pid})"
