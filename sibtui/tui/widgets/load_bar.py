"""The loading line: which file, how far, how many records, and the key that cancels."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


@dataclass(frozen=True)
class LoadState:
    """What the loader last reported (set on the app by its load worker)."""

    file_name: str
    file_index: int  # 1-based
    file_count: int
    bytes_done: int
    bytes_total: int
    records: int


class LoadBar(Horizontal):
    """Shown only while files load; follows the app's `load_state`. Its parts are mounted
    the first time a load reports, so a screen that never loads pays nothing for them."""

    def on_mount(self) -> None:
        self.watch(self.app, "load_state", self._show, init=True)

    def _parts(self) -> ComposeResult:
        from textual.widgets import ProgressBar

        yield Label("", id="load-label", markup=False)
        yield ProgressBar(total=100, show_eta=False, id="load-progress")
        yield Label(" Esc cancela", id="load-hint", markup=False)

    def _show(self, state: LoadState | None) -> None:
        self.display = state is not None
        if state is None:
            return
        if not self.children:
            self.mount_all(self._parts())
            self.call_after_refresh(self._update, state)
            return
        self._update(state)

    def _update(self, state: LoadState) -> None:
        from textual.widgets import ProgressBar

        from sibtui.output import format_count

        if self.app.load_state is None:
            return
        label = f"carregando {state.file_index}/{state.file_count} {state.file_name} · {format_count(state.records)} reg. "
        self.query_one("#load-label", Label).update(label)
        self.query_one("#load-progress", ProgressBar).update(total=max(state.bytes_total, 1), progress=state.bytes_done)
