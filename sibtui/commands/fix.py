"""`sibtui fix`: correct records headless (set, fill-cns, clean, hold, resend, undecide, confirm,
undo, redo, list, diff).

Every subcommand calls `sibtui.edit`, the same core the console uses; this module only
parses arguments and prints. The core is imported inside `run` (this module is imported
whenever the parser is built, for `sibtui --help` too, and must stay cheap).
"""

from __future__ import annotations

import argparse
import sys

import pyarrow as pa

from sibtui import privacy
from sibtui.commands import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE
from sibtui.commands.sharing import job_turn, open_for_command
from sibtui.db.cursors import closing
from sibtui.db.paths import default_workspace_path
from sibtui.edit import editor
from sibtui.edit.cns import fill_cns
from sibtui.edit.csv_set import set_from_csv
from sibtui.edit.decision_list import DECISION_COLUMNS, decision_rows
from sibtui.edit.decisions import DECISION_LABELS, HOLD, RESEND, decide
from sibtui.edit.diff import DIFF_COLUMNS, diff_rows
from sibtui.edit.pending import PENDING_COLUMNS, pending_sql
from sibtui.edit.records import RecordRef
from sibtui.edit.selection import as_ref_table, refs_with_error_code, refs_with_finding
from sibtui.edit.transfer import confirm, review_sql
from sibtui.edit.transforms import NAME_FIELDS
from sibtui.output import write_rows
from sibtui.terminal import say


def run(options: argparse.Namespace) -> int:
    action = _ACTIONS[options.fix_action]
    db = getattr(options, "db", None) or default_workspace_path()
    with open_for_command(db, must_exist=True) as workspace, job_turn(workspace, "sibtui fix"):
        with closing(workspace.cursor()) as cursor:
            return action(cursor, options)


def _records(cursor, options: argparse.Namespace):
    """The selection as an Arrow table of references, or None when nothing selects."""
    parts = []
    if options.record:
        parts.append(as_ref_table([RecordRef.parse(text) for text in options.record]))
    if options.error:
        parts.append(refs_with_error_code(cursor, options.error))
    if options.rule:
        parts.append(refs_with_finding(cursor, options.rule))
    if not parts:
        return None
    return as_ref_table(pa.concat_tables([p.cast(parts[0].schema) for p in parts]))


def _options(options: argparse.Namespace) -> dict:
    return {"reason": options.reason, "note": options.note, "force": options.force, "dry_run": options.dry_run}


def _set(cursor, options: argparse.Namespace) -> int:
    if options.csv is not None:
        return _set_csv(cursor, options)
    if not options.assignments:
        print("sibtui: error: give FIELD=VALUE (or --csv FILE)", file=sys.stderr)
        return EXIT_USAGE
    values = parse_assignments(options.assignments)
    if values is None:
        return EXIT_USAGE
    if len(options.record) == 1 and not (options.error or options.rule) and not options.dry_run:
        ref = RecordRef.parse(options.record[0])
        result = editor.set_fields(cursor, ref, values, reason=options.reason, note=options.note,
                                   force=options.force)
        return _print_result(result)
    records = _records(cursor, options)
    if records is None:
        print("sibtui: error: say which records: --record FILE_ID:RECORD_NO, --error CODE or --rule RULE",
              file=sys.stderr)
        return EXIT_USAGE
    results = [editor.bulk_set(cursor, records, field, value, **_options(options)) for field, value in values.items()]
    return max(_print_result(result) for result in results)


def _set_csv(cursor, options: argparse.Namespace) -> int:
    if options.assignments or options.record or options.error or options.rule:
        print("sibtui: error: --csv says the records and the values itself; give neither FIELD=VALUE nor "
              "--record/--error/--rule with it", file=sys.stderr)
        return EXIT_USAGE
    outcome = set_from_csv(cursor, options.csv.expanduser(), dry_run=options.dry_run, force=options.force,
                           reason=options.reason, note=options.note)
    for problem in outcome.problems[:_MAX_LINES]:
        say(f"sibtui: error: {options.csv}: {problem}", file=sys.stderr)
    if len(outcome.problems) > _MAX_LINES:
        say(f"... and {len(outcome.problems) - _MAX_LINES} more problems", file=sys.stderr)
    result = outcome.result
    shown = result.changes if (options.dry_run or outcome.problems) else result.changes[:_MAX_LINES]
    for change in shown:
        cco = outcome.records.get(change.ref, ("", ""))[0]
        say(f"cco {cco} ({change.ref}) {change.field}: {_text(change.field, change.old)} -> "
            f"{_text(change.field, change.new)}")
    if len(result.changes) > len(shown):
        say(f"... and {len(result.changes) - len(shown)} more (see: sibtui fix list --pending)")
    if outcome.problems:
        say(f"nothing applied: {len(outcome.problems)} problem(s) in {outcome.rows} row(s); fix the CSV and run "
            "again (--dry-run shows old -> new)", file=sys.stderr)
        return EXIT_PROBLEM
    verb = "would change" if result.dry_run else "changed"
    action = f", action {result.action_id}" if result.action_id is not None else ""
    say(f"{verb} {len(result.changes)} field(s) in {result.changed_records} record(s) from {outcome.rows} row(s)"
        f"{action}; {result.unchanged} already so", file=sys.stderr)
    return EXIT_OK


