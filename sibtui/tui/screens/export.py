"""The export dialog: where to, CSV or Parquet, and the Brazilian spreadsheet option.

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
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet

from sibtui.query.export import BRAZILIAN_SPREADSHEET, ExportOptions


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
        from sibtui.output import format_count

        with Vertical(id="export-dialog"):
            masked = " · dados pessoais mascarados" if self._masked else ""
            yield Label(f"Exportar {format_count(self._row_count)} linhas{masked}", id="export-title", markup=False)
            yield Input(value=self._suggested, id="export-path", placeholder="arquivo")
            with RadioSet(id="export-format"):
                yield RadioButton("CSV", value=True, id="format-csv")
                yield RadioButton("Parquet", id="format-parquet")
            yield Checkbox("Planilha brasileira (; e Latin-1)", value=True, id="export-brazilian")
            with Horizontal(id="export-buttons"):
                yield Button("Exportar", variant="primary", id="export-ok")
                yield Button("Cancelar", id="export-cancel")

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        parquet = event.pressed.id == "format-parquet"
        self.query_one("#export-brazilian", Checkbox).disabled = parquet
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        path_input.value = str(path.with_suffix(".parquet" if parquet else ".csv"))

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def action_confirm(self) -> None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.notify("Informe o nome do arquivo", severity="warning")
            return
        self.dismiss(ExportRequest(Path(value).expanduser(), self._options(), self._masked))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _options(self) -> ExportOptions:
        if self.query_one("#format-parquet", RadioButton).value:
            return ExportOptions("parquet")
        if self.query_one("#export-brazilian", Checkbox).value:
            return BRAZILIAN_SPREADSHEET
        return ExportOptions("csv")
