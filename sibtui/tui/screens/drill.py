"""A drill-down: the records behind an error code, a CNS category or a rule, in a grid
with filter, search and export like every grid. Escape goes back.

When the rows are SBX movements, the line under the grid says where the highlighted one
stands for the next SBX (its resend decision, the titular of a cascade or its cascade
dependents), `d` decides for it and `D` for every movement listed."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from sibtui.db.cursors import closing
from sibtui.output import format_count
from sibtui.query.resend_view import resend_infos
from sibtui.query.spec import GridSpec
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.resend_lines import resend_text
from sibtui.tui.screens.decide import DecisionScreen
from sibtui.tui.screens.record_view import open_record
from sibtui.tui.widgets.grid_decorations import EditedValues
from sibtui.tui.widgets.grid_panel import GridPanel, records_listed
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar
from sibtui.tui.widgets.paged_grid import PagedGrid


class DrillScreen(Screen):
    CSS_PATH = "drill.tcss"
    BINDINGS = [
        Binding("escape,backspace", "back", "Voltar", id="drill.back"),
        Binding("d", "decide", "Decidir reenvio", id="drill.decide"),
        Binding("D", "decide_all", "Decidir todos", show=False, id="drill.decide_all"),
    ]

    def __init__(self, spec: GridSpec, mode: str, opener: Callable[[Screen, dict], None] | None = None) -> None:
        """`opener(screen, row)` opens what Enter on a row means; by default, its record."""
        super().__init__()
        self.spec = spec
        self.mode = mode
        self.opener = opener

    def compose(self) -> ComposeResult:
        yield ModeBar(self.mode)
        yield GridPanel(self.app.new_cursor, EditedValues(), id="drill-grid")
        yield Static("", id="drill-resend", markup=False)
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        panel = self.query_one("#drill-grid", GridPanel)
        panel.show(self.spec)
        panel.grid.focus()
        self.query_one("#drill-resend").display = False
        self._resend: dict[int, dict] = {}  # file_id -> record_no -> ResendInfo, read once per change
        self.watch(self.app, "data_version", lambda _: self._data_changed(panel), init=False)

    def _data_changed(self, panel: GridPanel) -> None:
        self._resend = {}
        panel.reload()

    @property
    def grid(self) -> PagedGrid:
        return self.query_one("#drill-grid", GridPanel).grid

    def _movements_listed(self) -> bool:
        spec = self.grid.spec
        return records_listed(self.grid) and spec is not None and spec.record_table == "sbx_movements"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"decide", "decide_all"}:  # only where the rows are SBX movements
            return writes_allowed(self.app, action) if self._movements_listed() else False
        return True

    def action_back(self) -> None:
        self.dismiss()

    @on(PagedGrid.Opened)
    def _open_record(self, event: PagedGrid.Opened) -> None:
        if self.opener is not None:
            self.opener(self, event.row)
            return
        open_record(self, event.row, self.spec.record_table)

    # -- the resend decision of the movements listed ------------------------------------------

    @on(PagedGrid.Ready)
    @on(PagedGrid.Moved)
    def _row_changed(self) -> None:
        self.refresh_bindings()
        row = self.grid.current_row() if self._movements_listed() else None
        if row is None:
            self.query_one("#drill-resend").display = False
            return
        file_id, record_no = int(row["file_id"]), int(row["record_no"])
        if file_id in self._resend:
            self._show_resend(file_id, record_no, self._resend[file_id].get(record_no))
        else:
            self._load_resend(file_id, record_no)

    @work(thread=True, exclusive=True, group="drill-resend")
    def _load_resend(self, file_id: int, record_no: int) -> None:
        with closing(self.app.new_cursor()) as cursor:
            infos = resend_infos(cursor, file_id)
        self.app.call_from_thread(self._loaded_resend, file_id, record_no, infos)

    def _loaded_resend(self, file_id: int, record_no: int, infos: dict) -> None:
        self._resend[file_id] = infos
        self._row_changed()  # the cursor may have moved meanwhile

    def _show_resend(self, file_id: int, record_no: int, info) -> None:
        line = self.query_one("#drill-resend", Static)
        line.display = True
        if info is None:
            line.update(Text(f"{file_id}:{record_no}: não foi rejeitado pela ANS (no RPX que vale)", style="dim"))
            return
        text = Text(f"{file_id}:{record_no} ", style="bold")
        text.append_text(resend_text(info))
        text.append(f" · D decide os {format_count(self.grid.total)} listados", style="dim")
        line.update(text)

    def action_decide(self) -> None:
        row = self.grid.current_row()
        if row is not None and self._movements_listed():
            ref = (int(row["file_id"]), int(row["record_no"]))
            self.app.push_screen(DecisionScreen(f"registro {ref[0]}:{ref[1]}", refs=[ref]))

    def action_decide_all(self) -> None:
        view = self.grid.view
        if view is not None and self._movements_listed():
            sql, parameters = view.ordered_sql()
            self.app.push_screen(DecisionScreen(view.spec.title or "os listados", sql=sql, parameters=parameters,
                                                count=view.total))
