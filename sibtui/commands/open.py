"""`sibtui [FILES...]`: load what was given, then open the console on the workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sibtui.commands import EXIT_OK, EXIT_PROBLEM
from sibtui.commands.load import print_outcome
from sibtui.db.workspace import Workspace, default_workspace_path
from sibtui.ingest.loader import load_files
from sibtui.output import write_rows
from sibtui.query.summary import files_summary


def run(options: argparse.Namespace) -> int:
    return run_open(options.db, options.files)


def run_open(db: Path | None, files: list[Path]) -> int:
    """Until the console lands, print what the workspace holds after loading."""
    workspace_path = db or default_workspace_path()
    failed = 0
    with Workspace(workspace_path) as workspace:
        for outcome in load_files(workspace, files):
            if outcome.error is not None and not outcome.duplicate:
                failed += 1
                print_outcome(outcome)
        cursor = workspace.cursor()
        try:
            summary = files_summary(cursor)
            write_rows(summary.columns, summary.rows, "table", sys.stdout)
        finally:
            cursor.close()
    print(f"workspace {workspace_path}", file=sys.stderr)
    return EXIT_PROBLEM if failed else EXIT_OK
