"""`run_checks`: the whole local pre-critique over a workspace, regenerating `findings`.

Every rule is SQL (field rules generated from the catalogue, record, CNS and file rules
written out), so a million records are judged inside DuckDB's vectorised engine and never
row by row in Python. Rules read the `*_current` views (loaded values with the analyst's
edits applied) and never touch the raw tables. Findings are collected in a TEMP staging
table, then `findings` is replaced in ONE transaction: a reader sees the old findings or
the new ones, never half; a cancelled check leaves the old ones in place.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import CNX_BENEFICIARIES, SBX_MOVEMENTS
from sibtui.db.cursors import copy_arrow
from sibtui.errors import SibError
from sibtui.rules import ans_state, cascade, cns, context, duplicates, field_sql, file_rules, quality, records
from sibtui.rules.catalog import RULES_LIST
from sibtui.rules.cnx_side import ConferenceSide
from sibtui.rules.context import CheckContext

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what runs next)
Cancel = Callable[[], bool]



def helper_tables_sql(ctx: CheckContext) -> tuple:
    """Lookups the rules join, built after the context (`moves`), in this order."""
    return (*ans_state.helper_tables_sql(ctx), *duplicates.helper_tables_sql(ctx), *quality.helper_tables_sql(ctx),
            *cns.helper_tables_sql(ctx))


@dataclass
class CheckReport:
    """What a check found: counts per rule and severity, and how long it took."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (rule, severity) -> findings
    seconds: float = 0.0
    cancelled: bool = False

    @property
    def errors(self) -> int:
        return sum(n for (_, severity), n in self.counts.items() if severity == "error")

    @property
    def warnings(self) -> int:
        return sum(n for (_, severity), n in self.counts.items() if severity == "warning")

    @property
    def has_errors(self) -> bool:
        return self.errors > 0


class UnknownRule(SibError):
    """A rule produced a finding under an id the catalogue does not declare (a programming error)."""


@dataclass(frozen=True)
class Planned:
    """Movements planned from the edits of one conference table (CNX, a portfolio transfer):
    `select` yields the movement columns and their `registroANS`; `label` names them in Portuguese."""

    label: str
    table: str
    select: str


@dataclass(frozen=True)
class Step:
    """One stage of the check. A select is SQL, or a function of the cursor that writes it once the
    context exists (a rule that only needs the columns the movements actually carry)."""

    description: str
    source_table: str
    selects: Sequence[str | Callable[[duckdb.DuckDBPyConnection], str | list[str] | None]]
    prepare: tuple[str, ...] = ()  # statements run first (e.g. another `__moves`)
    only_if: str | None = None  # a SELECT of one boolean: the step runs only when it is true
    beside: bool = False  # the conference's own checks: run in a thread of their own (`cnx_side`)


def plan(ctx: CheckContext, planned: Sequence[Planned] = ()) -> list[Step]:
    """The checks in the order they run; each select yields (file_id, record_no, field, rule, message, value).

    `planned`: movements planned elsewhere, judged last as the movements they will be, their
    findings on the conference record they come from (see `Planned`)."""
    sbx_columns = tuple(c for c in SBX_MOVEMENTS.value_columns if c != "movement")
    cnx_columns = CNX_BENEFICIARIES.value_columns
    steps = [
        Step("campos do SBX", "sbx_movements", [partial(_sbx_field_selects, ctx, sbx_columns)]),
        Step("campos da CNX", "cnx_beneficiaries",
             list(field_sql.cnx_field_selects(ctx.cnx_newest_rows, cnx_columns, ctx.today, "TRUE")), beside=True),
        Step("registros do SBX", "sbx_movements", records.record_selects(ctx)),
        Step("o vínculo na ANS", "sbx_movements", ans_state.ans_state_selects(ctx)),
        Step("duplicidades", "sbx_movements", duplicates.duplicate_selects(ctx)),
        Step("qualidade cadastral", "sbx_movements", quality.quality_selects(ctx)),
        Step("CNS do SBX", "sbx_movements", cns.sbx_cns_selects(ctx)),
        Step("CNS da CNX", "cnx_beneficiaries", cns.cnx_cns_selects(ctx), beside=True),
        Step("arquivos", "files", file_rules.file_selects(ctx.today)),
        # After every SBX rule (it reads their staged errors), before `moves` is replaced below.
        Step("titulares com erro", "sbx_movements", [cascade.cascade_select(ctx)]),
    ]
    for source in planned:  # last: `moves` is rebuilt from each source's planned movements
        steps.append(Step(
            f"edições da {source.label}, como os movimentos que vão", source.table,
            [*field_sql.sbx_field_selects(ctx.moves, sbx_columns, ctx.today), *records.record_selects(ctx)],
            (context.planned_moves_sql(ctx, source.select), *ans_state.helper_tables_sql(ctx)),
            f"SELECT EXISTS (SELECT 1 FROM {ctx.journal} WHERE table_name = '{source.table}')"))
    return steps


