"""Ad hoc SQL over the workspace, shared by `sibtui query` and the console's SQL screen.

Loaded files are evidence and the journal is the analyst's work: ad hoc SQL only reads,
unless the caller explicitly allows writes (`sibtui query --write`). Three walls, each
enough on its own for the common case:

1. `sibtui.query.sql_guard` judges every statement on DuckDB's own parse (statement types,
   the syntax tree of each SELECT, the parser's tokens) before any runs: a script with one
   statement that may not run runs nothing at all.
2. Reading SQL runs inside a transaction that is always rolled back (the console's
   runner commits only its result table, in the scratch database: DuckDB refuses a
   transaction that writes two databases, so a write that slipped past the guard fails
   the whole run). `sibtui query` also opens the workspace read-only.
3. The workspace runs with `enable_external_access` off: no SQL reads or writes files
   (exports go through `sibtui.query.export`, never `COPY`).

Settings are not transactional, so the guard allows only the session's own (`SET VARIABLE`,
`SET TimeZone`...), on a cursor that dies with the query. In mask mode the SQL reads masked
views of sibtui's relations (`sibtui.query.masked_views`) and errors are scrubbed.

DuckDB does not see Ctrl+C while a query runs on the main thread; `run_interruptible` runs
the work on a thread and turns Ctrl+C into `cursor.interrupt()`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from sibtui import interrupts
from sibtui.db.failures import explain as explain_failure
from sibtui.db.failures import first_line
from sibtui.db.schema import owned_names
from sibtui.privacy import masking_enabled
from sibtui.query import masked_views
from sibtui.query.sql_guard import Checked, Policy, QueryError, check_sql

T = TypeVar("T")

FETCH_ROWS = 10_000
_INTERRUPT_GRACE_SECONDS = 30

__all__ = ["QueryError", "QueryResult", "checked_sql", "run_interruptible", "run_query", "refuse_writes"]


@dataclass
class QueryResult:
    columns: list[str]
    rows: Iterator[tuple]


def policy(cursor: duckdb.DuckDBPyConnection, allow_writes: bool = False, masked: bool | None = None) -> Policy:
    """The guard's policy: writes as asked, mask mode as asked (None: as mask mode is now),
    sibtui's own relations as the workspace records them."""
    return Policy(allow_writes, masking_enabled() if masked is None else masked, owned_names(cursor))


def checked_sql(cursor: duckdb.DuckDBPyConnection, sql: str, rules: Policy) -> list[Checked]:
    """`sql` judged by the guard; in mask mode, the masked views it reads made on `cursor`."""
    checked = check_sql(cursor, sql, rules)
    if rules.masked:
        try:
            masked_views.prepare(cursor, checked, rules.own_relations)
        except duckdb.Error as error:
            raise QueryError(error_line(error, True)) from None
    return checked


def run_query(
    cursor: duckdb.DuckDBPyConnection, sql: str, allow_writes: bool = False, masked: bool | None = None
) -> QueryResult:
    """Execute `sql`; rows are fetched lazily in chunks, so huge results stream.

    Unless `allow_writes`, every statement must only read (checked before any runs), and
    they run in a transaction rolled back when the rows are read (or on any error).
    """
    rules = policy(cursor, allow_writes, masked)
    checked = checked_sql(cursor, sql, rules)
    reading = not allow_writes
    try:
        if reading:
            cursor.execute("BEGIN TRANSACTION")
        for item in checked[:-1]:
            cursor.execute(item.query).fetchall()
        cursor.execute(checked[-1].query)
    except duckdb.Error as error:
        if reading:
            rollback_quietly(cursor)
        raise QueryError(error_line(error, rules.masked)) from None
    if cursor.description is None:
        if reading:
            rollback_quietly(cursor)
        return QueryResult([], iter(()))
    columns = [column[0] for column in cursor.description]
    return QueryResult(columns, _stream(cursor, rules.masked, reading))


def refuse_writes(cursor: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise `QueryError` when any statement of `sql` could change the workspace."""
    check_sql(cursor, sql, policy(cursor))


def rollback_quietly(cursor: duckdb.DuckDBPyConnection) -> None:
    try:
        cursor.execute("ROLLBACK")
    except duckdb.Error:
        pass  # no transaction was open (DuckDB ended it on the error): nothing was kept


def run_interruptible(cursor: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Run `work` (which uses `cursor`) on a thread; Ctrl+C interrupts DuckDB and is re-raised.

    A query on the main thread holds the signal back until it ends, which for a cross join
    of a million CNX rows may be never. The end is awaited on an Event, not `Thread.join`:
    a join cut by Ctrl+C may report the thread finished while it still runs, and a thread
    inside DuckDB at interpreter exit aborts the process.
    """
    outcome: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=target, name="sibtui-query", daemon=True).start()
    try:
        while not done.wait(0.1):
            if interrupts.interrupted():  # the stoppers interrupted DuckDB; wait for the thread to end
                cursor.interrupt()
                done.wait(_INTERRUPT_GRACE_SECONDS)
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        cursor.interrupt()
        done.wait(_INTERRUPT_GRACE_SECONDS)
        raise
    if interrupts.interrupted():
        raise KeyboardInterrupt  # whatever the work ended with, it ended because of Ctrl+C
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _stream(cursor: duckdb.DuckDBPyConnection, masked: bool, reading: bool) -> Iterator[tuple]:
    try:
        while True:
            try:
                chunk = cursor.fetchmany(FETCH_ROWS)
            except duckdb.Error as error:
                raise QueryError(error_line(error, masked)) from None
            if not chunk:
                return
            yield from chunk
    finally:
        if reading:
            rollback_quietly(cursor)


def error_line(error: Exception, masked: bool = False) -> str:
    """DuckDB's first line, without the values it quotes (in mask mode, without CPFs and dates)."""
    explained = explain_failure(error)
    if explained is not None:
        return explained
    line = masked_views.scrub(first_line(error), masked)
    if "file system operations are disabled" in line:
        return "SQL may not read or write files (use export, or `sibtui load` for SIB files): " + line
    return line
