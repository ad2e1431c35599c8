"""CNS gaps: records without a usable CNS, by category; Enter lists them with the CNX's
CNS beside ours. `a` lists every CNS ANS assigned (codigoBeneficiario, CCO, CNS, date), for
the operator's own base: `x` there exports it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from sibtui.compare.cns_assigned import cns_assigned_sql
from sibtui.compare.cns_escalation import KIND as ESCALATION
from sibtui.output import format_count
from sibtui.query.cns_overview import CnsCategory, category_spec, cns_categories
from sibtui.query.records import TABLE_LABELS
from sibtui.query.spec import GridSpec
from sibtui.tui.screens.base import ModeScreen
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.widgets.drill_table import DrillTable


class CnsScreen(ModeScreen):
    MODE = "cns"
    CSS_PATH = "cns.tcss"
    COLUMNS = (("#cns-categories", (("categoria", 22), ("tabela", 17), ("reg.", 6), ("ANS atribui", 11),
                                    ("o que é", 14))),)
    BINDINGS = [Binding("a", "assigned", "CNS atribuídos pela ANS", id="cns.assigned")]

    def __init__(self) -> None:
        super().__init__()
        self.categories: list[CnsCategory] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="cns-summary", markup=False)
        yield DrillTable(id="cns-categories")
        yield Static("", id="cns-detail", markup=False)

    def refresh_data(self) -> None:
        self.read_then_show("cns-load", lambda cursor: (cns_categories(cursor),), self._show)

    def _show(self, categories: list[CnsCategory]) -> None:
        self.categories = categories
        table = self.query_one("#cns-categories", DataTable)
        table.clear()
        for category in categories:
            table.add_row(
                Text(category.category, style="bold"),
                Text(TABLE_LABELS.get(category.source_table, category.source_table)),
                Text(format_count(category.records), justify="right"),
                Text(format_count(category.auto_assignable), justify="right"),
                Text(category.description or ""),
            )
        table.display = bool(categories)
        total = sum(category.records for category in categories if category.category != "divergencia_receita")
        summary = (
            Text(f"{format_count(total)} registros com lacuna de CNS · Enter lista, com o CNS da CNX ao lado")
            if categories
            else Text("Nenhuma lacuna de CNS encontrada (ou a pré-crítica ainda não rodou).", style="dim")
        )
        self.query_one("#cns-summary", Static).update(summary)
        self._describe(0)
        if categories:
            table.focus()

    def _describe(self, index: int) -> None:
        detail = self.query_one("#cns-detail", Static)
        if index >= len(self.categories):
            detail.update("")
            return
        category = self.categories[index]
        text = Text(f"{category.category}: ", style="bold")
        text.append(category.description or "categoria da validação de CNS")

        if category.category == ESCALATION:
            text.append("\nCPF, nome e nascimento parecem válidos, mas a ANS não atribuiu o CNS: confira os dados "
                        "com o beneficiário.")
        else:
            text.append(f"\n{format_count(category.auto_assignable)} de {format_count(category.records)} "
                        "têm CPF, nome e nascimento válidos: a ANS pode atribuir o CNS.")
        detail.update(text)

    @on(DataTable.RowHighlighted, "#cns-categories")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    @on(DataTable.RowSelected, "#cns-categories")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.cursor_row < len(self.categories):
            spec = category_spec(self.categories[event.cursor_row])
            self.app.push_screen(DrillScreen(spec, self.MODE))

    def action_assigned(self) -> None:
        spec = GridSpec(sql=cns_assigned_sql(), title="CNS atribuídos pela ANS (x exporta para a sua base)",
                        hidden_columns=())
        self.app.push_screen(DrillScreen(spec, self.MODE))
