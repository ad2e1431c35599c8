"""`sibtui check`: run the local pre-critique, print the findings, exit 1 on any error finding."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sibtui.commands import EXIT_OK, EXIT_PROBLEM
from sibtui.db.workspace import Workspace, default_workspace_path
from sibtui.output import format_count, write_rows
from sibtui.query.findings import FINDING_COLUMNS, finding_rows, findings_by_rule
from sibtui.rules.engine import CheckReport, run_checks


def run(options: argparse.Namespace) -> int:
    return run_check(options.db, options.format, today=options.today)


def run_check(db: Path | None, output_format: str, today: dt.date | None = None) -> int:
    with Workspace(db or default_workspace_path()) as workspace:
        report = run_checks(workspace, today=today)
        cursor = workspace.cursor()
        try:
            write_rows(FINDING_COLUMNS, finding_rows(cursor), output_format, sys.stdout)
            print_summary(report, cursor)
        finally:
            cursor.close()
    return EXIT_PROBLEM if report.has_errors else EXIT_OK


def print_summary(report: CheckReport, cursor) -> None:
    for count in findings_by_rule(cursor):
        print(f"{count.severity:8}{count.rule:30}{format_count(count.count):>10}  {count.description}", file=sys.stderr)
    print(
        f"{format_count(report.errors)} errors, {format_count(report.warnings)} warnings ({report.seconds:.2f} s)",
        file=sys.stderr,
    )

