"""The review console: modes (one screen each), global keys, the palette, and the slow
work every screen shares (opening the workspace, loading files, running the checks).

The first screen paints before DuckDB is even imported: the workspace opens in a thread
worker, then files load in another, reporting progress to `load_state`; each loaded file
bumps `data_version` and every screen re-reads what it shows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from sibtui.errors import SibError, WorkspaceError
from sibtui.tui.jobs import Jobs
from sibtui.tui.screens.cns import CnsScreen
from sibtui.tui.screens.errors import ErrorsScreen
from sibtui.tui.screens.findings import FindingsScreen, checks_available
from sibtui.tui.screens.records import RecordsScreen
from sibtui.tui.screens.sql import SqlScreen
from sibtui.tui.widgets.load_bar import LoadState

PROGRESS_INTERVAL = 0.1  # seconds between progress updates from the load worker


class SibApp(App[int]):
    """`SibApp(workspace_path, files)`: open the workspace, load `files`, review."""

    TITLE = "sibtui"
    CSS_PATH = "app.tcss"
    MODES = {
        "records": RecordsScreen,
        "errors": ErrorsScreen,
        "cns": CnsScreen,
        "findings": FindingsScreen,
        "sql": SqlScreen,
    }
    DEFAULT_MODE = "records"
    BINDINGS = [
        Binding("1", "switch_mode('records')", "Registros", show=False, id="app.records"),
        Binding("2", "switch_mode('errors')", "Erros RPX", show=False, id="app.errors"),
        Binding("3", "switch_mode('cns')", "CNS", show=False, id="app.cns"),
        Binding("4", "switch_mode('findings')", "Achados", show=False, id="app.findings"),
        Binding("5", "switch_mode('sql')", "SQL", show=False, id="app.sql"),
        Binding("f1,question_mark", "help", "Ajuda", id="app.help"),
        Binding("ctrl+p", "command_palette", "Paleta", show=False, priority=True, id="app.palette"),
        Binding("escape", "cancel_jobs", "Cancelar", id="app.cancel"),
        Binding("ctrl+t", "change_theme", "Tema", show=False, id="app.theme"),
        Binding("q", "quit", "Sair", show=False, id="app.quit"),
    ]

    data_version: reactive[int] = reactive(0)
    load_state: reactive[LoadState | None] = reactive(None)

    def __init__(
        self,
        workspace_path: Path,
        files: Iterable[Path] = (),
        fallback_files: Iterable[Path] = (),
        history_path: Path | None = None,
    ) -> None:
        super().__init__()
        from sibtui.query.history import QueryHistory
        from sibtui.query.history import history_path as default_history

        self.workspace_path = Path(workspace_path)
        self.files = list(files)
        self.fallback_files = list(fallback_files)
        self.workspace = None
        self.jobs = Jobs()
        self.history = QueryHistory(history_path or default_history(self.workspace_path))

    # -- workspace -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.sub_title = str(self.workspace_path)
        self.call_after_refresh(self._open_workspace)  # paint first, then import DuckDB

    def new_cursor(self):
        """A DuckDB cursor for the calling thread (close it when done)."""
        if self.workspace is None:
            raise WorkspaceError("o workspace ainda está abrindo")
        return self.workspace.cursor()

    @work(thread=True, exclusive=True, group="workspace")
    def _open_workspace(self) -> None:
        from sibtui.db.workspace import Workspace

        try:
            workspace = Workspace(self.workspace_path)
        except SibError as error:
            self.call_from_thread(self.exit, 1, 1, f"sibtui: error: {error}")
            return
        self.call_from_thread(self._workspace_opened, workspace)

    def _workspace_opened(self, workspace) -> None:
        self.workspace = workspace
        self.data_version += 1
        files = self.files or (self.fallback_files if _is_empty(workspace) else [])
        if files:
            self._load(files)

    def on_unmount(self) -> None:
        self.jobs.cancel_all()
        if self.workspace is not None:
            self.workspace.close()

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load(self, files: list[Path]) -> None:
        from sibtui.ingest.loader import expand_paths, load_files

        stop = threading.Event()
        job = self.call_from_thread(self.jobs.start, "carga de arquivos", stop.set)
        paths = expand_paths(files)
        loaded = duplicates = failed = 0
        try:
            for index, path in enumerate(paths, start=1):
                progress = _Throttled(self, path.name, index, len(paths))
                for outcome in load_files(self.workspace, [path], progress, stop.is_set):
                    if outcome.report is not None:
                        loaded += 1
                    elif outcome.duplicate:
                        duplicates += 1
                    else:
                        failed += 1
                        self.call_from_thread(self.notify, str(outcome.error), title="arquivo não carregado",
                                              severity="error", timeout=15, markup=False)
                self.call_from_thread(self._file_done)
                if stop.is_set():
                    break
        finally:
            self.call_from_thread(self._load_finished, job, loaded, duplicates, failed, stop.is_set())

    def _file_done(self) -> None:
        self.data_version += 1

    def _load_finished(self, job: int, loaded: int, duplicates: int, failed: int, cancelled: bool) -> None:
        self.jobs.finish(job)
        self.load_state = None
        summary = f"{loaded} carregados · {duplicates} já estavam no workspace · {failed} com erro"
        self.notify(("carga cancelada · " if cancelled else "") + summary, timeout=6)
        if loaded and checks_available():
            self.run_checks()

    def run_checks(self) -> None:
        """Regenerate the findings (`sibtui.rules.engine.run_checks`) in a worker."""
        if checks_available():
            self._run_checks()

    @work(thread=True, exclusive=True, group="checks")
    def _run_checks(self) -> None:
        import importlib

        engine = importlib.import_module("sibtui.rules.engine")
        stop = threading.Event()
        job = self.call_from_thread(self.jobs.start, "pré-crítica", stop.set)
        try:
            engine.run_checks(self.workspace, progress=None, cancel=stop.is_set)
        except SibError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
        finally:
            self.call_from_thread(self.jobs.finish, job)
        self.call_from_thread(self._file_done)

    # -- keys and palette --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_jobs":
            return bool(self.jobs)
        return True

    def action_cancel_jobs(self) -> None:
        job = self.jobs.cancel_newest()
        if job is not None:
            self.notify(f"cancelando {job.label}…", timeout=3)

    def action_help(self) -> None:
        from sibtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action active on `screen`, with its key, then Textual's own commands."""
        seen = set()
        for active in screen.active_bindings.values():
            binding, node = active.binding, active.node
            if not binding.description or (binding.action, id(node)) in seen:
                continue
            seen.add((binding.action, id(node)))
            yield SystemCommand(binding.description, f"tecla {self.get_key_display(binding)}",
                                partial(self.run_action, binding.action, node))
        yield from super().get_system_commands(screen)


class _Throttled:
    """The loader's progress callback, posting `load_state` at most every 0.1 s."""

    def __init__(self, app: SibApp, name: str, index: int, count: int) -> None:
        self.app, self.name, self.index, self.count = app, name, index, count
        self._last = 0.0

    def __call__(self, done: int, total: int, records: int) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL and done < total:
            return
        self._last = now
        state = LoadState(self.name, self.index, self.count, done, total, records)
        self.app.call_from_thread(setattr, self.app, "load_state", state)


def _is_empty(workspace) -> bool:
    cursor = workspace.cursor()
    try:
        return cursor.execute("SELECT count(*) FROM files").fetchall()[0][0] == 0
    finally:
        cursor.close()
