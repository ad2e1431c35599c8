"""Conformidade: one line per competência since the first SBX or RPX loaded (RN 250 arts. 7,
11–13, 25), as `sibtui status --months`: sent and answered, rejected whole (not sent), without
an answer, without movement (with its reason) or missing; the sending deadline and the
correction deadline, each with its own state. The line under the table tells the highlighted
month's files; `n` writes the no-movement file for it (motivo 61 or 62)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from sibtui.cycle.months import SITUATION_LABELS, month_rows
from sibtui.tui.cells import visible
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.screens.no_movement import NoMovementScreen
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar

SITUATION_STYLES = {"aceito": "green", "sem_movimento": "green", "sem_resposta": "yellow",
                    "rejeitado": "bold red", "faltando": "bold red"}
STATE_STYLES = {"vencido": "bold red", "pendente": "yellow", "no_prazo": "yellow", "enviado_com_atraso": "yellow"}
STATE_WORDS = {"enviado": "enviado", "enviado_com_atraso": "com atraso", "no_prazo": "no prazo", "vencido": "VENCIDO",
               "sem_erros": "sem erros", "pendente": "pendente", "corrigido": "corrigido"}
COLUMNS = (("mês", 7), ("situação", 14), ("envio até", 21), ("correção até", 21), ("reenv.", 6))


class MonthsScreen(Screen):
    CSS_PATH = "months.tcss"
    BINDINGS = [
        Binding("escape,backspace", "back", "Voltar", id="months.back"),
        Binding("n", "no_movement", "Sem movimento", id="months.no_movement"),
    ]

    def __init__(self, mode: str = "cycle") -> None:
        super().__init__()
        self.mode = mode
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield ModeBar(self.mode)
        yield Static("lendo os meses…", id="months-summary", markup=False)
        yield DataTable(id="months-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="months-detail", markup=False)
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#months-table", DataTable)
        for title, width in COLUMNS:
            table.add_column(title, width=width)
        self.watch(self.app, "data_version", lambda _: self._load(), init=False)
        self._load()

    @work(thread=True, exclusive=True, group="months-load")
    def _load(self) -> None:
        today = self.app.today()
        cursor = self.app.new_cursor()
        try:
            rows = month_rows(cursor, today)
        finally:
            cursor.close()
        self.app.call_from_thread(self._show, rows, today)

    def _show(self, rows: list, today: date) -> None:
        self.rows = rows
        self.today = today
        table = self.query_one("#months-table", DataTable)
        cursor_row = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*cells(row, today))
        self.query_one("#months-summary", Static).update(summary_text(rows, today))
        if rows:
            table.move_cursor(row=min(cursor_row, len(rows) - 1) if cursor_row else len(rows) - 1)
            table.focus()
        self._describe(table.cursor_row)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#months-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)
        self.refresh_bindings()

    def _describe(self, index: int) -> None:
        detail = self.query_one("#months-detail", Static)
        detail.update(detail_text(self.rows[index], self.today) if 0 <= index < len(self.rows) else Text(""))

    @property
    def current(self):
        index = self.query_one("#months-table", DataTable).cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "no_movement":
            row = self.current
            if row is None or row.situacao not in ("faltando", "rejeitado"):
                return False
            return writes_allowed(self.app, action)
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_no_movement(self) -> None:
        row = self.current
        if row is not None:
            self.app.push_screen(NoMovementScreen(str(row.competencia), row.registro_ans))


def cells(row, today: date) -> tuple[Text, ...]:
    sending, correction = row.sending_state(today), row.correction_state(today)
    situation = SITUATION_LABELS.get(row.situacao, row.situacao)
    if row.no_movement_reason:
        situation = f"sem mov. ({row.no_movement_reason})" if row.situacao == "sem_movimento" else situation
    return (
        Text(str(row.competencia), style="bold"),
        Text(situation, style=SITUATION_STYLES.get(row.situacao, "")),
        Text(f"{row.sending_deadline:%d/%m/%Y} {STATE_WORDS.get(sending, sending)}", style=STATE_STYLES.get(sending, "")),
        Text(f"{row.correction_deadline:%d/%m/%Y} {STATE_WORDS.get(correction, correction)}",
             style=STATE_STYLES.get(correction, "")),
        Text(str(row.outstanding) if row.outstanding else "", justify="right"),
    )


def summary_text(rows: list, today: date) -> Text:
    """"Conformidade mês a mês · hoje 20/12/2026", then what is overdue."""
    text = Text("Conformidade mês a mês", style="bold")
    text.append(f" · hoje {today:%d/%m/%Y} · {len(rows)} competências")
    if not rows:
        text.append("\nNenhum SBX ou RPX carregado: carregue os arquivos (o, ou sibtui load).", style="dim")
        return text
    missing = sum(1 for row in rows if row.sending_overdue(today))
    late = sum(1 for row in rows if row.correction_overdue(today))
    text.append("\n")
    if not missing and not late:
        text.append("nada vencido", style="green")
    if missing:
        text.append(f"{missing} sem envio válido no prazo" if missing > 1 else "1 sem envio válido no prazo",
                    style="bold red")
    if late:
        text.append(" · " if missing else "")
        text.append(f"{late} correções vencidas" if late > 1 else "1 correção vencida", style="bold red")
    return text


def detail_text(row, today: date) -> Text:
    text = Text(f"{row.competencia} ", style="bold")
    if row.files:
        text.append(" ".join(visible(name) for name in row.files))
    else:
        text.append("nenhum arquivo enviado")
    if row.reason_text:
        text.append(f" · motivo {row.reason_text}")
    for name in row.to_send:
        text.append(f" · gerado {visible(name)}: envie à ANS e carregue", style="yellow")
    if row.situacao in ("faltando", "rejeitado") and not row.to_send:
        text.append(" · n gera o arquivo sem movimento", style="dim")
    return text
