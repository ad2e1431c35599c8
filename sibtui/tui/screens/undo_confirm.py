"""`u` / `U`: say exactly what the undo or redo would change, and do it only on Enter.

A stray `u` (a query typed while the grid had the focus) must never cost an edit, so the
dialog runs the step on Enter alone and any other key closes it unchanged: text typed by
mistake goes on closing it, never confirming it. That is why it reads keys itself
(`on_key`) instead of declaring bindings for them: every key but Enter means "no".
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from sibtui.query.column_labels import short_label
from sibtui.query.undo_preview import StepPreview
from sibtui.tui.cells import value_text
from sibtui.tui.masking import field_value

VERBS = {"undo": "Desfazer", "redo": "Refazer"}
DOES = {"undo": "desfaz", "redo": "refaz"}


class UndoConfirmScreen(ModalScreen[bool]):
    """Dismisses with True on Enter (do it), False on any other key."""

    CSS_PATH = "undo_confirm.tcss"

    def __init__(self, preview: StepPreview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="undo-dialog"):
            yield Label(title_text(self.preview), id="undo-title", markup=False)
            yield Static(steps_text(self.preview), id="undo-steps", markup=False)
            yield Static(Text(f"Enter {DOES[self.preview.which]} · qualquer outra tecla mantém como está", style="bold"),
                         id="undo-hint", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(event.key == "enter")


def title_text(preview: StepPreview) -> str:
    """"Desfazer a ação 7 (set, 14:05): 1 campo em 1 registro"."""
    fields = "1 campo" if preview.change_count == 1 else f"{preview.change_count} campos"
    records = "1 registro" if preview.record_count == 1 else f"{preview.record_count} registros"
    when = f"{preview.edited_at:%d/%m %H:%M}" if preview.edited_at else ""
    return f"{VERBS[preview.which]} a ação {preview.action_id} ({preview.action}, {when}): {fields} em {records}"


def steps_text(preview: StepPreview) -> Text:
    """One line per field: where, which field, the value now → the value after (masked in mask mode)."""
    text = Text()
    for step in preview.steps:
        text.append(f"{step.file_name} · registro {step.record_no} · ", style="dim")
        confirmation = step.table == "transfer_beneficiaries" and step.field == "decisao_reenvio"
        text.append("Confirmação da transferência" if confirmation else short_label(step.field), style="bold")
        text.append("\n  " if confirmation else f" ({step.field})\n  ", style="dim")
        text.append_text(value_text(field_value(step.field, step.now)))
        text.append(" → ", style="bold")
        text.append_text(value_text(field_value(step.field, step.after)))
        text.append("\n")
    if preview.hidden_changes > 0:
        text.append(f"… e mais {preview.hidden_changes} campo{'s' if preview.hidden_changes != 1 else ''}\n",
                    style="dim")
    text.rstrip()
    return text
