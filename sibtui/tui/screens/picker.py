"""Pick one of a few texts (saved example queries, the query history)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[str | None]):
    """A list of (title, value); Enter dismisses with the value, Escape with None."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Fechar", id="picker.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Label(self._title, id="picker-title", markup=False)
            options = [Option(Text(title, no_wrap=True, overflow="ellipsis"), id=str(index))
                       for index, (title, _) in enumerate(self._choices)]
            yield OptionList(*options, id="picker-options")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._choices[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
