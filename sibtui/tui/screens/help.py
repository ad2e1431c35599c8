"""F1 / ?: every key that works right now, read from the live bindings of the screen
below (focused widget first), so the help can never drift from the keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from sibtui.tui.portuguese import pt

WHERE_LABELS = {
    "PagedGrid": "grade",
    "GridPanel": "grade",
    "DrillTable": "lista",
    "DataTable": "tabela",
    "TextArea": "editor",
    "Input": "campo de texto",
}


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, description, where) for each distinct action active on `screen`."""
    app = screen.app
    rows, seen = [], set()
    for _key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or (binding.action, id(node)) in seen:
            continue
        seen.add((binding.action, id(node)))
        where = "geral" if node is app else WHERE_LABELS.get(type(node).__name__, "tela")
        rows.append((app.get_key_display(binding), pt(binding.description), where))
    return rows


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Fechar", id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._rows = binding_rows(under)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
        table.add_column("tecla", no_wrap=True)
        table.add_column("o que faz")
        table.add_column("onde", style="dim", no_wrap=True)
        for keys, description, where in self._rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(where))
        with Vertical(id="help-dialog"):
            yield Label("Teclas desta tela (Esc fecha · Ctrl+P lista as ações)", id="help-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(table, id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss()
