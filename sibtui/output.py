"""Formatting result rows for the terminal and for scripts: table, CSV or JSON.

Every CLI command that prints rows goes through `write_rows`, so formats behave alike
everywhere. Values are data, never markup: a name like `[SILVA]` prints as written, and in
the table (a terminal) control characters print as escapes (`sibtui.terminal`). In mask
mode (`sibtui.privacy`) personal fields are masked in every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sibtui.privacy import masked_rows
from sibtui.terminal import printable

FORMATS = ("table", "csv", "json")
TABLE_ROW_LIMIT = 10_000  # a terminal table has to hold every row to size columns
_NULL = Text("NULL", style="dim")  # absent element; '' is an element present but empty


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    output_format: str,
    stream: TextIO,
    console: Console | None = None,
    mask: bool | None = None,
) -> int:
    """Write rows in `output_format`; return how many were written.

    `mask`: hide personal data (None: as mask mode says, `sibtui.privacy.masking_enabled`).
    """
    rows = masked_rows(columns, rows, mask)
    if output_format == "csv":
        return _write_csv(columns, rows, stream)
    if output_format == "json":
        return _write_json(columns, rows, stream)
    if console is None:
        # On a terminal, fit its width (cells end in "…"); piped, never cut a value.
        width = None if stream.isatty() else 100_000
        console = Console(file=stream, highlight=False, width=width)
    return _write_table(columns, rows, console)


def _write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]], stream: TextIO) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else _plain(value) for value in row])
        count += 1
    return count


def _write_json(columns: Sequence[str], rows: Iterable[Sequence[object]], stream: TextIO) -> int:
    """A JSON array of objects, streamed so a million rows never sit in memory at once."""
    count = 0
    stream.write("[")
    for row in rows:
        record = {name: _plain(value) for name, value in zip(columns, row)}
        stream.write(("," if count else "") + "\n  " + json.dumps(record, ensure_ascii=False, default=str))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def _write_table(columns: Sequence[str], rows: Iterable[Sequence[object]], console: Console) -> int:
    table = Table(show_header=True, header_style="bold", show_lines=False)
    for name in columns:
        table.add_column(Text(printable(name)), no_wrap=True, overflow="ellipsis", min_width=min(len(name), 10))
    count = 0
    truncated = False
    for row in rows:
        if count >= TABLE_ROW_LIMIT:
            truncated = True
            break
        table.add_row(*(_NULL if value is None else Text(printable(str(_plain(value)))) for value in row))
        count += 1
    console.print(table)
    if truncated:
        console.print(
            Text(f"(first {TABLE_ROW_LIMIT:,} rows shown; use --format csv or json for all)".replace(",", "."), style="dim")
        )
    return count


def format_count(number: int) -> str:
    """pt-BR thousands separator: 1.204.311."""
    return f"{number:,}".replace(",", ".")


def plural(count: int, one: str, many: str) -> str:
    """"1 registro", "2 registros", "1.204 registros": the count and the word that agrees."""
    return f"{format_count(count)} {one if count == 1 else many}"
