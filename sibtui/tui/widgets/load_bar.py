"""The loading line: which file, how far, how many records, and the key that cancels."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


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
    """Shown only while files load; follows the app's `load_state`."""

    def compose(self) -> ComposeResult:
        yield Label("", id="load-label", markup=False)
        yield ProgressBar(total=100, show_eta=False, id="load-progress")
        yield Label(" Esc cancela", id="load-hint", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "load_state", self._show, init=True)

    def _show(self, state: LoadState | None) -> None:
        from sibtui.output import format_count

        self.display = state is not None
        if state is None:
            return
        label = f"carregando {state.file_index}/{state.file_count} {state.file_name} · {format_count(state.records)} reg. "
        self.query_one("#load-label", Label).update(label)
        self.query_one("#load-progress", ProgressBar).update(total=max(state.bytes_total, 1), progress=state.bytes_done)
