"""The top line: every screen with the key that opens it, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.widgets import Static

MODES: tuple[tuple[str, str, str], ...] = (
    ("1", "records", "Registros"),
    ("2", "errors", "Erros RPX"),
    ("3", "cns", "CNS"),
    ("4", "findings", "Achados"),
    ("5", "sql", "SQL"),
)
MODE_TITLES = {mode: title for _, mode, title in MODES}


class ModeBar(Static):
    """`1 Registros  2 Erros RPX  3 CNS  4 Achados  5 SQL` with the active mode marked."""

    def __init__(self, active: str) -> None:
        super().__init__(markup=False)
        self.active = active

    def render(self) -> Text:
        text = Text(" sibtui ", style="bold reverse")
        for key, mode, title in MODES:
            label = f" {key} {title} "
            style = "bold reverse" if mode == self.active else ""
            text.append(" ")
            text.append(label, style=style)
        return text

    def on_click(self, event: Click) -> None:
        offset = 8
        for _, mode, title in MODES:
            width = len(title) + 5
            if offset <= event.x < offset + width:
                self.app.switch_mode(mode)
                return
            offset += width
