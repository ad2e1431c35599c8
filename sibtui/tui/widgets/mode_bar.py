"""The top line: every screen with the key that opens it, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.widgets import Static

from sibtui.tui.modes import MODES

BRAND = " sibtui "


def mode_spans() -> list[tuple[int, int, str]]:
    """(start, end, mode) of each label on the bar, for drawing and for clicks."""
    spans, offset = [], len(BRAND)
    for mode in MODES:
        width = len(mode.key) + len(mode.title) + 3
        spans.append((offset, offset + width, mode.name))
        offset += width
    return spans


class ModeBar(Static):
    """` sibtui  0 Ciclo  1 Registros  2 Erros RPX ...` with the active mode marked."""

    def __init__(self, active: str) -> None:
        super().__init__(markup=False)
        self.active = active

    def render(self) -> Text:
        text = Text(BRAND, style="bold reverse")
        for mode in MODES:
            style = "bold reverse" if mode.name == self.active else ""
            text.append(f" {mode.key} {mode.title} ", style=style)
        return text

    def on_click(self, event: Click) -> None:
        for start, end, mode in mode_spans():
            if start <= event.x < end:
                getattr(self.app, "open_mode", self.app.switch_mode)(mode)
                return
