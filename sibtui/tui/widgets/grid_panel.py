"""A paged grid with what every grid offers: a truthful count line, the filter bar,
`/` search with next/previous, export, and edits (`e` the cell under the cursor, `b` a bulk
action on every record listed). Records, drill-downs and SQL results use it.

A widget opens no screen: editing, a bulk action and the export's dialog are asked for with
a message (`EditRequested`, `BulkRequested`, `ExportRequested`), and `sibtui.tui.grid_requests`
answers them; the export itself (a worker) starts here when the dialog gives a request."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from sibtui.errors import SibError
from sibtui.output import format_count
from sibtui.query.spec import GridSpec, parse_filters
from sibtui.tui.cells import raw_text
from sibtui.tui.masking import filter_text, free_text, masking
from sibtui.tui.read_only import writes_allowed
from sibtui.tui.widgets.grid_decorations import GridDecorations
from sibtui.tui.widgets.paged_grid import CursorFactory, PagedGrid

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
MASKED_NOTE = " · mascarado"


class GridPanel(Vertical):
    """Count line on top, the grid, and a one-line prompt that opens for filter or search."""

    BINDINGS = [
        Binding("f", "filter", "Filtrar", id="grid.filter"),
        Binding("e", "edit", "Editar", id="grid.edit"),
        Binding("b", "bulk", "Ação em lote", show=False, id="grid.bulk"),
        Binding("slash", "search", "Buscar", show=False, id="grid.search"),
        Binding("n", "search_next", "Próxima", show=False, id="grid.search_next"),
        Binding("N", "search_previous", "Anterior", show=False, id="grid.search_previous"),
        Binding("x", "export", "Exportar", id="grid.export"),
        Binding("escape", "close_prompt", "Fechar", id="grid.close_prompt"),
        Binding("y", "copy_cell", "Copiar", show=False, id="grid.copy_cell"),
        Binding("Y", "copy_row", "Copiar linha", show=False, id="grid.copy_row"),
        Binding("H", "toggle_headers", "Cabeçalhos: rótulos ou nomes das colunas", show=False, id="grid.headers"),
    ]

    class EditRequested(Message, namespace="grid_panel"):
        """`e`: edit the value under the cursor (`row` as stored, the record's table when known)."""

        def __init__(self, row: dict[str, object], column: str, record_table: str | None) -> None:
            super().__init__()
            self.row, self.column, self.record_table = row, column, record_table

    class BulkRequested(Message, namespace="grid_panel"):
        """`b`: one action on every record listed (the listing as SQL in view order)."""

        def __init__(self, sql: str, parameters: list, total: int, title: str) -> None:
            super().__init__()
            self.sql, self.parameters, self.total, self.title = sql, parameters, total, title

    class ExportRequested(Message, namespace="grid_panel"):
        """`x`: ask where and how to export; answer with `GridPanel.export(request)`."""

        def __init__(self, panel: GridPanel, default_path: Path, total: int, masked: bool) -> None:
            super().__init__()
            self.panel, self.default_path, self.total, self.masked = panel, default_path, total, masked

    def __init__(self, cursor_factory: CursorFactory, decorations: GridDecorations | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id, classes="grid-panel")
        self._cursor_factory = cursor_factory
        self._decorations = decorations
        self._prompt_mode: str | None = None
        self._last_search = ""

    def compose(self) -> ComposeResult:
        yield Static("", classes="grid-status", markup=False)
        yield PagedGrid(self._cursor_factory, self._decorations)
        yield Input(classes="grid-prompt")

    def on_mount(self) -> None:
        self.prompt.display = False
        self.watch(self.app, "pending", lambda _: self._update_status(), init=False)
        self.watch(self.app, "masked", lambda _: self._update_status(), init=False)

    @property
    def grid(self) -> PagedGrid:
        return self.query_one(PagedGrid)

    @property
    def prompt(self) -> Input:
        return self.query_one(".grid-prompt", Input)

    def show(self, spec: GridSpec) -> None:
        self.grid.show(spec)
        self._update_status()

    def reload(self) -> None:
        """The data changed (an edit, an undo, new findings): read again, keep the place."""
        self.grid.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_prompt":
            return self._prompt_mode is not None
        if action in {"filter", "search", "search_next", "search_previous", "export"}:
            return self.grid.view is not None
        if action in {"edit", "bulk"}:
            return records_listed(self.grid) and writes_allowed(self.app, action)
        return True

    # -- edits -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        row, column = self.grid.current_row(), self.grid.current_column
        if row is not None and column is not None:
            self.post_message(self.EditRequested(row, column, self.grid.spec.record_table if self.grid.spec else None))

    def action_bulk(self) -> None:
        view = self.grid.view
        if view is not None and records_listed(self.grid):
            sql, parameters = view.ordered_sql()
            self.post_message(self.BulkRequested(sql, parameters, view.total, view.spec.title or "registros"))

    # -- filter and search -----------------------------------------------------------------

    def action_filter(self) -> None:
        spec = self.grid.spec
        columns = self.grid.view.column_names if self.grid.view else []
        self._open_prompt("filter", spec.filter_text() if spec else "", "filtro: campo = valor; campo ~ texto; campo vazio")
        self.prompt.suggester = SuggestFromList(columns, case_sensitive=False)

    def action_search(self) -> None:
        self._open_prompt("search", self._last_search, "buscar em todas as colunas")
        self.prompt.suggester = None

    def action_search_next(self) -> None:
        if self._last_search:
            self.grid.search(self._last_search)

    def action_search_previous(self) -> None:
        if self._last_search:
            self.grid.search(self._last_search, backwards=True)

    def action_close_prompt(self) -> None:
        self._prompt_mode = None
        self.prompt.display = False
        self.grid.focus()
        self.refresh_bindings()

    def _open_prompt(self, mode: str, value: str, placeholder: str) -> None:
        self._prompt_mode = mode
        prompt = self.prompt
        prompt.placeholder = placeholder
        prompt.value = value
        prompt.display = True
        prompt.focus()
        self.refresh_bindings()

    @on(Input.Submitted, ".grid-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        mode, text = self._prompt_mode, event.value
        self.action_close_prompt()
        if mode == "filter":
            self._apply_filter(text)
        elif mode == "search" and text:
            self._last_search = text
            self.grid.search(text)

    def _apply_filter(self, text: str) -> None:
        spec, view = self.grid.spec, self.grid.view
        if spec is None or view is None:
            return
        try:
            filters = parse_filters(text, [column.name for column in view.all_columns])
        except SibError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.show(spec.with_filters(filters))

    # -- copy and headers --------------------------------------------------------------------

    def action_copy_cell(self) -> None:
        row, column = self.grid.shown_row(), self.grid.current_column
        if row is not None and column is not None:
            self.app.copy_to_clipboard(raw_text(row[column]))
            self.notify(f"{column} copiado{MASKED_NOTE if masking() else ''}", timeout=2, markup=False)

    def action_copy_row(self) -> None:
        row = self.grid.shown_row()
        if row is not None:
            self.app.copy_to_clipboard("\t".join(raw_text(value) for value in row.values()))
            self.notify(f"linha copiada (valores separados por tabulação){MASKED_NOTE if masking() else ''}",
                        timeout=2)

    def action_toggle_headers(self) -> None:
        self.grid.toggle_headers()
        codes = " e códigos" if self.grid.spec is not None and self.grid.spec.value_labels else ""
        self.notify(f"cabeçalhos: nomes das colunas{codes} (H volta aos rótulos)" if self.grid.raw_headers
                    else f"cabeçalhos: rótulos (H mostra os nomes das colunas{codes})", timeout=3)

    # -- count line ------------------------------------------------------------------------

    @on(PagedGrid.Ready)
    def _grid_ready(self) -> None:
        self.refresh_bindings()
        self._update_status()

    @on(PagedGrid.Moved)
    def _grid_moved(self) -> None:
        self._update_status()

    @on(PagedGrid.Searched)
    def _searched(self, event: PagedGrid.Searched) -> None:
        if event.position is None:
            self.notify(f"{free_text(event.text)!r} não encontrado", severity="warning", timeout=3, markup=False)

    @on(PagedGrid.Failed)
    def _failed(self, event: PagedGrid.Failed) -> None:
        self.notify(event.message, severity="error", markup=False)
        self._update_status()

    def _update_status(self) -> None:
        self.query_one(".grid-status", Static).update(status_line(self.grid))

    # -- export ----------------------------------------------------------------------------

    def action_export(self) -> None:
        view = self.grid.view
        if view is None:
            return
        name = _SAFE_NAME.sub("-", (view.spec.title or "sibtui").lower()).strip("-")[:40] or "sibtui"
        self.post_message(self.ExportRequested(self, Path.cwd() / f"{name}.xlsx", view.total, masking()))

    def export(self, request) -> None:
        """Export the rows shown as `request` says (from the export dialog), in a worker."""
        if request is not None and self.grid.view is not None:
            self._export(self.grid.view, request)

    @work(thread=True, group="grid-export")
    def _export(self, view, request) -> None:
        from sibtui.query.export import export_query  # pyarrow and xlsxwriter: when exporting

        cursor = self._cursor_factory()
        cancelled = []

        def cancel() -> None:
            cancelled.append(True)
            cursor.interrupt()

        job = self.app.call_from_thread(self.app.jobs.start, f"exportando {request.path.name}", cancel)
        self.app.call_from_thread(self.notify, f"exportando {format_count(view.total)} linhas para "
                                  f"{request.path.name}… (Esc cancela)", timeout=3, markup=False)
        try:
            sql, parameters = view.ordered_sql()
            rows = export_query(cursor, sql, request.path, request.options, parameters, cancel=lambda: bool(cancelled),
                                mask=request.masked)
            masked = " (dados pessoais mascarados)" if request.masked else ""
            self.app.call_from_thread(
                self.notify, f"{format_count(rows)} linhas exportadas para {request.path}{masked}", markup=False
            )
        except SibError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
        finally:
            cursor.close()
            self.app.call_from_thread(self.app.jobs.finish, job)


def records_listed(grid: PagedGrid) -> bool:
    """Whether the grid's rows name SBX/CNX records (`file_id`, `record_no`) to edit."""
    view = grid.view
    return view is not None and view.total > 0 and {"file_id", "record_no"} <= set(view.column_names)


def status_line(grid: PagedGrid) -> Text:
    """"SBX movimentos  1–20 de 1.204.311 (filtrado) · linha 3 · filtro: … · ordem: nome ▲"."""
    spec = grid.spec
    title = (spec.title if spec else "") or ""
    text = Text(title, style="bold")
    if grid.view is None:  # the grid itself says why it has no rows (its message)
        if grid.preparing:
            text.append("  carregando…")
        return text
    total = grid.total
    first = min(int(grid.scroll_offset.y) + 1, total)
    last = min(int(grid.scroll_offset.y) + grid.page_height, total)
    text.append(f"  {format_count(first)}–{format_count(last)} de {format_count(total)}")
    if spec is not None and spec.filtered:
        text.append(" (filtrado)", style="italic")
    if spec is not None and spec.restriction is not None and not _in_title(spec.restriction.label, title):
        text.append(f" · {spec.restriction.label}")
    if spec is not None and spec.filters:
        text.append(f" · filtro: {filter_text(spec)}")
    if spec is not None and spec.sort:
        sort = spec.sort[0]
        text.append(f" · ordem: {sort.column} {'▼' if sort.descending else '▲'}")
    if grid.preparing:  # a sort or a filter over millions of rows takes a moment: say so
        text.append(" · preparando…", style="bold yellow")
    if total:
        text.append(f" · linha {format_count(grid.cursor_row + 1)}")
    fields, _ = getattr(grid.app, "pending", (0, 0))
    if fields:
        word = "alteração" if fields == 1 else "alterações"
        text.append(f" · ✎ {format_count(fields)} {word} (F4)", style="yellow")
    return text


def _in_title(label: str, title: str) -> bool:
    """Whether a drill-down's restriction ("regra hash_mismatch", "arquivo X.SBX") is what the
    title already names: repeating it pushes the line and the filter off an 80-column line."""
    _, _, named = label.partition(" ")
    return bool(named) and named in title
