"""Errors by code: the RPX files (protocol, % acerto, whole-file rejections), then the
rejections of the chosen RPX grouped by `codigoErro`; Enter lists the affected records."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from sibtui.output import format_count, plural
from sibtui.query.errors_by_code import (
    ErrorGroup,
    RpxFile,
    affected_records_spec,
    error_groups,
    format_percent,
    rpx_files,
)
from sibtui.query.resend_view import counts_text, decision_counts
from sibtui.tui.cells import visible
from sibtui.tui.hints import append_hints
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.screens.base import ModeScreen
from sibtui.tui.screens.decide import DecisionScreen
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.explain_code import ExplainCodeScreen
from sibtui.tui.widgets.drill_table import DrillTable

MOVEMENT_ABBREVIATIONS = {
    "inclusao": "INC",
    "retificacao": "RET",
    "mudancaContratual": "MUD",
    "cancelamento": "CAN",
    "reativacao": "REA",
    "semMovimentacao": "SEM",
}


class ErrorsScreen(ModeScreen):
    MODE = "errors"
    CSS_PATH = "errors.tcss"
    COLUMNS = (("#rpx-files", (("RPX", 25), ("responde ao SBX", 25), ("situação", 10), ("acerto", 8))),
               ("#error-codes", (("código", 6), ("reg.", 5), ("% arq.", 7), ("mov.", 8), ("mensagem da ANS", 44))))
    BINDINGS = [
        Binding("r", "next_rpx", "Outro RPX", id="errors.next_rpx"),
        Binding("D", "decide_all", "Decidir o código", show=False, id="errors.decide_all"),
        Binding("w", "explain_code", "Explicar código", id="errors.explain_code"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rpx_list: list[RpxFile] = []
        self.groups: list[ErrorGroup] = []
        self.rpx_index = 0
        self.decisions: dict = {}  # code -> Counter of resend states of its rejected movements
        self._wanted_rpx: int | None = None  # file_id asked for before the list was read

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="rpx-files", cursor_type="row")
        yield Static("", id="rpx-summary", markup=False)
        yield DrillTable(id="error-codes")
        yield Static("", id="error-detail", markup=False)

    def refresh_data(self) -> None:
        self.read_then_show("errors-files", lambda cursor: (rpx_files(cursor),), self._show_files)

    def _show_files(self, files: list[RpxFile]) -> None:
        self.rpx_list = files
        table = self.query_one("#rpx-files", DataTable)
        table.clear()
        for rpx in files:
            total = rpx.grand_total
            status = Text("REJEITADO", style="bold red") if rpx.rejected_whole else Text("processado")
            table.add_row(Text(rpx.name), Text(rpx.sbx_name or "—"), status,
                          Text(format_percent(total.percent) if total else "—"))
        table.styles.height = min(len(files), 3) + 1
        if not files:
            self._show_empty()
            return
        wanted = next((index for index, rpx in enumerate(files) if rpx.file_id == self._wanted_rpx), None)
        self._wanted_rpx = None
        self.rpx_index = min(self.rpx_index if wanted is None else wanted, len(files) - 1)
        table.move_cursor(row=self.rpx_index)
        self._select_rpx(self.rpx_index)

    def show_rpx(self, file_id: int) -> None:
        """Select the RPX `file_id` (from the Cycle screen), now or once the list is read."""
        index = next((index for index, rpx in enumerate(self.rpx_list) if rpx.file_id == file_id), None)
        if index is None:
            self._wanted_rpx = file_id
            return
        self.query_one("#rpx-files", DataTable).move_cursor(row=index)
        self._select_rpx(index)

    def _show_empty(self) -> None:
        self.query_one("#rpx-summary", Static).update(
            Text("Nenhum RPX no workspace. Carregue o RPX que a ANS devolveu para o SBX.", style="dim")
        )
        self.query_one("#error-codes", DataTable).clear()
        self.query_one("#error-detail", Static).update("")

    @on(DataTable.RowHighlighted, "#rpx-files")
    def _rpx_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != self.rpx_index and event.cursor_row < len(self.rpx_list):
            self._select_rpx(event.cursor_row)

    def _select_rpx(self, index: int) -> None:
        self.rpx_index = index
        rpx = self.rpx_list[index]
        self.query_one("#rpx-summary", Static).update(rpx_summary(rpx))
        self.read_then_show("errors-groups",
                            lambda cursor: (rpx, error_groups(cursor, rpx), decision_counts(cursor, rpx.file_id)),
                            self._show_groups)

    def _show_groups(self, rpx: RpxFile, groups: list[ErrorGroup], decisions: dict | None = None) -> None:
        table = self.query_one("#error-codes", DataTable)
        before = self.groups[table.cursor_row].code if 0 <= table.cursor_row < len(self.groups) else None
        self.groups = groups
        self.decisions = decisions or {}
        table.clear()
        for group in groups:
            movements = " ".join(MOVEMENT_ABBREVIATIONS.get(m, m) for m in group.movements)
            table.add_row(
                Text(group.code, style="bold"),
                Text(format_count(group.records), justify="right"),
                Text(format_percent(100 * group.share), justify="right"),
                Text(movements),
                Text(visible("; ".join(group.ans_messages))),
            )
        table.display = bool(groups)
        detail = self.query_one("#error-detail", Static)
        if not groups:
            detail.update(_no_groups_text(rpx))
        else:
            table.focus()
            keep = next((index for index, group in enumerate(groups) if group.code == before), 0)  # same RPX, reread
            table.move_cursor(row=keep)
            detail.update(group_detail(groups[keep], self.decisions.get(groups[keep].code)))

    @on(DataTable.RowHighlighted, "#error-codes")
    def _code_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < len(self.groups):
            group = self.groups[event.cursor_row]
            self.query_one("#error-detail", Static).update(group_detail(group, self.decisions.get(group.code)))

    @on(DataTable.RowSelected, "#error-codes")
    def _code_selected(self, event: DataTable.RowSelected) -> None:
        self._drill(event.cursor_row)

    def _drill(self, index: int) -> None:
        if self.rpx_list and index < len(self.groups):
            spec = affected_records_spec(self.rpx_list[self.rpx_index], self.groups[index])
            self.app.push_screen(DrillScreen(spec, self.MODE))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide_all":
            return writes_allowed(self.app, action) if self.groups else False
        if action == "explain_code":
            return writes_allowed(self.app, action)
        return super().check_action(action, parameters)

    def action_explain_code(self) -> None:
        """Write the team's explanation of the code under the cursor (ANS's message on top)."""
        row = self.query_one("#error-codes", DataTable).cursor_row
        if not self.groups or row >= len(self.groups):
            self.notify("Nenhum código de erro selecionado.", timeout=3, markup=False)
            return
        group = self.groups[row]
        screen = ExplainCodeScreen(group.code, " / ".join(group.ans_messages), group.team)
        self.app.push_screen(screen, lambda changed: changed and self._select_rpx(self.rpx_index))

    def action_decide_all(self) -> None:
        """The resend decision of every movement rejected with the highlighted code."""
        table = self.query_one("#error-codes", DataTable)
        if not self.rpx_list or not self.groups or table.cursor_row >= len(self.groups):
            return
        group, rpx = self.groups[table.cursor_row], self.rpx_list[self.rpx_index]
        sql = ("SELECT DISTINCT sbx_file_id AS file_id, sbx_record_no AS record_no FROM rpx_rejection_links "
               "WHERE rpx_file_id = ? AND trim(codigoErro) = ? AND sbx_record_no IS NOT NULL")
        self.app.push_screen(DecisionScreen(f"erro {group.code} no {rpx.name}", sql=sql,
                                            parameters=[rpx.file_id, group.code], count=group.linked_records))

    def action_next_rpx(self) -> None:
        if self.rpx_list:
            index = (self.rpx_index + 1) % len(self.rpx_list)
            self.query_one("#rpx-files", DataTable).move_cursor(row=index)
            self._select_rpx(index)


def rpx_summary(rpx: RpxFile) -> Text:
    """Protocol and % acerto per movement, or the whole-file rejection and what to do."""
    text = Text()
    if rpx.rejected_whole:
        text.append("ARQUIVO REJEITADO INTEIRO ", style="bold red")
        text.append(f"{rpx.sbx_name or '?'} · código {rpx.rejection_code or '?'} ")
        text.append(visible(rpx.rejection_reason or ""), style="bold")
        if rpx.rejection_label:
            text.append(f" ({rpx.rejection_label})")
        text.append("\nO que fazer: ", style="bold")
        text.append(rpx.rejection_fix or "leia o motivo da ANS, corrija o arquivo e reenvie.")
        return text
    text.append(f"protocolo {rpx.protocol or '—'}", style="bold")
    total = rpx.grand_total
    if total is not None:
        text.append(
            f" · {format_count(total.records or 0)} reg. · {format_count(total.processed or 0)} proc."
            f" · {format_count(total.rejected or 0)} rej. · acerto {format_percent(total.percent)}"
        )
    text.append("\n% acerto:")
    for line in rpx.totals:
        if line.movement in {"total", "semMovimentacao"} or not line.records:
            continue
        text.append(f" {MOVEMENT_ABBREVIATIONS.get(line.movement, line.movement)} ", style="bold")
        text.append(format_percent(line.percent))
    return text


def group_detail(group: ErrorGroup, decisions=None) -> Text:
    """ANS's words verbatim, where its movements stand for the next SBX (resend decisions), then
    the team's explanation and our hint (labelled when ANS's message disagrees with it)."""
    explanation = group.explanation
    text = Text()
    text.append(f"{group.code} ", style="bold")
    text.append("ANS: ", style="bold")
    text.append(visible(" / ".join(group.ans_messages) or "—"))
    text.append("  campo: ", style="bold")
    text.append(visible(" / ".join(group.field_descriptions) or "—"))
    if decisions:
        text.append("\nReenvio: ", style="bold")
        text.append(counts_text(decisions), style="cyan")
        text.append(" · Enter lista, d decide · D decide o código", style="dim")
    field = explanation.field_label or explanation.field_name
    text.append(f"\nNosso campo: {field or 'não identificado'}", style="bold")
    text.append(f" · {plural(group.occurrences, 'ocorrência', 'ocorrências')} em "
                f"{plural(group.records, 'registro', 'registros')}")
    append_hints(text, explanation, group.hint_differs, group.team)
    if group.linked_records < group.records:
        unlinked = group.records - group.linked_records
        text.append(f"\n{plural(unlinked, 'rejeição', 'rejeições')} sem o SBX carregado", style="yellow")
    return text


def _no_groups_text(rpx: RpxFile) -> Text:
    if rpx.rejected_whole:
        return Text("Nenhum registro foi processado: a ANS rejeitou o arquivo inteiro.", style="dim")
    return Text("Nenhum registro rejeitado neste RPX.", style="dim")
