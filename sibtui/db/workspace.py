"""The workspace: one DuckDB file holding every loaded SIB file and the analyst's work.

One `Workspace` owns the connection; every thread that touches the database takes its own
`cursor()` (DuckDB connections are not shared across threads). DuckDB's file lock already
keeps a second process from writing; `sibtui.db.locking` turns its message into one an
analyst understands.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from sibtui.db import registry
from sibtui.db.failures import explain, first_line
from sibtui.db.locking import busy_error, is_lock_error
from sibtui.db.paths import WORKSPACE_ENV, default_workspace_path
from sibtui.db.schema import SCHEMA_VERSION, SchemaObject, ensure_schema, stored_schema_version
from sibtui.errors import WorkspaceError, WorkspaceMissing

__all__ = ["WORKSPACE_ENV", "Workspace", "default_workspace_path"]

DEFAULT_MEMORY_LIMIT = "1GB"  # perf-notes §4: without a limit DuckDB grew to 6 GB on a 10M ingest


class Workspace:
    """An open workspace file; use as a context manager."""

    def __init__(self, path: Path | str, schema: Callable[[], Sequence[SchemaObject]], read_only: bool = False,
                 memory_limit: str = DEFAULT_MEMORY_LIMIT, must_exist: bool = False):
        """`schema` gives every object the workspace must hold (`sibtui.workspace` assembles
        them), applied when opened for writing. `must_exist`: refuse to create it (commands
        that read a workspace: a typo in --db must not become a new, empty one); read-only
        opens never create either."""
        self.path = Path(path).expanduser()
        self._schema = schema
        self.read_only = read_only
        self.must_exist = must_exist
        self.memory_limit = memory_limit  # as configured (DuckDB reports it rounded)
        self._open_cursors: set[_TrackedCursor] = set()  # handed out, not yet closed
        self._lock = threading.Lock()
        self._close_hooks: list[Callable[[], None]] = []
        self.owner: Any = None  # `sibtui.shared_workspace.owner.Owner` when it serves other processes
        self.connection = self._connect(memory_limit)
        try:
            self._prepare()
        except duckdb.Error as error:
            self.connection.close()
            raise WorkspaceError(explain(error, self.path) or f"{self.path}: cannot open workspace: "
                                 f"{first_line(error)}") from None
        except BaseException:
            self.connection.close()
            raise
        registry.register(self)

    def _connect(self, memory_limit: str) -> duckdb.DuckDBPyConnection:
        if (self.read_only or self.must_exist) and not self.path.exists():
            raise WorkspaceMissing(f"no workspace at {self.path}; load files first (sibtui load --db {self.path} FILES)")
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        created = not self.path.exists()
        try:
            connection = duckdb.connect(str(self.path), read_only=self.read_only, config=_config(memory_limit))
        except duckdb.IOException as error:
            raise _explain_io_error(self.path, error, self.read_only) from None
        except duckdb.Error as error:
            raise WorkspaceError(explain(error, self.path) or f"{self.path}: cannot open workspace: "
                                 f"{first_line(error)}") from None
        if created and self.path.exists():
            os.chmod(self.path, 0o600)  # it holds CPFs and names (LGPD): owner only
        return connection

    def _prepare(self) -> None:
        version = stored_schema_version(self.connection)
        if version is not None and version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"{self.path}: workspace was written by a newer sibtui (schema {version}); upgrade sibtui"
            )
        if self.read_only:
            if version is None:
                raise WorkspaceError(f"{self.path}: not a sibtui workspace")
            return
        ensure_schema(self.connection, self._schema())

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection for the calling thread; close it when done.

        Each cursor handed out is counted until closed (`busy_cursors`): Ctrl+C interrupts
        their queries (`sibtui.db.registry`), and the console closes the workspace only
        once every worker closed its own (closing it under a running query raised in the
        worker and, inside DuckDB, could abort the process)."""
        tracked = _TrackedCursor(self.connection.cursor(), self)
        with self._lock:
            self._open_cursors.add(tracked)
        return tracked  # type: ignore[return-value]

    def busy_cursors(self) -> int:
        """Cursors handed out and not yet closed."""
        with self._lock:
            return len(self._open_cursors)

    def interrupt_cursors(self) -> None:
        """Ask every open cursor's running query to stop (DuckDB's interrupt; safe from any thread)."""
        with self._lock:
            cursors = list(self._open_cursors)
        for cursor in cursors:
            cursor.interrupt_quietly()

    def _forget(self, cursor: _TrackedCursor) -> None:
        with self._lock:
            self._open_cursors.discard(cursor)

    @property
    def shared(self) -> bool:
        """Whether other processes use it through this one (see `sibtui.shared_workspace`)."""
        return self.owner is not None and self.owner.is_shared()

    def add_close_hook(self, hook: Callable[[], None]) -> None:
        """Run `hook` when the workspace closes, before its connection does."""
        self._close_hooks.append(hook)

    def close(self) -> None:
        hooks, self._close_hooks = self._close_hooks, []
        try:
            for hook in hooks:
                hook()
        finally:
            registry.forget(self)
            self.connection.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _TrackedCursor:
    """A DuckDB cursor that tells its workspace when it is closed (`Workspace.busy_cursors`)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, owner: Workspace):
        self._cursor = cursor
        self._owner = owner

    def close(self) -> None:
        try:
            self._cursor.close()
        finally:
            self._owner._forget(self)

    def interrupt_quietly(self) -> None:
        try:
            self._cursor.interrupt()
        except duckdb.Error:
            pass  # closed meanwhile

    def __getattr__(self, name: str):
        return getattr(self._cursor, name)


def _config(memory_limit: str) -> dict[str, str | bool | int | float | list[str]]:
    """No SQL reads or writes files (`read_csv('/etc/passwd')`, `COPY`, `ATTACH`, extensions):
    sibtui reads SIB files with its own parser and writes exports and SBX files itself."""
    return {"memory_limit": memory_limit, "enable_external_access": False}


def _explain_io_error(path: Path, error: duckdb.IOException, read_only: bool = False) -> WorkspaceError:
    message = str(error)
    if is_lock_error(message):
        return busy_error(path, message, read_only)
    return WorkspaceError(explain(error, path) or f"{path}: cannot open workspace: {first_line(error)}")