def _sbx_field_selects(ctx: CheckContext, columns: tuple[str, ...], cursor: duckdb.DuckDBPyConnection) -> list[str]:
    """The field checks of the SBX columns that hold anything to check in the movements judged."""
    judged = field_sql.sbx_columns_with_something_to_say(cursor, ctx.moves, columns)
    return list(field_sql.sbx_field_selects(ctx.moves, judged, ctx.today, future_from="future_from"))


def run_checks(
    workspace,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    today: dt.date | None = None,
    movements: str = context.MOVEMENTS_RELATION,
    planned: Sequence[Planned] = (),
) -> CheckReport:
    """Check every loaded record and file; replace `findings`; return the counts.

    `today` decides what a future date is (default: the machine's date). `progress` is told
    before each step; when `cancel()` answers True between steps, the check stops and the
    previous findings stay as they were (the report says `cancelled`). `movements` is the
    relation of SBX movements judged (the SBX movement columns; default: the loaded ones,
    edits applied), so movements planned elsewhere can be judged as the movements they will be;
    `planned` adds a last step for those (see `plan`).
    """
    started = time.perf_counter()
    ctx = CheckContext(today or dt.date.today(), movements)
    steps = plan(ctx, planned)
    conference = ConferenceSide(ctx, workspace.cursor(), [step for step in steps if step.beside])
    cursor = workspace.cursor()
    try:
        report = _run(ctx, cursor, conference, steps, progress, cancel, started)
        if report.cancelled:
            conference.cancel()
        return report
    except BaseException:
        conference.cancel()
        raise
    finally:
        conference.close()
        cursor.close()  # its temporary tables and views go with it (they belong to this cursor's connection)


def _run(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, conference: ConferenceSide, steps: list[Step],
         progress: Progress | None, cancel: Cancel | None, started: float) -> CheckReport:
    total = len(steps) + 2
    _tell(progress, 0, total, "contexto (CNX de referência, CCOs conhecidos)")
    context.build_context(ctx, cursor)
    for statement in helper_tables_sql(ctx):
        cursor.execute(statement(cursor) if callable(statement) else statement)
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE {ctx.stage} (file_id BIGINT, record_no BIGINT, "
                   "source_table VARCHAR, field VARCHAR, rule VARCHAR, message VARCHAR, value VARCHAR)")
    _register_rules(ctx, cursor)
    for number, step in enumerate(steps, start=1):
        if cancel is not None and cancel():
            return CheckReport(seconds=time.perf_counter() - started, cancelled=True)
        _tell(progress, number, total, step.description)
        if not step.beside:  # the conference side runs beside, in its own thread
            _stage(ctx, cursor, step)
    _stage_arrow(ctx, cursor, conference.findings())
    if cancel is not None and cancel():
        return CheckReport(seconds=time.perf_counter() - started, cancelled=True)
    _tell(progress, total - 1, total, "gravando os achados")
    _replace_findings(ctx, cursor)
    _tell(progress, total, total, "pronto")
    return CheckReport(counts=finding_counts(cursor), seconds=time.perf_counter() - started)


def _tell(progress: Progress | None, done: int, total: int, description: str) -> None:
    if progress is not None:
        progress(done, total, description)


def _stage(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, step: Step) -> None:
    if step.only_if is not None and not cursor.execute(step.only_if).fetchall()[0][0]:
        return
    for statement in step.prepare:
        cursor.execute(statement)
    selects: list[str] = []
    for select in step.selects:
        written = select(cursor) if callable(select) else select
        selects.extend([written] if isinstance(written, str) else written or [])
    if not selects:
        return
    union = "\nUNION ALL\n".join(f"({select})" for select in selects)
    cursor.execute(
        f"INSERT INTO {ctx.stage} SELECT file_id, record_no, '{step.source_table}', field, rule, message, value "
        f"FROM ({union})"
    )


def _stage_arrow(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, found: pa.Table | None) -> None:
    if found is None or found.num_rows == 0:
        return
    copy_arrow(cursor, f"INSERT INTO {ctx.stage}", found)


def _replace_findings(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> None:
    unknown = cursor.execute(
        f"SELECT DISTINCT rule FROM {ctx.stage} WHERE rule NOT IN (SELECT rule FROM {ctx.rules})").fetchall()
    if unknown:
        raise UnknownRule(f"rules missing from the catalogue: {', '.join(sorted(r[0] for r in unknown))}")
    cursor.execute("BEGIN TRANSACTION")
    try:
        cursor.execute("DELETE FROM findings")
        cursor.execute(
            f"INSERT INTO findings SELECT DISTINCT s.file_id, s.record_no, s.source_table, s.field, s.rule, r.severity, "
            f"s.message, s.value FROM {ctx.stage} s JOIN {ctx.rules} r ON r.rule = s.rule"
        )
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise


def _register_rules(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> None:
    """rule -> severity, registered before the steps (the cascade reads it)."""
    table = pa.table({"rule": [r.id for r in RULES_LIST], "severity": [r.severity.value for r in RULES_LIST]})
    copy_arrow(cursor, f"CREATE OR REPLACE TEMP TABLE {ctx.rules} AS", table)


def finding_counts(cursor: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    rows = cursor.execute("SELECT rule, severity, count(*) FROM findings GROUP BY ALL ORDER BY ALL").fetchall()
    return {(rule, severity): count for rule, severity, count in rows}
