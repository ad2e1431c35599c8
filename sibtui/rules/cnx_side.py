"""The conference side of the check, on a cursor and a thread of its own.

The newest CNX of each operator is judged on its own (its identifiers, dates and CNS), with
nothing from the SBX side. On two cores that work runs beside the SBX side instead of after
it: a cursor of its own has temporary tables of its own, and DuckDB releases the GIL while it
runs, so the two overlap. The findings come back as Arrow rows for the staging table.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import duckdb
import pyarrow as pa

from sibtui.rules import cns, context
from sibtui.rules.context import CheckContext


class ConferenceSide:
    """The CNX steps (`engine.Step` with source `cnx_beneficiaries`), started now, collected later."""

    def __init__(self, ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, steps: Sequence):
        self._ctx = ctx
        self._cursor = cursor
        self._closed = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sibtui-check-cnx")
        self._future: Future[pa.Table | None] = self._pool.submit(self._run, list(steps))

    def _run(self, steps: list) -> pa.Table | None:
        cursor, ctx = self._cursor, self._ctx
        cursor.execute(context.newest_cnx_sql(ctx))
        cursor.execute(context.cnx_newest_rows_sql(ctx, cursor))
        for statement in cns.cnx_helper_tables_sql(ctx):
            cursor.execute(statement)
        parts = [  # a step's selects name their columns in the first one only, as `engine._stage` reads them
            f"SELECT file_id, record_no, '{step.source_table}' AS source_table, field, rule, message, value FROM ("
            + "\nUNION ALL\n".join(f"({select})" for select in step.selects) + ")"
            for step in steps if step.selects
        ]
        if not parts:
            return None
        return cursor.sql("\nUNION ALL\n".join(f"({part})" for part in parts)).to_arrow_table()

    def findings(self) -> pa.Table | None:
        """Wait for the findings (the error of the worker, if it failed)."""
        try:
            return self._future.result()
        finally:
            self.close()

    def cancel(self) -> None:
        if self._closed:
            return
        self._cursor.interrupt()
        try:
            self._future.result()
        except Exception:  # noqa: BLE001 - interrupted on purpose: nothing of it is kept
            pass
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=True)
        for name in (self._ctx.newest_cnx, self._ctx.cnx_newest_rows, self._ctx.cnx_repeated_cns):
            try:
                context.drop_temporary(self._cursor, name)
            except duckdb.Error:
                pass
        self._cursor.close()
