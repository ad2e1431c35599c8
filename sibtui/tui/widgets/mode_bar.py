"""The top line: every screen with the key that opens it, the current one in brackets
(`[2 Erros RPX]`, and highlighted), so it reads without colour too.

Where the name sits, the console's state shows while it lasts, in the same 8 cells (the
bar is exactly 80 wide): MÁSCARA while personal data is masked (F8), LEITURA while the
workspace is open read-only, MÁSC+LEI for both."""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.widgets import Static

from sibtui.tui.modes import MODES

BRAND = " sibtui "
STATE_BRANDS = {  # (masked, read_only) -> what replaces the name, each len(BRAND) cells
    (True, False): " MÁSCARA",
    (False, True): " LEITURA",
    (True, True): "MÁSC+LEI",
}
STATE_STYLE = "bold black on yellow"
ACTIVE_STYLE = "bold reverse"


def state_brand(app) -> Text | None:
    """MÁSCARA / LEITURA / MÁSC+LEI while the app is masked or read-only; None otherwise.
    Screens without the bar (the record view) start their title line with it."""
    state = (bool(getattr(app, "masked", False)), bool(getattr(app, "read_only", False)))
    brand = STATE_BRANDS.get(state)
    return Text(brand, style=STATE_STYLE) if brand else None


def mode_spans() -> list[tuple[int, int, str]]:
    """(start, end, mode) of each label on the bar, for drawing and for clicks."""
    spans, offset = [], len(BRAND)
    for mode in MODES:
        width = len(mode.key) + len(mode.title) + 3
        spans.append((offset, offset + width, mode.name))
        offset += width
    return spans


class ModeBar(Static):
    """` sibtui  0 Ciclo [1 Registros] 2 Erros RPX ...` with the active mode marked."""

    def __init__(self, active: str) -> None:
        super().__init__(markup=False)
        self.active = active

    def on_mount(self) -> None:
        self.watch(self.app, "masked", lambda _: self.refresh(), init=False)
        self.watch(self.app, "read_only", lambda _: self.refresh(), init=False)

    def render(self) -> Text:
        text = state_brand(self.app) or Text(BRAND, style="bold reverse")
        for mode in MODES:
            if mode.name == self.active:
                text.append(f"[{mode.key} {mode.title}]", style=ACTIVE_STYLE)
            else:
                text.append(f" {mode.key} {mode.title} ")
        return text

    def on_click(self, event: Click) -> None:
        for start, end, mode in mode_spans():
            if start <= event.x < end:
                getattr(self.app, "open_mode", self.app.switch_mode)(mode)
                return
