"""What every mode screen has: the mode bar, the loading line and the footer, and a
`refresh_data` called whenever the workspace changes (opened, a file loaded, checks run)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from sibtui.db.cursors import closing
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar


class ModeScreen(Screen):
    """A screen reachable with a number key; subclasses compose the body."""

    MODE = ""
    COLUMNS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()  # (table selector, ((title, width), ...))

    def compose(self) -> ComposeResult:
        yield ModeBar(self.MODE)
        yield from self.compose_body()
        yield LoadBar()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        for selector, columns in self.COLUMNS:
            table = self.query_one(selector, DataTable)
            if not table.columns:  # Textual calls every class's on_mount: a subclass's super() is a second call
                add_columns(table, columns)
        self.watch(self.app, "data_version", self._data_changed, init=True)

    def _data_changed(self, version: int) -> None:
        if version > 0:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read what the screen shows; runs in the UI thread, so start a worker."""

    def new_cursor(self):
        return self.app.new_cursor()

    def read_then_show(self, group: str, read: Callable[[Any], tuple], show: Callable[..., None]) -> None:
        """`show(*read(cursor))`: the read in a worker of `group` (a newer read cancels an older
        one), on a cursor of its own closed after it, the show back in the UI thread."""

        def work() -> None:
            with closing(self.new_cursor()) as cursor:
                shown = read(cursor)
            self.app.call_from_thread(show, *shown)

        self.run_worker(work, thread=True, exclusive=True, group=group)


def add_columns(table: DataTable, columns: Iterable[tuple[str, int]]) -> None:
    """The columns of a fixed table: (title, width) each."""
    for title, width in columns:
        table.add_column(title, width=width)
