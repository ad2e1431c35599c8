"""What every mode screen has: the mode bar, the loading line and the footer, and a
`refresh_data` called whenever the workspace changes (opened, a file loaded, checks run)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar


class ModeScreen(Screen):
    """A screen reachable with a number key; subclasses compose the body."""

    MODE = ""

    def compose(self) -> ComposeResult:
        yield ModeBar(self.MODE)
        yield from self.compose_body()
        yield LoadBar()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._data_changed, init=True)

    def _data_changed(self, version: int) -> None:
        if version > 0:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read what the screen shows; runs in the UI thread, so start a worker."""

    def new_cursor(self):
        return self.app.new_cursor()
