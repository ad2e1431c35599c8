"""The resend decision of rejected movements, from the console: one record (the record
view, a row of a drill-down) or every record a list shows (`D` in a drill-down, the
errors of one code).

Three choices: não reenviar and reenviar como está (each asks for the reason, kept in the
journal), or back to pendente. It is written as one journal action (`u` undoes it) by
`sibtui.edit.decisions`, the same core as `sibtui fix hold|resend|undecide`; movements that
cannot take a decision (not rejected) are counted in the notice, never silently.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sibtui.db.cursors import closing
from sibtui.edit.decisions import DECISION_LABELS, HOLD, RESEND, decide
from sibtui.edit.records import RecordRef
from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.tui.cells import visible

CHOICES = (
    ("hold", "Não reenviar — fica fora dos SBX gerados (diga por quê)"),
    ("resend", "Reenviar como está — a correção foi fora do arquivo (diga por quê)"),
    ("undecide", "Voltar a pendente — limpa a decisão"),
)


class DecisionScreen(ModalScreen[bool]):
    CSS_PATH = "decide.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancelar", id="decide.cancel")]

    def __init__(self, title: str, *, refs: list[tuple[int, int]] | None = None, sql: str | None = None,
                 parameters: list | None = None, count: int | None = None) -> None:
        """The movements are `refs`, or the (file_id, record_no) of the rows `sql` yields."""
        super().__init__()
        self.title_text = title
        self.refs, self.sql, self.parameters = refs, sql, parameters or []
        self.count = len(refs) if refs is not None else count
        self.choice: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="decide-dialog"):
            how_many = f"{format_count(self.count)} movimento(s)" if self.count is not None else "movimentos"
            yield Label(f"Decisão de reenvio · {how_many} · {self.title_text}", id="decide-title", markup=False)
            yield OptionList(*(Option(label, id=key) for key, label in CHOICES), id="decide-choices")
            yield Input(placeholder="motivo (obrigatório), Enter grava", id="decide-reason")
            yield Static(Text("Enter escolhe · Esc cancela", style="dim"), id="decide-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#decide-reason").display = False
        self.query_one("#decide-choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#decide-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.choice = event.option.id
        if self.choice == "undecide":
            self._apply(None)
            return
        reason = self.query_one("#decide-reason", Input)
        reason.display = True
        reason.focus()
        self._hint("escreva o motivo e Enter grava · Esc cancela")

    @on(Input.Submitted, "#decide-reason")
    def _reasoned(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._hint("o motivo é obrigatório: quem vier depois precisa saber por quê", "bold red")
            return
        self._apply(event.value)

    def _apply(self, reason: str | None) -> None:
        self._hint("gravando…")
        self._run(self.choice, reason)

    @work(thread=True, exclusive=True, group="decide")
    def _run(self, choice: str | None, reason: str | None) -> None:
        decision = {"hold": HOLD, "resend": RESEND}.get(choice or "")
        with closing(self.app.new_cursor()) as cursor:
            try:
                if self.refs is not None:
                    records = [RecordRef(*ref) for ref in self.refs]
                else:
                    records = cursor.sql(f"SELECT DISTINCT file_id, record_no FROM ({self.sql})",
                                         params=self.parameters or None).to_arrow_table()
                result = decide(cursor, records, decision, reason)
            except SibError as error:
                self.app.call_from_thread(self._hint, visible(str(error)), "bold red")
                return
        self.app.call_from_thread(self._done, result)

    def _done(self, result) -> None:
        label = DECISION_LABELS[result.decision]
        message = f"{format_count(result.changed_records)} movimento(s): {label} · u desfaz"
        if result.unchanged:
            message += f" · {format_count(result.unchanged)} já estavam assim"
        if result.refused:
            message += (f" · {format_count(len(result.refused))} sem decisão possível "
                        f"({visible(result.refused[0].why)})")
        self.notify(message, timeout=6, markup=False, severity="warning" if result.refused else "information")
        self.app.edits_changed()
        self.dismiss(bool(result.changes))

    def _hint(self, message: str, style: str = "dim") -> None:
        self.query_one("#decide-hint", Static).update(Text(message, style=style))

    def action_cancel(self) -> None:
        self.dismiss(False)
