"""Ad hoc SQL over the workspace, shared by `sibtui query` and the console's SQL screen.

Loaded files are evidence and the journal is the analyst's work: ad hoc SQL only reads,
unless the caller explicitly allows writes (`sibtui query --write`, the console's write
mode). Reading only means the statement type, and for the statements that change settings
(`SET`, `PRAGMA x = ...`, `CALL`) only the few that cannot change durability, memory or
output: `PRAGMA enable_profiling` would print to the terminal, `SET memory_limit` would let
one query take the machine. Reading or writing files from SQL is off for the whole
workspace (`Workspace` sets `enable_external_access` to false): exports go through
`sibtui.query.export`, never `COPY`.

DuckDB does not see Ctrl+C while a query runs on the main thread; `run_interruptible` runs
the work on a thread and turns Ctrl+C into `cursor.interrupt()`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from sibtui.errors import SibError
from sibtui.privacy import redact_message

T = TypeVar("T")

FETCH_ROWS = 10_000


class QueryError(SibError):
    """DuckDB refused or failed a query; the message is DuckDB's first line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: Iterator[tuple]


# Statement types that only read (DESCRIBE, SHOW and SUMMARIZE parse as SELECT).
READ_ONLY_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "SET", "VARIABLE_SET"})
# Of SET (also `PRAGMA name = value`, `USE`, `RESET`), PRAGMA and CALL: the ones that only
# read, or only change how this session shows results.
READING_PRAGMAS = frozenset({
    "table_info", "show", "show_tables", "show_tables_expanded", "show_databases", "database_list",
    "database_size", "storage_info", "metadata_info", "version", "platform", "functions", "collations",
    "user_agent", "table_storage_info",
})
SESSION_SETTINGS = frozenset({"variable", "timezone", "calendar", "default_order", "default_null_order"})
_SETTING = re.compile(r"\s*(?:SET|RESET|PRAGMA|USE)\s+(?:(?:SESSION|LOCAL|GLOBAL)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.I)
_INTERRUPT_GRACE_SECONDS = 30
_CALLED = re.compile(r"\s*(?:PRAGMA|CALL)\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


def run_query(cursor: duckdb.DuckDBPyConnection, sql: str, allow_writes: bool = False) -> QueryResult:
    """Execute `sql`; rows are fetched lazily in chunks, so huge results stream.

    Unless `allow_writes`, every statement must be one that only reads (checked before any
    runs, so a script that would write runs nothing at all).
    """
    if not sql.strip():
        raise QueryError("empty query")
    if not allow_writes:
        refuse_writes(cursor, sql)
    try:
        cursor.execute(sql)
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None
    if cursor.description is None:
        return QueryResult([], iter(()))
    columns = [column[0] for column in cursor.description]
    return QueryResult(columns, _stream(cursor))


def refuse_writes(cursor: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise `QueryError` when any statement of `sql` could change the workspace."""
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(_first_line(error)) from None
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise QueryError(
                f"{kind} refused: ad hoc SQL is read-only (loaded files and the edit journal are evidence); "
                "change records with the editor or `sibtui fix`, or enable write mode"
            )
        refused = _refused_setting(kind, statement.query)
        if refused is not None:
            raise QueryError(
                f"{refused} refused: ad hoc SQL may not change the workspace's settings (durability, memory, "
                "profiling output); reading pragmas such as table_info run"
            )


def _refused_setting(kind: str, query: str) -> str | None:
    """The setting, pragma or procedure a reading statement would run, when it is not harmless."""
    if kind in ("SET", "VARIABLE_SET"):
        match = _SETTING.match(query)
        name = match.group(1).lower() if match else kind
        if name in SESSION_SETTINGS:
            return None
        return f"{query.split()[0].upper()} {name}"
    if kind in ("PRAGMA", "CALL"):
        match = _CALLED.match(query)
        name = match.group(1).lower() if match else ""
        if name in READING_PRAGMAS or name.startswith(("pragma_", "duckdb_")):
            return None
        return f"{kind} {name or query.split()[0]}"
    return None


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
            pass
    except KeyboardInterrupt:
        cursor.interrupt()
        done.wait(_INTERRUPT_GRACE_SECONDS)
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _stream(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    while True:
        try:
            chunk = cursor.fetchmany(FETCH_ROWS)
        except duckdb.Error as error:
            raise QueryError(_first_line(error)) from None
        if not chunk:
            return
        yield from chunk


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    line = redact_message(text.splitlines()[0]) if text else type(error).__name__
    if "file system operations are disabled" in line:
        return "SQL may not read or write files (use export, or `sibtui load` for SIB files): " + line
    return line
