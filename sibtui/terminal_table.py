"""Rows for a person at a terminal: a table when it fits the width, else one block per row.

A table squeezed into 80 columns cuts every value ("41…" for a file name, a column gone);
so the table is drawn only when every value fits whole, and otherwise each row is a block
of `name  value` lines, values wrapped, never cut:

    ─ 1 de 3 ──────────────────────────────
    sbx           99999720261103101500.SBX
    registro_ans  999997
    ...

Values are text, never markup, and controls print as escapes (`sibtui.terminal`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from sibtui.terminal import printable

NULL_TEXT = "NULL"  # an absent element; '' is an element present but empty
NAME_WIDTH_MAX = 28


def cell(value: object) -> str:
    """A value as a person reads it: exact text, controls escaped."""
    return printable(value if isinstance(value, str) else str(value))


def print_rows(console: Console, columns: Sequence[str], rows: list[Sequence[object]]) -> None:
    """A table when it fits `console.width`, else one block per row."""
    table = _table(columns, rows)
    unbounded = console.options.update(max_width=10**6)  # measured as if the terminal had no edge
    needed = Measurement.get(console, unbounded, table).maximum
    if needed <= console.width:
        console.print(table)
    else:
        print_blocks(console, columns, rows)


def _table(columns: Sequence[str], rows: list[Sequence[object]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_header=True, header_style="bold", pad_edge=False, show_edge=False)
    for name in columns:
        table.add_column(Text(printable(name)), no_wrap=True)
    for row in rows:
        table.add_row(*(Text(NULL_TEXT, style="dim") if value is None else Text(cell(value)) for value in row))
    return table


def print_blocks(console: Console, columns: Sequence[str], rows: list[Sequence[object]]) -> None:
    """Each row as `name  value` lines under a rule naming its place; long values wrap."""
    names = [printable(name) for name in columns]
    name_width = min(max((cell_len(name) for name in names), default=0), NAME_WIDTH_MAX)
    value_width = max(console.width - name_width - 2, 20)
    for number, row in enumerate(rows, start=1):
        rule = f"─ {number} de {len(rows)} "
        console.print(Text(rule + "─" * max(console.width - cell_len(rule), 0), style="dim"), soft_wrap=True)
        for name, value in zip(names, row):
            text = Text(NULL_TEXT, style="dim") if value is None else Text(cell(value))
            lines = text.wrap(console, value_width, overflow="fold") or [Text("")]
            label = Text(name.ljust(name_width) if cell_len(name) <= name_width else name, style="bold")
            console.print(Text.assemble(label, "  ", lines[0]), soft_wrap=True)
            for line in lines[1:]:
                console.print(Text.assemble(" " * (name_width + 2), line), soft_wrap=True)
