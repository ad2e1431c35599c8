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
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import CNX_BENEFICIARIES
from sibtui.db.cursors import closing, copy_arrow, transaction
from sibtui.errors import SibError
from sibtui.rules import (
    ans_state,
    cascade,
    cns,
    cnx_side,
    context,
    duplicates,
    field_sql,
    file_rules,
    quality,
    records,
    sbx_fields,
)
from sibtui.rules.beside import Beside
from sibtui.rules.catalog import RULES_LIST
from sibtui.rules.conference_memo import MemoUpdate
from sibtui.rules.context import CheckContext
from sibtui.rules.generation import BUMP_SQL as BUMP_FINDINGS_GENERATION

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
    # "main": on the cursor holding the context; "fields" (`sbx_fields`) and "conference" (`cnx_side`):
    # jobs of their own, run beside it (`sibtui.rules.beside`); their rows are staged when awaited.
    lane: str = "main"
    reads_staged: bool = False  # reads the findings staged so far: the fields' are awaited first


def plan(ctx: CheckContext, planned: Sequence[Planned] = ()) -> list[Step]:
    """The checks in the order they run; each select yields (file_id, record_no, field, rule, message, value).

    `planned`: movements planned elsewhere, judged last as the movements they will be, their
    findings on the conference record they come from (see `Planned`)."""
    cnx_columns = CNX_BENEFICIARIES.value_columns
    steps = [
        Step("campos do SBX", "sbx_movements", (), lane="fields"),
        Step("campos da CNX", "cnx_beneficiaries",
             list(field_sql.cnx_field_selects(ctx.cnx_newest_rows, cnx_columns, ctx.today, "TRUE")),
             lane="conference"),
        Step("registros do SBX", "sbx_movements", records.record_selects(ctx)),
        Step("o vínculo na ANS", "sbx_movements", ans_state.ans_state_selects(ctx)),
        Step("duplicidades", "sbx_movements", duplicates.duplicate_selects(ctx)),
        Step("qualidade cadastral", "sbx_movements", quality.quality_selects(ctx)),
        Step("CNS do SBX", "sbx_movements", cns.sbx_cns_selects(ctx)),
        Step("CNS da CNX", "cnx_beneficiaries", cns.cnx_cns_selects(ctx), lane="conference"),
        Step("arquivos", "files", file_rules.file_selects(ctx.today)),
        # After every SBX rule (it reads their staged errors), before `moves` is replaced below.
        Step("titulares com erro", "sbx_movements", [cascade.cascade_select(ctx)], reads_staged=True),
    ]
    for source in planned:  # last: `moves` is rebuilt from each source's planned movements
        steps.append(Step(
            f"edições da {source.label}, como os movimentos que vão", source.table,
            [*field_sql.sbx_field_selects(ctx.moves, sbx_fields.COLUMNS, ctx.today), *records.record_selects(ctx)],
            (context.planned_moves_sql(ctx, source.select), *ans_state.helper_tables_sql(ctx)),
            f"SELECT EXISTS (SELECT 1 FROM {ctx.journal} WHERE table_name = '{source.table}')"))
    return steps


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
    beside = Beside(workspace.cursor(), (*sbx_fields.temporaries(ctx), *cnx_side.temporaries(ctx)))
    work = BesideWork(ctx, beside, [step for step in steps if step.lane == "conference"])
    cursor = workspace.cursor()
    try:
        report = _run(ctx, cursor, work, steps, progress, cancel, started)
        if report.cancelled:
            beside.cancel()
        return report
    except BaseException:
        beside.cancel()
        raise
    finally:
        beside.close()
        cursor.close()  # its temporary tables and views go with it (they belong to this cursor's connection)


