"""Findings: our own pre-critique, grouped by rule; Enter lists the records of a rule."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from sibtui.output import format_count, plural
from sibtui.query.findings_overview import (
    FindingGroup,
    SeverityTotal,
    finding_groups,
    group_records_spec,
    severity_totals,
)
from sibtui.query.records import TABLE_LABELS
from sibtui.tui.cells import visible
from sibtui.tui.masking import free_text
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.screens.base import ModeScreen
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.widgets.drill_table import DrillTable

SEVERITY_LABELS = {"error": "erro", "warning": "aviso"}


class FindingsScreen(ModeScreen):
    MODE = "findings"
    CSS_PATH = "findings.tcss"
    COLUMNS = (("#finding-groups", (("regra", 24), ("tabela", 17), ("grav.", 5), ("reg.", 6), ("campos", 18))),)
    BINDINGS = [Binding("c", "run_checks", "Rodar pré-crítica", id="findings.run_checks")]

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[FindingGroup] = []
        self.totals: dict[str, SeverityTotal] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="findings-summary", markup=False)
        yield DrillTable(id="finding-groups")
        yield Static("", id="finding-detail", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "masked", lambda _: self._describe(), init=False)
        self.watch(self.app, "checking", lambda _: self._summarise(), init=False)

    def _summarise(self) -> None:
        summary = findings_summary(self.groups, self.totals)
        if getattr(self.app, "checking", False):
            summary = Text("pré-crítica rodando… ", style="bold yellow").append_text(summary)
        self.query_one("#findings-summary", Static).update(summary)

    def _describe(self) -> None:
        row = self.query_one("#finding-groups", DataTable).cursor_row
        if row < len(self.groups):
            self.query_one("#finding-detail", Static).update(group_detail(self.groups[row]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run_checks":
            return writes_allowed(self.app, action)
        return True

    def refresh_data(self) -> None:
        self.read_then_show("findings-load", lambda cursor: (finding_groups(cursor), severity_totals(cursor)),
                            self._show)

    def _show(self, groups: list[FindingGroup], totals: dict | None = None) -> None:
        self.groups = groups
        self.totals = totals or {}
        table = self.query_one("#finding-groups", DataTable)
        table.clear()
        for group in groups:
            severity = SEVERITY_LABELS.get(group.severity, group.severity)
            table.add_row(
                Text(group.rule, style="bold"),
                Text(TABLE_LABELS.get(group.source_table, group.source_table)),
                Text(severity, style="red" if group.severity == "error" else "yellow"),
                Text(format_count(group.records), justify="right"),
                Text(", ".join(group.fields)),
            )
        table.display = bool(groups)
        self._summarise()
        detail = self.query_one("#finding-detail", Static)
        detail.update(group_detail(groups[0]) if groups else "")
        if groups:
            table.focus()

    @on(DataTable.RowHighlighted, "#finding-groups")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < len(self.groups):
            self.query_one("#finding-detail", Static).update(group_detail(self.groups[event.cursor_row]))

    @on(DataTable.RowSelected, "#finding-groups")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.cursor_row < len(self.groups):
            self.app.push_screen(DrillScreen(group_records_spec(self.groups[event.cursor_row]), self.MODE))

    def action_run_checks(self) -> None:
        self.app.run_checks(announce=True)


def findings_summary(groups: list[FindingGroup], totals: dict[str, SeverityTotal]) -> Text:
    """"Erros: 39 achados em 36 registros · Avisos: 7 achados em 7 registros": findings and
    the distinct records they are on (a record with two findings is one record)."""
    if not groups:
        hint = "c roda a pré-crítica"
        return Text(f"Nenhum achado neste workspace; {hint}.", style="dim")
    text = Text()
    for severity, title, style in (("error", "Erros", "red"), ("warning", "Avisos", "yellow")):
        total = totals.get(severity)
        if total is None:
            continue
        if text:
            text.append(" · ")
        text.append(f"{title}: ", style=f"bold {style}")
        text.append(plural(total.occurrences, "achado", "achados"))
        if total.records:
            text.append(f" em {plural(total.records, 'registro', 'registros')}")
    return text


def group_detail(group: FindingGroup) -> Text:
    text = Text()
    text.append(f"{group.rule}: ", style="bold")
    text.append(visible(free_text(group.description or group.sample_message)))
    text.append(f"\n{plural(group.occurrences, 'achado', 'achados')} em "
                f"{plural(group.records, 'registro distinto', 'registros distintos')}. ")
    text.append("Exemplo: ", style="bold")
    text.append(visible(free_text(group.sample_message)))
    if group.fix:
        text.append("\nComo corrigir: ", style="bold")
        text.append(group.fix)
    return text
