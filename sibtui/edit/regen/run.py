"""`regenerate`: corrected SBX files, written, proven and logged, for the console and the CLI.

First, what a killed regeneration left is settled (`recovery`). Then, for each plan
(`sibtui.edit.regen.plan`), rows stream from DuckDB in submission order, are normalised and
checked, and go into parts of at most 100,000 movements (§3.3). Every part is re-read and
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
from sibtui.edit.records import SBX_TABLE, EditError
from sibtui.edit.regen import recovery, rows
from sibtui.edit.regen.output import check_folder
from sibtui.edit.regen.parts import CancelCallback, Clock, Options, PlanWriter, ProgressCallback
from sibtui.edit.regen.plan import SCOPE_CNX_EDITS, SourcePlan, plan_all
from sibtui.edit.regen.results import RegenerateResult, Regeneration, RegenerationCancelled, WrittenFile

__all__ = ["regenerate", "Regeneration", "RegenerateResult", "RegenerationCancelled", "WrittenFile"]
_ONE_AT_A_TIME = threading.Lock()


def regenerate(
    cursor: duckdb.DuckDBPyConnection,
    out_dir: Path | str,
    *,
    sbx_file_ids: list[int] | None = None,
    all_movements: bool = False,
    include_cnx_edits: bool | None = None,
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
            check_folder(Path(out_dir)), _load_schema(xsd_path), str(xsd_path) if xsd_path else None,
            clock or dt.datetime.now, progress, cancel, today or dt.date.today(), tag,
        )
        result = RegenerateResult(recovered=recovery.recover(cursor, options.out_dir, tag))
        for plan in plan_all(cursor, sbx_file_ids, all_movements, include_cnx_edits):
            _add_plan_notes(cursor, plan)
            regeneration = _run_plan(cursor, plan, options)
            if regeneration is None:
                result.skipped.append((plan.label, "nada a reenviar"))
            else:
                result.regenerations.append(regeneration)
        return result


def _load_schema(xsd_path: Path | str | None) -> etree.XMLSchema | None:
    if xsd_path is None:
        return None
    path = Path(xsd_path).expanduser()
    try:
        return etree.XMLSchema(etree.parse(str(path)))
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as error:
        raise EditError(f"{path}: cannot read the XSD: {error}") from None


def _run_plan(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, options: Options) -> Regeneration | None:
    upto = newest_edit_id(cursor)
    if plan.scope == SCOPE_CNX_EDITS:
        planned_rows: Iterable[dict] = rows.cnx_rows(cursor, plan, upto)
        total = len(planned_rows)  # type: ignore[arg-type]
    else:
        total = rows.count_sbx_rows(cursor, plan)
        planned_rows = rows.sbx_rows(cursor, plan, upto)
    if total == 0:
        return None
    regeneration = Regeneration(plan)
    if plan.registro_ans is None:
        regeneration.problems.append(f"{plan.label}: registro ANS desconhecido; não há como nomear o arquivo")
        return regeneration
    writer = PlanWriter(cursor, plan, options, total, regeneration, upto)
    try:
        writer.write_all(planned_rows)
        writer.verify()
        if not regeneration.problems:
            writer.publish_and_log()
    finally:
        writer.discard_unpublished()
    return regeneration


def _add_plan_notes(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> None:
    """What the analyst should know about what does not go in."""
    if plan.source_file_id is None:
        return
    if plan.rpx_file_id is not None and plan.scope == "rejected":
        unlinked = cursor.execute(
            "SELECT count(DISTINCT rpx_record_no) FROM rpx_rejection_links "
            "WHERE rpx_file_id = ? AND sbx_file_id = ? AND sbx_record_no IS NULL",
            [plan.rpx_file_id, plan.source_file_id],
        ).fetchall()[0][0]
        if unlinked:
            plan.notes.append(f"{unlinked} registro(s) rejeitado(s) no {plan.rpx_name} sem movimento correspondente "
                              f"no {plan.source_name}: não entram")
    if plan.scope == "rejected":
        left_out = cursor.execute(
            "SELECT count(DISTINCT record_no) FROM edit_journal j WHERE table_name = ? AND file_id = ? "
            "AND record_no NOT IN (SELECT sbx_record_no FROM rpx_rejection_links WHERE rpx_file_id = ? "
            "AND sbx_file_id = ? AND sbx_record_no IS NOT NULL)",
            [SBX_TABLE, plan.source_file_id, plan.rpx_file_id, plan.source_file_id],
        ).fetchall()[0][0]
        if left_out:
            plan.notes.append(f"{left_out} movimento(s) editado(s) que a ANS aceitou não entram: para corrigir um "
                              "vínculo já aceito, edite o registro da conferência (CNX), que vira retificação")
