"""One record: every field with its label and findings (the movement's own fields first,
whole values; `sibtui.tui.screens.record_fields`); SBX, RPX and CNX side by side; the RPX
errors (ANS's words verbatim, then ours) and our findings. Opened from the Changes screen,
also the older and newer conference of the vínculo, changed fields highlighted.

The record is read again whenever the workspace changes (an edit, an undo, the checks that
follow them), so a fix shows at once with its findings gone.

In mask mode every value passes through `sibtui.tui.masking` (personal fields masked, CPFs
inside messages too) as it is drawn and copied; F8 redraws from the detail already read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from sibtui.catalog.tables import TABLES_BY_NAME
from sibtui.db.cursors import closing
from sibtui.query.changes_overview import conference_lines
from sibtui.query.edited import edited_originals
from sibtui.query.records import RecordDetail, record_detail, resolve_record
from sibtui.query.resend_view import planned_for_record, resend_info
from sibtui.tui.cells import raw_text
from sibtui.tui.masking import field_value, masking
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.resend_lines import planned_text, resend_text
from sibtui.tui.screens.decide import DecisionScreen
from sibtui.tui.screens.edit_field import EditFieldScreen
from sibtui.tui.screens.record_fields import RecordFields
from sibtui.tui.screens.record_text import conference_title, problems_by_field, problems_text, side_text
from sibtui.tui.widgets.load_bar import LoadBar
from sibtui.tui.widgets.mode_bar import state_brand

__all__ = ["RecordScreen", "conference_title", "edit_cell", "open_record", "problems_text"]

if TYPE_CHECKING:
    from sibtui.query.changes_overview import ConferenceLine, ConferenceRef
    from sibtui.query.resend_view import ResendInfo


def open_record(screen: Screen, row: dict, table_hint: str | None) -> None:
    """Resolve which record a grid row is (in a worker) and push its view."""
    RecordScreen.open_from_row(screen, row, table_hint)


def edit_cell(screen: Screen, row: dict, column: str, table_hint: str | None) -> None:
    """Resolve the record of a grid row (in a worker) and open the editor on `column`."""
    screen.run_worker(lambda: _resolve_for_edit(screen, row, column, table_hint), thread=True, group="record-resolve")


class RecordScreen(Screen):
    CSS_PATH = "record_view.tcss"
    BINDINGS = [
        Binding("escape,backspace", "back", "Voltar", id="record.back"),
        # the tab titles show these keys, so the footer keeps room for the actions
        Binding("c", "show_tab('fields')", "Campos", show=False, id="record.fields"),
        Binding("l", "show_tab('sides')", "Lado a lado", show=False, id="record.sides"),
        Binding("a", "show_tab('problems')", "RPX e achados", show=False, id="record.problems"),
        Binding("m", "show_tab('conference')", "Antes e depois", show=False, id="record.conference"),
        # at 80 columns the footer holds z Ausentes, Voltar, Editar, Decidir, F1 and F8 (the grids say
        # "d Decidir" too); copying is listed in F1, as are the tab keys
        Binding("e", "edit", "Editar", id="record.edit"),
        Binding("d", "decide", "Decidir", id="record.decide"),
        Binding("y", "copy_value", "Copiar valor", show=False, id="record.copy_value"),
        Binding("Y", "copy_record", "Copiar registro", show=False, id="record.copy_record"),
        Binding("home,g", "first", "Início", show=False, id="record.first"),
        Binding("end,G", "last", "Fim", show=False, id="record.last"),
    ]

    def __init__(self, table: str, file_id: int, record_no: int, conference: ConferenceRef | None = None) -> None:
        super().__init__()
        self.key = (table, file_id, record_no)
        self.conference = conference
        self.detail: RecordDetail | None = None
        self.edited: dict[str, str | None] = {}  # field -> loaded value, for the fields changed
        self.conference_lines: list[ConferenceLine] | None = None
        self.resend: ResendInfo | None = None  # when the record is a rejected movement
        self.planned: list = []  # when it is a CNX record with edits: the movements they become

    @staticmethod
    def open_from_row(screen: Screen, row: dict, table_hint: str | None) -> None:
        screen.run_worker(lambda: _resolve(screen, row, table_hint), thread=True, group="record-resolve")

    def compose(self) -> ComposeResult:
        yield Static("carregando registro…", id="record-title", markup=False)
        yield Static("", id="record-resend", markup=False)
        with TabbedContent(id="record-tabs"):
            with TabPane("c Campos", id="fields"):
                yield RecordFields(id="record-fields")
            with TabPane("l SBX·RPX·CNX", id="sides"):
                yield Static("", id="record-sources", markup=False)
                yield DataTable(id="record-sides", cursor_type="row", zebra_stripes=True)
            with TabPane("a RPX e achados", id="problems"):
                with VerticalScroll(id="record-problems-scroll"):
                    yield Static("", id="record-problems", markup=False)
            if self.conference is not None:
                with TabPane("m Antes·depois", id="conference"):
                    yield Static(conference_title(self.conference), id="record-conference-title", markup=False)
                    yield DataTable(id="record-conference", cursor_type="row", zebra_stripes=True)
        yield LoadBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()
        self.watch(self.app, "masked", lambda _: self._redraw(), init=False)
        self.watch(self.app, "data_version", lambda _: self._load(), init=False)

    def _show_resend(self, resend: ResendInfo | None, planned: list | None = None) -> None:
        self.resend, self.planned = resend, planned or []
        line = self.query_one("#record-resend", Static)
        line.display = resend is not None or bool(planned)
        if resend is not None:
            line.update(resend_text(resend))
        elif planned:
            line.update(planned_text(planned))
        self.refresh_bindings()

    def _redraw(self) -> None:
        """Mask mode changed: draw the same record again."""
        if self.resend is not None or self.planned:
            self._show_resend(self.resend, self.planned)
        if self.detail is not None:
            self._show(self.detail, self.edited)
        if self.conference_lines is not None:
            self._fill_conference(self.conference_lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_tab" and parameters == ("conference",):
            return self.conference is not None
        if action == "decide" and self.resend is None:
            return False  # only a movement ANS rejected takes a decision: no key to show
        return writes_allowed(self.app, action)

    @work(thread=True, exclusive=True, group="record-load")
    def _load(self) -> None:
        with closing(self.app.new_cursor()) as cursor:
            detail = record_detail(cursor, *self.key)
            edited = edited_originals(cursor, *self.key)
            resend = resend_info(cursor, *self.key[1:]) if self.key[0] == "sbx_movements" else None
            planned = (planned_for_record(cursor, *self.key[1:])
                       if self.key[0] in ("cnx_beneficiaries", "transfer_beneficiaries") else [])
            conference = None
            if self.conference is not None:
                conference = conference_lines(cursor, self.conference)
        self.app.call_from_thread(self._show_resend, resend, planned)
        self.app.call_from_thread(self._show, detail, edited)
        if conference is not None:
            self.app.call_from_thread(self._show_conference, conference)

    def _show_conference(self, lines: list[ConferenceLine]) -> None:
        first = self.conference_lines is None
        self.conference_lines = lines
        self._fill_conference(lines)
        if first:
            self.action_show_tab("conference")

    def _fill_conference(self, lines: list[ConferenceLine]) -> None:
        table = self.query_one("#record-conference", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for title, width in (("", 1), ("Campo", 23), ("antes", 24), ("depois", 24)):
            table.add_column(title, width=width)
        for line in lines:
            style = "bold yellow" if line.changed else ""
            table.add_row(Text("●" if line.changed else "", style=style), Text(line.label, style=style),
                          side_text(field_value(line.name, line.old), style), side_text(field_value(line.name, line.new), style),
                          key=line.name)
        if row:
            table.move_cursor(row=min(row, table.row_count - 1))
        changed = sum(1 for line in lines if line.changed)
        if changed:
            title = self.query_one("#record-conference-title", Static)
            title.update(conference_title(self.conference, changed))

    def _show(self, detail: RecordDetail | None, edited: dict[str, str | None]) -> None:
        title = self.query_one("#record-title", Static)
        if detail is None:
            title.update("registro não encontrado (o workspace mudou?)")
            return
        first = self.detail is None
        self.detail = detail
        self.edited = edited
        line = f" · linha {detail.line}" if detail.line else ""
        brand = state_brand(self.app)
        title.update(Text.assemble(*((brand, " ") if brand else ()), Text(detail.title + line, style="bold")))
        self._fill_fields(detail)
        self._fill_sides(detail)
        self.query_one("#record-problems", Static).update(problems_text(detail, self.resend))
        if first:
            self.fields_table.focus()

    def _fill_fields(self, detail: RecordDetail) -> None:
        self.fields_table.fill(detail, self.edited, problems_by_field(detail))

    @property
    def fields_table(self) -> RecordFields:
        return self.query_one("#record-fields", RecordFields)

    def select_field(self, name: str) -> bool:
        """Highlight field `name` (showing the absent fields if it is one of them)."""
        table = self.fields_table
        if not table.select(name) and not table.show_absent:
            table.action_toggle_absent()
        return table.select(name)

    def _fill_sides(self, detail: RecordDetail) -> None:
        sources = Text()
        sources.append("SBX: ", style="bold")
        sources.append(detail.sbx_source or "nenhum movimento deste vínculo")
        sources.append("   CNX: ", style="bold")
        sources.append(detail.cnx_source or "não está na CNX")
        if detail.assigned_cco:
            sources.append(f"   CCO atribuído no RPX: {detail.assigned_cco}")
        self.query_one("#record-sources", Static).update(sources)
        table = self.query_one("#record-sides", DataTable)
        table.clear(columns=True)
        for title, width in (("Campo", 21), ("SBX enviou", 22), ("RPX", 6), ("CNX tem", 22)):
            table.add_column(title, width=width)
        for line in detail.comparison:
            style = "bold" if line.differs else ""
            table.add_row(
                Text(line.label),
                side_text(field_value(line.name, line.sbx), style),
                Text(line.rpx or "", style="bold red" if line.rpx else ""),
                side_text(field_value(line.name, line.cnx), style),
                key=line.name,
            )

    @property
    def current_field(self) -> str | None:
        """Column name of the highlighted field (what an edit action would change)."""
        return self.fields_table.current_field

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#record-tabs", TabbedContent).active = tab
        target = {"fields": "#record-fields", "sides": "#record-sides", "problems": "#record-problems-scroll",
                  "conference": "#record-conference"}[tab]
        self.query_one(target).focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_first(self) -> None:
        self._jump(end=False)

    def action_last(self) -> None:
        self._jump(end=True)

    def _jump(self, end: bool) -> None:
        """Home/g and End/G on the tab shown: first or last row, or the top or bottom."""
        widget = self.focused
        if isinstance(widget, DataTable):
            widget.move_cursor(row=max(widget.row_count - 1, 0) if end else 0)
        elif widget is not None and hasattr(widget, "scroll_end"):
            widget.scroll_end(animate=False) if end else widget.scroll_home(animate=False)

    def action_edit(self) -> None:
        name = self.current_field
        if self.detail is None or name is None:
            return
        field = next(field for field in self.detail.fields if field.name == name)
        where = f"{self.detail.title}"
        screen = EditFieldScreen(self.key[0], self.key[1], self.key[2], name, field.value, where)
        self.app.push_screen(screen)  # a save bumps data_version: the record is read again

    def action_decide(self) -> None:
        if self.resend is None or self.detail is None:
            return
        screen = DecisionScreen(f"registro {self.key[1]}:{self.key[2]}", refs=[(self.key[1], self.key[2])])
        self.app.push_screen(screen)  # a decision bumps data_version: the record is read again

    def action_copy_value(self) -> None:
        name = self.current_field
        if self.detail is None or name is None:
            return
        value = next(field.value for field in self.detail.fields if field.name == name)
        self.app.copy_to_clipboard(raw_text(field_value(name, value)))
        self.notify(f"{name} copiado{' · mascarado' if masking() else ''}", timeout=2, markup=False)

    def action_copy_record(self) -> None:
        if self.detail is not None:
            lines = [f"{field.name}={raw_text(field_value(field.name, field.value))}" for field in self.detail.fields]
            self.app.copy_to_clipboard("\n".join(lines))
            self.notify(f"registro copiado{' · mascarado' if masking() else ''}", timeout=2)


def _resolve(screen: Screen, row: dict, table_hint: str | None) -> None:
    with closing(screen.app.new_cursor()) as cursor:
        key = resolve_record(cursor, row, table_hint)
    if key is None:
        screen.app.call_from_thread(screen.notify, "esta linha não é um registro de SBX, CNX ou transferência", severity="warning")
        return
    screen.app.call_from_thread(screen.app.push_screen, RecordScreen(*key))


def _resolve_for_edit(screen: Screen, row: dict, column: str, table_hint: str | None) -> None:
    with closing(screen.app.new_cursor()) as cursor:
        key = resolve_record(cursor, row, table_hint)
        current = None
        if key is not None and column in TABLES_BY_NAME[key[0]].value_columns:
            found = cursor.execute(f'SELECT "{column}" FROM "{key[0]}_current" WHERE file_id = ? AND record_no = ?',
                                   [key[1], key[2]]).fetchall()
            current = found[0][0] if found else None
    if key is None:
        screen.app.call_from_thread(screen.notify, "esta linha não é um registro de SBX, CNX ou transferência", severity="warning")
        return
    if column not in TABLES_BY_NAME[key[0]].value_columns:
        screen.app.call_from_thread(screen.notify, f"{column} não é um campo do registro: escolha a coluna do campo",
                                    severity="warning", markup=False)
        return
    where = f"{key[0]} · arquivo {key[1]} · registro {key[2]}"
    screen.app.call_from_thread(screen.app.push_screen, EditFieldScreen(*key, column, current, where))
