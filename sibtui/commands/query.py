"""`sibtui query`: run SQL over a workspace and print the rows (table, CSV or JSON)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sibtui.commands import EXIT_OK
from sibtui.db.workspace import Workspace, default_workspace_path
from sibtui.output import write_rows
from sibtui.query.adhoc import run_query


def run(options: argparse.Namespace) -> int:
    sql = sys.stdin.read() if options.sql == "-" else options.sql
    return run_query_command(options.db, sql, options.format)


def run_query_command(db: Path | None, sql: str, output_format: str) -> int:
    with Workspace(db or default_workspace_path(), read_only=True) as workspace:
        cursor = workspace.cursor()
        try:
            result = run_query(cursor, sql)
            write_rows(result.columns, result.rows, output_format, sys.stdout)
        finally:
            cursor.close()
    return EXIT_OK
