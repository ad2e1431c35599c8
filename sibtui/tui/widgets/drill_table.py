"""A small DataTable of groups (error codes, CNS categories, rules) whose Enter drills down.

Only ever holds one row per group, never records: the records open in a paged grid.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class DrillTable(DataTable):
    BINDINGS = [Binding("enter", "select_cursor", "Ver registros", id="drill_table.open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
