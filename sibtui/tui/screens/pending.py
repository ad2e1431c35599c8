"""Pending changes: every field the analyst changed and not yet sent, old -> new per
record, before regenerating; r writes the corrected SBX files, d shows what the last
regenerated file carries against the loaded one. Enter opens the record."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from sibtui.output import format_count
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.widgets.grid_panel import GridPanel
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar
from sibtui.tui.widgets.paged_grid import PagedGrid


class PendingScreen(Screen):
    CSS_PATH = "pending.tcss"
    BINDINGS = [
        Binding("escape,backspace", "back", "Voltar", id="pending.back"),
        Binding("r", "regenerate", "Gerar SBX", id="pending.regenerate"),
        Binding("d", "diff", "Diferença do último SBX gerado", show=False, id="pending.diff"),
    ]

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield ModeBar(self.mode)
        yield Static("", id="pending-summary", markup=False)
        yield GridPanel(self.app.new_cursor, id="pending-grid")
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from sibtui.query.pending_overview import pending_spec

        panel = self.query_one("#pending-grid", GridPanel)
        panel.show(pending_spec())
        panel.grid.focus()
        self.watch(self.app, "data_version", lambda _: panel.reload(), init=False)
        self.watch(self.app, "pending", self._summarise, init=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return writes_allowed(self.app, action)

    def _summarise(self, pending: tuple[int, int]) -> None:
        fields, records = pending
        if not fields:
            text = Text("Nenhuma alteração pendente: edite com e na grade ou no registro.", style="dim")
        else:
            text = Text(changes_text(fields, records), style="bold")
            text.append(" · r gera os SBX · d diferença · u desfaz", style="dim")
        self.query_one("#pending-summary", Static).update(text)

    @on(PagedGrid.Opened)
    def _open_record(self, event: PagedGrid.Opened) -> None:
        from sibtui.tui.screens.record_view import open_record

        open_record(self, event.row, event.row.get("table_name"))

    def action_back(self) -> None:
        self.dismiss()

    def action_regenerate(self) -> None:
        from sibtui.tui.screens.regenerate import RegenerateScreen

        self.app.push_screen(RegenerateScreen())

    def action_diff(self) -> None:
        from sibtui.tui.screens.regenerate import show_latest_diff

        show_latest_diff(self)


def changes_text(fields: int, records: int) -> str:
    """"1 campo alterado em 1 registro", "3 campos alterados em 2 registros"."""
    field_word = "campo alterado" if fields == 1 else "campos alterados"
    record_word = "registro" if records == 1 else "registros"
    return f"{format_count(fields)} {field_word} em {format_count(records)} {record_word}"
