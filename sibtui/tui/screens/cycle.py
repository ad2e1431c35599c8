"""Cycle: the month at a glance, one card per SBX (the RPX that answers it, what must go to
ANS again and by when), the next sending deadline on top. The home screen when several
files are loaded; Enter opens the rejected records of that file.

The cards live in an OptionList (already loaded with Textual's command palette), not a
DataTable: this screen is the first frame, and a month has a handful of files.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sibtui.db.cursors import closing
from sibtui.tui.cells import visible
from sibtui.tui.screens.base import ModeScreen

if TYPE_CHECKING:
    from sibtui.cycle.status import CycleRow

OUTCOME_STYLES = {
    "processado": "bold green",
    "arquivo rejeitado": "bold red",
    "aguardando RPX": "bold yellow",
    "RPX sem o SBX": "bold magenta",
}
class CycleList(OptionList):
    BINDINGS = [Binding("enter", "select", "Ver rejeitados", id="cycle.open")]


class CycleScreen(ModeScreen):
    MODE = "cycle"
    CSS_PATH = "cycle.tcss"
    BINDINGS = [
        Binding("m", "months", "Conformidade", id="cycle.months"),
        Binding("t", "transfer", "Transferência", id="cycle.transfer"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CycleRow] = []
        self.transfers: list = []

    def compose_body(self) -> ComposeResult:
        yield Static("abrindo o workspace…", id="cycle-deadline", markup=False)
        yield CycleList(id="cycle-files")
        yield Static("", id="cycle-hint", markup=False)

    def refresh_data(self) -> None:
        self._load(self.app.today())

    @work(thread=True, exclusive=True, group="cycle-load")
    def _load(self, today: date) -> None:
        with closing(self.new_cursor()) as cursor:
            shown = _read_cycle(cursor, today)
        self.app.call_from_thread(self._show, *shown)

    def _show(self, rows: list[CycleRow], deadline: date, today: date, months: list | None = None,
              transfers: list | None = None) -> None:
        self.rows = rows
        self.transfers = transfers or []
        text = deadline_text(rows, deadline, today)
        text.append_text(obligations_text(months or [], self.transfers, today))
        self.query_one("#cycle-deadline", Static).update(text)
        cards = self.query_one("#cycle-files", CycleList)
        highlighted = cards.highlighted
        cards.clear_options()
        options: list[Option | None] = []
        for index, row in enumerate(rows):
            options += [None] if options else []
            options.append(Option(card(row, today), id=str(index)))
        cards.add_options(options)
        if rows:
            cards.highlighted = min(highlighted or 0, len(rows) - 1)
            cards.focus()
        else:
            self.query_one("#cycle-hint", Static).update(EMPTY_HINT)

    def action_months(self) -> None:
        from sibtui.tui.screens.months import MonthsScreen

        self.app.push_screen(MonthsScreen(self.MODE))

    def action_transfer(self) -> None:
        from sibtui.tui.screens.transfer import TransferScreen

        if not self.transfers:
            self.notify("nenhuma transferência de carteira carregada (o carrega o arquivo da ANS)", severity="warning",
                        timeout=4)
            return
        waiting = [summary for summary in self.transfers if summary.side == "adquirente" and summary.open]
        self.app.push_screen(TransferScreen((waiting or self.transfers)[0].file_id, self.MODE))

    @on(OptionList.OptionHighlighted, "#cycle-files")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#cycle-hint", Static).update(hint_text(self.rows[int(event.option.id or 0)]))

    @on(OptionList.OptionSelected, "#cycle-files")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        row = self.rows[int(event.option.id or 0)]
        if row.rpx_file_id is not None:
            await self.app.open_mode("errors")
            while len(self.app.screen_stack) > 1:
                self.app.pop_screen()
            self.app.screen_stack[0].show_rpx(row.rpx_file_id)
        elif row.sbx_file_id is not None:
            from sibtui.query.cycle_overview import movements_spec
            from sibtui.tui.screens.drill import DrillScreen

            self.app.push_screen(DrillScreen(movements_spec(row.sbx_name, row.sbx_file_id), self.MODE))


def deadline_text(rows: list[CycleRow], deadline: date, today: date) -> Text:
    """"Próximo prazo de envio 05/12/2026 · faltam 4 dias", then what is pending."""
    text = Text("Próximo prazo de envio ", style="bold")
    text.append(f"{deadline:%d/%m/%Y}", style="bold reverse")
    text.append(f" · {days_text((deadline - today).days)} · hoje {today:%d/%m/%Y}")
    sbx = sum(1 for row in rows if row.sbx_file_id is not None)
    pending = sum(row.outstanding for row in rows)
    whole = sum(1 for row in rows if row.outcome == "arquivo rejeitado")
    text.append(f"\n{sbx} SBX · {format_count(pending)} movimentos a reenviar")
    if whole:
        text.append(f" · {whole} arquivo rejeitado inteiro" if whole == 1 else f" · {whole} arquivos rejeitados inteiros",
                    style="red")
    return text


def obligations_text(months: list, transfers: list, today: date) -> Text:
    """A third line, only when something is overdue or a transfer waits: what and which key."""
    parts: list[tuple[str, str]] = []
    missing = [row for row in months if row.sending_overdue(today)]
    late = [row for row in months if row.correction_overdue(today)]
    if missing:
        named = ", ".join(str(row.competencia) for row in missing[-3:])
        parts.append((f"sem envio válido: {named}" + (" e mais" if len(missing) > 3 else ""), "bold red"))
    if late:
        parts.append((f"{len(late)} correção vencida" if len(late) == 1 else f"{len(late)} correções vencidas",
                      "bold red"))
    if missing or late:
        parts.append(("(m)", "dim"))
    waiting = sum(summary.open for summary in transfers if summary.side == "adquirente")
    if waiting:
        parts.append((f"transferência: {format_count(waiting)} a confirmar (t)", "bold yellow"))
    text = Text()
    for index, (part, style) in enumerate(parts):
        text.append("\n" if index == 0 else " · ")
        text.append(part, style=style)
    return text


def card(row: CycleRow, today: date) -> Text:
    """Several lines about one SBX: the answer, when it went, for which month, what to redo."""
    text = Text(visible(row.sbx_name), style="bold")
    text.append("  ")
    text.append(row.outcome, style=OUTCOME_STYLES.get(row.outcome, "bold"))
    sent = [f"enviado {_day(row.sent_at)}"] if row.sent_at is not None else []
    if row.competencia is not None:
        sent.append(f"competência {row.competencia}")
    if row.no_movement_reason:
        sent.append(f"sem movimento (motivo {row.no_movement_reason}: {_no_movement(row.no_movement_reason)})")
    else:
        sent.append(f"{format_count(row.movement_count)} movimentos" if row.movement_count is not None
                    else "SBX não carregado")
    text.append("\n  " + " · ".join(sent))
    if row.rpx_name:
        text.append(f"\n  RPX {visible(row.rpx_name)}")
        text.append(f" · protocolo {visible(row.protocolo)}" if row.protocolo else " · sem protocolo")
        text.append_text(_answer(row))
    text.append_text(_pending(row, today))
    for label in _journal(row):
        text.append("\n  " + label, style="cyan")
    for alert in row.alerts(today):
        text.append("\n  ⚠ " + alert, style="yellow")
    return text


def _answer(row: CycleRow) -> Text:
    if row.outcome == "arquivo rejeitado":
        text = Text(f"\n  ARQUIVO REJEITADO ({row.rejection_code or '?'}) ", style="bold red")
        text.append(visible(row.rejection_reason or "sem motivo"))
        return text
    total = row.totals.get("total")
    if total is None:
        return Text()
    answer = f"\n  {format_count(total.rejeitados or 0)} rejeitados de {format_count(total.registros or 0)}"
    if total.percentual_acerto is not None:
        answer += f" · acerto {total.percentual_acerto:.2f}%".replace(".", ",")
    return Text(answer)


def _pending(row: CycleRow, today: date) -> Text:
    deadline = row.deadline(today)
    if not row.outstanding or deadline is None:
        return Text("\n  nada a reenviar" if row.rpx_file_id is not None else "", style="green")
    left = row.days_left(today)
    text = Text(f"\n  ▶ {format_count(row.outstanding)} a reenviar até {deadline:%d/%m/%Y}", style="bold")
    text.append(f" · {days_text(left)}", style="bold red" if left is not None and left <= 1 else "bold")
    return text


def _journal(row: CycleRow) -> list[str]:
    """Where the pending movements stand, each counted once: pending, corrected, to go as
    they are, with their titular, held back, already at ANS, generated, re-sent."""
    progress = getattr(row, "progress", None)
    if progress is None or not row.pending_records:
        return []
    generated = "gerado" if progress.regenerated == 1 else "gerados"
    if progress.regenerated_files:
        generated += " em " + ", ".join(visible(name) for name in progress.regenerated_files)
    def word(count: int, one: str, many: str) -> str:
        return one if count == 1 else many

    states = [(progress.uncorrected, word(progress.uncorrected, "pendente", "pendentes") + " (sem decisão)"),
              (progress.corrected, word(progress.corrected, "corrigido", "corrigidos") + ", falta gerar"),
              (progress.as_is, "reenviar como está, falta gerar"), (progress.with_titular, "com o titular"),
              (progress.regenerated, generated), (progress.held, "não reenviar"),
              (progress.at_ans, "já na ANS (não vão)")]
    lines = [" · ".join(f"{format_count(count)} {label}" for count, label in states if count) or "nenhum movimento"]
    if progress.resent:
        lines.append(f"reenviados {format_count(progress.resent)}: {format_count(progress.resent_accepted)} aceitos, "
                     f"{format_count(progress.resent_rejected)} rejeitados, "
                     f"{format_count(progress.resent_awaiting)} aguardando RPX")
    return lines


EMPTY_HINT = Text("Nenhum SBX ou RPX no workspace: carregue os arquivos do mês (sibtui load).", style="dim")


def hint_text(row: CycleRow) -> Text:
    """What Enter does on this card."""
    if row.rpx_file_id is not None:
        return Text(f"Enter: erros do {visible(row.rpx_name or '')} por código (tela 2)", style="dim")
    if row.sbx_file_id is not None:
        return Text("Enter: os movimentos deste SBX (ainda sem RPX)", style="dim")
    return Text("", style="dim")


def format_count(number: int) -> str:
    """`sibtui.output.format_count`, imported when first used: this module is the first frame,
    and sibtui.output brings csv, json and Rich's table along."""
    from sibtui.output import format_count as pt_br_count

    return pt_br_count(number)


def days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "vence hoje"
    if days < 0:
        return f"venceu há {-days} dia{'s' if days < -1 else ''}"
    return f"falta{'m' if days > 1 else ''} {days} dia{'s' if days > 1 else ''}"


def _no_movement(code: str) -> str:
    return {"61": "sem beneficiários", "62": "sem atualização cadastral"}.get(code, "motivo desconhecido")


def _day(moment: datetime | date) -> str:
    return f"{moment:%d/%m/%Y}"


def _read_cycle(cursor, today: date) -> tuple:
    """The rows, the next deadline and the day (read in the worker: the first screen's import of
    the core, DuckDB included, stays off the UI thread)."""
    from sibtui.cycle.months import month_rows
    from sibtui.cycle.status import cycle_rows, next_deadline
    from sibtui.edit.transfer import transfer_summaries

    rows = cycle_rows(cursor, today)
    return rows, next_deadline(today), today, month_rows(cursor, today, rows), transfer_summaries(cursor)
