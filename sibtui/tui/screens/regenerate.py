"""Regenerate from the console: the same core as `sibtui regenerate`, in a worker with a
progress bar and Esc to cancel, then the report (files written, what went in, what stayed
out and why, files replaced, files not written and why, what will likely be rejected
again), which scrolls from the keyboard, and d for what the new file carries against the
loaded one."""

from __future__ import annotations

import threading
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, ProgressBar, Static

from sibtui.db.cursors import closing
from sibtui.edit.diff import NoRegeneration, latest_regeneration_id
from sibtui.edit.regen.run import regenerate
from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.query.pending_overview import diff_spec
from sibtui.tui.cells import visible
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.sharing import console_turn
from sibtui.tui.widgets.toggles import Check

DEFAULT_FOLDER = "sbx-corrigidos"
SCOPE_LABELS = {
    "rejected": "os movimentos rejeitados",
    "file-rejected": "o arquivo rejeitado inteiro",
    "all": "todos os movimentos",
    "cnx-edits": "edições da CNX e de transferências, cada uma como o movimento que ela é",
}


class RegenerateScreen(ModalScreen[None]):
    CSS_PATH = "regenerate.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar / fechar", id="regenerate.cancel"),
        Binding("d", "diff", "Diferença", show=False, id="regenerate.diff"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stop: threading.Event | None = None
        self.regeneration_ids: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="regenerate-dialog"):
            yield Label("Gerar os SBX: corrigidos, reenviar como está, cascatas e edições da CNX",
                        id="regenerate-title", markup=False)
            yield Input(value=str(Path.cwd() / DEFAULT_FOLDER), id="regenerate-folder", placeholder="pasta")
            yield Check("Incluir os pendentes (sem correção nem decisão), como estão", id="regenerate-pending")
            yield Check("Todos os movimentos (nunca uma inclusão que a ANS aceitou)", id="regenerate-all")
            yield ProgressBar(total=1, show_eta=False, id="regenerate-progress")
            yield Static("", id="regenerate-step", markup=False)
            with VerticalScroll(id="regenerate-report-scroll"):
                yield Static("", id="regenerate-report", markup=False)
            with Horizontal(id="regenerate-buttons"):
                yield Button("Gerar", variant="primary", id="regenerate-go")
                yield Button("Fechar", id="regenerate-close")

    def on_mount(self) -> None:
        self.query_one("#regenerate-progress").display = False
        self.query_one("#regenerate-folder", Input).focus()

    @property
    def running(self) -> bool:
        return self._stop is not None

    @on(Input.Submitted, "#regenerate-folder")
    @on(Button.Pressed, "#regenerate-go")
    def _go(self) -> None:
        if self.running:
            return
        folder = Path(self.query_one("#regenerate-folder", Input).value.strip() or DEFAULT_FOLDER).expanduser()
        self._stop = threading.Event()
        for choice in ("#regenerate-pending", "#regenerate-all"):  # room for the report at 80x24
            self.query_one(choice).display = False
        self.query_one("#regenerate-progress").display = True
        self.query_one("#regenerate-go", Button).disabled = True
        self._step(Text("gerando… (Esc cancela)", style="bold"))
        self._run(folder, self.query_one("#regenerate-all", Check).value,
                  self.query_one("#regenerate-pending", Check).value, self._stop)

    @work(thread=True, exclusive=True, group="regenerate")
    def _run(self, folder: Path, all_movements: bool, include_pending: bool, stop: threading.Event) -> None:
        job = self.app.call_from_thread(self.app.jobs.start, "geração dos SBX", stop.set)
        cursor = self.app.new_cursor()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with console_turn(self.app, "geração", stop.is_set):
                result = regenerate(cursor, folder, all_movements=all_movements, include_pending=include_pending,
                                    progress=self._progress, cancel=stop.is_set, today=self.app.today())
        except (SibError, OSError) as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        finally:
            cursor.close()
            self.app.call_from_thread(self._finished, job)
        self.app.call_from_thread(self._done, result)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.app.call_from_thread(self._moved, done, total, label)

    def _moved(self, done: int, total: int, label: str) -> None:
        self.query_one("#regenerate-progress", ProgressBar).update(total=max(total, 1), progress=done)
        self._step(Text(f"{visible(label)} · {format_count(done)} de {format_count(total)} movimentos"))

    def _finished(self, job: int) -> None:
        self.app.jobs.finish(job)
        self._stop = None
        self.query_one("#regenerate-go", Button).disabled = False

    def _failed(self, message: str) -> None:
        cancelled = "cancel" in message.lower()
        self._step(Text("geração cancelada: nenhum arquivo ficou pela metade" if cancelled else visible(message),
                        style="yellow" if cancelled else "bold red"))

    def _done(self, result) -> None:
        self.regeneration_ids = [r.regeneration_id for r in result.regenerations if r.regeneration_id is not None]
        self.query_one("#regenerate-report", Static).update(report_text(result))
        scroll = self.query_one("#regenerate-report-scroll")
        scroll.display = True
        scroll.focus()
        written = sum(len(r.files) for r in result.regenerations)
        hint = " · d mostra a diferença" if self.regeneration_ids else ""
        failed = f" · {len(result.failed)} não gravado(s)" if result.failed else ""
        style = "bold red" if result.failed else "bold green" if written else "bold"
        done = f"{written} arquivo(s) gerado(s)" if written else "nenhum arquivo novo"
        self._step(Text(f"{done}{failed}{hint} · ↑↓ PgUp PgDn rolam · Esc fecha", style=style))
        self.app.edits_changed()

    def _step(self, text: Text) -> None:
        self.query_one("#regenerate-step", Static).update(text)

    def action_cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()
            return
        self.dismiss()

    @on(Button.Pressed, "#regenerate-close")
    def _close(self) -> None:
        self.action_cancel()

    def action_diff(self) -> None:
        if self.regeneration_ids:
            self.app.push_screen(DrillScreen(diff_spec(self.regeneration_ids), self.app.current_mode))


