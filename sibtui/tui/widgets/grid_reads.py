"""What a paged grid's thread workers do: prepare a spec, read a window, search, close a
view. Each takes the grid's cursor factory (one cursor per call, in the worker's thread) and
returns the message the worker posts back; nothing here touches a widget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sibtui.tui.masking import hidden_field
from sibtui.tui.widgets.grid_messages import Fetched, Prepared

if TYPE_CHECKING:
    from sibtui.query.paging import PagedView
    from sibtui.query.spec import GridSpec


def prepare(cursor_factory, token: int, spec: GridSpec, place: tuple[int, int, float] | None) -> Prepared | Fetched:
    """Open `spec` and read the page the cursor will be on (a failure comes back as page -1)."""
    from sibtui.errors import SibError
    from sibtui.query.edited import edited_in_rows
    from sibtui.query.paging import open_view

    cursor = cursor_factory()
    try:
        view = open_view(cursor, spec)
        size = view.page_rows
        first_page = place[0] // size if place else 0
        first = view.window(cursor, first_page * size, size)
        edited = edited_in_rows(cursor, view, first)
        field = hidden_field(cursor, view)
    except SibError as error:
        return Fetched(token, -1, None, str(error))
    finally:
        cursor.close()
    return Prepared(token, view, first, edited, place, field)


def fetch(cursor_factory, token: int, view: PagedView, page: int, pages: int) -> Fetched:
    """Pages `page` .. `page + pages - 1` in one window (one query instead of several)."""
    from sibtui.query.edited import edited_in_rows

    cursor = cursor_factory()
    try:
        size = view.page_rows
        rows = view.window(cursor, page * size, pages * size)
        edited = edited_in_rows(cursor, view, rows)
    except Exception as error:  # a failed window must never kill the console
        return Fetched(token, page, None, str(error).splitlines()[0])
    finally:
        cursor.close()
    return Fetched(token, page, rows, edited=edited)


def find(cursor_factory, view: PagedView, text: str, start: int, backwards: bool) -> int | None:
    cursor = cursor_factory()
    try:
        return view.find(cursor, text, start, backwards)
    finally:
        cursor.close()


def close(cursor_factory, view: PagedView) -> None:
    cursor = cursor_factory()
    try:
        view.close(cursor)
    finally:
        cursor.close()
