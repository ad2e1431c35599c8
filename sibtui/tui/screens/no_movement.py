"""The month without movement from the console (`n` on Conformidade): the reason (61 no
beneficiaries, 62 no change of registration data) and the folder, then the file is written,
proven and published by the same core as `sibtui regenerate --no-movement`, in a worker."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sibtui.cycle.no_movement import parse_competencia, write_no_movement
from sibtui.errors import SibError
from sibtui.tui.cells import visible

DEFAULT_FOLDER = "sbx-corrigidos"
REASONS = (("62", "62 · não houve atualização cadastral na competência"),
           ("61", "61 · a operadora não tem beneficiários"))


class NoMovementScreen(ModalScreen[None]):
    CSS_PATH = "no_movement.tcss"
    BINDINGS = [Binding("escape", "close", "Fechar", id="no_movement.close")]

    def __init__(self, competencia: str, registro_ans: str | None) -> None:
        super().__init__()
        self.competencia = competencia
        self.registro_ans = registro_ans
        self.reason: str | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="no-movement-dialog"):
            yield Label(f"Arquivo sem movimento · competência {self.competencia} · registro {self.registro_ans}",
                        id="no-movement-title", markup=False)
            yield OptionList(*(Option(label, id=code) for code, label in REASONS), id="no-movement-reasons")
            yield Input(value=str(Path.cwd() / DEFAULT_FOLDER), id="no-movement-folder", placeholder="pasta")
            yield Static(Text("Enter escolhe o motivo · Esc fecha", style="dim"), id="no-movement-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#no-movement-folder").display = False
        self.query_one("#no-movement-reasons", OptionList).focus()

    @on(OptionList.OptionSelected, "#no-movement-reasons")
    def _reason(self, event: OptionList.OptionSelected) -> None:
        self.reason = event.option.id
        folder = self.query_one("#no-movement-folder", Input)
        folder.display = True
        folder.focus()
        self._hint(f"motivo {self.reason} · Enter grava o arquivo nesta pasta (criada se não existir) · Esc fecha")

    @on(Input.Submitted, "#no-movement-folder")
    def _go(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running or self.reason is None:
            return
        self.running = True
        self._hint("gravando e conferindo…", style="bold")
        self._write(Path(event.value.strip() or DEFAULT_FOLDER).expanduser(), self.reason)

    @work(thread=True, exclusive=True, group="no-movement")
    def _write(self, folder: Path, reason: str) -> None:
        cursor = self.app.new_cursor()
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            result = write_no_movement(cursor, folder, parse_competencia(self.competencia), reason,
                                       registro_ans=self.registro_ans, today=self.app.today())
        except (SibError, OSError) as error:
            self.app.call_from_thread(self._done, Text(visible(str(error)), style="bold red"))
            return
        finally:
            cursor.close()
        self.app.call_from_thread(self._done, result_text(result))

    def _done(self, text: Text) -> None:
        self.running = False
        self.query_one("#no-movement-reasons").display = False
        self.query_one("#no-movement-folder").display = False
        self.query_one("#no-movement-hint", Static).update(text)
        self.app.data_version += 1

    def _hint(self, message: str, style: str = "dim") -> None:
        self.query_one("#no-movement-hint", Static).update(Text(message, style=style))

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(None)


def result_text(result) -> Text:
    if result.existing is not None:
        return Text(f"nada a gerar: {visible(result.existing)} já responde pela competência {result.competencia} · "
                    "Esc fecha", style="yellow")
    if result.problems:
        text = Text("nada gravado:", style="bold red")
        for problem in result.problems[:5]:
            text.append(f"\n{visible(problem)}")
        return text
    written = result.file
    text = Text(f"gravado {visible(str(written.path))}", style="bold green")
    text.append(f"\nhash {written.hash} · sequencial {written.sequencial} · envie até "
                f"{result.competencia.deadline:%d/%m/%Y}")
    for note in result.notes:
        text.append(f"\nnota: {visible(note)}", style="yellow")
    text.append("\nEsc fecha", style="dim")
    return text
