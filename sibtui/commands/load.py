"""`sibtui load`: load files, one summary line per file, a progress bar on a terminal.

Exit 0 when every file loaded with a matching hash (or was already there), 1 when a file
failed or loaded with a hash mismatch (kept, flagged `HASH MISMATCH`, for the analyst to
look at), as the README's exit codes say.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sibtui import interrupts
from sibtui.commands import EXIT_OK, EXIT_PROBLEM
from sibtui.commands.progress import LoadProgressBar
from sibtui.commands.sharing import job_turn, open_for_command
from sibtui.db.paths import default_workspace_path
from sibtui.errors import LoadCancelled
from sibtui.ingest.loader import LoadOutcome, load_files
from sibtui.output import format_count
from sibtui.terminal import say


def run(options: argparse.Namespace) -> int:
    return run_load(options.db, options.files, quiet=options.quiet)


def run_load(db: Path | None, files: list[Path], quiet: bool = False) -> int:
    workspace_path = db or default_workspace_path()
    loaded = skipped = failed = mismatched = conferences = 0
    with open_for_command(workspace_path) as workspace, job_turn(workspace, "sibtui load"), \
            LoadProgressBar(enabled=not quiet) as bar:
        # Ctrl+C stops the load between batches (`sibtui.interrupts`): the file in progress
        # is rolled back, or, if its commit already ran, reported as loaded like the others.
        for outcome in load_files(workspace, files, progress=bar.update, cancel=interrupts.interrupted):
            bar.finish_file()
            if isinstance(outcome.error, LoadCancelled):
                break  # `sibtui.cli` says "interrupted" and exits 130
            print_outcome(outcome)
            if outcome.report is not None:
                loaded += 1
                mismatched += not outcome.report.hash_ok
                conferences += outcome.report.kind.value == "CNX"
            elif outcome.duplicate:
                skipped += 1
            else:
                failed += 1
        if conferences and not interrupts.interrupted():
            judge_conferences(workspace, quiet)
    if interrupts.interrupted():
        return EXIT_OK  # `sibtui.cli` prints its one line and exits 130
    mismatch = f" ({mismatched} with a HASH MISMATCH: loaded, but look at them)" if mismatched else ""
    say(
        f"{loaded} loaded{mismatch}, {skipped} already in the workspace, {failed} failed — workspace {workspace_path}",
        file=sys.stderr,
    )
    # Exit 1 is "something to look at": a file that failed, and a file whose declared hash
    # does not match its content (ANS refuses such an SBX; an RPX or CNX may be damaged).
    return EXIT_PROBLEM if failed or mismatched else EXIT_OK


def judge_conferences(workspace, quiet: bool) -> None:
    """Judge the newest conferences once now (`remember_conferences`): the checks of the month
    then find them judged instead of spending most of their time on ANS's own data."""
    from sibtui.rules.engine import remember_conferences

    started = time.perf_counter()
    if not quiet and sys.stderr.isatty():  # a second or two on a large CNX: say what the wait is
        print("judging the newest conference for the next checks…", file=sys.stderr, flush=True)
    judged = remember_conferences(workspace)
    if judged and not quiet:
        say(f"conference judged for the next checks ({time.perf_counter() - started:.2f} s)", file=sys.stderr)


def print_outcome(outcome: LoadOutcome) -> None:
    report = outcome.report
    if report is None:
        label = "skipped" if outcome.duplicate else "error"
        stream = sys.stdout if outcome.duplicate else sys.stderr
        say(f"{label:8}{outcome.error}", file=stream)
        return
    hash_state = "hash ok" if report.hash_ok else "HASH MISMATCH"
    say(
        f"loaded  {report.path.name}  {report.kind.value}  file {report.file_id}  "
        f"{format_count(report.record_count)} records  {hash_state}  ({report.seconds:.2f} s)"
    )
    for table, count in sorted(report.row_counts.items()):
        say(f"        {table}: {format_count(count)} rows")
    for warning in report.warnings:
        where = f"line {warning.line}: " if warning.line else ""
        element = f"<{warning.element}> " if warning.element else ""
        say(f"        warning: {where}{element}{warning.message}")
