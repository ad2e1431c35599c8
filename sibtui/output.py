"""Formatting result rows for the terminal and for scripts: table, TSV, CSV or JSON.

Every CLI command that prints rows goes through `write_rows`, so formats behave alike
everywhere. Without `--format`, a terminal gets the table (or, when a table would not fit its
width, one block per row: `sibtui.terminal_table`) and a pipe gets TSV: a header line, then
one line per row, values tab-separated and never cut, controls (tabs and newlines included)
written as escapes, so `grep`, `cut` and `awk` read it. CSV and JSON keep values exact.
Values are data, never markup: a name like `[SILVA]` prints as written. In mask mode
(`sibtui.privacy`) personal fields are masked in every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from sibtui import interrupts
from sibtui.privacy import masked_rows
from sibtui.terminal import printable

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "tsv", "csv", "json")
TABLE_ROW_LIMIT = 10_000  # a terminal table has to hold every row to size columns


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def resolved_format(output_format: str | None, stream: TextIO) -> str:
    """The format asked for; without one, the table for a terminal and TSV for a pipe."""
    if output_format:
        return output_format
    return "table" if _is_terminal(stream) else "tsv"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    output_format: str | None,
    stream: TextIO,
    console: Console | None = None,
    mask: bool | None = None,
) -> int:
    """Write rows in `output_format` (None: see `resolved_format`); return how many were written.

    `mask`: hide personal data (None: as mask mode says, `sibtui.privacy.masking_enabled`).
    """
    output_format = resolved_format(output_format, stream)
    rows = _interruptible(masked_rows(columns, rows, mask))
    if output_format == "csv":
        return _write_csv(columns, rows, stream)
    if output_format == "json":
        return _write_json(columns, rows, stream)
    if output_format == "tsv":
        return write_tsv(columns, rows, stream)
    if console is None:
        console = terminal_console(stream)
    return _write_table(columns, rows, console)


def terminal_console(stream: TextIO) -> Console:
    """A console as wide as the terminal (or $COLUMNS; 80 when neither says)."""
    import shutil

    from rich.console import Console  # here, not at the top: TSV, CSV and JSON never load Rich (~20 ms)

    width = None if _is_terminal(stream) else shutil.get_terminal_size((80, 24)).columns
    console = Console(file=stream, highlight=False, width=width)
    console.on_broken_pipe = _broken_pipe  # Rich's own exits 1; the CLI's exits 141 like CSV
    return console


def _broken_pipe() -> None:
    raise BrokenPipeError


def write_tsv(columns: Sequence[str], rows: Iterable[Sequence[object]], stream: TextIO) -> int:
    """A header line, then one line per row: tab-separated, NULL and '' empty, controls escaped."""
    stream.write("\t".join(printable(name) for name in columns) + "\n")
    count = 0
    for row in rows:
        stream.write(tsv_line(row) + "\n")
        count += 1
    return count


def tsv_line(row: Sequence[object]) -> str:
    """One row of `write_tsv`: NULL and '' empty, controls escaped."""
    return "\t".join("" if value is None else printable(str(_plain(value))) for value in row)


def _interruptible(rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    """Rows, stopping between two of them when Ctrl+C arrived (`sibtui.interrupts`)."""
    for row in rows:
        interrupts.check()
        yield row


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
    """The table, or one block per row when it would not fit (`sibtui.terminal_table`)."""
    from rich.text import Text

    from sibtui.terminal_table import print_rows

    kept = []
    truncated = False
    for row in rows:
        if len(kept) >= TABLE_ROW_LIMIT:
            truncated = True
            break
        kept.append([None if value is None else _plain(value) for value in row])
    print_rows(console, columns, kept)
    if truncated:
        console.print(
            Text(f"(first {TABLE_ROW_LIMIT:,} rows shown; use --format tsv, csv or json for all)".replace(",", "."),
                 style="dim")
        )
    return len(kept)


def format_count(number: int) -> str:
    """pt-BR thousands separator: 1.204.311."""
    return f"{number:,}".replace(",", ".")


def plural(count: int, one: str, many: str) -> str:
    """"1 registro", "2 registros", "1.204 registros": the count and the word that agrees."""
    return f"{format_count(count)} {one if count == 1 else many}"
