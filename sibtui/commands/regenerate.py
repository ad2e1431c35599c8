"""`sibtui regenerate`: write corrected SBX files and say what went in and why.

Exit 0 when every file was written and proven (or there was nothing to resend), 1 when a
source could not be regenerated (its problems are listed; nothing of it was written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sibtui import interrupts
from sibtui.commands import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE
from sibtui.commands.progress import RegenerationProgressBar
from sibtui.commands.sharing import job_turn, open_for_command
from sibtui.cycle.no_movement import REASONS, parse_competencia, write_no_movement
from sibtui.db.cursors import closing
from sibtui.db.paths import default_workspace_path
from sibtui.edit.diff import MOVEMENT_COLUMNS, movement_rows
from sibtui.edit.regen.run import load_schema, regenerate
from sibtui.output import write_rows
from sibtui.terminal import say


def run(options: argparse.Namespace) -> int:
    if options.no_movement is not None or options.reason is not None:
        return _no_movement(options)
    with open_for_command(options.db or default_workspace_path(), must_exist=True) as workspace, \
            job_turn(workspace, "sibtui regenerate"), RegenerationProgressBar(enabled=not options.quiet) as bar:
        with closing(workspace.cursor()) as cursor:
            result = regenerate(
                cursor, options.out, sbx_file_ids=options.sbx, all_movements=options.all,
                include_cnx_edits=options.cnx_edits, include_pending=options.include_pending, xsd_path=options.xsd,
                progress=bar.update,
                cancel=interrupts.interrupted,  # Ctrl+C: the plan being written is discarded
            )
            if options.report is not None:
                _write_report(cursor, options.report, result)
    for note in result.recovered:
        say(f"nota: {note}", file=sys.stderr)
    for regeneration in result.regenerations:
        _print_regeneration(regeneration)
    for label, why in result.skipped:
        say(f"skipped {label}: {why}")
    for plan in result.skipped_plans:
        for note in plan.notes:
            say(f"nota: {plan.label}: {note}", file=sys.stderr)
    if not result.regenerations:
        say("nothing to regenerate", file=sys.stderr)
    return EXIT_PROBLEM if result.failed else EXIT_OK


def _no_movement(options: argparse.Namespace) -> int:
    if options.no_movement is None or options.reason is None:
        say("sibtui: error: a month without movement needs both --no-movement AAAA-MM and --reason 61|62",
            file=sys.stderr)
        return EXIT_USAGE
    if options.sbx or options.all or options.include_pending or options.cnx_edits or options.report:
        say("sibtui: error: --no-movement writes only that file; leave out --sbx, --all, --include-pending, "
            "--cnx-edits and --report", file=sys.stderr)
        return EXIT_USAGE
    competencia = parse_competencia(options.no_movement)
    schema = load_schema(options.xsd)
    with open_for_command(options.db or default_workspace_path(), must_exist=True) as workspace, \
            job_turn(workspace, "sibtui regenerate"):
        cursor = workspace.cursor()
        try:
            result = write_no_movement(cursor, options.out, competencia, options.reason,
                                       registro_ans=options.registro_ans, schema=schema,
                                       xsd_path=str(options.xsd) if options.xsd else None)
        finally:
            cursor.close()
    for note in result.notes:
        say(f"nota: {note}", file=sys.stderr)
    if result.existing is not None:
        say(f"nada a gerar: {result.existing} já responde pela competência {competencia} "
            "(enviado e não rejeitado, ou ainda a enviar)")
        return EXIT_OK
    if result.problems:
        say(f"sibtui: error: competência {competencia}: nothing written; {len(result.problems)} problem(s):",
            file=sys.stderr)
        for problem in result.problems:
            say(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEM
    written = result.file
    say(f"wrote {written.path}  sem movimento, competência {competencia}, motivo {result.reason} "
        f"({REASONS[result.reason]})  hash {written.hash}  sequencial {written.sequencial}")
    say(f"  regeneration {result.regeneration_id}; send it by {competencia.deadline:%d/%m/%Y}")
    return EXIT_OK


def _write_report(cursor, path: Path, result) -> None:
    rows = [row for r in result.regenerations if r.regeneration_id is not None
            for row in movement_rows(cursor, r.regeneration_id)]
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_rows(MOVEMENT_COLUMNS, rows, "csv", stream)


def _print_regeneration(regeneration) -> None:
    plan = regeneration.plan
    for note in plan.notes:
        say(f"nota: {note}", file=sys.stderr)
    if regeneration.problems:
        say(f"sibtui: error: {plan.label}: nothing written; {regeneration.problem_count} problem(s):", file=sys.stderr)
        for problem in regeneration.problems:
            say(f"  {problem}", file=sys.stderr)
        _more(regeneration.problem_count, len(regeneration.problems), "sibtui check", sys.stderr)
        return
    for written in regeneration.files:
        say(f"wrote {written.path}  {written.movement_count} movements  hash {written.hash}  "
              f"sequencial {written.sequencial}  part {written.part_no}/{written.part_count}")
    answer = f", answered by {plan.rpx_name}" if plan.rpx_name else ""
    say(f"  from {plan.label} ({plan.scope}{answer}), regeneration {regeneration.regeneration_id}")
    for (movement, why), count in sorted(regeneration.counts.items()):
        say(f"  {movement:18} {why:14} {count}")
    say(f"  {regeneration.edit_count} edit(s) applied in {regeneration.edited_movements} movement(s); "
          f"{regeneration.normalised_values} value(s) normalised (trim, integer form, empty left out)")
    for name in regeneration.superseded:
        say(f"  supersedes {name}: substituído por {regeneration.files[0].name} — não envie "
            "(moved into substituidos/)")
    for name in regeneration.kept:
        say(f"  {name} is still to send: its movements are not repeated here")
    if regeneration.record_problem_count:
        say(f"  {regeneration.record_problem_count} value(s) ANS will likely reject again:")
        for problem in regeneration.record_problems:
            say(f"    {problem}")
        _more(regeneration.record_problem_count, len(regeneration.record_problems), "sibtui check", sys.stdout)
    say(f"  see: sibtui fix diff --regeneration {regeneration.regeneration_id}")


def _more(total: int, shown: int, how: str, stream) -> None:
    """Never a cut list without saying so: "... and N more (see: HOW)"."""
    if total > shown:
        say(f"    ... and {total - shown} more (see: {how})", file=stream)
