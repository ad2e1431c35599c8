"""Edit one field of one record: checked as you type by the checker's own field rules
(check digits, domains, sizes), the rule's message under the value, Enter saves.

The current value opens selected (typing replaces it). A field of digits drops the
punctuation of a pasted `309.067.648-66`. A field with a domain lists its codes and labels
at once (Tab reaches the list, Enter takes a code). An error-severity problem refuses the
value; saving it anyway takes a deliberate Ctrl+F (forced, and the journal says so), never a
reflexive second Enter. Warnings are shown and never block. An empty value removes the
element. Each save is one journal action in its own transaction.

In mask mode a personal field's current value is masked on the "atual:" line and the input
hides what it holds (as a password field does); the dialog is modal, so F8 cannot change
that while it is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sibtui.catalog.fields import FIELDS
from sibtui.db.cursors import closing
from sibtui.edit.editor import CNX_REMOVAL_REFUSED, EditRefused, check_edit, set_field
from sibtui.edit.records import RecordRef
from sibtui.errors import SibError
from sibtui.query.folding import digits_only, domain_choices
from sibtui.tui.cells import value_text, visible
from sibtui.tui.masking import field_value, free_text, is_masked_field

if TYPE_CHECKING:
    from sibtui.edit.validation import ValueCheck


HIDDEN_HINT = "Enter grava · vazio remove · Esc cancela · valor oculto pela máscara"


class EditFieldScreen(ModalScreen[bool]):
    """Dismisses with True when the value was saved."""

    CSS_PATH = "edit_field.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="edit.cancel"),
        Binding("ctrl+f", "force", "Gravar assim mesmo (forçado)", id="edit.force"),
    ]

    def __init__(self, table: str, file_id: int, record_no: int, column: str, current: str | None,
                 where: str = "") -> None:
        super().__init__()
        self.table, self.column, self.current, self.where = table, column, current, where
        self.ref_key = (file_id, record_no)
        self._armed_value: str | None = None  # a refused value the analyst may save anyway

    def compose(self) -> ComposeResult:
        catalogued = FIELDS.get(self.column)
        label = catalogued.label if catalogued else self.column
        with Vertical(id="edit-dialog"):
            yield Label(f"Editar {label} ({self.column})", id="edit-title", markup=False)
            yield Static(Text(self.where, style="dim"), id="edit-where", markup=False)
            current = Text("atual: ", style="bold")
            current.append_text(value_text(field_value(self.column, self.current)))
            yield Static(current, id="edit-current", markup=False)
            hidden = is_masked_field(self.column)
            yield Input(value=self.current or "", id="edit-value", select_on_focus=not hidden, password=hidden)
            yield Static("", id="edit-check", markup=False)
            choices = domain_choices(self.column)
            if choices:
                yield OptionList(*(Option(Text(f"{code}  {label}"), id=code) for code, label in choices),
                                 id="edit-choices")
            hint = HIDDEN_HINT if hidden else "Enter grava · vazio remove o elemento · Esc cancela"
            if choices:
                hint += " · Tab: lista"
            yield Static(Text(hint, style="dim"), id="edit-hint")

    def on_mount(self) -> None:
        self.query_one("#edit-value", Input).focus()
        self._check(self.current or "", first=True)

    @property
    def ref(self):
        return RecordRef(*self.ref_key)

    @on(Input.Changed, "#edit-value")
    def _changed(self, event: Input.Changed) -> None:
        self._armed_value = None
        digits = digits_only(self.column, event.value)
        if digits is not None:  # a pasted 309.067.648-66: the field holds digits only
            event.input.value = digits
            event.input.cursor_position = len(digits)
            return
        self._check(event.value)

    @on(OptionList.OptionSelected, "#edit-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#edit-value", Input)
        field.value = event.option.id or ""
        field.focus()

    @work(thread=True, exclusive=True, group="edit-check")
    def _check(self, value: str, first: bool = False) -> None:
        with closing(self.app.new_cursor()) as cursor:
            try:
                check = check_edit(cursor, self.ref, self.column, value, self.app.today())
            except SibError as error:
                refusal = str(error)
                editable = not first or CNX_REMOVAL_REFUSED in refusal  # an empty CNX value, not a closed field
                self.app.call_from_thread(self._show_refusal if editable else self._not_editable, refusal)
                return
        self.app.call_from_thread(self._show_check, value, check)

    def _not_editable(self, message: str) -> None:
        """This field cannot change in this record (a key, absent from its movement)."""
        self._show_refusal(message)
        self.query_one("#edit-value", Input).disabled = True
        self.query_one("#edit-hint", Static).update(Text("este campo não se edita aqui · Esc fecha", style="dim"))

    def _show_check(self, value: str, check: ValueCheck) -> None:
        if value != self.query_one("#edit-value", Input).value:
            return  # the analyst kept typing: a newer check is on its way
        self.query_one("#edit-check", Static).update(check_text(check))

    def _show_refusal(self, message: str) -> None:
        self.query_one("#edit-check", Static).update(Text(visible(message), style="bold red"))

    @on(Input.Submitted, "#edit-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(event.value, False)

    def action_force(self) -> None:
        """Save a value the rules refuse: only after it was refused, and only with this key."""
        value = self.query_one("#edit-value", Input).value
        if self._armed_value is not None and self._armed_value == value:
            self._save(value, True)
        else:
            self.notify("Ctrl+F grava um valor recusado: pressione Enter antes, para ver por que é recusado",
                        timeout=4)

    @work(thread=True, exclusive=True, group="edit-save")
    def _save(self, value: str, force: bool) -> None:
        with closing(self.app.new_cursor()) as cursor:
            try:
                result = set_field(cursor, self.ref, self.column, value, force=force, today=self.app.today())
            except EditRefused as refused:
                self.app.call_from_thread(self._refused, value, refused.check)
                return
            except SibError as error:
                self.app.call_from_thread(self._show_refusal, str(error))
                return
        self.app.call_from_thread(self._saved, result)

    def _refused(self, value: str, check: ValueCheck) -> None:
        self._armed_value = value
        text = check_text(check)
        text.append("\nCtrl+F grava assim mesmo (forçado, fica no diário) · corrija o valor ou Esc", style="bold yellow")
        self.query_one("#edit-check", Static).update(text)

    def _saved(self, result) -> None:
        changed = "sem mudança (já tinha esse valor)" if not result.changes else f"{self.column} gravado"
        for _, problem in result.warnings:
            changed += f" · aviso: {free_text(problem.message)}"
        self.notify(changed, timeout=4, markup=False)
        self.app.edits_changed()
        self.dismiss(bool(result.changes))

    def action_cancel(self) -> None:
        self.dismiss(False)


def check_text(check: ValueCheck) -> Text:
    """✓ when valid; each problem with its rule's message, errors red, warnings yellow."""
    if not check.problems:
        return Text("✓ válido pelas regras do campo", style="green")
    text = Text()
    for problem in check.problems:
        error = problem.severity == "error"
        text.append("✗ " if error else "⚠ ", style="bold red" if error else "bold yellow")
        text.append(visible(problem.message) + "\n", style="red" if error else "yellow")
    text.rstrip()
    return text