def _fill_cns(cursor, options: argparse.Namespace) -> int:
    return _print_result(fill_cns(cursor, _records(cursor, options), **_options(options)))


def _clean(cursor, options: argparse.Namespace) -> int:
    operations = [name for name, wanted in (("trim", options.trim), ("upper", options.upper),
                                            ("remove-accents", options.remove_accents)) if wanted]
    records = _records(cursor, options)
    if not operations or records is None:
        print("sibtui: error: give --trim, --upper and/or --remove-accents, and the records "
              "(--record, --error or --rule)", file=sys.stderr)
        return EXIT_USAGE
    result = editor.clean_up(cursor, records, operations, tuple(options.field or NAME_FIELDS), **_options(options))
    return _print_result(result)


def _decide(cursor, options: argparse.Namespace) -> int:
    decision = {"hold": HOLD, "resend": RESEND, "undecide": None}[options.fix_action]
    records = _records(cursor, options)
    if records is None:
        print("sibtui: error: say which movements: --record FILE_ID:RECORD_NO (repeatable), --error CODE or --rule RULE",
              file=sys.stderr)
        return EXIT_USAGE
    result = decide(cursor, records, decision, getattr(options, "reason", None), note=options.note,
                    dry_run=options.dry_run)
    label = DECISION_LABELS[decision]
    for change in result.changes[:_MAX_LINES]:
        why = f"  (motivo: {change.new and change.reason})" if decision is not None else ""
        say(f"{change.ref}: {DECISION_LABELS[change.old]} -> {label}{why}")
    if len(result.changes) > _MAX_LINES:
        say(f"... and {len(result.changes) - _MAX_LINES} more (see: sibtui fix list --decisions)")
    for refusal in result.refused[:_MAX_LINES]:
        say(f"refused {refusal.ref}: {refusal.why}", file=sys.stderr)
    if len(result.refused) > _MAX_LINES:
        say(f"... and {len(result.refused) - _MAX_LINES} more refused", file=sys.stderr)
    return _marked(result, "movement(s)", label)


def _confirm(cursor, options: argparse.Namespace) -> int:
    refs = [RecordRef.parse(text) for text in options.record]
    if options.transfer is not None:
        state = "confirmado" if options.clear else "pendente"
        refs += [RecordRef(f, r) for f, r in cursor.execute(
            f"SELECT file_id, record_no FROM ({review_sql()}) WHERE file_id = ? AND estado = ? ORDER BY 2",
            [options.transfer, state]).fetchall()]
    if not refs and options.transfer is None:
        print("sibtui: error: say which vínculos: --record FILE_ID:RECORD_NO (repeatable) or --transfer FILE_ID",
              file=sys.stderr)
        return EXIT_USAGE
    result = confirm(cursor, refs, not options.clear, note=options.note, dry_run=options.dry_run)
    label = "pendente" if options.clear else "confirmado (nada a enviar)"
    for change in result.changes[:_MAX_LINES]:
        say(f"{change.ref}: -> {label}")
    if len(result.changes) > _MAX_LINES:
        say(f"... and {len(result.changes) - _MAX_LINES} more")
    for ref, why in result.refused[:_MAX_LINES]:
        say(f"refused {ref}: {why}", file=sys.stderr)
    return _marked(result, "vínculo(s)", label)


def _marked(result, things: str, label: str) -> int:
    """The last line of a decision or a confirmation: how many marked, kept and refused."""
    verb = "would mark" if result.dry_run else "marked"
    action = f", action {result.action_id}" if result.action_id is not None else ""
    print(f"{verb} {len(result.changes)} {things} {label}{action}; {result.unchanged} already so, "
          f"{len(result.refused)} refused", file=sys.stderr)
    return EXIT_PROBLEM if result.refused else EXIT_OK


