"""The review console: modes (one screen each), global keys, the palette, and the slow
work every screen shares (opening the workspace, loading files, running the checks).

The first screen paints before DuckDB is even imported: screens are imported the first
time their mode opens (`sibtui.tui.modes`), the workspace opens in a thread worker, then
files load in another, reporting progress to `load_state`; each loaded file bumps
`data_version` and every screen re-reads what it shows. With more than one file the home
screen is the Cycle; with one, the Records.

Two states every screen follows: `masked` (F8, `--mask`, `SIBTUI_MASK=1`: personal data
hidden on screen, in copies and in exports) and `read_only` (another sibtui is reading the
workspace: browsing works, the actions that write are shown disabled and say why).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen

from sibtui import privacy
from sibtui.db.cursors import closing
from sibtui.db.turns import TurnCancelled
from sibtui.errors import SibError, WorkspaceError
from sibtui.tui import modes, sharing, undo_steps
from sibtui.tui.checks import checks_summary
from sibtui.tui.jobs import Jobs
from sibtui.tui.read_only import READ_ONLY_REFUSAL, writes, writes_allowed
from sibtui.tui.widgets.load_bar import LoadState

if TYPE_CHECKING:
    from sibtui.tui.widgets.grid_panel import GridPanel

PROGRESS_INTERVAL = 0.1  # seconds between progress updates from the load worker
FIRST_FRAME_GRACE = 0.05  # seconds between the first paint and opening the workspace
CLOSE_GRACE_SECONDS = 5.0  # at exit, how long workers get to close their cursors


class SibApp(App[int]):
    """`SibApp(workspace_path, files)`: open the workspace, load `files`, review."""

    TITLE = "sibtui"
    # The home screens' CSS is read with the app's: a screen bringing CSS the stylesheet has
    # not seen makes Textual reparse all of it, and that must not happen before the first frame.
    CSS_PATH = ["app.tcss", "screens/cycle.tcss", "screens/records.tcss"]
    MODES = {mode.name: mode.make_screen for mode in modes.MODES}
    DEFAULT_MODE = "cycle"
    BINDINGS = [
        *(Binding(mode.key, f"switch_mode('{mode.name}')", mode.title, show=False, id=f"app.{mode.name}")
          for mode in modes.MODES),
        Binding("f1,question_mark", "help", "Ajuda", id="app.help"),
        Binding("ctrl+p", "command_palette", "Paleta", show=False, priority=True, id="app.palette"),
        Binding("escape", "cancel_jobs", "Cancelar", id="app.cancel"),
        Binding("u", "undo", "Desfazer", show=False, id="app.undo"),
        Binding("U", "redo", "Refazer", show=False, id="app.redo"),
        Binding("f4", "pending", "Alterações pendentes", show=False, id="app.pending"),
        Binding("o", "open_file", "Abrir arquivo", show=False, id="app.open_file"),
        Binding("f8", "toggle_mask", "Mascarar", id="app.mask"),
        Binding("ctrl+t", "change_theme", "Tema", show=False, id="app.theme"),
        Binding("q", "quit", "Sair", show=False, id="app.quit"),
    ]

    data_version: reactive[int] = reactive(0)
    load_state: reactive[LoadState | None] = reactive(None)
    pending: reactive[tuple[int, int]] = reactive((0, 0))  # (fields, records) edited and not yet sent
    masked: reactive[bool] = reactive(False)  # personal data hidden (mirrors privacy.masking_enabled)
    read_only: reactive[bool] = reactive(False)  # another sibtui reads the workspace: nothing is written
    checking: reactive[bool] = reactive(False)  # the pre-critique is running

    def __init__(
        self,
        workspace_path: Path,
        files: Iterable[Path] = (),
        fallback_files: Iterable[Path] = (),
        history_path: Path | None = None,
        today: date | None = None,
        read_only: bool = False,
    ) -> None:
        files = list(files)
        self.DEFAULT_MODE = _first_home(files)  # read by App.__init__: the screen of the first frame
        super().__init__()
        from sibtui.query.history import QueryHistory
        from sibtui.query.history import history_path as default_history

        self.workspace_path = Path(workspace_path)
        self.files = files
        self.fallback_files = list(fallback_files)
        self.workspace = None
        self.exit_error: SibError | None = None  # why the console could not open (raised by `run`)
        self.set_reactive(SibApp.masked, privacy.masking_enabled())
        self.jobs = Jobs()
        self._today = today
        self._navigated = False  # the analyst chose a mode: never switch home under them
        self._read_only_asked = read_only  # `--read-only`
        self._seen_version: tuple = ()  # the workspace's change fingerprint when it opened
        self.history = QueryHistory(history_path or default_history(self.workspace_path))

    # -- workspace -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.sub_title = str(self.workspace_path)
        # Paint first, then import DuckDB: the import holds the GIL for tens of milliseconds,
        # and Textual's writer thread needs it to put the first frame on the terminal.
        self.call_after_refresh(self.set_timer, FIRST_FRAME_GRACE, self._open_workspace)

    def today(self) -> date:
        """The day deadlines are counted from (fixed in tests)."""
        return self._today or date.today()

    def new_cursor(self):
        """A DuckDB cursor for the calling thread (close it when done)."""
        if self.workspace is None:
            raise WorkspaceError("o workspace ainda está abrindo")
        return self.workspace.cursor()

    @work(thread=True, exclusive=True, group="workspace")
    def _open_workspace(self) -> None:
        try:
            workspace, notice, self._seen_version = sharing.open_for_console(self, self._read_only_asked)
            file_count = _file_count(workspace)
        except SibError as error:
            self.call_from_thread(self._refused, error)
            return
        self.call_from_thread(self._workspace_opened, workspace, file_count, notice)

    def _refused(self, error: SibError) -> None:
        """The workspace cannot be opened (another sibtui changes it, a broken file): quit
        cleanly and let `run` raise it, so the command line prints it as its one error line."""
        self.exit_error = error
        self.exit(1, 1)

    def run(self, *args: Any, **kwargs: Any) -> int | None:
        """`App.run`, then the reason the console could not open, for the CLI to report."""
        result = super().run(*args, **kwargs)
        if self.exit_error is not None:
            raise self.exit_error
        return result

    def _workspace_opened(self, workspace, file_count: int, read_only_notice: str | None = None) -> None:
        self.workspace = workspace
        self._count_pending()
        files = self.files or (self.fallback_files if file_count == 0 else [])
        if read_only_notice is not None:
            self.read_only = True
            skipped = " · os arquivos pedidos não foram carregados" if self.files else ""
            self.notify(read_only_notice + skipped, title="somente leitura", severity="warning", timeout=30,
                        markup=False)
            files = []
        if not files:
            self._go_home(file_count)
        self.data_version += 1
        sharing.ChangeWatch(self, self._seen_version)
        if files:
            self._load(files)

    def changed_elsewhere(self) -> None:
        """Another sibtui changed the workspace (`sharing.ChangeWatch`): screens and counts re-read."""
        self.data_version += 1
        self._count_pending()

    def _go_home(self, file_count: int) -> None:
        """Cycle when several files are loaded, Records otherwise, unless the analyst moved."""
        home = "cycle" if file_count > 1 else "records"
        if not self._navigated and home != self.current_mode and len(self.screen_stack) == 1:
            self.switch_mode(home)

    def action_switch_mode(self, mode: str) -> None:
        self.open_mode(mode)

    def open_mode(self, mode: str):
        """Switch to `mode` because the analyst asked (a key, a click, Enter on a row).

        The mode's own screen comes up, never what was stacked on it (a drill-down, a
        record, F4): a number key always shows what the top bar names."""
        self._navigated = True
        mounted = self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.pop_screen()
        return mounted

    async def on_unmount(self) -> None:
        """Stop the workers, wait (a few seconds at most) until each closed its cursor, then
        close the workspace: closing it under a running query raised in the worker.

        Their queries are interrupted, so a worker may end in DuckDB's interrupt error: at
        exit that is no failure to report. The wait yields to the event loop: a worker
        finishing posts back to it (`call_from_thread`) before it closes its cursor."""
        self.jobs.cancel_all()
        for worker in list(self.workers):
            worker.exit_on_error = False
        workspace = self.workspace
        if workspace is None:
            return
        deadline = time.monotonic() + CLOSE_GRACE_SECONDS
        workspace.interrupt_cursors()
        while workspace.busy_cursors() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            workspace.interrupt_cursors()  # a worker may have opened another meanwhile
        if workspace.busy_cursors():
            return  # a worker is stuck inside DuckDB: the connection closes when the process ends
        import duckdb

        try:
            workspace.close()
        except duckdb.Error:
            pass

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load(self, files: list[Path]) -> None:
        from sibtui.ingest.loader import expand_paths, load_files

        stop = threading.Event()
        job = self.call_from_thread(self.jobs.start, "carga de arquivos", stop.set)
        paths = expand_paths(files)
        loaded = duplicates = failed = 0
        try:
            with sharing.console_turn(self, "carga", stop.is_set):
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
        except TurnCancelled:
            pass  # the analyst stopped waiting for another sibtui's job: nothing was loaded
        finally:
            file_count = _file_count(self.workspace)
            self.call_from_thread(self._load_finished, job, loaded, duplicates, failed, stop.is_set(), file_count)

    def _file_done(self) -> None:
        self.data_version += 1

    def _load_finished(self, job: int, loaded: int, duplicates: int, failed: int, cancelled: bool,
                       file_count: int) -> None:
        self.jobs.finish(job)
        self.load_state = None
        self._go_home(file_count)
        summary = f"{loaded} carregados · {duplicates} já estavam no workspace · {failed} com erro"
        self.notify(("carga cancelada · " if cancelled else "") + summary, timeout=6)
        if loaded:
            self.run_checks(announce=True)

    def run_checks(self, announce: bool = False) -> None:
        """Regenerate the findings (`sibtui.edit.precritique.run_checks`) in a worker.

        `announce`: the analyst asked (`c`): say that it started and what it found."""
        if not self.read_only:
            if announce:
                self.notify("pré-crítica rodando… (Esc cancela)", timeout=3)
            self._run_checks(announce)

    @work(thread=True, exclusive=True, group="checks")
    def _run_checks(self, announce: bool = False) -> None:
        from sibtui.edit.precritique import run_checks

        stop = threading.Event()
        job = self.call_from_thread(self.jobs.start, "pré-crítica", stop.set)
        self.call_from_thread(setattr, self, "checking", True)
        report = None
        try:
            with sharing.console_turn(self, "pré-crítica", stop.is_set):
                report = run_checks(self.workspace, progress=None, cancel=stop.is_set)
        except TurnCancelled:
            pass
        except SibError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
        finally:
            self.call_from_thread(self.jobs.finish, job)
            self.call_from_thread(setattr, self, "checking", False)
        self.call_from_thread(self._file_done)
        if announce and report is not None:
            self.call_from_thread(self.notify, checks_summary(report), timeout=6)

    # -- edits -------------------------------------------------------------------------------

    def edits_changed(self) -> None:
        """An edit, bulk edit, undo or redo was committed: screens re-read, findings follow."""
        self.data_version += 1
        self._count_pending()
        self.run_checks()

    @work(thread=True, exclusive=True, group="pending-count")
    def _count_pending(self) -> None:
        from sibtui.edit.pending import pending_count

        with closing(self.new_cursor()) as cursor:
            counts = pending_count(cursor)
        self.call_from_thread(setattr, self, "pending", counts)

    # -- what grids ask for (a widget opens no screen) ----------------------------------------

    # Handlers by name, not `@on(GridPanel...)`: importing the grid (~50 ms) would delay the first frame.

    def on_grid_panel_edit_requested(self, request: GridPanel.EditRequested) -> None:
        self._answer_grid(request)

    def on_grid_panel_bulk_requested(self, request: GridPanel.BulkRequested) -> None:
        self._answer_grid(request)

    def on_grid_panel_export_requested(self, request: GridPanel.ExportRequested) -> None:
        self._answer_grid(request)

    def _answer_grid(self, request: GridPanel.EditRequested | GridPanel.BulkRequested | GridPanel.ExportRequested
                     ) -> None:
        from sibtui.tui.grid_requests import answer  # the editor, bulk and export screens

        answer(self.screen, request)

    def action_undo(self) -> None:
        undo_steps.ask(self, "undo")

    def action_redo(self) -> None:
        undo_steps.ask(self, "redo")

    def action_pending(self) -> None:
        from sibtui.tui.screens.pending import PendingScreen

        if not isinstance(self.screen, PendingScreen):
            self.push_screen(PendingScreen(self.current_mode))

    # -- keys and palette --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_jobs":
            return bool(self.jobs)
        if action in {"undo", "redo", "pending", "open_file"}:
            return self.workspace is not None and writes_allowed(self, action)
        return True

    async def run_action(self, action: str | tuple, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Every key, click and palette entry runs here: while read-only, an action that would
        write says why instead of doing nothing (its `check_action` shows it disabled)."""
        if self.read_only and isinstance(action, str) and writes(action):
            self.notify(READ_ONLY_REFUSAL, severity="warning", timeout=5, markup=False)
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def action_open_file(self) -> None:
        from sibtui.tui.screens.open_file import OpenFileScreen

        if self.read_only:
            self.notify(READ_ONLY_REFUSAL, severity="warning", timeout=5, markup=False)
        elif not isinstance(self.screen, OpenFileScreen):
            self.push_screen(OpenFileScreen(), self._file_chosen)

    def _file_chosen(self, path: Path | None) -> None:
        if path is not None and self.workspace is not None:
            self.notify(f"carregando {path.name or path}…", timeout=3, markup=False)
            self._load([path])

    def action_toggle_mask(self) -> None:
        privacy.set_masking(not self.masked)
        self.masked = privacy.masking_enabled()
        if self.masked:
            self.notify("máscara ligada: dados pessoais ocultos na tela, nas cópias e nas exportações", timeout=4)
        else:
            self.notify("máscara desligada: dados pessoais visíveis", timeout=3)

    def action_cancel_jobs(self) -> None:
        job = self.jobs.cancel_newest()
        if job is not None:
            self.notify(f"cancelando {job.label}…", timeout=3)

    def action_help(self) -> None:
        from sibtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action active on `screen`, with its key (Textual's own in Portuguese), and a
        screenshot; Textual's English system commands are left out (theme and quit have keys)."""
        from sibtui.tui.portuguese import pt

        seen = set()
        for active in screen.active_bindings.values():
            binding, node = active.binding, active.node
            if not binding.description or (binding.action, id(node)) in seen:
                continue
            seen.add((binding.action, id(node)))
            yield SystemCommand(pt(binding.description), f"tecla {self.get_key_display(binding)}",
                                partial(self.run_action, binding.action, node))
        yield SystemCommand("Captura de tela", "salva a tela num arquivo SVG na pasta atual",
                            lambda: self.set_timer(0.1, self.deliver_screenshot))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from sibtui.tui.portuguese import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette())

    def action_help_quit(self) -> None:
        """Ctrl+C copies in a text field; anywhere else, say how to quit (Textual says it in English)."""
        self.notify("q sai do sibtui (Ctrl+Q em qualquer lugar)", title="Quer sair?", markup=False)


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


def _first_home(files: list[Path]) -> str:
    """The mode of the first frame, guessed before the workspace opens: one file given is
    reviewed record by record; anything else (a folder, several files, a workspace reopened)
    is most likely a month of files, so the Cycle. Corrected once the workspace is open."""
    return "records" if len(files) == 1 and not files[0].is_dir() else "cycle"


def _file_count(workspace) -> int:
    with closing(workspace.cursor()) as cursor:
        return int(cursor.execute("SELECT count(*) FROM files").fetchall()[0][0])