def report_text(result) -> Text:
    """Per source: the files written (name, movements, hash) or why none was, the files it
    replaces, what stayed out and why, and likely rejections; every list says how many more."""
    text = Text()
    for note in result.recovered:
        text.append(f"nota: {visible(note)}\n", style="dim")
    for regeneration in result.regenerations:
        plan = regeneration.plan
        text.append(f"{visible(plan.label)}", style="bold")
        text.append(f" ({SCOPE_LABELS.get(plan.scope, plan.scope)})\n")
        if regeneration.problems:
            text.append(f"  ✗ NÃO GRAVADO: {regeneration.problem_count} problema(s)\n", style="bold red")
            for problem in regeneration.problems:
                text.append(f"    {visible(problem)}\n", style="red")
            _more(text, regeneration.problem_count, len(regeneration.problems), "sibtui check", "red")
        for written in regeneration.files:
            text.append(f"  ✓ {written.path}\n", style="green")
            text.append(f"    {format_count(written.movement_count)} movimentos · sequencial {written.sequencial}\n")
            text.append(f"    hash {written.hash}\n")  # on its own line: 80 columns would cut it
        for name in regeneration.superseded:
            text.append(f"  substitui {visible(name)} — não envie (movido para substituidos/)\n", style="yellow")
        for name in regeneration.kept:
            text.append(f"  {visible(name)} continua a enviar: seus movimentos não se repetem aqui\n")
        if regeneration.files:
            text.append(f"  {format_count(regeneration.edit_count)} edições em "
                        f"{format_count(regeneration.edited_movements)} movimentos\n")
        for note in plan.notes:
            text.append(f"  nota: {visible(note)}\n", style="dim")
        if regeneration.record_problem_count:
            text.append(f"  ⚠ {regeneration.record_problem_count} valor(es) que a ANS deve rejeitar de novo:\n",
                        style="yellow")
            for problem in regeneration.record_problems:
                text.append(f"    {visible(problem)}\n", style="yellow")
            _more(text, regeneration.record_problem_count, len(regeneration.record_problems), "sibtui check",
                  "yellow")
    for (label, why), plan in zip(result.skipped, result.skipped_plans):
        text.append(f"{visible(label)}: ", style="bold")
        text.append(f"{visible(why)}\n")
        for note in plan.notes:
            text.append(f"  nota: {visible(note)}\n", style="dim")
    if not result.regenerations and not result.skipped:
        text.append("Nada a gerar: não há rejeitados nem edições da CNX.", style="dim")
    text.rstrip()
    return text


def _more(text: Text, total: int, shown: int, how: str, style: str) -> None:
    if total > shown:
        text.append(f"    … e mais {format_count(total - shown)} (veja: {how})\n", style=style)


def show_latest_diff(screen: Screen) -> None:
    """Push the diff of the newest regenerated file, or say there is none."""
    screen.run_worker(lambda: _latest_diff(screen), thread=True, group="regenerate-diff")


def _latest_diff(screen: Screen) -> None:
    with closing(screen.app.new_cursor()) as cursor:
        try:
            regeneration_id = latest_regeneration_id(cursor)
        except NoRegeneration:
            screen.app.call_from_thread(screen.notify, "nenhum SBX foi regenerado neste workspace ainda (r nas alterações pendentes gera)",
                                        severity="warning")
            return
    spec = diff_spec([regeneration_id])
    screen.app.call_from_thread(screen.app.push_screen, DrillScreen(spec, screen.app.current_mode))
