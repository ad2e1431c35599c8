"""What a grid draws over the values it reads, handed to it by its screen.

A grid knows rows and columns, nothing of records or of the analyst's edits. Its screen
hands it a `GridDecorations`: every grid masks personal values in mask mode (as drawn and
as copied, over its own columns); a grid of records also marks the values the analyst
edited (`EditedValues`). The reading half runs in the grid's thread workers (one cursor
each), the drawing half in the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sibtui.tui.masking import GridMasker, hidden_field

if TYPE_CHECKING:
    from sibtui.query.paging import PagedView

Marks = set[Any]  # what a decoration found among the rows read (edited cells: file_id, record_no, column)


class GridDecorations:
    """Masks every grid's rows in mask mode; marks nothing."""

    def masker(self, cursor, view: PagedView) -> GridMasker:
        """How the rows of `view` are masked (worker thread: it may read the view once)."""
        return GridMasker(view.column_names, hidden_field(cursor, view))

    def marks(self, cursor, view: PagedView, rows: list[tuple]) -> Marks:
        """What to mark among `rows` (worker thread)."""
        return set()

    def marked(self, marks: Marks, values: Sequence[object], names: Sequence[str]) -> set[int]:
        """Indexes of the values of one row to draw marked (UI thread)."""
        return set()


class EditedValues(GridDecorations):
    """Also marks the values the analyst changed, in grids whose rows are records."""

    def marks(self, cursor, view: PagedView, rows: list[tuple]) -> Marks:
        from sibtui.query.edited import edited_in_rows  # the journal's SQL: not before the first frame

        return edited_in_rows(cursor, view, rows)

    def marked(self, marks: Marks, values: Sequence[object], names: Sequence[str]) -> set[int]:
        if not marks or "file_id" not in names or "record_no" not in names:
            return set()
        key = (values[names.index("file_id")], values[names.index("record_no")])
        return {index for index, name in enumerate(names) if (*key, name) in marks}
