"""A grid that never holds every row: it renders lines (Toolong-style line API) and asks
`sibtui.query.paging` for the windows on screen, in thread workers, with a small LRU.

The widget keeps a few pages of rows (`grid_cache`); a page not yet fetched renders as "…"
and is fetched in the background (`grid_reads`, one fetch in flight), so holding PageDown or
jumping to the end of 10,000,000 rows never blocks the UI. Every value goes out as a plain
Segment: data is never markup. Widths and headers: `grid_layout`.

The cache holds values as stored. What is drawn over them is the screen's to say
(`grid_decorations`): in mask mode the rows are masked as they are drawn and copied, so F8
redraws without a new query, and a grid of records marks the values the analyst edited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sibtui.query.spec import GridSpec, toggle_sort
from sibtui.tui.cells import NULL_MARK
from sibtui.tui.masking import GridMasker, masking
from sibtui.tui.widgets import grid_messages, grid_reads
from sibtui.tui.widgets.grid_cache import PageCache
from sibtui.tui.widgets.grid_decorations import GridDecorations, Marks
from sibtui.tui.widgets.grid_layout import ColumnLayout, RowStyles, header_segments, row_segments

if TYPE_CHECKING:
    from sibtui.query.paging import PagedView

DEFAULT_PAGE_ROWS = 100  # until a view says its own (PagedView.page_rows)
CursorFactory = Callable[[], Any]


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
    ]

    Ready = grid_messages.Ready
    Moved = grid_messages.Moved
    Opened = grid_messages.Opened
    Failed = grid_messages.Failed
    Searched = grid_messages.Searched
    _Prepared = grid_messages.Prepared
    _Fetched = grid_messages.Fetched

    def __init__(self, cursor_factory: CursorFactory, decorations: GridDecorations | None = None, *,
                 id: str | None = None, classes: str | None = None):
        """`decorations`: what is drawn over the values (default: masked in mask mode, nothing marked)."""
        super().__init__(id=id, classes=classes)
        self._cursor_factory = cursor_factory
        self._decorations = decorations or GridDecorations()
        self.spec: GridSpec | None = None
        self.view: PagedView | None = None
        self.cursor_row = 0
        self.cursor_column = 0
        self.message = ""
        self._token = 0
        self._cache = PageCache(DEFAULT_PAGE_ROWS)
        self._sample: list[tuple] = []  # the first page read: what the widths were measured on
        self._fetching = False
        self.column_layout = ColumnLayout()  # headers, widths and where each column starts
        self._marks: Marks = set()  # what the decorations marked among the rows read
        self._masker: GridMasker | None = None  # made with the view
        self._wanted_column: str | None = None  # the column the cursor returns to once a view is ready

    # -- public API ------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self.view.total if self.view is not None else 0

    @property
    def preparing(self) -> bool:
        """A spec is being prepared (a first load, a sort, a filter): the old rows may still show."""
        return self.spec is not None and (self.view is None or self.view.spec is not self.spec) and not self.message

    def show(self, spec: GridSpec, keep_place: bool = False, keep_column: bool = False) -> None:
        """Prepare `spec` in a worker; the old rows stay until the new ones are ready.

        With `keep_place`, the cursor and the scroll come back where they were (a reload);
        with `keep_column`, only the column does (a new sort: the first row, same column)."""
        place = None
        if keep_place:
            place = (self.cursor_row, self.cursor_column, self.scroll_offset.y)
        elif keep_column:
            place = (0, self.cursor_column, 0.0)
        # by name: the new view may show other columns (a column emptied by an edit hides)
        self._wanted_column = self.current_column if keep_place or keep_column else None
        self._token += 1
        self.spec = spec
        self.message = ""
        self._prepare(self._token, spec, place)
        self.refresh()
        self.post_message(self.Moved(self))  # the count line says it is preparing

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
        self.post_message(grid_reads.prepare(self._cursor_factory, self._decorations, token, spec, place))

    @work(thread=True, group="grid-fetch")
    def _fetch(self, token: int, view: PagedView, page: int, pages: int = 1) -> None:
        self.post_message(grid_reads.fetch(self._cursor_factory, self._decorations, token, view, page, pages))

    @work(thread=True, exclusive=True, group="grid-find")
    def _find(self, token: int, view: PagedView, text: str, start: int, backwards: bool) -> None:
        position = grid_reads.find(self._cursor_factory, view, text, start, backwards)
        self.post_message(self.Searched(self, text, position))

    @work(thread=True, group="grid-close")
    def _close_view(self, view: PagedView) -> None:
        grid_reads.close(self._cursor_factory, view)

    @on(_Prepared)
    def _on_prepared(self, message: _Prepared) -> None:
        message.stop()
        if message.token == self._token:
            self._adopt(message.view, message.first_page, message.marks, message.place, message.masker)

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
        self._cache.store_window(message.page, message.rows or [])
        self._marks |= message.marks
        self.refresh()
        self._after_move()
        self._pump()

    @on(Searched)
    def _on_searched(self, message: Searched) -> None:
        if message.position is not None:
            self.move_to(message.position)

    # -- preparing and caching -----------------------------------------------------------

    def _adopt(self, view: PagedView, first_page: list[tuple], marks: Marks | None = None,
               place: tuple[int, int, float] | None = None, masker: GridMasker | None = None) -> None:
        self._release_view()
        self.view = view
        self._masker = masker or GridMasker(view.column_names)
        self.message = ""
        self._cache.clear(view.page_rows)
        self._marks = set(marks or ())
        row, column, scroll_y = place or (0, 0, 0)
        self._cache.store(row // self._page_rows, first_page)
        self._sample = first_page
        self._measure(view, first_page)
        self.cursor_row = max(0, min(row, view.total - 1))
        if self._wanted_column in view.column_names:
            column = view.column_names.index(self._wanted_column)
        self._wanted_column = None
        self.cursor_column = min(column, max(len(view.columns) - 1, 0))
        self.scroll_to(self.scroll_offset.x if place else 0, scroll_y, animate=False)
        self._scroll_to_column()
        self.refresh()
        self.post_message(self.Ready(self))
        self._after_move()

    def _release_view(self) -> None:
        if self.view is not None:
            self._close_view(self.view)
        self.view = None
        self._cache.clear()
        self._marks = set()
        self._fetching = False

    def is_marked(self, position: int, column: str) -> bool:
        """Whether the value at `position`, `column` is drawn marked (an edited value, in a grid of records)."""
        values = self._row(position)
        if values is None or self.view is None:
            return False
        names = self.view.column_names
        return column in names and names.index(column) in self._decorations.marked(self._marks, values, names)

    def _measure(self, view: PagedView, sample: list[tuple]) -> None:
        """Headers and widths from the first page, the catalogue and the terminal's width."""
        self.column_layout.measure(view, sample, self.scrollable_content_region.width or self.app.size.width)
        self.virtual_size = Size(max(self.column_layout.row_width, 1), self.total + 1)

    @property
    def _page_rows(self) -> int:
        return self.view.page_rows if self.view is not None else DEFAULT_PAGE_ROWS

    def _row(self, position: int) -> tuple | None:
        return self._cache.row(position)

    def _visible_pages(self) -> list[int]:
        if self.total == 0:
            return []
        first = int(self.scroll_offset.y)
        last = min(self.total - 1, first + self.page_height - 1)
        return self._cache.pages_between(first, last, self.cursor_row)

    def _pump(self) -> None:
        """Read what is on screen and missing, else the page below it; one read at a time."""
        if self.view is None or self._fetching:
            return
        window = self._cache.next_window(self._visible_pages(), self.total)
        if window is not None:
            self._fetching = True
            self._fetch(self._token, self.view, *window)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._pump()

    def on_resize(self) -> None:
        if self.view is not None:  # a wider terminal shows more of the cut columns
            self.column_layout.refit(self.scrollable_content_region.width or self.app.size.width)
            self.virtual_size = Size(max(self.column_layout.row_width, 1), self.total + 1)
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
        sort = self.spec.sort[0] if self.spec and self.spec.sort else None
        return Strip(header_segments(self.view.column_names, self.column_layout.headers, self.column_layout.widths, sort, style))

    def _row_strip(self, position: int, base: Style) -> Strip:
        values = self._shown(self._row(position))
        on_cursor = position == self.cursor_row and self.has_focus
        row_style = base + self.get_component_rich_style("paged-grid--cursor-row") if on_cursor else base
        if values is None:
            return Strip([Segment(" …", row_style)])
        styles = RowStyles(row_style, base + self.get_component_rich_style("paged-grid--cursor"),
                           self.get_component_rich_style("paged-grid--marker"),
                           self.get_component_rich_style("paged-grid--edited"))
        marked = self._decorations.marked(self._marks, values, self.view.column_names)
        cursor_column = self.cursor_column if on_cursor else None
        return Strip(row_segments(values, self.column_layout, cursor_column, marked, styles))

    def on_mount(self) -> None:
        self.watch(self.app, "masked", lambda _: self.refresh(), init=False)

    def on_focus(self) -> None:
        self.refresh()

    on_blur = on_focus

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
            self.show(toggle_sort(self.spec, column), keep_column=True)

    @property
    def raw_headers(self) -> bool:
        return self.column_layout.raw_headers

    def toggle_headers(self) -> None:
        """Labels (`Nascimento`) or the column names the filter bar and SQL use (`dataNascimento`)."""
        self.column_layout.raw_headers = not self.column_layout.raw_headers
        if self.view is not None:
            self._measure(self.view, self._sample)
            self.refresh()

    def _move_column(self, step: int) -> None:
        if self.view is None or not self.view.columns:
            return
        self.cursor_column = max(0, min(self.cursor_column + step, len(self.view.columns) - 1))
        self._scroll_to_column()
        self._after_move()

    def _scroll_to_column(self) -> None:
        if not self.column_layout.offsets:
            return
        left = self.column_layout.offsets[self.cursor_column]
        right, width = left + self.column_layout.widths[self.cursor_column], self.scrollable_content_region.width
        if left < self.scroll_offset.x or self.cursor_column == 0:
            self.scroll_to(x=left, animate=False)
        elif right > self.scroll_offset.x + width:
            self.scroll_to(x=right - width + 1, animate=False)

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


__all__ = ["PagedGrid", "NULL_MARK"]
