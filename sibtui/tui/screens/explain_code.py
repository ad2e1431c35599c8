"""Write the team's explanation of an RPX error code: what it means, how to fix the record.

Opened from the errors screen (`w` on a code). ANS's message is shown on top, as the
authority; the two inputs start from the team's current text, else empty. Enter in the last
input saves (the author is the OS user, the date today); an empty pair removes the team's
explanation, and the catalogue's hint shows again. Esc leaves everything as it was.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from sibtui.db.cursors import closing
from sibtui.errors import SibError
from sibtui.explain.store import Explanation, remove, write
from sibtui.tui.cells import visible
from sibtui.tui.masking import free_text


class ExplainCodeScreen(ModalScreen[bool]):
    """Dismisses with True when the team's explanation changed."""

    CSS_PATH = "explain_code.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancelar", id="explain.cancel")]

    def __init__(self, code: str, ans_message: str, team: Explanation | None) -> None:
        super().__init__()
        self.code, self.ans_message, self.team = code, ans_message, team

    def compose(self) -> ComposeResult:
        with Vertical(id="explain-dialog"):
            yield Label(f"Explicação da equipe para o erro {self.code}", id="explain-title", markup=False)
            said = Text("ANS: ", style="bold")
            said.append(visible(free_text(self.ans_message or "—")))
            yield Static(said, id="explain-ans", markup=False)
            yield Label("Causa (o que a ANS quer dizer):", markup=False)
            yield Input(value=self.team.cause if self.team else "", id="explain-cause", max_length=500)
            yield Label("Como corrigir:", markup=False)
            yield Input(value=self.team.fix if self.team else "", id="explain-fix", max_length=500)
            yield Static("", id="explain-status", markup=False)
            yield Static(Text("Tab muda de campo · Enter grava · vazio remove · Esc cancela", style="dim"),
                         id="explain-hint")

    def on_mount(self) -> None:
        self.query_one("#explain-cause", Input).focus()

    @on(Input.Submitted, "#explain-cause")
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#explain-fix", Input).focus()

    @on(Input.Submitted, "#explain-fix")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(self.query_one("#explain-cause", Input).value, event.value)

    @work(thread=True, exclusive=True, group="explain-save")
    def _save(self, cause: str, fix: str) -> None:
        with closing(self.app.new_cursor()) as cursor:
            try:
                if not cause.strip() and not fix.strip():
                    removed = remove(cursor, self.code)
                    self.app.call_from_thread(self._done, "explicação da equipe removida" if removed else None)
                    return
                entry = write(cursor, self.code, cause, fix)
            except SibError as error:
                self.app.call_from_thread(self._refused, str(error))
                return
        self.app.call_from_thread(self._done, f"explicação de {entry.code} gravada ({entry.credit})")

    def _refused(self, message: str) -> None:
        self.query_one("#explain-status", Static).update(Text(visible(message), style="bold red"))

    def _done(self, message: str | None) -> None:
        if message:
            self.notify(message, timeout=4, markup=False)
        self.dismiss(message is not None)

    def action_cancel(self) -> None:
        self.dismiss(False)
