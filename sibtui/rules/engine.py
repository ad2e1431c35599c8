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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import CNX_BENEFICIARIES, SBX_MOVEMENTS
from sibtui.edit.regen.cnx_plan import planned_moves_sql
from sibtui.errors import SibError
from sibtui.rules import ans_state, cascade, cns, context, duplicates, field_sql, file_rules, quality, records
from sibtui.rules.catalog import RULES_LIST
from sibtui.rules.cnx_side import ConferenceSide

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what runs next)
Cancel = Callable[[], bool]

# Snapshots of the current views taken once per check (`sibtui.rules.context`): every rule
# reads the same values, and the edit journal is applied once, not once per rule.
SBX_SOURCE = "__moves"
CNX_SOURCE = "__cnx_newest_rows"
STAGE = "__findings_stage"
RULES_TABLE = "__rules"  # rule -> severity, registered before the steps (the cascade reads it)
# Lookups the rules join, built after the context (`__moves`), in this order.
HELPER_TABLES_SQL = (*ans_state.HELPER_TABLES_SQL, *duplicates.HELPER_TABLES_SQL, *quality.HELPER_TABLES_SQL,
                     *cns.HELPER_TABLES_SQL)
HELPER_TABLES = (*ans_state.HELPER_TABLES, *duplicates.HELPER_TABLES, *quality.HELPER_TABLES, *cns.HELPER_TABLES)


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
class Step:
    """One stage of the check. A select is SQL, or a function of the cursor that writes it once the
    context exists (a rule that only needs the columns the movements actually carry)."""

    description: str
    source_table: str
    selects: list[str | Callable[[duckdb.DuckDBPyConnection], str | list[str] | None]]
    prepare: tuple[str, ...] = ()  # statements run first (e.g. another `__moves`)
    only_if: str | None = None  # a SELECT of one boolean: the step runs only when it is true
    beside: bool = False  # the conference's own checks: run in a thread of their own (`cnx_side`)


def plan(today: dt.date) -> list[Step]:
    """The checks in the order they run; each select yields (file_id, record_no, field, rule, message, value)."""
    sbx_columns = tuple(c for c in SBX_MOVEMENTS.value_columns if c != "movement")
    cnx_columns = CNX_BENEFICIARIES.value_columns
    return [
        Step("campos do SBX", "sbx_movements", [partial(_sbx_field_selects, sbx_columns, today)]),
        Step("campos da CNX", "cnx_beneficiaries",
             list(field_sql.cnx_field_selects(CNX_SOURCE, cnx_columns, today, "TRUE")), beside=True),
        Step("registros do SBX", "sbx_movements", records.record_selects()),
        Step("o vínculo na ANS", "sbx_movements", ans_state.ans_state_selects()),
        Step("duplicidades", "sbx_movements", duplicates.duplicate_selects()),
        Step("qualidade cadastral", "sbx_movements", quality.quality_selects()),
        Step("CNS do SBX", "sbx_movements", list(cns.SBX_CNS_SELECTS)),
        Step("CNS da CNX", "cnx_beneficiaries", list(cns.CNX_CNS_SELECTS), beside=True),
        Step("arquivos", "files", file_rules.file_selects(today)),
        # After every SBX rule (it reads their staged errors), before `__moves` is replaced below.
        Step("titulares com erro", "sbx_movements", [cascade.cascade_select(STAGE, RULES_TABLE)]),
        # Last: edits of CNX records judged as the SBX movements they will become
        # (`sibtui.edit.regen.cnx_plan`); `__moves` is rebuilt from them, findings go to the CNX record.
        *(Step(f"edições da {label}, como os movimentos que vão", table,
               [*field_sql.sbx_field_selects(SBX_SOURCE, sbx_columns, today), *records.record_selects()],
               (planned_moves_sql(_moves_columns(), today, table), *ans_state.HELPER_TABLES_SQL), edited(table))
          for label, table in (("CNX", "cnx_beneficiaries"), ("transferência", "transfer_beneficiaries"))),
    ]


def _sbx_field_selects(columns: tuple[str, ...], today: dt.date, cursor: duckdb.DuckDBPyConnection) -> list[str]:
    """The field checks of the SBX columns that hold anything to check in the movements judged."""
    judged = field_sql.sbx_columns_with_something_to_say(cursor, SBX_SOURCE, columns)
    return list(field_sql.sbx_field_selects(SBX_SOURCE, judged, today, future_from="future_from"))


