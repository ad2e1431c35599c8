"""SQL: an editor with SQL highlighting, run (F5 or Ctrl+R) in a worker, cancel (Esc,
DuckDB's interrupt), results in the paged grid, example queries (F2) and history (F3).

A refusal of the read-only guard is said in Portuguese (`sql_refusals.in_portuguese`); the
guard's English line, what `sibtui query` prints, stays in the query history file. DuckDB's own
common failures (syntax, unknown column or table, a value that does not convert) get a
Portuguese line before DuckDB's.

F6/F7 belong to the editor (select line/all), so the screen's own keys avoid them. Ctrl+L
(or F9, where a tmux setup takes Ctrl+L for itself) empties the editor for the next query, as
one step Ctrl+Z in the editor undoes (so does an example or history entry put in its place);
Ctrl+A/Ctrl+E stay the editor's line start and end."""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TextArea

from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.query.examples import EXAMPLES
from sibtui.query.sql_refusals import in_portuguese
from sibtui.query.sql_runner import run_sql
from sibtui.tui.masking import free_text, masking
from sibtui.tui.screens.base import ModeScreen
from sibtui.tui.screens.picker import PickScreen
from sibtui.tui.widgets.grid_panel import GridPanel
from sibtui.tui.widgets.paged_grid import PagedGrid

IDLE_HINT = "F5/Ctrl+R executa · Esc cancela · F2 exemplos · F3 histórico · Tab sai"


def replace_undoably(editor: TextArea, text: str) -> None:
    """The editor's whole text replaced as one edit of its own, apart from the typing before it,
    so one Ctrl+Z brings the previous query back (clearing, an example, a history entry)."""
    editor.history.checkpoint()
    editor.replace(text, (0, 0), editor.document.end)
    editor.history.checkpoint()


class SqlScreen(ModeScreen):
    MODE = "sql"
    CSS_PATH = "sql.tcss"
    BINDINGS = [
        Binding("f5,ctrl+r", "run_query", "Executar", id="sql.run"),
        Binding("ctrl+l,f9", "clear_editor", "Limpar", id="sql.clear"),
        Binding("escape", "cancel_query", "Cancelar consulta", id="sql.cancel"),
        Binding("f2", "examples", "Exemplos", id="sql.examples"),
        Binding("f3", "history", "Histórico", id="sql.history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._running_cursor = None
        self._result_masked = True  # the result shown was read in mask mode (or there is none)

    def compose_body(self) -> ComposeResult:
        yield TextArea(
            EXAMPLES[0].sql, language="sql", show_line_numbers=True, tab_behavior="focus", id="sql-editor"
        )
        yield Static(IDLE_HINT, id="sql-status", markup=False)
        yield GridPanel(self.new_cursor, id="sql-results")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sql-results", GridPanel).grid.show_message("o resultado aparece aqui")
        editor = self.query_one("#sql-editor", TextArea)
        editor.select_all()  # the example is a starting point: typing replaces it, F5 runs it
        editor.focus()
        self.watch(self.app, "masked", self._mask_changed, init=False)

    def _mask_changed(self, masked: bool) -> None:
        """A result read without mask mode is dropped when it comes on: its aliases, casts and
        expressions are beyond what masking by column name can hide."""
        if masked and not self._result_masked:
            self._hide_unmasked_result()

    def _hide_unmasked_result(self) -> None:
        self._result_masked = True
        self.query_one("#sql-results", GridPanel).grid.show_message(
            "resultado ocultado ao ligar a máscara; F5 executa de novo, mascarado"
        )
        self._status(Text(IDLE_HINT))

    @property
    def running(self) -> bool:
        return self._running_cursor is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_query":
            return self.running
        if action == "run_query":
            return not self.running
        return True

    def action_run_query(self) -> None:
        editor = self.query_one("#sql-editor", TextArea)
        sql = editor.selected_text.strip() or editor.text.strip()
        if not sql:
            self._status(Text("escreva uma consulta", style="yellow"))
            return
        self._status(Text("executando… (Esc cancela)", style="bold"))
        self._run(sql)

    def action_clear_editor(self) -> None:
        """An empty editor, focused, to type the next query; Ctrl+Z there brings the last one back."""
        editor = self.query_one("#sql-editor", TextArea)
        if editor.text:
            replace_undoably(editor, "")
            self.notify("consulta apagada (Ctrl+Z desfaz)", timeout=3)
        editor.focus()

    def action_cancel_query(self) -> None:
        cursor = self._running_cursor
        if cursor is not None:
            cursor.interrupt()

    @work(thread=True, exclusive=True, group="sql-run")
    def _run(self, sql: str) -> None:
        masked = masking()  # the whole run, its result and its history line follow this
        cursor = self.new_cursor()
        self.app.call_from_thread(self._started, cursor)
        started = time.perf_counter()
        try:
            view = run_sql(cursor, sql, masked=masked)
            first = view.window(cursor, 0, view.page_rows)
        except SibError as error:
            self.app.history.add(sql, error=str(error), masked=masked)  # the guard's own line, as the CLI says it
            self.app.call_from_thread(self._failed, in_portuguese(error, masked))
            return
        finally:
            cursor.close()
            self.app.call_from_thread(self._finished)
        seconds = time.perf_counter() - started
        self.app.history.add(sql, rows=view.total, seconds=round(seconds, 3), masked=masked)
        self.app.call_from_thread(self._succeeded, view, first, seconds, masked)

    def _started(self, cursor) -> None:
        self._running_cursor = cursor
        self.refresh_bindings()

    def _finished(self) -> None:
        self._running_cursor = None
        self.refresh_bindings()

    def _failed(self, message: str) -> None:
        cancelled = "interrupt" in message.lower()
        self._status(Text("consulta cancelada" if cancelled else message, style="yellow" if cancelled else "bold red"),
                     error=not cancelled)

    def _succeeded(self, view, first: list[tuple], seconds: float, masked: bool = False) -> None:
        grid: PagedGrid = self.query_one("#sql-results", GridPanel).grid
        if masking() and not masked:  # mask mode came on while it ran: those rows were read unmasked
            self._hide_unmasked_result()
            return
        self._result_masked = masked
        grid.show_view(view, first)
        took = "menos de 1 s" if seconds < 1 else f"{seconds:.1f} s".replace(".", ",")
        rows = "1 linha" if view.total == 1 else f"{format_count(view.total)} linhas"
        self._status(Text(f"{rows} em {took} · {IDLE_HINT}"))

    def _status(self, text: Text, error: bool = False) -> None:
        status = self.query_one("#sql-status", Static)
        status.set_class(error, "-error")  # an error gets up to three lines: a refusal says why
        status.update(text)

    def action_history(self) -> None:
        entries = list(reversed(self.app.history.entries()))
        if not entries:
            self.notify("o histórico está vazio", timeout=3)
            return
        choices = [(f"{entry.ran_at}  {free_text(' '.join(entry.sql.split()))}", entry.sql) for entry in entries]
        self.app.push_screen(PickScreen("Histórico de consultas", choices), self._put_sql)

    def action_examples(self) -> None:
        choices = [(example.title, example.sql) for example in EXAMPLES]
        self.app.push_screen(PickScreen("Consultas de exemplo", choices), self._put_sql)

    def _put_sql(self, sql: str | None) -> None:
        if sql is not None:
            editor = self.query_one("#sql-editor", TextArea)
            replace_undoably(editor, sql)  # `editor.text = sql` would also wipe the undo history
            editor.focus()
