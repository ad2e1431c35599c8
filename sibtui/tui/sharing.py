"""The console beside other sibtuis: opening, taking turns to write, seeing their changes.

- Opening (`open_for_console`): read-write unless `--read-only` was asked or the file's
  permissions forbid it; while another process holds the file without serving it yet (a
  `sibtui query` alone on it), the console says whom it waits for; Esc stops waiting.
- Turns (`console_turn`): a load, check or regeneration started here waits for one started
  elsewhere, saying so in a notification; Esc cancels the wait like the job.
- Changes (`ChangeWatch`): when other processes use the workspace, a cheap version of it
  (`sibtui.shared_workspace.version`) is read every second in a worker; when it moved,
  `data_version` goes up and every screen re-reads what it shows (grid, counts, pending).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from textual.app import App

from sibtui.db.turns import write_turn

WATCH_SECONDS = 1.0
SERVE_AFTER_SECONDS = 0.5  # after the first rows are asked for, before the analyst's first keys, usually
READ_ONLY_ASKED = "somente leitura (--read-only): carga, edição e pré-crítica desligadas"
READ_ONLY_PERMISSIONS = "somente leitura: sem permissão de escrita no arquivo do workspace"


def open_for_console(app, read_only: bool) -> tuple[Any, str | None, tuple]:
    """From the app's worker: (workspace, notice, fingerprint). The notice says why it is
    read-only (None when it is not); the change fingerprint is read before any screen reads
    the workspace, so no change made meanwhile is missed. Waiting for another process is a
    job the analyst can cancel (Esc)."""
    stop = threading.Event()
    job = app.call_from_thread(app.jobs.start, "abrir o workspace", stop.set)
    try:
        workspace, notice = _open(app.workspace_path, read_only, lambda holder: waiting_to_open(app, holder), stop.is_set)
    finally:
        app.call_from_thread(app.jobs.finish, job)
    return workspace, notice, read_version(workspace)


def _open(path: Path, read_only: bool, on_wait: Callable[[str], None], cancel: Callable[[], bool]):
    """(workspace, notice): the notice says why it is read-only, None when it is not.

    Asked `--read-only`, the console still joins the workspace as any other (it may own and
    serve it): only its actions are read-only, so a console left open all day never keeps
    the others from writing. A file this user may not write is opened read-only."""
    from sibtui.shared_workspace.opening import open_workspace, writable

    if not writable(path):
        return open_workspace(path, read_only=True, on_wait=on_wait, cancel=cancel), READ_ONLY_PERMISSIONS
    workspace = open_workspace(path, serve_after=SERVE_AFTER_SECONDS, on_wait=on_wait, cancel=cancel)
    return workspace, READ_ONLY_ASKED if read_only else None


def waiting_to_open(app: App, holder: str) -> None:
    """From a worker: tell the analyst whom the console waits for (and how to stop)."""
    app.call_from_thread(app.notify, f"aguardando {holder} liberar o workspace… (Esc desiste)",
                         title="workspace em uso", timeout=30, markup=False)


@contextmanager
def console_turn(app: App, label: str, cancel: Callable[[], bool]) -> Iterator[None]:
    """From a worker: hold the write turn for a console job, telling the analyst if it waits."""
    workspace = app.workspace

    def tell(holder: str) -> None:
        app.call_from_thread(app.notify, f"{label}: aguardando a vez — {holder} está gravando… (Esc cancela)",
                             title="aguardando", timeout=10, markup=False)

    with write_turn(workspace.path, f"sibtui (console) {label}", on_wait=tell, cancel=cancel):
        yield


class ChangeWatch:
    """Bumps `app.data_version` when another process changed the workspace."""

    def __init__(self, app, seen: tuple) -> None:
        self.app = app
        self.seen = seen  # read when the workspace opened, before the screens read it
        app.set_interval(WATCH_SECONDS, self.tick, name="workspace-watch")

    def tick(self) -> None:
        workspace = self.app.workspace
        if workspace is None or not getattr(workspace, "shared", False):
            return
        self.app.run_worker(self._read, thread=True, exclusive=True, group="workspace-watch", exit_on_error=False)

    def _read(self) -> None:
        self.app.call_from_thread(self._compare, read_version(self.app.workspace))

    def _compare(self, version: tuple) -> None:
        changed = version != self.seen
        self.seen = version
        if changed:
            self.app.changed_elsewhere()


def read_version(workspace) -> tuple:
    """The change fingerprint (`sibtui.shared_workspace.version`), from a worker."""
    from sibtui.shared_workspace.version import workspace_version

    cursor = workspace.cursor()
    try:
        return workspace_version(cursor)
    finally:
        cursor.close()
