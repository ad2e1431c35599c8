"""Pending changes: every field the analyst changed and not yet sent, old -> new per
record, and every resend decision, before regenerating; above them, where the rejected
movements stand for the next SBX (what goes, what stays out and why). r writes the
corrected SBX files, d shows what the last regenerated file carries against the loaded
one. Enter opens the record (d there decides its resend)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from sibtui.db.cursors import closing
from sibtui.edit.decision_list import state_counts
from sibtui.output import format_count
from sibtui.query.pending_overview import pending_spec
from sibtui.query.resend_view import counts_text
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.screens.record_view import open_record
from sibtui.tui.screens.regenerate import RegenerateScreen, show_latest_diff
from sibtui.tui.widgets.grid_decorations import EditedValues
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
        yield Static("", id="pending-resend", markup=False)
        yield GridPanel(self.app.new_cursor, EditedValues(), id="pending-grid")
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        panel = self.query_one("#pending-grid", GridPanel)
        panel.show(pending_spec())
        panel.grid.focus()
        self.watch(self.app, "data_version", lambda _: (panel.reload(), self._load_states()), init=False)
        self.watch(self.app, "pending", self._summarise, init=True)
        self._load_states()

    @work(thread=True, exclusive=True, group="pending-states")
    def _load_states(self) -> None:
        with closing(self.app.new_cursor()) as cursor:
            counts = state_counts(cursor)
        self.app.call_from_thread(self._show_states, counts)

    def _show_states(self, counts: dict[str, int]) -> None:
        self.query_one("#pending-resend", Static).update(resend_summary(counts))

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
        open_record(self, event.row, event.row.get("table_name"))

    def action_back(self) -> None:
        self.dismiss()

    def action_regenerate(self) -> None:
        self.app.push_screen(RegenerateScreen())

    def action_diff(self) -> None:
        show_latest_diff(self)


def resend_summary(counts: dict[str, int]) -> Text:
    """What the next SBX sends of the rejected movements, and what stays out (pt-BR)."""
    if not counts:
        return Text("Nenhum movimento rejeitado a reenviar.", style="dim")
    going = {state: counts.get(state, 0) for state in ("corrigido", "como_esta", "com_titular")}
    text = Text("Rejeitados: ", style="bold")
    text.append(counts_text(counts) or "—")
    if counts.get("reenviado"):
        text.append(f" · {format_count(counts['reenviado'])} já reenviado(s)")
    if counts.get("pendente"):
        text.append(f"\n{format_count(counts['pendente'])} sem decisão ficam fora do próximo SBX "
                    "(tela 2: Enter lista, d decide)", style="yellow")
    elif any(going.values()):
        text.append(" · r gera", style="dim")
    return text


def changes_text(fields: int, records: int) -> str:
    """"1 campo alterado em 1 registro", "3 campos alterados em 2 registros"."""
    field_word = "campo alterado" if fields == 1 else "campos alterados"
    record_word = "registro" if records == 1 else "registros"
    return f"{format_count(fields)} {field_word} em {format_count(records)} {record_word}"