def run_checks(
    workspace,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    today: dt.date | None = None,
    movements: str = context.MOVEMENTS_RELATION,
) -> CheckReport:
    """Check every loaded record and file; replace `findings`; return the counts.

    `today` decides what a future date is (default: the machine's date). `progress` is told
    before each step; when `cancel()` answers True between steps, the check stops and the
    previous findings stay as they were (the report says `cancelled`). `movements` is the
    relation of SBX movements judged (the SBX movement columns; default: the loaded ones,
    edits applied), so movements planned elsewhere can be judged as the movements they will be.
    """
    started = time.perf_counter()
    today = today or dt.date.today()
    steps = plan(today)
    conference = ConferenceSide(workspace.cursor(), [step for step in steps if step.beside])
    cursor = workspace.cursor()
    try:
        report = _run(cursor, conference, steps, progress, cancel, today, started, movements)
        if report.cancelled:
            conference.cancel()
        return report
    except BaseException:
        conference.cancel()
        raise
    finally:
        conference.close()
        cursor.close()  # its temporary tables and views go with it (they belong to this cursor's connection)


def _run(cursor: duckdb.DuckDBPyConnection, conference: ConferenceSide, steps: list[Step],
         progress: Progress | None, cancel: Cancel | None, today: dt.date, started: float,
         movements: str) -> CheckReport:
    total = len(steps) + 2
    _tell(progress, 0, total, "contexto (CNX de referência, CCOs conhecidos)")
    context.build_context(cursor, _moves_columns(), today, movements)
    for statement in HELPER_TABLES_SQL:
        cursor.execute(statement(cursor) if callable(statement) else statement)
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE {STAGE} (file_id BIGINT, record_no BIGINT, source_table VARCHAR, "
                   "field VARCHAR, rule VARCHAR, message VARCHAR, value VARCHAR)")
    _register_rules(cursor)
    for number, step in enumerate(steps, start=1):
        if cancel is not None and cancel():
            return CheckReport(seconds=time.perf_counter() - started, cancelled=True)
        _tell(progress, number, total, step.description)
        if not step.beside:  # the conference side runs beside, in its own thread
            _stage(cursor, step)
    _stage_arrow(cursor, conference.findings())
    if cancel is not None and cancel():
        return CheckReport(seconds=time.perf_counter() - started, cancelled=True)
    _tell(progress, total - 1, total, "gravando os achados")
    _replace_findings(cursor)
    _tell(progress, total, total, "pronto")
    return CheckReport(counts=finding_counts(cursor), seconds=time.perf_counter() - started)


def _tell(progress: Progress | None, done: int, total: int, description: str) -> None:
    if progress is not None:
        progress(done, total, description)


def _moves_columns() -> tuple[str, ...]:
    return ("file_id", "record_no", *SBX_MOVEMENTS.value_columns)


def edited(table: str) -> str:
    """A SELECT of one boolean: some record of `table` was edited (its planned movements are judged)."""
    return f"SELECT EXISTS (SELECT 1 FROM edit_journal WHERE table_name = '{table}')"


def _stage(cursor: duckdb.DuckDBPyConnection, step: Step) -> None:
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
        f"INSERT INTO {STAGE} SELECT file_id, record_no, '{step.source_table}', field, rule, message, value "
        f"FROM ({union})"
    )


def _stage_arrow(cursor: duckdb.DuckDBPyConnection, found: pa.Table | None) -> None:
    if found is None or found.num_rows == 0:
        return
    cursor.register("__found_arrow", found)
    try:
        cursor.execute(f"INSERT INTO {STAGE} SELECT * FROM __found_arrow")
    finally:
        cursor.unregister("__found_arrow")


def _replace_findings(cursor: duckdb.DuckDBPyConnection) -> None:
    unknown = cursor.execute(f"SELECT DISTINCT rule FROM {STAGE} WHERE rule NOT IN (SELECT rule FROM {RULES_TABLE})").fetchall()
    if unknown:
        raise UnknownRule(f"rules missing from the catalogue: {', '.join(sorted(r[0] for r in unknown))}")
    cursor.execute("BEGIN TRANSACTION")
    try:
        cursor.execute("DELETE FROM findings")
        cursor.execute(
            f"INSERT INTO findings SELECT DISTINCT s.file_id, s.record_no, s.source_table, s.field, s.rule, r.severity, "
            f"s.message, s.value FROM {STAGE} s JOIN {RULES_TABLE} r ON r.rule = s.rule"
        )
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise


def _register_rules(cursor: duckdb.DuckDBPyConnection) -> None:
    table = pa.table({"rule": [r.id for r in RULES_LIST], "severity": [r.severity.value for r in RULES_LIST]})
    cursor.register("__rules_arrow", table)
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE {RULES_TABLE} AS SELECT * FROM __rules_arrow")
    cursor.unregister("__rules_arrow")


def finding_counts(cursor: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    rows = cursor.execute("SELECT rule, severity, count(*) FROM findings GROUP BY ALL ORDER BY ALL").fetchall()
    return {(rule, severity): count for rule, severity, count in rows}
