"""`regenerate`: corrected SBX files, written, proven and logged, for the console and the CLI.

First, what a killed regeneration left is settled (`recovery`, and superseded files not yet
moved). The resend state of every rejected movement is read once (`sibtui.edit.resend`), so
each plan (`sibtui.edit.regen.plan`) sends exactly what was decided and notes what stayed
out (`notes`). Against the files still to send of the same source (`supersede`), only what
is new or changed is written; a file holding something that changed is replaced. Rows
stream from DuckDB in submission order, are normalised and checked, and go into parts of at
most 100,000 movements (§3.3). Every part is re-read and
compared (`verify`), logged (unpublished, one transaction), given its final name, and
marked published. A plan that fails leaves no file and no log row; the other plans still
run. One regeneration at a time per process: recovery must never settle the rows of one
still running. `progress(done, total, label)` and `cancel() -> bool` are plain
callables, so the console runs this in a worker without the core knowing Textual.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from pathlib import Path

import duckdb
from lxml import etree

from sibtui.edit.journal import newest_edit_id
from sibtui.edit.records import EditError
from sibtui.edit.regen import notes, recovery, rows, supersede
from sibtui.edit.regen.output import check_folder
from sibtui.edit.regen.parts import CancelCallback, Clock, Options, PlanWriter, ProgressCallback
from sibtui.edit.regen.plan import SCOPE_CNX_EDITS, SourcePlan, plan_all
from sibtui.edit.regen.results import RegenerateResult, Regeneration, RegenerationCancelled, WrittenFile
from sibtui.edit.resend import going_sql

__all__ = ["regenerate", "Regeneration", "RegenerateResult", "RegenerationCancelled", "WrittenFile"]
_ONE_AT_A_TIME = threading.Lock()


def one_at_a_time() -> threading.Lock:
    """The lock every writer of SBX files holds (a regeneration, a no-movement file): recovery
    must never settle the rows of one still running, nor two pick the same name."""
    return _ONE_AT_A_TIME
_STATES = "__resend_states"  # the resend state of every rejected movement, read once per regeneration


def regenerate(
    cursor: duckdb.DuckDBPyConnection,
    out_dir: Path | str,
    *,
    sbx_file_ids: list[int] | None = None,
    all_movements: bool = False,
    include_cnx_edits: bool | None = None,
    include_pending: bool = False,
    xsd_path: Path | str | None = None,
    clock: Clock | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    today: dt.date | None = None,
) -> RegenerateResult:
    """Write corrected SBX files into `out_dir` (see the module docstring)."""
    with _ONE_AT_A_TIME:
        tag = recovery.workspace_tag(cursor)
        options = Options(
            check_folder(Path(out_dir)), load_schema(xsd_path), str(xsd_path) if xsd_path else None,
            clock or dt.datetime.now, progress, cancel, today or dt.date.today(), tag,
        )
        result = RegenerateResult(recovered=recovery.recover(cursor, options.out_dir, tag))
        result.recovered += supersede.move_superseded(cursor)
        upto = newest_edit_id(cursor)  # one state of the journal for every plan
        cursor.execute(f"CREATE OR REPLACE TEMP TABLE {_STATES} AS {going_sql(upto, include_pending)}")
        try:
            for plan in plan_all(cursor, sbx_file_ids, all_movements, include_cnx_edits, include_pending):
                plan.states = _STATES
                notes.add_plan_notes(cursor, plan)
                regeneration, why = _run_plan(cursor, plan, options, upto)
                if regeneration is None:
                    result.skipped.append((plan.label, why))
                    result.skipped_plans.append(plan)
                else:
                    result.regenerations.append(regeneration)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{_STATES}")
        supersede.move_superseded(cursor)  # this run's: the report names them with the file replacing them
        return result


def load_schema(xsd_path: Path | str | None) -> etree.XMLSchema | None:
    if xsd_path is None:
        return None
    path = Path(xsd_path).expanduser()
    try:
        return etree.XMLSchema(etree.parse(str(path)))
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as error:
        raise EditError(f"{path}: cannot read the XSD: {error}") from None


def _row_key(row: dict) -> tuple:
    return (row["__table"], row["file_id"], row["record_no"], row["movement"], row.get("__edits_key") or "")


def _run_plan(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, options: Options, upto: int
              ) -> tuple[Regeneration | None, str]:
    """Write one plan, or say why nothing was written (pt-BR)."""
    if plan.scope == SCOPE_CNX_EDITS:
        cnx_rows = rows.cnx_rows(cursor, plan, upto)
        planned = {_row_key(row) for row in cnx_rows}
    else:
        planned = rows.sbx_keys(cursor, plan, upto)
    reconciled = supersede.reconcile(planned, supersede.waiting_files(cursor, plan))
    to_write = reconciled.to_write(planned)
    if not to_write:
        return None, _nothing_written(cursor, plan, planned, reconciled)
    planned_rows: Iterable[dict] = cnx_rows if plan.scope == SCOPE_CNX_EDITS else rows.sbx_rows(cursor, plan, upto)
    regeneration = Regeneration(plan)
    regeneration.kept = [f.name for f in reconciled.staying]
    if plan.registro_ans is None:
        regeneration.problems.append(f"{plan.label}: registro ANS desconhecido; não há como nomear o arquivo")
        return regeneration, ""
    writer = PlanWriter(cursor, plan, options, len(to_write), regeneration, upto)
    try:
        writer.write_all(row for row in planned_rows if _row_key(row) in to_write)
        writer.verify()
        if not regeneration.problems:
            writer.publish_and_log()
    finally:
        writer.discard_unpublished()
    if regeneration.files:
        supersede.mark_superseded(cursor, reconciled.superseded, regeneration.files[0].name)
        regeneration.superseded = [f.name for f in reconciled.superseded]
    return regeneration, ""


def _nothing_written(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, planned: set,
                     reconciled: supersede.Reconciled) -> str:
    if reconciled.superseded:
        supersede.mark_superseded(cursor, reconciled.superseded, None)
        names = ", ".join(f.name for f in reconciled.superseded)
        return f"nada mais a enviar: {names} retirado(s) — não envie (movido(s) para {supersede.SUPERSEDED_FOLDER}/)"
    if reconciled.staying:
        return (f"nada mudou: os {len(planned)} movimento(s) já estão em "
                f"{supersede.where_text(reconciled.staying)}, ainda não enviado(s) à ANS")
    return "nada a reenviar"
