"""The messages a paged grid posts: to its screen (Ready, Moved, Opened, Failed, Searched)
and, from its thread workers, to itself (Prepared, Fetched); `PagedGrid.Ready` and so on
name them, as Textual's widgets do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from sibtui.query.paging import PagedView
    from sibtui.tui.masking import GridMasker


class Ready(Message, namespace="paged_grid"):
    """A spec was prepared: the total and the columns are known."""

    def __init__(self, grid) -> None:
        super().__init__()
        self.grid = grid


class Moved(Message, namespace="paged_grid"):
    """The cursor moved (or the rows under it changed)."""

    def __init__(self, grid) -> None:
        super().__init__()
        self.grid = grid


class Opened(Message, namespace="paged_grid"):
    """Enter on a row: its values by column name."""

    def __init__(self, grid, row: dict[str, object]) -> None:
        super().__init__()
        self.grid = grid
        self.row = row


class Failed(Message, namespace="paged_grid"):
    def __init__(self, grid, message: str) -> None:
        super().__init__()
        self.grid = grid
        self.message = message


class Searched(Message, namespace="paged_grid"):
    def __init__(self, grid, text: str, position: int | None) -> None:
        super().__init__()
        self.grid = grid
        self.text = text
        self.position = position


class Prepared(Message, namespace="paged_grid"):
    """A worker prepared a spec (private to the grid: it checks the token)."""

    def __init__(self, token: int, view: PagedView, first_page: list[tuple], marks: set,
                 place: tuple[int, int, float] | None, masker: GridMasker) -> None:
        super().__init__()
        self.token, self.view, self.first_page, self.marks, self.place = token, view, first_page, marks, place
        self.masker = masker


class Fetched(Message, namespace="paged_grid"):
    """A worker read a window of rows (private to the grid)."""

    def __init__(self, token: int, page: int, rows: list[tuple] | None, error: str | None = None,
                 marks: set | None = None) -> None:
        super().__init__()
        self.token, self.page, self.rows, self.error, self.marks = token, page, rows, error, marks or set()