class BesideWork:
    """What runs beside the main cursor: the conference, then the SBX field checks if still unclaimed.

    The field checks go to whichever lane claims them first. When the memo holds every conference,
    judging it is a read and this lane takes them at once; when a conference is judged in the run,
    the main lane may come first to the step that reads them (`Step.reads_staged`) and judge them
    itself (over `moves`), so neither lane waits long for the other."""

    def __init__(self, ctx: CheckContext, beside: Beside, conference_steps: list[Step]):
        self._ctx = ctx
        self._steps = conference_steps
        self._lock = threading.Lock()
        self._claimed_by: str | None = None
        self.fields_staged = False
        self._future: Future[tuple[pa.Table | None, cnx_side.Judged]] = beside.submit(self._run)

    def claim_fields(self, lane: str) -> bool:
        with self._lock:
            if self._claimed_by is None:
                self._claimed_by = lane
            return self._claimed_by == lane

    def _run(self, cursor: duckdb.DuckDBPyConnection) -> tuple[pa.Table | None, cnx_side.Judged]:
        judged = cnx_side.Conference(self._ctx, self._steps, cursor).judge(cursor)
        fields = sbx_fields.judge_fields(self._ctx, cursor) if self.claim_fields("beside") else None
        return fields, judged

    def stage_fields(self, ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> None:
        """The field findings in the staging table, once: judged here if the other lane did not claim them."""
        if self.fields_staged:
            return
        self.fields_staged = True
        if self.claim_fields("main"):
            _stage(ctx, cursor, Step("campos do SBX", sbx_fields.SOURCE_TABLE,
                                     [partial(sbx_fields.field_selects, ctx, ctx.moves)]))
        else:
            _stage_arrow(ctx, cursor, self.result()[0])

    def result(self) -> tuple[pa.Table | None, cnx_side.Judged]:
        """The fields (None when the main lane judged them) and the conference, once both are done."""
        return self._future.result()


def remember_conferences(workspace, today: dt.date | None = None) -> int:
    """Judge the newest conferences now, as a check would, and remember what they hold (`conference_memo`):
    run after a CNX is loaded, so the next check finds them judged. `findings` is left as it was.
    Returns how many conferences were judged (those already remembered for `today` are not)."""
    ctx = CheckContext(today or dt.date.today())
    with closing(workspace.cursor()) as cursor:
        steps = [step for step in plan(ctx) if step.lane == "conference"]
        judged = cnx_side.Conference(ctx, steps, cursor).judge(cursor)
        if judged.memo is None:
            return 0
        with transaction(cursor):
            judged.memo.write(cursor)
    return len(judged.memo.keys)


def _run(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, work: BesideWork, steps: list[Step],
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
        if step.reads_staged:
            work.stage_fields(ctx, cursor)
        if step.lane == "main":
            _stage(ctx, cursor, step)
    work.stage_fields(ctx, cursor)
    judged = work.result()[1]
    _stage_arrow(ctx, cursor, judged.findings)
    if cancel is not None and cancel():
        return CheckReport(seconds=time.perf_counter() - started, cancelled=True)
    _tell(progress, total - 1, total, "gravando os achados")
    _replace_findings(ctx, cursor, judged.memo)
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


def _replace_findings(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, memo: MemoUpdate | None) -> None:
    unknown = cursor.execute(
        f"SELECT DISTINCT rule FROM {ctx.stage} WHERE rule NOT IN (SELECT rule FROM {ctx.rules})").fetchall()
    if unknown:
        raise UnknownRule(f"rules missing from the catalogue: {', '.join(sorted(r[0] for r in unknown))}")
    with transaction(cursor):
        cursor.execute("DELETE FROM findings")
        cursor.execute(
            f"INSERT INTO findings SELECT DISTINCT s.file_id, s.record_no, s.source_table, s.field, s.rule, r.severity, "
            f"s.message, s.value FROM {ctx.stage} s JOIN {ctx.rules} r ON r.rule = s.rule"
        )
        if memo is not None:
            memo.write(cursor)
        cursor.execute(BUMP_FINDINGS_GENERATION)  # other consoles see new findings even when as many


def _register_rules(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> None:
    """rule -> severity, registered before the steps (the cascade reads it)."""
    table = pa.table({"rule": [r.id for r in RULES_LIST], "severity": [r.severity.value for r in RULES_LIST]})
    copy_arrow(cursor, f"CREATE OR REPLACE TEMP TABLE {ctx.rules} AS", table)


def finding_counts(cursor: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    rows = cursor.execute("SELECT rule, severity, count(*) FROM findings GROUP BY ALL ORDER BY ALL").fetchall()
    return {(rule, severity): count for rule, severity, count in rows}
