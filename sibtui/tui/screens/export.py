"""The export dialog: where to, and which format: XLSX (what opens right in a spreadsheet:
identifiers stay text, dates are dates), CSV (plain, or the Brazilian `;` and Latin-1 for
tools that read CSV) or Parquet.

In mask mode the title says the file will be masked; the request carries that choice, so
toggling F8 while the export runs changes nothing in the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet

from sibtui.output import format_count
from sibtui.query.export import BRAZILIAN_SPREADSHEET, ExportOptions
from sibtui.tui.widgets.toggles import Check, Radio

SUFFIXES = {"format-xlsx": ".xlsx", "format-csv": ".csv", "format-parquet": ".parquet"}


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    options: ExportOptions
    masked: bool = False  # personal data masked in the file (mask mode when the dialog opened)


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Asks for a file name and a format; dismisses with the request, or None."""

    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="export.cancel"),
        Binding("ctrl+o", "confirm", "Exportar", id="export.confirm"),
    ]

    def __init__(self, suggested_name: str, row_count: int, masked: bool = False) -> None:
        super().__init__()
        self._suggested = suggested_name
        self._row_count = row_count
        self._masked = masked

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            masked = " · dados pessoais mascarados" if self._masked else ""
            yield Label(f"Exportar {format_count(self._row_count)} linhas{masked}", id="export-title", markup=False)
            yield Input(value=self._suggested, id="export-path", placeholder="arquivo")
            with RadioSet(id="export-format"):
                yield Radio("XLSX (planilha)", value=True, id="format-xlsx")
                yield Radio("CSV", id="format-csv")
                yield Radio("Parquet", id="format-parquet")
            yield Check("CSV brasileiro (; e Latin-1)", value=True, id="export-brazilian", disabled=True)
            with Horizontal(id="export-buttons"):
                yield Button("Exportar", variant="primary", id="export-ok")
                yield Button("Cancelar", id="export-cancel")

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        chosen = event.pressed.id or "format-xlsx"
        self.query_one("#export-brazilian", Check).disabled = chosen != "format-csv"
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        path_input.value = str(path.with_suffix(SUFFIXES[chosen]))

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def action_confirm(self) -> None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.notify("Informe o nome do arquivo", severity="warning")
            return
        path = Path(value).expanduser()
        self.dismiss(ExportRequest(path, self._options(path.suffix.lower()), self._masked))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _options(self, suffix: str) -> ExportOptions:
        """The format the file's name says (`.xlsx`, `.csv`, `.parquet`), else the one chosen."""
        chosen = {value: key for key, value in SUFFIXES.items()}.get(suffix)
        if chosen is None:
            chosen = next(key for key in SUFFIXES if self.query_one(f"#{key}", Radio).value)
        if chosen == "format-parquet":
            return ExportOptions("parquet")
        if chosen == "format-xlsx":
            return ExportOptions("xlsx")
        if self.query_one("#export-brazilian", Check).value:
            return BRAZILIAN_SPREADSHEET
        return ExportOptions("csv")
