"""Changes: what ANS changed between two CNX conferences of one operator. The pair on top
(p picks another), the counts per kind of change and the CNS-assignment summary; Enter
lists the CCOs of a kind in the paged grid, and Enter on one opens its CNX record with the
older and newer value of every field side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from sibtui.db.cursors import closing
from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.query.changes_overview import ConferenceRef, changes_overview, kind_spec, ordered_pair, snapshots
from sibtui.query.records import CNX
from sibtui.tui.screens.base import ModeScreen
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.picker import PickScreen
from sibtui.tui.screens.record_view import RecordScreen
from sibtui.tui.widgets.drill_table import DrillTable

if TYPE_CHECKING:
    from sibtui.compare.snapshots import Snapshot, SnapshotPair
    from sibtui.query.changes_overview import ChangesOverview


class ChangesScreen(ModeScreen):
    MODE = "changes"
    CSS_PATH = "changes.tcss"
    COLUMNS = (("#change-kinds", (("mudança", 48), ("linhas", 8), ("CCOs", 8))),)
    BINDINGS = [Binding("p", "choose_pair", "Outro par", id="changes.choose_pair")]

    def __init__(self) -> None:
        super().__init__()
        self.overview: ChangesOverview | None = None
        self.wanted: tuple[int, int] | None = None  # (older, newer) file ids the analyst chose

    def compose_body(self) -> ComposeResult:
        yield Static("", id="changes-pair", markup=False)
        yield DrillTable(id="change-kinds")
        yield Static("", id="changes-detail", markup=False)

    def refresh_data(self) -> None:
        self._load(self.wanted)

    @work(thread=True, exclusive=True, group="changes-load")
    def _load(self, wanted: tuple[int, int] | None) -> None:
        with closing(self.new_cursor()) as cursor:
            try:
                overview = changes_overview(cursor, *(wanted or (None, None)))
            except SibError as error:
                self.app.call_from_thread(self._refused, str(error))
                return
        self.app.call_from_thread(self._show, overview)

    def _refused(self, reason: str) -> None:
        self.overview = None
        self.query_one("#changes-pair", Static).update(refused_text(reason))
        table = self.query_one("#change-kinds", DataTable)
        table.clear()
        table.display = False
        self.query_one("#changes-detail", Static).update("")

    def _show(self, overview: ChangesOverview) -> None:
        self.overview = overview
        self.query_one("#changes-pair", Static).update(pair_text(overview.pair))
        table = self.query_one("#change-kinds", DataTable)
        row = table.cursor_row
        table.clear()
        for count in overview.counts:
            style = "" if count.rows else "dim"
            table.add_row(Text(count.label, style=style), Text(format_count(count.rows), justify="right", style=style),
                          Text(format_count(count.ccos), justify="right", style=style))
        table.display = True
        table.move_cursor(row=min(row, len(overview.counts) - 1))
        table.focus()
        self.query_one("#changes-detail", Static).update(assignment_text(overview))

    @on(DataTable.RowSelected, "#change-kinds")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if self.overview is None or event.cursor_row >= len(self.overview.counts):
            return
        count = self.overview.counts[event.cursor_row]
        if not count.rows:
            self.notify(f"nenhuma linha de {count.kind} entre estas conferências", timeout=3, markup=False)
            return
        opener = None if count.kind.startswith("cns_missing") else _conference_opener(self.overview.pair)
        self.app.push_screen(DrillScreen(kind_spec(self.overview.pair, count.kind), self.MODE, opener))

    # -- choosing another pair ---------------------------------------------------------------

    def action_choose_pair(self) -> None:
        self.read_then_show("changes-snapshots", lambda cursor: (snapshots(cursor),), self._pick_first)

    def _pick_first(self, found: list[Snapshot]) -> None:
        if len(found) < 2:
            self.notify("é preciso ter duas conferências (CNX) carregadas para comparar", severity="warning")
            return
        choices = [(snapshot_title(s), str(s.file_id)) for s in found]
        self.app.push_screen(PickScreen("Comparar: escolha uma conferência (CNX)", choices),
                             lambda value: self._pick_second(found, value))

    def _pick_second(self, found: list[Snapshot], value: str | None) -> None:
        first = next((s for s in found if str(s.file_id) == value), None)
        if first is None:
            return
        others = [s for s in found if s.registro_ans == first.registro_ans and s.file_id != first.file_id]
        if not others:
            self.notify(f"só há uma conferência do registro ANS {first.registro_ans}", severity="warning",
                        markup=False)
            return
        choices = [(snapshot_title(s), str(s.file_id)) for s in others]
        self.app.push_screen(PickScreen(f"… com qual outra do registro ANS {first.registro_ans}?", choices),
                             lambda second: self._paired(first, others, second))

    def _paired(self, first: Snapshot, others: list[Snapshot], value: str | None) -> None:
        second = next((s for s in others if str(s.file_id) == value), None)
        if second is not None:
            self.wanted = ordered_pair(first, second)
            self._load(self.wanted)


def _conference_opener(pair: SnapshotPair):
    """Enter on a change row: the CNX record, older and newer conference side by side."""

    def open_conference(screen: Screen, row: dict) -> None:
        ref = ConferenceRef(pair.older, pair.newer, row.get("from_record_no"), row.get("to_record_no"))
        screen.app.push_screen(RecordScreen(CNX, *ref.record, conference=ref))

    return open_conference


def snapshot_title(snapshot: Snapshot) -> str:
    return (f"registro {snapshot.registro_ans or '?'} · {snapshot.name} · {_when(snapshot)} · "
            f"{format_count(snapshot.record_count)} vínculos")


def pair_text(pair: SnapshotPair) -> Text:
    text = Text(f"Registro ANS {pair.registro_ans or '?'}", style="bold")
    text.append(" · Enter lista os CCOs · p escolhe outro par", style="dim")
    for word, snapshot in (("de  ", pair.older), ("para", pair.newer)):
        text.append(f"\n{word} ", style="bold")
        text.append(f"{snapshot.name}  {_when(snapshot)}  {format_count(snapshot.record_count)} vínculos")
    return text


def refused_text(reason: str) -> Text:
    text = Text("Não há o que comparar: ", style="bold yellow")
    text.append(reason)
    text.append("\nCarregue duas conferências (CNX) do mesmo registro ANS; p escolhe o par.", style="dim")
    return text


def assignment_text(overview: ChangesOverview) -> Text:
    summary = overview.assignment
    text = Text("CNS atribuídos pela ANS desde a conferência anterior: ", style="bold")
    text.append(format_count(summary.assigned_since_previous))
    text.append("\nAtivos ainda sem CNS: ", style="bold")
    text.append(f"{format_count(summary.missing_qualifying)} qualificados (aguardar a ANS)")
    text.append("\n                      ")
    text.append(f"{format_count(summary.missing_not_qualifying)} não qualificados (pedir ao beneficiário)")
    return text


def _when(snapshot: Snapshot) -> str:
    return f"{snapshot.taken_at:%d/%m/%Y}" if snapshot.taken_at else "data desconhecida"
