"""Transferência: a portfolio transfer (RN 250 art. 22) as the acquirer works it, at 80x24.

On top, the transfer (file, side, effective date, ceding → acquiring registro ANS) and its
counts: vínculos, families, transferred, cancelled for duplicity, and where they stand. Below,
every vínculo in the paged grid (filter, search, export, `e` and `b` as in any grid) with its
state and family. For the acquirer: `c` confirms the highlighted vínculo (nothing to send; again
undoes the mark), `C` confirms every pending one listed, `m` changes its `codigoBeneficiario` (a
retificação), `X` cancels it as not made effective (a cancelamento, motivo 46 on the effective
date, shown before it is written). For the ceding side the grid lists the vínculos ANS
cancelled. `p` picks another transfer. Every write is one journal action (`u` undoes it).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from sibtui.edit.records import RecordRef
from sibtui.edit.transfer import NOT_EFFECTIVE_MOTIVO, STATE_NAMES, confirm, transfer_summaries
from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.query.spec import GridSpec, Restriction
from sibtui.tui.cells import visible
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.screens.bulk import BulkScreen
from sibtui.tui.screens.picker import PickScreen
from sibtui.tui.screens.record_view import edit_cell, open_record
from sibtui.tui.widgets.grid_panel import GridPanel
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import ModeBar
from sibtui.tui.widgets.paged_grid import PagedGrid

REVIEW = "transfer_review"
LEADING = ("estado", "cco", "situacaoTransferencia", "codigoBeneficiario", "relacaoDependencia", "familia", "nome",
           "cpf", "situacao", "file_id", "record_no")
HIDDEN = ("line", "file_name", "transfer_side", "dataEfetivaTransferencia", "situacaoTransfrencia")
ACTING = {"confirm_link", "confirm_listed", "recode", "cancel_link"}


def transfer_spec(file_id: int, name: str) -> GridSpec:
    """Every vínculo of one transfer (the screen's subject, not a filter), `estado` in words."""
    return GridSpec(relation=REVIEW, title=f"Vínculos de {name}", records_of="transfer_beneficiaries",
                    restriction=Restriction(f"arquivo {name}", "s.file_id = ?", (file_id,), subject=True),
                    leading_columns=LEADING, hidden_columns=HIDDEN, hide_empty=True, keep_empty=("codigoBeneficiario",),
                    value_labels={"estado": STATE_NAMES})


class TransferScreen(Screen):
    CSS_PATH = "transfer.tcss"
    BINDINGS = [
        Binding("escape,backspace", "back", "Voltar", id="transfer.back"),
        Binding("c", "confirm_link", "Confirmar", id="transfer.confirm"),
        Binding("C", "confirm_listed", "Confirmar pendentes listados", show=False, id="transfer.confirm_all"),
        Binding("m", "recode", "Mudar código", id="transfer.recode"),
        Binding("X", "cancel_link", "Cancelar não efetivado", id="transfer.cancel"),
        Binding("p", "pick", "Outra transferência", show=False, id="transfer.pick"),
    ]

    def __init__(self, file_id: int | None = None, mode: str = "cycle") -> None:
        super().__init__()
        self.file_id = file_id
        self.mode = mode
        self.summaries: list = []
        self.summary = None

    def compose(self) -> ComposeResult:
        yield ModeBar(self.mode)
        yield Static("abrindo a transferência…", id="transfer-summary", markup=False)
        yield GridPanel(self.app.new_cursor, id="transfer-grid")
        yield Static("", id="transfer-row", markup=False)
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", lambda _: self._load(), init=False)
        self._load(first=True)

    @property
    def panel(self) -> GridPanel:
        return self.query_one("#transfer-grid", GridPanel)

    @property
    def acquirer(self) -> bool:
        return self.summary is not None and self.summary.side == "adquirente"

    # -- reading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="transfer-load")
    def _load(self, first: bool = False) -> None:
        cursor = self.app.new_cursor()
        try:
            summaries = transfer_summaries(cursor)
        finally:
            cursor.close()
        self.app.call_from_thread(self._show, summaries, first)

    def _show(self, summaries: list, first: bool) -> None:
        self.summaries = summaries
        chosen = next((s for s in summaries if s.file_id == self.file_id), summaries[0] if summaries else None)
        changed = chosen is not None and (self.summary is None or chosen.file_id != self.summary.file_id)
        self.summary = chosen
        self.query_one("#transfer-summary", Static).update(summary_text(chosen, len(summaries)))
        if chosen is None:
            self.panel.display = False
            return
        self.file_id = chosen.file_id
        if first or changed:
            self.panel.show(transfer_spec(chosen.file_id, chosen.name))
            self.panel.grid.focus()
        else:
            self.panel.reload()
        self.refresh_bindings()

    # -- the highlighted vínculo -------------------------------------------------------------

    @on(PagedGrid.Ready)
    @on(PagedGrid.Moved)
    def _row_changed(self) -> None:
        self.refresh_bindings()
        self.query_one("#transfer-row", Static).update(row_text(self.panel.grid.current_row(), self.summary))

    @on(PagedGrid.Opened)
    def _open_record(self, event: PagedGrid.Opened) -> None:
        open_record(self, event.row, "transfer_beneficiaries")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTING:
            if not self.acquirer or self.panel.grid.current_row() is None:
                return False
            return writes_allowed(self.app, action)
        if action == "pick":
            return len(self.summaries) > 1
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_confirm_link(self) -> None:
        row = self.panel.grid.current_row()
        if row is not None:
            undo = row.get("estado") == "confirmado"
            self._confirm([(int(row["file_id"]), int(row["record_no"]))], not undo)

    def action_confirm_listed(self) -> None:
        view = self.panel.grid.view
        if view is None:
            return
        sql, parameters = view.ordered_sql()
        self._confirm_listed(sql, parameters)

    @work(thread=True, exclusive=True, group="transfer-write")
    def _confirm_listed(self, sql: str, parameters: list) -> None:
        cursor = self.app.new_cursor()
        try:
            refs = [(f, r) for f, r in cursor.execute(
                f"SELECT file_id, record_no FROM ({sql}) WHERE estado = 'pendente'", parameters or []).fetchall()]
        finally:
            cursor.close()
        if not refs:
            self.app.call_from_thread(self.notify, "nenhum vínculo pendente na lista", severity="warning", timeout=4)
            return
        self._write_confirmation(refs, True)

    def _confirm(self, refs: list[tuple[int, int]], confirmed: bool) -> None:
        self._confirm_worker(refs, confirmed)

    @work(thread=True, exclusive=True, group="transfer-write")
    def _confirm_worker(self, refs: list[tuple[int, int]], confirmed: bool) -> None:
        self._write_confirmation(refs, confirmed)

    def _write_confirmation(self, refs: list[tuple[int, int]], confirmed: bool) -> None:
        cursor = self.app.new_cursor()
        try:
            result = confirm(cursor, [RecordRef(f, r) for f, r in refs], confirmed)
        except SibError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        finally:
            cursor.close()
        if result.refused and not result.changes:
            self.app.call_from_thread(self.notify, result.refused[0][1], severity="warning", timeout=5, markup=False)
            return
        done = "confirmado" if confirmed else "volta a pendente"
        count = len(result.changes)
        message = (f"{format_count(count)} vínculo{'s' if count != 1 else ''} {done}"
                   f"{'s' if count != 1 and confirmed else ''} · nada a enviar · u desfaz")
        self.app.call_from_thread(self.notify, message, timeout=5)
        self.app.call_from_thread(self.app.edits_changed)

    def action_recode(self) -> None:
        row = self.panel.grid.current_row()
        if row is not None:
            edit_cell(self, row, "codigoBeneficiario", "transfer_beneficiaries")

    def action_cancel_link(self) -> None:
        row = self.panel.grid.current_row()
        if row is None or self.summary is None:
            return
        sql = "SELECT file_id, record_no FROM transfer_beneficiaries WHERE file_id = ? AND record_no = ?"
        preset = ("cancel", f"{self.summary.effective or ''} {NOT_EFFECTIVE_MOTIVO}".strip())
        title = f"vínculo {row.get('cco') or row['record_no']} (não efetivado)"
        self.app.push_screen(BulkScreen(sql, [int(row["file_id"]), int(row["record_no"])], 1, title, preset=preset))

    def action_pick(self) -> None:
        choices = [(f"{s.name} · {s.side or '?'} · efetiva {s.effective or '?'} · {s.records} vínculos", str(s.file_id))
                   for s in self.summaries]
        self.app.push_screen(PickScreen("Transferências carregadas", choices), self._picked)

    def _picked(self, value: str | None) -> None:
        if value is not None:
            self.file_id = int(value)
            self.summary = None
            self._load(first=True)


def summary_text(summary, count: int) -> Text:
    """Three lines: the transfer, its vínculos, where they stand."""
    if summary is None:
        return Text("Nenhuma transferência de carteira carregada: carregue o arquivo da ANS (o, ou sibtui load).",
                    style="dim")
    text = Text("Transferência ", style="bold")
    text.append(visible(summary.name), style="bold")
    text.append(f" · {summary.side or 'lado desconhecido'} · efetiva {_day(summary.effective)}")
    text.append(f"\ncedente {summary.cedente} → {summary.adquirente} · {format_count(summary.records)} vínculos, "
                f"{format_count(summary.families)} famílias · "
                f"{format_count(summary.by_situation.get('2', 0))} por duplicidade")
    text.append("\n")
    if summary.side == "adquirente":
        open_count = summary.by_state.get("pendente", 0)
        text.append(f"{format_count(open_count)} pendentes", style="bold yellow" if open_count else "green")
        done = [(summary.by_state.get(state, 0), label) for state, label in
                (("confirmado", "confirmados"), ("codigo_alterado", "código alterado"), ("corrigido", "corrigidos"),
                 ("cancelar", "a cancelar"))]
        text.append("".join(f" · {format_count(n)} {label}" for n, label in done if n))
    else:
        text.append(f"{format_count(summary.records)} vínculos cancelados pela ANS nesta operadora (cedente)")
    if count > 1:
        text.append(f" · p: outra ({count})", style="dim")
    return text


def row_text(row: dict | None, summary) -> Text:
    """What the highlighted vínculo is and what the keys do to it."""
    if row is None or summary is None:
        return Text("")
    state = row.get("estado") or ""
    text = Text(f"{row.get('cco') or ''} ", style="bold")
    if summary.side != "adquirente":
        text.append("cancelado pela ANS na cedente (transferido): nada a enviar", style="dim")
        return text
    text.append(STATE_TEXTS.get(state, state))
    if state in ("pendente", "confirmado"):
        text.append(" · c " + ("desconfirma" if state == "confirmado" else "confirma"), style="dim")
    if state != "duplicidade":
        text.append(" · m código · X cancela", style="dim")
    if state == "pendente":
        text.append(" · C todos", style="dim")
    return text


STATE_TEXTS = {
    "pendente": "pendente",
    "confirmado": "confirmado (nada a enviar)",
    "codigo_alterado": "código alterado: vai como retificação",
    "corrigido": "corrigido: vai como retificação",
    "cancelar": "não efetivado: vai como cancelamento",
    "duplicidade": "cancelado por duplicidade pela ANS: nada a fazer",
}


def _day(iso: str | None) -> str:
    if not iso or len(iso) < 10:
        return iso or "?"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
