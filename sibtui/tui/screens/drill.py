"""A drill-down: the records behind an error code, a CNS category or a rule, in a grid
with filter, search and export like every grid. Escape goes back."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from sibtui.query.spec import GridSpec
from sibtui.tui.widgets.grid_panel import GridPanel
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar
from sibtui.tui.widgets.paged_grid import PagedGrid


class DrillScreen(Screen):
    CSS_PATH = "drill.tcss"
    BINDINGS = [Binding("escape,backspace", "back", "Voltar", id="drill.back")]

    def __init__(self, spec: GridSpec, mode: str, opener: Callable[[Screen, dict], None] | None = None) -> None:
        """`opener(screen, row)` opens what Enter on a row means; by default, its record."""
        super().__init__()
        self.spec = spec
        self.mode = mode
        self.opener = opener

    def compose(self) -> ComposeResult:
        yield ModeBar(self.mode)
        yield GridPanel(self.app.new_cursor, id="drill-grid")
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        panel = self.query_one("#drill-grid", GridPanel)
        panel.show(self.spec)
        panel.grid.focus()
        self.watch(self.app, "data_version", lambda _: panel.reload(), init=False)

    def action_back(self) -> None:
        self.dismiss()

    @on(PagedGrid.Opened)
    def _open_record(self, event: PagedGrid.Opened) -> None:
        from sibtui.tui.screens.record_view import open_record

        if self.opener is not None:
            self.opener(self, event.row)
            return
        open_record(self, event.row, self.spec.record_table)
