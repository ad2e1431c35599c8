"""`sibtui diff`: what ANS changed between two CNX conferences (counts, or the rows of a kind)."""

from __future__ import annotations

import argparse
import sys

from sibtui.commands import EXIT_OK
from sibtui.compare.changes import CHANGE_LABELS
from sibtui.compare.queries import change_counts, list_changes
from sibtui.compare.snapshots import choose_pair
from sibtui.db.workspace import Workspace, default_workspace_path
from sibtui.output import write_rows


def run(options: argparse.Namespace) -> int:
    with Workspace(options.db or default_workspace_path(), read_only=True) as workspace:
        cursor = workspace.cursor()
        try:
            pair = choose_pair(cursor, options.from_file, options.to_file)
            print(f"{pair.older.describe()} -> {pair.newer.describe()}", file=sys.stderr)
            if options.list:
                result = list_changes(cursor, pair, None if options.list == "all" else options.list)
                write_rows(result.columns, result.rows, options.format, sys.stdout)
            else:
                rows = [(kind, CHANGE_LABELS[kind], count, ccos) for kind, count, ccos in change_counts(cursor, pair)]
                write_rows(("kind", "descricao", "linhas", "ccos"), rows, options.format, sys.stdout)
        finally:
            cursor.close()
    return EXIT_OK
