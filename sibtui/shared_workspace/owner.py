"""Owning a workspace for the others: the server beside the owner, and its successor.

The first sibtui to open a workspace read-write owns it (DuckDB's own file lock elects it)
and serves it on the rendezvous socket from a thread, its own cursors staying direct: a
process alone on its workspace pays nothing. When it closes while other processes called
it in the last `IDLE_SECONDS`, it starts a successor before letting go: a detached
`python -m sibtui.shared_workspace.successor WORKSPACE` that opens the file as soon as it
is free, serves it the same way and ends once nobody has called it for `IDLE_SECONDS`.
A client that finds the owner gone (killed) starts the successor itself (`ensure_server`).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sibtui.db.rendezvous import rendezvous_for
from sibtui.db.stale_rendezvous import binding_socket
from sibtui.errors import WorkspaceError

if TYPE_CHECKING:
    from sibtui.shared_workspace.server import WorkspaceServer

IDLE_SECONDS = 15.0
START_TIMEOUT_SECONDS = 30.0
KNOCK_POLL_SECONDS = 0.05
SHUTDOWN_GRACE_SECONDS = 5.0  # a client that stopped reading a result must not keep the owner from leaving


class Owner:
    """The server thread of an open `Workspace`: started after `delay` seconds, or as soon as
    another process knocks (`Rendezvous.knock`); with `delay` None, only when one knocks.

    A command that may end in a second (a check of 300,000 records takes about that) must not
    spend it importing Arrow Flight and starting a gRPC server nobody calls: it serves only
    when someone waits for it. The console, open all day, serves early so others never wait.
    """

    def __init__(self, workspace, delay: float | None = 0.0):
        self.workspace = workspace
        self.place = rendezvous_for(workspace.path)
        self.server: WorkspaceServer | None = None
        self._stopped = False
        self._stopping = threading.Event()  # wakes the watcher at once, so it is gone before the connection
        self._lock = threading.Lock()
        self._delay = delay
        self._watcher = threading.Thread(target=self._wait_then_start, name="sibtui-owner-watch", daemon=True)
        self._watcher.start()

    def _wait_then_start(self) -> None:
        """Poll the knock (a `stat` every `KNOCK_POLL_SECONDS`) until it is time to serve."""
        deadline = None if self._delay is None else time.monotonic() + self._delay
        while not self._stopping.is_set():
            if self.place.knock.exists() or (deadline is not None and time.monotonic() >= deadline):
                self._start()
                return
            self._stopping.wait(KNOCK_POLL_SECONDS)

    def _start(self) -> None:
        from sibtui.shared_workspace.server import WorkspaceServer

        with self._lock:
            if self._stopped:
                return
            self.place.knock.unlink(missing_ok=True)  # answered
            try:
                with binding_socket(self.place.socket.parent):  # no sweep between our bind and our listen
                    self.place.socket.unlink(missing_ok=True)  # a dead owner's: we hold the DuckDB lock now
                    self.server = WorkspaceServer(self.workspace, f"grpc+unix://{self.place.socket}")
                    os.chmod(self.place.socket, 0o600)
            except Exception:  # noqa: BLE001 - never a traceback over the console: the others wait for us instead
                self.server = None
                return
        server = self.server
        thread = threading.Thread(target=server.serve, name="sibtui-workspace-server", daemon=True)
        thread.start()

    def is_shared(self) -> bool:
        """Whether another process has opened a session here (the console then polls for changes)."""
        server = self.server
        return server is not None and server.sessions_opened > 0

    def recently_called(self) -> bool:
        server = self.server
        return server is not None and server.last_call > 0 and time.monotonic() - server.last_call < IDLE_SECONDS

    def stop(self) -> None:
        """Stop serving (before the connection closes); start a successor if others are around."""
        with self._lock:
            self._stopped = True
            self._stopping.set()
            server = self.server
        if self._watcher is not threading.current_thread():
            # No thread may still hold the workspace when the interpreter ends: DuckDB's bindings
            # would report its connection as leaked on stderr.
            self._watcher.join(SHUTDOWN_GRACE_SECONDS)
        if server is None:
            return
        if server.open_sessions() and self.recently_called():
            start_successor(self.workspace.path, after_pid=os.getpid())
        server.interrupt_all()
        stopping = threading.Thread(target=server.shutdown, name="sibtui-server-shutdown", daemon=True)
        stopping.start()
        stopping.join(SHUTDOWN_GRACE_SECONDS)
        self.place.socket.unlink(missing_ok=True)


def serve(workspace, delay: float | None = 0.0) -> Owner:
    """Serve `workspace` to the other processes (see `Owner` for `delay`); stopped when it closes."""
    owner = Owner(workspace, delay)
    workspace.add_close_hook(owner.stop)
    workspace.owner = owner
    return owner


def start_successor(path: Path, after_pid: int | None = None) -> None:
    """The detached successor; `after_pid`: the leaving owner, whose socket it must not mistake
    for a live server while that one shuts down."""
    after = ["--after", str(after_pid)] if after_pid else []
    subprocess.Popen([sys.executable, "-m", "sibtui.shared_workspace.successor", str(path), *after],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True, cwd="/")


def ensure_server(path: Path, timeout: float = START_TIMEOUT_SECONDS) -> Path:
    """The socket of a live server for `path`, starting a successor when none answers."""
    from sibtui.shared_workspace.connect import answers

    place = rendezvous_for(path)
    deadline = time.monotonic() + timeout
    started = False
    while time.monotonic() < deadline:
        if answers(place.socket):
            return place.socket
        if not started:
            started = _start_once(place.successor_lock, path)
        time.sleep(0.1)
    raise WorkspaceError(f"{path}: the sibtui that owned the workspace ended and no other took it over; "
                         "open it again")


def _start_once(lock_path: Path, path: Path) -> bool:
    """Start a successor unless another process is starting one right now."""
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return True  # someone else is: wait for their socket
    try:
        start_successor(path)
        time.sleep(0.05)
    finally:
        lock_path.unlink(missing_ok=True)
        os.close(descriptor)
    return True
