"""The conference's own checks, run beside the main check (`sibtui.rules.beside`).

The newest CNX of each operator is judged on its own (its identifiers, dates and CNS), with
nothing from the SBX side, so it needs none of the main cursor's TEMP relations. The
findings come back as Arrow rows for the staging table.

A CNX judged by an earlier check, unchanged since and for a day its answer still holds, is
not judged again: its findings come from `sibtui.rules.conference_memo`, and the check
writes what it judged now to that memo with its findings (`Judged.memo`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from sibtui.rules import cns, context
from sibtui.rules.conference_memo import ConferenceMemo, MemoUpdate
from sibtui.rules.context import CheckContext


@dataclass(frozen=True)
class Judged:
    """The conference's findings (remembered and judged now), and what to remember of them."""

    findings: pa.Table | None
    memo: MemoUpdate | None


def temporaries(ctx: CheckContext) -> tuple[str, ...]:
    """The TEMP relations a `Conference` creates on its cursor."""
    return (ctx.newest_cnx, ctx.cnx_newest_rows, ctx.cnx_repeated_cns)


class Conference:
    """The conference steps (`engine.Step`s with source `cnx_beneficiaries`) for one check: which
    newest CNX the memo already holds is looked up at once; `judge` reads those and judges the rest."""

    def __init__(self, ctx: CheckContext, steps: Sequence, cursor: duckdb.DuckDBPyConnection):
        self._ctx = ctx
        parts = [  # a step's selects name their columns in the first one only, as `engine._stage` reads them
            f"SELECT file_id, record_no, '{step.source_table}' AS source_table, field, rule, message, value FROM ("
            + "\nUNION ALL\n".join(f"({select})" for select in step.selects) + ")"
            for step in steps if step.selects
        ]
        self._sql = "\nUNION ALL\n".join(f"({part})" for part in parts)
        self._memo: ConferenceMemo | None = None
        if parts:
            cursor.execute(context.newest_cnx_sql(ctx))
            self._memo = ConferenceMemo(cursor, ctx, self._sql + "\n".join(cns.cnx_helper_tables_sql(ctx)))

    def judge(self, cursor: duckdb.DuckDBPyConnection) -> Judged:
        """The findings: the CNX the memo holds read from it, the others judged now."""
        memo, ctx = self._memo, self._ctx
        if memo is None:
            return Judged(None, None)
        fresh = None
        if memo.missed:
            cursor.execute(context.cnx_newest_rows_sql(ctx, cursor, only=memo.missed))
            for statement in cns.cnx_helper_tables_sql(ctx):
                cursor.execute(statement)
            fresh = cursor.sql(self._sql).to_arrow_table()
        found = [table for table in (fresh, memo.remembered_findings(cursor)) if table is not None]
        findings = pa.concat_tables(found, promote_options="permissive") if len(found) > 1 else (
            found[0] if found else None)
        return Judged(findings, memo.update(cursor, fresh))
