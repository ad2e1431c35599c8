"""`sibtui query`: run SQL over a workspace and print the rows (table, CSV or JSON).

Read-only unless `--write`; the query runs on a thread so Ctrl+C interrupts DuckDB (exit
130, nothing of a write-mode statement kept: DuckDB rolls the interrupted statement back).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sibtui.commands import EXIT_OK
from sibtui.db.workspace import Workspace, default_workspace_path
from sibtui.output import write_rows
from sibtui.query.adhoc import run_interruptible, run_query


def run(options: argparse.Namespace) -> int:
    sql = sys.stdin.read() if options.sql == "-" else options.sql
    return run_query_command(options.db, sql, options.format, allow_writes=getattr(options, "write", False))


def run_query_command(db: Path | None, sql: str, output_format: str, allow_writes: bool = False) -> int:
    with Workspace(db or default_workspace_path(), read_only=not allow_writes) as workspace:
        cursor = workspace.cursor()
        try:
            run_interruptible(cursor, lambda: _print(cursor, sql, output_format, allow_writes))
        finally:
            cursor.close()
    return EXIT_OK


def _print(cursor, sql: str, output_format: str, allow_writes: bool) -> None:
    result = run_query(cursor, sql, allow_writes=allow_writes)
    write_rows(result.columns, result.rows, output_format, sys.stdout)
