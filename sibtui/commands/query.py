"""`sibtui query`: run SQL over a workspace and print the rows (table, TSV, CSV or JSON), or
write them to a file with `--output` (also XLSX: identifiers as text, dates as dates).

Read-only unless `--write`; the query runs on a thread so Ctrl+C interrupts DuckDB (exit
130, nothing of a write-mode statement kept: DuckDB rolls the interrupted statement back).
A file is written hidden and owner-only, and gets its name only when complete.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sibtui.commands import EXIT_OK
from sibtui.commands.sharing import open_for_command
from sibtui.db.cursors import closing
from sibtui.db.paths import default_workspace_path
from sibtui.errors import SibError
from sibtui.output import write_rows
from sibtui.privacy import masked_rows
from sibtui.query.adhoc import run_interruptible, run_query
from sibtui.query.export import finished_file
from sibtui.query.xlsx import write_xlsx

SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".tsv": "tsv", ".txt": "table"}


def run(options: argparse.Namespace) -> int:
    sql = sys.stdin.read() if options.sql == "-" else options.sql
    return run_query_command(options.db, sql, options.format, allow_writes=getattr(options, "write", False),
                             output=getattr(options, "output", None))


def run_query_command(db: Path | None, sql: str, output_format: str | None, allow_writes: bool = False,
                      output: Path | None = None) -> int:
    output_format = file_format(output, output_format)
    with open_for_command(db or default_workspace_path(), read_only=not allow_writes,
                          must_exist=True) as workspace:
        with closing(workspace.cursor()) as cursor:
            written = run_interruptible(cursor, lambda: _print(cursor, sql, output_format, allow_writes, output))
    if output is not None:
        print(f"{written:,} rows written to {output}".replace(",", "."), file=sys.stderr)
    return EXIT_OK


def file_format(output: Path | None, output_format: str | None) -> str | None:
    """The format for `output`: as asked, else what its extension says (CSV for any other)."""
    if output is None:
        if output_format == "xlsx":
            raise SibError("--format xlsx writes a workbook: give the file with --output FILE.xlsx")
        return output_format
    return output_format or SUFFIX_FORMATS.get(output.suffix.lower(), "csv")


def _print(cursor, sql: str, output_format: str | None, allow_writes: bool, output: Path | None) -> int:
    result = run_query(cursor, sql, allow_writes=allow_writes)
    if output is None:
        return write_rows(result.columns, result.rows, output_format, sys.stdout)
    return write_file(output, output_format, result.columns, result.rows)


def write_file(output: Path, output_format: str | None, columns, rows) -> int:
    """Rows into `output` (hidden until complete, owner-only), XLSX or a text format; the count."""
    with finished_file(output) as temporary:
        if output_format == "xlsx":
            return write_xlsx(temporary, columns, masked_rows(columns, rows))
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            return write_rows(columns, rows, output_format, stream)
