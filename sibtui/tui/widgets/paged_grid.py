"""A grid that never holds every row: it renders lines (Toolong-style line API) and asks
`sibtui.query.paging` for the windows on screen, in thread workers, with a small LRU.

The widget keeps at most `CACHE_PAGES` pages of the view's `page_rows` rows; a page not yet
fetched renders as "…" and is fetched in the background (one fetch in flight: the missing
visible pages in one window, then the page below the screen),
so holding PageDown or jumping to the end of 10,000,000 rows never blocks the UI. Every
value goes out as a plain Segment: data is never markup.

The cache holds values as stored; in mask mode the rows are masked as they are drawn and
copied (`privacy.Masker` over the view's columns), so F8 redraws without a new query.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sibtui.query.spec import GridSpec, toggle_sort
from sibtui.tui.cells import NULL_MARK, cell_text, is_numeric_type, raw_text
from sibtui.tui.masking import GridMasker, hidden_field, masking

if TYPE_CHECKING:
    from sibtui.query.paging import PagedView

DEFAULT_PAGE_ROWS = 100  # until a view says its own (PagedView.page_rows)
CACHE_PAGES = 24
MAX_WIDTH = 32
HEADER_MIN = 14
CATALOGUE_FLOOR = 15  # a column as wide as its catalogue size, up to this (a CNS is 15)
CursorFactory = Callable[[], Any]
_MASKED_NOTE = " · mascarado"


class PagedGrid(ScrollView, can_focus=True):
    """Rows of a `GridSpec`, one screenful at a time."""

    COMPONENT_CLASSES = {
        "paged-grid--header",
        "paged-grid--cursor",
        "paged-grid--cursor-row",
        "paged-grid--marker",
        "paged-grid--edited",
    }
    BINDINGS = [
        Binding("up,k", "cursor_up", "Subir", show=False, id="grid.up"),
        Binding("down,j", "cursor_down", "Descer", show=False, id="grid.down"),
        Binding("left,h", "cursor_left", "Coluna à esquerda", show=False, id="grid.left"),
        Binding("right,l", "cursor_right", "Coluna à direita", show=False, id="grid.right"),
        Binding("pageup", "page_up", "Página acima", show=False, id="grid.page_up"),
        Binding("pagedown,space", "page_down", "Página abaixo", show=False, id="grid.page_down"),
        Binding("home,g,ctrl+home", "first_row", "Primeira linha", show=False, id="grid.first"),
        Binding("end,G,ctrl+end", "last_row", "Última linha", show=False, id="grid.last"),
        Binding("ctrl+pageup", "page_left", "Página à esquerda", show=False, id="grid.page_left"),
        Binding("ctrl+pagedown", "page_right", "Página à direita", show=False, id="grid.page_right"),
        Binding("enter", "open_row", "Abrir", id="grid.open"),
        Binding("s", "sort", "Ordenar", id="grid.sort"),
        Binding("y", "copy_cell", "Copiar", show=False, id="grid.copy_cell"),
        Binding("Y", "copy_row", "Copiar linha", show=False, id="grid.copy_row"),
    ]

    class Ready(Message):
        """A spec was prepared: the total and the columns are known."""

        def __init__(self, grid: PagedGrid) -> None:
            super().__init__()
            self.grid = grid

    class Moved(Message):
        """The cursor moved (or the rows under it changed)."""

        def __init__(self, grid: PagedGrid) -> None:
            super().__init__()
            self.grid = grid

    class Opened(Message):
        """Enter on a row: its values by column name."""

        def __init__(self, grid: PagedGrid, row: dict[str, object]) -> None:
            super().__init__()
            self.grid = grid
            self.row = row

    class Failed(Message):
        def __init__(self, grid: PagedGrid, message: str) -> None:
            super().__init__()
            self.grid = grid
            self.message = message

    class Searched(Message):
        def __init__(self, grid: PagedGrid, text: str, position: int | None) -> None:
            super().__init__()
            self.grid = grid
            self.text = text
            self.position = position

    class _Prepared(Message):
        def __init__(self, token: int, view: PagedView, first_page: list[tuple], edited: set,
                     place: tuple[int, int, float] | None, hidden_field: str | None = None) -> None:
            super().__init__()
            self.token, self.view, self.first_page, self.edited, self.place = token, view, first_page, edited, place
            self.hidden_field = hidden_field

    class _Fetched(Message):
        def __init__(self, token: int, page: int, rows: list[tuple] | None, error: str | None = None,
                     edited: set | None = None) -> None:
            super().__init__()
            self.token, self.page, self.rows, self.error, self.edited = token, page, rows, error, edited or set()

    def __init__(self, cursor_factory: CursorFactory, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._cursor_factory = cursor_factory
        self.spec: GridSpec | None = None
        self.view: PagedView | None = None
        self.cursor_row = 0
        self.cursor_column = 0
        self.message = ""
        self._token = 0
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._fetching = False
        self._widths: list[int] = []
        self._offsets: list[int] = []
        self._numeric: list[bool] = []
        self._edited: set[tuple[int, int, str]] = set()  # (file_id, record_no, column) the analyst changed
        self._masker: GridMasker | None = None  # made with the view

    # -- public API ------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self.view.total if self.view is not None else 0

    @property
    def preparing(self) -> bool:
        return self.spec is not None and self.view is None and not self.message

    def show(self, spec: GridSpec, keep_place: bool = False) -> None:
        """Prepare `spec` in a worker; the old rows stay until the new ones are ready.

        With `keep_place`, the cursor and the scroll come back where they were (a reload)."""
        place = (self.cursor_row, self.cursor_column, self.scroll_offset.y) if keep_place else None
        self._token += 1
        self.spec = spec
        self.message = ""
        self._prepare(self._token, spec, place)
        self.refresh()

    def reload(self) -> None:
        """Read the same spec again (the data changed: an edit, an undo), keeping the place."""
        if self.spec is not None:
            self.show(self.spec, keep_place=True)

    def show_view(self, view: PagedView, first_page: list[tuple]) -> None:
        """Show a view prepared elsewhere (the SQL screen runs its own query worker)."""
        self._token += 1
        self.spec = view.spec
        self._adopt(view, first_page)

    def show_message(self, message: str) -> None:
        """No rows: say why (nothing loaded yet, an error...)."""
        self._token += 1
        self._release_view()
        self.spec = None
        self.message = message
        self.virtual_size = Size(self.size.width, 2)
        self.refresh()

    def current_row(self) -> dict[str, object] | None:
        """The row under the cursor as stored (to open, edit, resolve a record)."""
        values = self._row(self.cursor_row)
        if values is None or self.view is None:
            return None
        return dict(zip(self.view.column_names, values))

    def shown_row(self) -> dict[str, object] | None:
        """The row under the cursor as shown: masked in mask mode (to copy)."""
        values = self._shown(self._row(self.cursor_row))
        if values is None or self.view is None:
            return None
        return dict(zip(self.view.column_names, values))

    def _shown(self, values: tuple | None) -> tuple | None:
        if values is None or self._masker is None or not masking():
            return values
        return self._masker.row(values)

    @property
    def current_column(self) -> str | None:
        if self.view is None or not self.view.columns:
            return None
        return self.view.columns[self.cursor_column].name

    def move_to(self, row: int) -> None:
        self.cursor_row = max(0, min(row, self.total - 1))
        self._scroll_to_cursor()
        self._after_move()

    def search(self, text: str, backwards: bool = False) -> None:
        if self.view is None or not text:
            return
        start = self.cursor_row - 1 if backwards else self.cursor_row + 1
        self._find(self._token, self.view, text, start % max(self.total, 1), backwards)

    # -- workers (thread; they talk back by messages only) -------------------------------

    @work(thread=True, exclusive=True, group="grid-prepare")
    def _prepare(self, token: int, spec: GridSpec, place: tuple[int, int, float] | None = None) -> None:
        from sibtui.errors import SibError
        from sibtui.query.paging import open_view

        cursor = self._cursor_factory()
        try:
            view = open_view(cursor, spec)
            size = view.page_rows
            first_page = place[0] // size if place else 0
            first = view.window(cursor, first_page * size, size)
            edited = _edited_in(cursor, view, first)
            field = hidden_field(cursor, view)
        except SibError as error:
            self.post_message(self._Fetched(token, -1, None, str(error)))
            return
        finally:
            cursor.close()
        self.post_message(self._Prepared(token, view, first, edited, place, field))

    @work(thread=True, group="grid-fetch")
    def _fetch(self, token: int, view: PagedView, page: int, pages: int = 1) -> None:
        """Pages `page` .. `page + pages - 1` in one window (one query instead of several)."""
        cursor = self._cursor_factory()
        try:
            size = view.page_rows
            rows = view.window(cursor, page * size, pages * size)
            edited = _edited_in(cursor, view, rows)
        except Exception as error:  # a failed window must never kill the console
            self.post_message(self._Fetched(token, page, None, str(error).splitlines()[0]))
            return
        finally:
            cursor.close()
        self.post_message(self._Fetched(token, page, rows, edited=edited))

    @work(thread=True, exclusive=True, group="grid-find")
    def _find(self, token: int, view: PagedView, text: str, start: int, backwards: bool) -> None:
        cursor = self._cursor_factory()
        try:
            position = view.find(cursor, text, start, backwards)
        finally:
            cursor.close()
        self.post_message(self.Searched(self, text, position))

    @work(thread=True, group="grid-close")
    def _close_view(self, view: PagedView) -> None:
        cursor = self._cursor_factory()
        try:
            view.close(cursor)
        finally:
            cursor.close()

    @on(_Prepared)
    def _on_prepared(self, message: _Prepared) -> None:
        message.stop()
        if message.token == self._token:
            self._adopt(message.view, message.first_page, message.edited, message.place, message.hidden_field)

    @on(_Fetched)
    def _on_fetched(self, message: _Fetched) -> None:
        message.stop()
        if message.token != self._token:
            return
        self._fetching = False
        if message.error is not None:
            if message.page < 0:
                self.show_message(message.error)
            self.post_message(self.Failed(self, message.error))
            return
        rows, size = message.rows or [], self._page_rows
        for index in range(max(1, -(-len(rows) // size))):
            self._store(message.page + index, rows[index * size : (index + 1) * size])
        self._edited |= message.edited
        self.refresh()
        self._after_move()
        self._pump()

    @on(Searched)
    def _on_searched(self, message: Searched) -> None:
        if message.position is not None:
            self.move_to(message.position)

    # -- preparing and caching -----------------------------------------------------------

    def _adopt(self, view: PagedView, first_page: list[tuple], edited: set | None = None,
               place: tuple[int, int, float] | None = None, field: str | None = None) -> None:
        self._release_view()
        self.view = view
        self._masker = GridMasker(view.column_names, field)
        self.message = ""
        self._pages.clear()
        self._edited = set(edited or ())
        row, column, scroll_y = place or (0, 0, 0)
        self._store(row // self._page_rows, first_page)
        self._measure(view, first_page)
        self.cursor_row = max(0, min(row, view.total - 1))
        self.cursor_column = min(column, max(len(view.columns) - 1, 0))
        self.scroll_to(self.scroll_offset.x if place else 0, scroll_y, animate=False)
        self.refresh()
        self.post_message(self.Ready(self))
        self._after_move()

    def _release_view(self) -> None:
        if self.view is not None:
            self._close_view(self.view)
        self.view = None
        self._pages.clear()
        self._edited = set()
        self._fetching = False

    def is_edited(self, position: int, column: str) -> bool:
        """Whether the value at `position`, `column` is one the analyst changed."""
        values = self._row(position)
        if values is None or not self._edited or self.view is None:
            return False
        names = self.view.column_names
        if "file_id" not in names or "record_no" not in names:
            return False
        return (values[names.index("file_id")], values[names.index("record_no")], column) in self._edited

    def _measure(self, view: PagedView, sample: list[tuple]) -> None:
        from sibtui.catalog.fields import FIELDS  # not before the first frame

        widths = []
        for index, column in enumerate(view.columns):
            catalogued = FIELDS.get(column.name)
            longest = max((cell_len(cell_text(row[index])) for row in sample), default=1)
            if catalogued is not None and catalogued.size:
                longest = max(longest, min(catalogued.size, CATALOGUE_FLOOR))
            widths.append(max(min(cell_len(column.name), HEADER_MIN), min(longest, MAX_WIDTH), 1))
        self._widths = widths
        self._numeric = [is_numeric_type(column.type) for column in view.columns]
        self._offsets = []
        x = 0
        for width in widths:
            self._offsets.append(x)
            x += width + 1
        self.virtual_size = Size(max(x, 1), view.total + 1)

    def _store(self, page: int, rows: list[tuple]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > CACHE_PAGES:
            self._pages.popitem(last=False)

    @property
    def _page_rows(self) -> int:
        return self.view.page_rows if self.view is not None else DEFAULT_PAGE_ROWS

    def _row(self, position: int) -> tuple | None:
        page = self._pages.get(position // self._page_rows)
        if page is None:
            return None
        offset = position % self._page_rows
        return page[offset] if offset < len(page) else None

    def _visible_pages(self) -> list[int]:
        first = int(self.scroll_offset.y)
        last = min(self.total - 1, first + self.page_height - 1)
        if self.total == 0:
            return []
        pages = list(range(first // self._page_rows, last // self._page_rows + 1))
        cursor_page = self.cursor_row // self._page_rows
        return pages if cursor_page in pages else [*pages, cursor_page]

    def _pump(self) -> None:
        """Fetch the visible pages not cached, else the page below them; one fetch at a time.

        The page below is read while the analyst reads this screen, so a PageDown usually
        finds its rows cached.
        """
        if self.view is None or self._fetching:
            return
        visible = self._visible_pages()
        missing = [page for page in visible if page not in self._pages]
        if not missing and visible:
            below = max(visible) + 1
            if below * self._page_rows < self.total and below not in self._pages:
                missing = [below]
        if not missing:
            return
        run = 1
        while missing[0] + run in missing:
            run += 1
        self._fetching = True
        self._fetch(self._token, self.view, missing[0], run)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._pump()

    def on_resize(self) -> None:
        self._scroll_to_cursor()
        self._after_move()  # more or fewer rows on screen: the count line follows

    def watch_show_horizontal_scrollbar(self, shown: bool) -> None:
        """A wide result gets a horizontal scrollbar at its first layout: one row fewer."""
        self.post_message(self.Moved(self))

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self.view is None:
            text = self.message if y == 1 else ""
            if y == 1 and not text and self.spec is not None:
                text = "carregando…"
            return Strip([Segment(set_cell_size(" " + text, width), base)], width)
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            strip = self._header_strip(base)
        else:
            position = int(scroll_y) + y - 1
            if position >= self.total:
                return Strip.blank(width, base)
            strip = self._row_strip(position, base)
        return strip.crop_extend(int(scroll_x), int(scroll_x) + width, base)

    def _header_strip(self, base: Style) -> Strip:
        style = base + self.get_component_rich_style("paged-grid--header")
        segments = []
        sort = self.spec.sort[0] if self.spec and self.spec.sort else None
        for column, width in zip(self.view.columns, self._widths):
            name = column.name
            if sort is not None and sort.column == name:
                name = ("▼ " if sort.descending else "▲ ") + name
            segments.append(Segment(_fit(name, width, False) + " ", style))
        return Strip(segments)

    def _row_strip(self, position: int, base: Style) -> Strip:
        values = self._shown(self._row(position))
        on_cursor = position == self.cursor_row and self.has_focus
        row_style = base + self.get_component_rich_style("paged-grid--cursor-row") if on_cursor else base
        if values is None:
            return Strip([Segment(" …", row_style)])
        marker = self.get_component_rich_style("paged-grid--marker")
        edited_style = self.get_component_rich_style("paged-grid--edited")
        cursor_style = base + self.get_component_rich_style("paged-grid--cursor")
        edited = self._edited_columns(values)
        segments = []
        for index, (value, width) in enumerate(zip(values, self._widths)):
            style = cursor_style if on_cursor and index == self.cursor_column else row_style
            if value is None or value == "":
                style = style + marker
            if index in edited:
                style = style + edited_style
            text = cell_text(value)
            segments.append(Segment(_fit(text, width, self._numeric[index] and value is not None), style))
            segments.append(Segment(" ", row_style))
        return Strip(segments)

    def _edited_columns(self, values: tuple) -> set[int]:
        if not self._edited or self.view is None:
            return set()
        names = self.view.column_names
        if "file_id" not in names or "record_no" not in names:
            return set()
        key = (values[names.index("file_id")], values[names.index("record_no")])
        return {index for index, name in enumerate(names) if (*key, name) in self._edited}

    def on_mount(self) -> None:
        self.watch(self.app, "masked", lambda _: self.refresh(), init=False)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- actions -----------------------------------------------------------------------------

    @property
    def page_height(self) -> int:
        """Rows visible at once: the height less the header and a horizontal scrollbar."""
        return max(self.scrollable_content_region.height - 1, 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor_row - self.page_height)

    def action_page_down(self) -> None:
        self.move_to(self.cursor_row + self.page_height)

    def action_first_row(self) -> None:
        self.move_to(0)

    def action_last_row(self) -> None:
        self.move_to(self.total - 1)

    def action_cursor_left(self) -> None:
        self._move_column(-1)

    def action_cursor_right(self) -> None:
        self._move_column(1)

    def action_page_left(self) -> None:
        self.scroll_to(x=max(self.scroll_offset.x - self.scrollable_content_region.width, 0), animate=False)

    def action_page_right(self) -> None:
        self.scroll_to(x=self.scroll_offset.x + self.scrollable_content_region.width, animate=False)

    def action_open_row(self) -> None:
        row = self.current_row()
        if row is not None:
            self.post_message(self.Opened(self, row))

    def action_sort(self) -> None:
        column = self.current_column
        if self.spec is not None and column is not None:
            keep = self.cursor_column
            self.show(toggle_sort(self.spec, column))
            self.cursor_column = keep

    def action_copy_cell(self) -> None:
        row = self.shown_row()
        column = self.current_column
        if row is not None and column is not None:
            self.app.copy_to_clipboard(raw_text(row[column]))
            self.notify(f"{column} copiado{_MASKED_NOTE if masking() else ''}", timeout=2, markup=False)

    def action_copy_row(self) -> None:
        row = self.shown_row()
        if row is not None:
            self.app.copy_to_clipboard("\t".join(raw_text(value) for value in row.values()))
            self.notify(f"linha copiada (valores separados por tabulação){_MASKED_NOTE if masking() else ''}",
                        timeout=2)

    def _move_column(self, step: int) -> None:
        if self.view is None or not self.view.columns:
            return
        self.cursor_column = max(0, min(self.cursor_column + step, len(self.view.columns) - 1))
        left = self._offsets[self.cursor_column]
        right = left + self._widths[self.cursor_column]
        if left < self.scroll_offset.x or self.cursor_column == 0:
            self.scroll_to(x=left, animate=False)
        elif right > self.scroll_offset.x + self.scrollable_content_region.width:
            self.scroll_to(x=right - self.scrollable_content_region.width + 1, animate=False)
        self._after_move()

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        height = self.page_height
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False)

    def _after_move(self) -> None:
        self.refresh()
        self._pump()
        self.post_message(self.Moved(self))


def _edited_in(cursor, view: PagedView, rows: list[tuple]) -> set[tuple[int, int, str]]:
    """The edited values among `rows` of a record grid (nothing for other grids)."""
    from sibtui.query.edited import edited_cells, record_table

    table = record_table(view.spec.relation)
    names = view.column_names
    if table is None or "file_id" not in names or "record_no" not in names:
        return set()
    file_index, record_index = names.index("file_id"), names.index("record_no")
    return edited_cells(cursor, table, [(row[file_index], row[record_index]) for row in rows])


def _fit(text: str, width: int, right: bool) -> str:
    """`text` in exactly `width` cells: cut with "…", numbers aligned right."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…"
    padding = " " * (width - cell_len(text))
    return padding + text if right else text + padding


__all__ = ["PagedGrid", "NULL_MARK"]
