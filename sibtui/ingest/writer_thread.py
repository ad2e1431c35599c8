"""One file's DuckDB transaction, run on its own thread so inserts overlap parsing.

DuckDB releases the GIL while it ingests Arrow, so parsing the next batch in Python and
inserting the previous one in C run at the same time (`perf-notes.md` §5: 29.5 s instead of
41 s per million records). All of a file goes in one transaction: a bad file, a cancel or a
crash leaves the workspace exactly as it was.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import FILES_COLUMN_NAMES, LOAD_WARNINGS_COLUMNS, Table
from sibtui.db.cursors import fetch_first, fetch_value
from sibtui.db.failures import explain
from sibtui.db.schema import quote
from sibtui.db.workspace import Workspace
from sibtui.errors import DuplicateFileError, SibError, WorkspaceError

_QUEUE_DEPTH = 2  # batches in flight: enough to overlap, small enough to bound memory
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class _Insert:
    table: Table
    batch: pa.Table


@dataclass(frozen=True)
class _Commit:
    files_row: dict[str, Any]
    warnings: list[tuple]


class _Rollback:
    pass


class TransactionWriter:
    """Receives batches for one file and commits them, with the `files` row, atomically."""

    def __init__(self, workspace: Workspace, label: str):
        self._cursor = workspace.cursor()
        self._label = label
        self._queue: queue.Queue = queue.Queue(maxsize=_QUEUE_DEPTH)
        self._thread = threading.Thread(target=self._run, name="sibtui-load-writer", daemon=True)
        self._started = threading.Event()
        self._error: BaseException | None = None
        self.file_id: int | None = None

    def start(self) -> int:
        self._thread.start()
        self._started.wait()
        self.raise_if_failed()
        assert self.file_id is not None
        return self.file_id

    def insert(self, table: Table, batch: pa.Table) -> None:
        self._send(_Insert(table, batch))

    def commit(self, files_row: dict[str, Any], warnings: list[tuple]) -> None:
        self._send(_Commit(files_row, warnings))
        self._thread.join()
        self.raise_if_failed()

    @property
    def stopped(self) -> bool:
        """The transaction ended before a commit was asked for: a database error (see `failure`)."""
        return self._thread.ident is not None and not self._thread.is_alive()

    def failure(self) -> SibError | None:
        """Why the transaction failed, as the one line a user reads; None while it has not."""
        try:
            self.raise_if_failed()
        except SibError as error:
            return error
        return None

    def rollback(self) -> None:
        if self._thread.is_alive():
            try:
                self._send(_Rollback())
            except BaseException:  # the thread died meanwhile: it rolled back itself
                pass
            self._thread.join()

    # --- producer side ---------------------------------------------------------------

    def _send(self, item: object) -> None:
        while True:
            self.raise_if_failed()
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    self.raise_if_failed()
                    raise WorkspaceError(f"{self._label}: database writer stopped unexpectedly") from None

    def raise_if_failed(self) -> None:
        """Raise the transaction's failure as a `SibError` (`WorkspaceError`, `DuplicateFileError`)."""
        error = self._error
        if error is None:
            return
        if isinstance(error, (DuplicateFileError, WorkspaceError)):
            raise error
        explained = explain(error)
        if explained is not None:  # a full disk, a damaged workspace: the file was not loaded
            raise WorkspaceError(f"{self._label}: not loaded: {explained}") from None
        raise WorkspaceError(f"{self._label}: database error while loading: {error}") from None

    # --- writer thread ---------------------------------------------------------------

    def _run(self) -> None:
        cursor = self._cursor
        try:
            cursor.execute("BEGIN TRANSACTION")
            self.file_id = fetch_value(cursor, "SELECT coalesce(max(file_id), 0) + 1 FROM files")
            self._started.set()
            while True:
                item = self._queue.get()
                if isinstance(item, _Insert):
                    self._insert(cursor, item)
                elif isinstance(item, _Commit):
                    self._commit(cursor, item)
                    return
                else:
                    cursor.execute("ROLLBACK")
                    return
        except BaseException as error:
            self._error = error
            _rollback_quietly(cursor)
            self._started.set()
        finally:
            cursor.close()

    def _insert(self, cursor: duckdb.DuckDBPyConnection, item: _Insert) -> None:
        names = [field.name for field in item.batch.schema]
        target = ", ".join(quote(name) for name in ["file_id", *names])
        source = ", ".join(quote(name) for name in names)
        cursor.register("__batch", item.batch)
        try:
            cursor.execute(
                f"INSERT INTO {quote(item.table.name)} ({target}) SELECT ?::BIGINT, {source} FROM __batch",
                [self.file_id],
            )
        finally:
            cursor.unregister("__batch")

    def _commit(self, cursor: duckdb.DuckDBPyConnection, item: _Commit) -> None:
        duplicate = fetch_first(cursor, "SELECT file_id, name FROM files WHERE sha256 = ?", [item.files_row["sha256"]])
        if duplicate is not None:
            cursor.execute("ROLLBACK")
            raise DuplicateFileError(self._label, duplicate[0], duplicate[1])
        row = {**item.files_row, "file_id": self.file_id}
        placeholders = ", ".join("?" for _ in FILES_COLUMN_NAMES)
        columns = ", ".join(quote(name) for name in FILES_COLUMN_NAMES)
        cursor.execute(f"INSERT INTO files ({columns}) VALUES ({placeholders})", [row.get(n) for n in FILES_COLUMN_NAMES])
        if item.warnings:
            warnings = pa.table(
                {
                    name: [self.file_id if name == "file_id" else warning[i - 1] for warning in item.warnings]
                    for i, name in enumerate(LOAD_WARNINGS_COLUMNS)
                }
            )
            cursor.register("__warnings", warnings)
            cursor.execute("INSERT INTO load_warnings SELECT * FROM __warnings")
            cursor.unregister("__warnings")
        cursor.execute("COMMIT")


def _rollback_quietly(cursor: duckdb.DuckDBPyConnection) -> None:
    try:
        cursor.execute("ROLLBACK")
    except duckdb.Error:
        pass  # nothing was open, or the connection is gone; either way nothing was committed