def _undo(cursor, options: argparse.Namespace) -> int:
    return _step(cursor, editor.undo, "undo", "undone")


def _redo(cursor, options: argparse.Namespace) -> int:
    return _step(cursor, editor.redo, "redo", "redone")


def _step(cursor, step, verb: str, done: str) -> int:
    """Undo or redo the last action and print what changed."""
    result = step(cursor)
    if result is None:
        print(f"nothing to {verb}")
        return EXIT_OK
    say(f"{done} action {_target(cursor, result.action_id)}")
    return _print_result(result)


def _target(cursor, action_id: int | None) -> str:
    row = cursor.execute("SELECT any_value(target_action) FROM edit_journal WHERE action_id = ?", [action_id])
    return str(row.fetchall()[0][0])


def _list(cursor, options: argparse.Namespace) -> int:
    if options.pending:
        result = cursor.execute(pending_sql())
        write_rows(PENDING_COLUMNS, result.fetchall(), options.format, sys.stdout)
        return EXIT_OK
    if options.decisions:
        write_rows(DECISION_COLUMNS, decision_rows(cursor), options.format, sys.stdout)
        return EXIT_OK
    result = cursor.execute(
        "SELECT edit_id, action_id, action, target_action, edited_at, os_user, table_name, file_id, record_no, "
        "field, old_value, new_value, reason, note, forced FROM edit_journal ORDER BY edit_id"
    )
    write_rows([d[0] for d in result.description], result.fetchall(), options.format, sys.stdout)
    return EXIT_OK


def _diff(cursor, options: argparse.Namespace) -> int:
    write_rows(DIFF_COLUMNS, diff_rows(cursor, options.regeneration), options.format, sys.stdout)
    return EXIT_OK


def _print_result(result) -> int:
    """One line per change (first ones), refusals and warnings; exit 1 when something was refused."""
    verb = "would change" if result.dry_run else "changed"
    shown = result.changes if result.dry_run else result.changes[:_MAX_LINES]  # a dry run is read in full
    for change in shown:
        reason = f"  (motivo {change.reason})" if change.reason else ""
        old, new = _text(change.field, change.old), _text(change.field, change.new)
        say(f"{change.ref} {change.field}: {old} -> {new}{reason}")
    if len(result.changes) > len(shown):
        say(f"... and {len(result.changes) - len(shown)} more (see: sibtui fix list --pending)")
    for refusal in result.refused[:_MAX_LINES]:
        why = "; ".join(p.message for p in refusal.problems) or "a retificação não apaga campos"
        say(f"refused {refusal.ref} {refusal.field}={_text(refusal.field, refusal.value)}: {why}", file=sys.stderr)
    if len(result.refused) > _MAX_LINES:
        say(f"... and {len(result.refused) - _MAX_LINES} more refused (see: sibtui check)", file=sys.stderr)
    for ref, problem in result.warnings[:_MAX_LINES]:
        say(f"aviso {ref} {problem.field}: {problem.message}", file=sys.stderr)
    if len(result.warnings) > _MAX_LINES:
        say(f"... and {len(result.warnings) - _MAX_LINES} more warnings (see: sibtui check)", file=sys.stderr)
    action = f", action {result.action_id}" if result.action_id is not None else ""
    print(f"{verb} {len(result.changes)} field(s) in {result.changed_records} record(s){action}; "
          f"{result.unchanged} already so, {len(result.refused)} refused", file=sys.stderr)
    return EXIT_PROBLEM if result.refused else EXIT_OK


def _text(field: str, value: str | None) -> str:
    """A value as the journal holds it; personal data masked in mask mode (`--mask`)."""
    if value is None:
        return "(ausente)"
    if privacy.masking_enabled() and field in privacy.personal_fields():
        value = privacy.mask_value(field, value)
    return repr(value)


_MAX_LINES = 50
_ACTIONS = {
    "set": _set,
    "fill-cns": _fill_cns,
    "clean": _clean,
    "hold": _decide,
    "resend": _decide,
    "undecide": _decide,
    "confirm": _confirm,
    "undo": _undo,
    "redo": _redo,
    "list": _list,
    "diff": _diff,
}


def parse_assignments(texts: list[str]) -> dict[str, str] | None:
    """`FIELD=VALUE` pairs; None (after a message) when one is malformed."""
    values: dict[str, str] = {}
    for text in texts:
        column, sep, value = text.partition("=")
        if not sep or not column.strip():
            print(f"sibtui: error: {text!r}: expected FIELD=VALUE (FIELD= removes the element)", file=sys.stderr)
            return None
        values[column.strip()] = value
    return values
