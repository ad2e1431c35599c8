"""What a paged grid's thread workers do: prepare a spec, read a window, search, close a
view. Each takes the grid's cursor factory (one cursor per call, in the worker's thread) and
its decorations, and returns the message the worker posts back; nothing here touches a widget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sibtui.db.cursors import closing
from sibtui.db.failures import first_line
from sibtui.errors import SibError
from sibtui.tui.widgets.grid_messages import Fetched, Prepared

if TYPE_CHECKING:
    from sibtui.query.paging import PagedView
    from sibtui.query.spec import GridSpec
    from sibtui.tui.widgets.grid_decorations import GridDecorations


def prepare(cursor_factory, decorations: GridDecorations, token: int, spec: GridSpec,
            place: tuple[int, int, float] | None) -> Prepared | Fetched:
    """Open `spec` and read the page the cursor will be on (a failure comes back as page -1)."""
    from sibtui.query.paging import open_view  # DuckDB: in the worker, after the first frame

    try:
        with closing(cursor_factory()) as cursor:
            view = open_view(cursor, spec)
            size = view.page_rows
            first_page = place[0] // size if place else 0
            first = view.window(cursor, first_page * size, size)
            marks = decorations.marks(cursor, view, first)
            masker = decorations.masker(cursor, view)
    except SibError as error:
        return Fetched(token, -1, None, str(error))
    return Prepared(token, view, first, marks, place, masker)


def fetch(cursor_factory, decorations: GridDecorations, token: int, view: PagedView, page: int,
          pages: int) -> Fetched:
    """Pages `page` .. `page + pages - 1` in one window (one query instead of several)."""
    try:
        with closing(cursor_factory()) as cursor:
            size = view.page_rows
            rows = view.window(cursor, page * size, pages * size)
            marks = decorations.marks(cursor, view, rows)
    except Exception as error:  # a failed window must never kill the console
        return Fetched(token, page, None, first_line(error))
    return Fetched(token, page, rows, marks=marks)


def find(cursor_factory, view: PagedView, text: str, start: int, backwards: bool) -> int | None:
    with closing(cursor_factory()) as cursor:
        return view.find(cursor, text, start, backwards)


def close(cursor_factory, view: PagedView) -> None:
    with closing(cursor_factory()) as cursor:
        view.close(cursor)
