"""A bulk action on every record a grid lists (by an error code, a rule or a filter): set a
field, fill the CNS from the newest CNX, clean the names (trim, upper-case, accents), or
cancel the vínculos a conference list shows (each becomes a cancelamento).

The action first runs as a dry run and shows old -> new, what the field rules refuse and
the warnings; Enter confirms and it is written as one journal action (one transaction),
so one undo reverts all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sibtui.db.cursors import closing
from sibtui.edit import editor
from sibtui.edit.cancel_links import cancel_links
from sibtui.edit.cns import fill_cns
from sibtui.edit.ddl import editable_columns
from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.tui.cells import visible
from sibtui.tui.masking import field_value, free_text

PREVIEW_LINES = 12


@dataclass(frozen=True)
class BulkAction:
    key: str
    title: str
    operations: tuple[str, ...] = ()  # clean-ups of sibtui.edit.transforms


ACTIONS: tuple[BulkAction, ...] = (
    BulkAction("set", "Definir um campo (campo = valor)"),
    BulkAction("fill-cns", "Preencher o CNS com o da CNX mais recente"),
    BulkAction("trim", "Nomes: tirar espaços das pontas", ("trim",)),
    BulkAction("upper", "Nomes: maiúsculas", ("upper",)),
    BulkAction("remove-accents", "Nomes: remover acentos", ("remove-accents",)),
    BulkAction("cancel", "Cancelar estes vínculos (CNX): data e motivo, viram cancelamentos"),
)
ASSIGNMENT_HINTS = {
    "set": ("campo = valor (vazio remove o elemento)", "escreva campo = valor e Enter para ver o que muda · Esc cancela"),
    "cancel": ("AAAA-MM-DD motivo, por exemplo 2026-11-30 41",
               "data do cancelamento e motivo (41 a 48), Enter para ver o que muda · Esc cancela"),
}


class BulkScreen(ModalScreen[bool]):
    CSS_PATH = "bulk.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="bulk.cancel"),
        Binding("enter", "confirm", "Gravar", id="bulk.confirm"),
    ]

    def __init__(self, sql: str, parameters: list, total: int, title: str,
                 preset: tuple[str, str] | None = None) -> None:
        """`preset`: (action key, text) to start with that action chosen and its input filled
        (the Transferência screen's cancel: the transfer's date and motivo 46)."""
        super().__init__()
        self.sql, self.parameters, self.total, self.title_text = sql, parameters, total, title
        self.preset = preset
        self.action: BulkAction | None = None
        self.assignment: tuple[str, str | None] | None = None
        self.preview = None  # the dry run's EditResult, waiting for Enter

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog"):
            yield Label(f"Ação em lote: {_plural(self.total, 'linha', 'linhas')} de {self.title_text}",
                        id="bulk-title", markup=False)
            yield OptionList(*(Option(action.title, id=action.key) for action in ACTIONS), id="bulk-actions")
            yield Input(placeholder="campo = valor (vazio remove o elemento)", id="bulk-assignment")
            with VerticalScroll(id="bulk-preview-scroll"):
                yield Static("", id="bulk-preview", markup=False)
            yield Static(Text("Enter escolhe · Esc cancela", style="dim"), id="bulk-hint", markup=False)

    def on_mount(self) -> None:
        assignment = self.query_one("#bulk-assignment", Input)
        names = sorted({c for table in ("sbx_movements", "cnx_beneficiaries") for c in editable_columns(table)})
        assignment.suggester = SuggestFromList([f"{name} = " for name in names], case_sensitive=False)
        assignment.display = False
        self.query_one("#bulk-preview-scroll").display = False
        self.query_one("#bulk-actions", OptionList).focus()
        if self.preset is not None:
            key, text = self.preset
            self.query_one("#bulk-actions").display = False
            self._choose(key)
            assignment.value = text
            assignment.cursor_position = len(text)

    @on(OptionList.OptionSelected, "#bulk-actions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "")

    def _choose(self, key: str) -> None:
        self.action = next(action for action in ACTIONS if action.key == key)
        if self.action.key in ASSIGNMENT_HINTS:
            placeholder, hint = ASSIGNMENT_HINTS[self.action.key]
            assignment = self.query_one("#bulk-assignment", Input)
            assignment.placeholder = placeholder
            if self.action.key != "set":  # field names suggest nothing for a date and a motivo
                assignment.suggester = None
            assignment.display = True
            assignment.focus()
            self._hint(hint)
            return
        self._plan()

    @on(Input.Submitted, "#bulk-assignment")
    def _assigned(self, event: Input.Submitted) -> None:
        event.stop()
        if self.action is not None and self.action.key == "cancel":
            date, _, motivo = event.value.strip().partition(" ")
            if not date or not motivo.strip():
                self._hint("escreva a data e o motivo, por exemplo: 2026-11-30 41", style="bold red")
                return
            self.assignment = (date, motivo.strip())
            self._plan()
            return
        column, sep, value = event.value.partition("=")
        if not sep or not column.strip():
            self._hint("escreva campo = valor, por exemplo: cns = 123456789012345", style="bold red")
            return
        self.assignment = (column.strip(), value.strip() or None)
        self._plan()

    def _plan(self) -> None:
        self._hint("calculando o que muda…")
        self._run(self.action, self.assignment, dry_run=True)

    @work(thread=True, exclusive=True, group="bulk")
    def _run(self, action: BulkAction, assignment: tuple[str, str | None] | None, dry_run: bool) -> None:
        with closing(self.app.new_cursor()) as cursor:
            try:
                refs = cursor.sql(f"SELECT DISTINCT file_id, record_no FROM ({self.sql})",
                                  params=self.parameters or None).to_arrow_table()
                result = _apply(cursor, action, assignment, refs, dry_run, self.app.today())
            except SibError as error:
                self.app.call_from_thread(self._hint, visible(str(error)), "bold red")
                return
        self.app.call_from_thread(self._previewed if dry_run else self._applied, result)

    def _previewed(self, result) -> None:
        self.preview = result
        scroll = self.query_one("#bulk-preview-scroll")
        scroll.display = True
        self.query_one("#bulk-preview", Static).update(preview_text(result))
        self.query_one("#bulk-actions").display = False
        self.query_one("#bulk-assignment").display = False
        scroll.focus()
        self.refresh_bindings()
        if result.changes:
            self._hint("Enter grava (uma ação: u desfaz tudo) · Esc cancela", style="bold")
        elif self.action is not None and self.action.key == "fill-cns":
            self._hint("nada a mudar: nenhum destes vai no próximo SBX sem o CNS da CNX mais recente · Esc fecha")
        elif self.action is not None and self.action.key == "cancel":
            self._hint("nada a mudar: nenhum vínculo ativo da conferência nesta lista · Esc fecha")
        else:
            self._hint("nada a mudar · Esc fecha")

    def _applied(self, result) -> None:
        self.notify(f"{_plural(result.changed_records, 'registro alterado', 'registros alterados')} "
                    f"({_plural(len(result.changes), 'campo', 'campos')}) · u desfaz", timeout=5)
        self.app.edits_changed()
        self.dismiss(True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.preview is not None and bool(self.preview.changes)
        return True

    def action_confirm(self) -> None:
        """Enter on the preview writes it (the option list and the input take their own Enter)."""
        if self.preview is not None and self.action is not None:
            self._hint("gravando…")
            self._run(self.action, self.assignment, dry_run=False)
            self.preview = None
            self.refresh_bindings()

    def _hint(self, message: str, style: str = "dim") -> None:
        self.query_one("#bulk-hint", Static).update(Text(message, style=style))

    def action_cancel(self) -> None:
        self.dismiss(False)


def _apply(cursor, action: BulkAction, assignment, refs, dry_run: bool, today):
    options = {"dry_run": dry_run, "today": today}
    if action.key == "set":
        column, value = assignment
        return editor.bulk_set(cursor, refs, column, value, **options)
    if action.key == "fill-cns":
        return fill_cns(cursor, refs, **options)
    if action.key == "cancel":
        date, motivo = assignment
        return cancel_links(cursor, refs, date, motivo, **options)
    return editor.clean_up(cursor, refs, action.operations, **options)


def preview_text(result) -> Text:
    """How many records change, the first old -> new, what the rules refuse, the warnings."""
    records, fields = result.changed_records, len(result.changes)
    text = Text(f"{_plural(records, 'registro muda', 'registros mudam')} ({_plural(fields, 'campo', 'campos')})",
                style="bold")
    text.append(f" · {format_count(result.unchanged)} já estavam assim · {format_count(len(result.refused))} recusados"
                f" · {format_count(len(result.warnings))} avisos")
    if result.not_applicable:
        text.append(f" · {format_count(result.not_applicable)} sem esse campo")
    for change in result.changes[:PREVIEW_LINES]:
        old, new = field_value(change.field, change.old), field_value(change.field, change.new)
        text.append(f"\n{change.ref} {change.field}: ")
        text.append(visible(old) if old is not None else "ausente", style="red")
        text.append(" → ")
        text.append(visible(new) if new is not None else "ausente", style="green")
    if len(result.changes) > PREVIEW_LINES:
        text.append(f"\n… e mais {format_count(len(result.changes) - PREVIEW_LINES)}", style="dim")
    for refusal in result.refused[:PREVIEW_LINES]:
        reasons = "; ".join(problem.message for problem in refusal.problems) or "não pode ser removido"
        value = field_value(refusal.field, refusal.value or "")
        text.append(f"\n✗ {refusal.ref} {refusal.field} = {visible(value)}: {visible(free_text(reasons))}",
                    style="red")
    for ref, problem in result.warnings[:PREVIEW_LINES]:
        text.append(f"\n⚠ {ref} {problem.field}: {visible(free_text(problem.message))}", style="yellow")
    return text


def _plural(count: int, one: str, many: str) -> str:
    return f"{format_count(count)} {one if count == 1 else many}"
