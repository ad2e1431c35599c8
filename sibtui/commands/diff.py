"""`sibtui diff`: what ANS changed between two CNX conferences (counts, or the rows of a kind)."""

from __future__ import annotations

import argparse
import sys

from sibtui.commands import EXIT_OK
from sibtui.commands.query import file_format, write_file
from sibtui.commands.sharing import open_for_command
from sibtui.compare.assignment import MISSING_KINDS, assignment_summary, still_missing_list_sql
from sibtui.compare.changes import CHANGE_LABELS
from sibtui.compare.cns_assigned import CNS_ASSIGNED_COLUMNS, cns_assigned_rows
from sibtui.compare.cns_escalation import COLUMNS, KIND, MESSAGE, conferences_after, escalation_count, escalation_rows
from sibtui.compare.queries import change_counts, changes_list_sql
from sibtui.compare.snapshots import choose_pair
from sibtui.db.cursors import closing
from sibtui.db.paths import default_workspace_path
from sibtui.output import write_rows
from sibtui.query.adhoc import run_query
from sibtui.terminal import say


def run(options: argparse.Namespace) -> int:
    with open_for_command(options.db or default_workspace_path(), read_only=True) as workspace:
        with closing(workspace.cursor()) as cursor:
            if getattr(options, "cns_assigned", False):
                return _cns_assigned(cursor, options)
            after = conferences_after(getattr(options, "cns_after", None))
            if options.list == KIND:
                write_rows(COLUMNS, escalation_rows(cursor, after), options.format, sys.stdout)
                return EXIT_OK
            pair = choose_pair(cursor, options.from_file, options.to_file)
            say(f"{pair.older.describe()} -> {pair.newer.describe()}", file=sys.stderr)
            if options.list in MISSING_KINDS:
                result = run_query(cursor, still_missing_list_sql(pair, qualifying=MISSING_KINDS[options.list]))
                write_rows(result.columns, result.rows, options.format, sys.stdout)
            elif options.list:
                result = run_query(cursor, changes_list_sql(pair, None if options.list == "all" else options.list))
                write_rows(result.columns, result.rows, options.format, sys.stdout)
            else:
                counts = change_counts(cursor, pair)
                rows = [(kind, CHANGE_LABELS[kind], count, ccos) for kind, count, ccos in counts]
                summary = assignment_summary(cursor, pair, counts)
                rows += [
                    ("cns_missing_qualifying", "Sem CNS, qualificado: a ANS deve atribuir", summary.missing_qualifying,
                     summary.missing_qualifying),
                    ("cns_missing_not_qualifying", "Sem CNS, não qualificado: pedir ao beneficiário",
                     summary.missing_not_qualifying, summary.missing_not_qualifying),
                ]
                escalated = escalation_count(cursor, after)
                rows.append((KIND, f"Sem CNS há {after}+ conferências, qualificado: {MESSAGE}", escalated, escalated))
                write_rows(("kind", "descricao", "linhas", "ccos"), rows, options.format, sys.stdout)
    return EXIT_OK


def _cns_assigned(cursor, options: argparse.Namespace) -> int:
    """Every CNS ANS assigned, printed or (`--output FILE`, .xlsx / .csv...) written for the operator's base."""
    rows = cns_assigned_rows(cursor)
    output = getattr(options, "output", None)
    if output is None:
        write_rows(CNS_ASSIGNED_COLUMNS, rows, options.format, sys.stdout)
        return EXIT_OK
    written = write_file(output, file_format(output, options.format), CNS_ASSIGNED_COLUMNS, rows)
    print(f"{written:,} CNS written to {output}".replace(",", "."), file=sys.stderr)
    return EXIT_OK
