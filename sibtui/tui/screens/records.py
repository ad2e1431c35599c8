"""Records: SBX movements or CNX beneficiaries in the paged grid; Enter opens a record."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from sibtui.query.names import CNX, SBX, TABLE_LABELS
from sibtui.query.spec import GridSpec, leading_for
from sibtui.tui.screens.base import ModeScreen
from sibtui.tui.screens.record_view import open_record
from sibtui.tui.widgets.grid_decorations import EditedValues
from sibtui.tui.widgets.grid_panel import GridPanel
from sibtui.tui.widgets.paged_grid import PagedGrid


def table_spec(table: str) -> GridSpec:
    relation = f"{table}_current"
    return GridSpec(relation=relation, title=TABLE_LABELS[table], leading_columns=leading_for(relation))


class RecordsScreen(ModeScreen):
    MODE = "records"
    CSS_PATH = "records.tcss"
    BINDINGS = [Binding("t", "switch_table", "SBX/CNX", id="records.switch_table")]

    def __init__(self) -> None:
        super().__init__()
        self.table = SBX
        self._spec: GridSpec | None = None

    def compose_body(self) -> ComposeResult:
        yield GridPanel(self.new_cursor, EditedValues(), id="records-grid")

    @property
    def panel(self) -> GridPanel:
        return self.query_one("#records-grid", GridPanel)

    def refresh_data(self) -> None:
        grid = self.panel.grid
        if grid.spec is not None:
            self.panel.reload()  # an edit or new findings: same rows, same place
            return
        self.panel.show(table_spec(self.table))
        grid.focus()

    def action_switch_table(self) -> None:
        self.table = CNX if self.table == SBX else SBX
        self.panel.show(table_spec(self.table))

    @on(PagedGrid.Opened)
    def _open_record(self, event: PagedGrid.Opened) -> None:
        open_record(self, event.row, self.table)
