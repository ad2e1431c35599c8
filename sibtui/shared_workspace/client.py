"""The other processes' side: a workspace whose cursors run their SQL in the owner.

`RemoteCursor` speaks the part of DuckDB's cursor API sibtui uses (`execute`, the fetches,
`description`, `sql(...).to_arrow_table()/to_arrow_reader()`, `register`/`unregister`,
`interrupt`, `extract_statements`), so the core, the commands and the console run on it
unchanged. Results stream as Arrow record batches and are read as they are fetched.

When the owner goes away (it closed, or was killed), the workspace finds or starts its
successor (`owner.ensure_server`) and a cursor opens a new session there. A reading
statement is run again; anything else raises, because whether it was committed cannot be
known here: what the analyst confirmed was committed, and is in the successor.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.flight as flight

from sibtui.db import registry
from sibtui.shared_workspace import wire
from sibtui.shared_workspace.connect import flight_client

_parser: list[duckdb.DuckDBPyConnection] = []  # one in-memory DuckDB: statements split without a round trip
_parser_lock = threading.Lock()  # (never a thread-local: a daemon thread destroying one at exit aborts)


@atexit.register
def _close_parser() -> None:
    """Let the parser's connection go before the interpreter tears DuckDB's module down."""
    with _parser_lock:
        for connection in _parser:
            connection.close()
        _parser.clear()


class OwnerGone(Exception):
    """The owner's socket does not answer."""


class RemoteWorkspace:
    """A workspace another sibtui process owns; same interface as `sibtui.db.workspace.Workspace`."""

    shared = True

    def __init__(self, path: Path, client: flight.FlightClient, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.must_exist = True
        self.memory_limit = None
        self._client = client
        self._lock = threading.Lock()
        self._open_cursors: set[RemoteCursor] = set()
        self._presence = RemoteCursor(self)  # a session held open: the owner knows someone is here
        registry.register(self)

    @property
    def client(self) -> flight.FlightClient:
        with self._lock:
            return self._client

    def reconnect(self, broken: flight.FlightClient) -> flight.FlightClient:
        """The successor's client (one reconnection for all the cursors that noticed)."""
        from sibtui.shared_workspace.owner import ensure_server

        with self._lock:
            if self._client is not broken:
                return self._client
            self._client = flight_client(ensure_server(self.path))
        self._presence = RemoteCursor(self)
        return self._client

    def cursor(self) -> RemoteCursor:
        cursor = RemoteCursor(self)
        with self._lock:
            self._open_cursors.add(cursor)
        return cursor

    def busy_cursors(self) -> int:
        with self._lock:
            return len(self._open_cursors)

    def interrupt_cursors(self) -> None:
        with self._lock:
            cursors = list(self._open_cursors)
        for cursor in cursors:
            cursor.interrupt()

    def forget(self, cursor: RemoteCursor) -> None:
        with self._lock:
            self._open_cursors.discard(cursor)

    def close(self) -> None:
        registry.forget(self)
        with self._lock:
            cursors = list(self._open_cursors)
        for cursor in [*cursors, self._presence]:
            cursor.close()
        try:
            self._client.close()
        except (flight.FlightError, OSError):
            pass

    def __enter__(self) -> RemoteWorkspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class RemoteCursor:
    """One session in the owner: its own DuckDB cursor there, so its own transaction."""

    def __init__(self, workspace: RemoteWorkspace):
        self._workspace = workspace
        self._client = workspace.client
        self._session: int | None = None
        self._result: _Result | None = None
        self._stateful = 0  # open transactions and registered tables: lost if the owner changes
        self._registered: set[str] = set()
        self._closed = False
        try:
            self._open_session()
        except OwnerGone:
            self._client = workspace.reconnect(self._client)
            self._open_session()

    # -- sessions ------------------------------------------------------------------------

    def _open_session(self) -> None:
        body = wire.encode_request(read_only=self._workspace.read_only, pid=os.getpid())
        reply = self._call_action("open", body)
        self._session = int(reply["session"])

    def _call_action(self, kind: str, body: bytes) -> dict[str, Any]:
        try:
            results = list(self._client.do_action(flight.Action(kind, body)))
        except flight.FlightError as error:
            raise _translated(error) from None
        if not results:
            return {}
        return wire.decode_request(results[0].body.to_pybytes())

    def _action(self, kind: str, **fields: Any) -> dict[str, Any]:
        return self._with_owner(lambda: self._call_action(kind, wire.encode_request(session=self._session, **fields)),
                                retry=False)

    def _with_owner(self, call, retry: bool):
        """`call()`; when the owner is gone, move to its successor, and run a reading call again."""
        try:
            return call()
        except OwnerGone:
            broken_state = bool(self._stateful or self._registered)
            self._client = self._workspace.reconnect(self._client)
            self._stateful = 0
            self._registered.clear()
            self._open_session()
            if retry and not broken_state:
                return call()
            raise duckdb.ConnectionException(
                "the sibtui that owned the workspace ended during this step: what was confirmed before is kept; "
                "run it again") from None

    # -- DuckDB's cursor API -------------------------------------------------------------

    def execute(self, query: str, parameters: Any = None) -> RemoteCursor:
        self._finish_result()
        self._result = self._with_owner(lambda: self._get("execute", query, parameters), retry=_reads(query))
        self._track_transaction(query)
        return self

    def sql(self, query: str, params: Any = None, alias: str | None = None) -> RemoteRelation | None:
        self._finish_result()
        result = self._with_owner(lambda: self._get("sql", query, params), retry=_reads(query))
        if result.none:
            return None
        self._result = result
        return RemoteRelation(result)

    query = sql

    def _get(self, mode: str, query: str, parameters: Any, batch: int | None = None) -> _Result:
        ticket = flight.Ticket(wire.encode_request(session=self._session, mode=mode, sql=query,
                                                   params=wire.encode_parameters(parameters), batch=batch))
        try:
            reader = self._client.do_get(ticket)
            schema = reader.schema  # the server ran the statement before it answered: errors surface here
        except flight.FlightError as error:
            raise _translated(error) from None
        return _Result(reader, schema)

    def _track_transaction(self, query: str) -> None:
        word = query.lstrip().split(None, 1)[0].upper() if query.strip() else ""
        if word in ("BEGIN", "START"):
            self._stateful += 1
        elif word in ("COMMIT", "ROLLBACK", "ABORT", "END"):
            self._stateful = 0

    def begin(self) -> RemoteCursor:
        return self.execute("BEGIN TRANSACTION")

    def commit(self) -> RemoteCursor:
        return self.execute("COMMIT")

    def rollback(self) -> RemoteCursor:
        return self.execute("ROLLBACK")

    @property
    def description(self):
        return None if self._result is None else self._result.description

    def fetchall(self) -> list[tuple]:
        return [] if self._result is None else self._result.fetchall()

    def fetchone(self) -> tuple | None:
        return None if self._result is None else self._result.fetchone()

    def fetchmany(self, size: int = 1) -> list[tuple]:
        return [] if self._result is None else self._result.fetchmany(size)

    def to_arrow_table(self) -> pa.Table:
        return self._result.to_arrow_table() if self._result else pa.table({})

    def register(self, view_name: str, python_object: Any) -> RemoteCursor:
        self._finish_result()
        table = _as_arrow(python_object)

        def put() -> None:
            descriptor = flight.FlightDescriptor.for_command(wire.encode_request(session=self._session,
                                                                                 name=view_name))
            try:
                writer, _ = self._client.do_put(descriptor, table.schema)
                writer.write_table(table)
                writer.close()
            except flight.FlightError as error:
                raise _translated(error) from None

        self._with_owner(put, retry=False)
        self._registered.add(view_name)
        return self

    def unregister(self, view_name: str) -> RemoteCursor:
        self._finish_result()
        self._registered.discard(view_name)
        self._action("unregister", name=view_name)
        return self

    def extract_statements(self, query: str):
        """Split and type statements here: DuckDB's parser needs no database."""
        with _parser_lock:
            if not _parser:
                _parser.append(duckdb.connect(":memory:"))
            return _parser[0].extract_statements(query)

    def interrupt(self) -> None:
        """Stop this cursor's running statement (safe from any thread)."""
        if self._session is None or self._closed:
            return
        try:
            self._client.do_action(flight.Action("interrupt", wire.encode_request(session=self._session)))
        except (flight.FlightError, OSError):
            pass

    def interrupt_quietly(self) -> None:
        self.interrupt()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._finish_result()
        try:
            list(self._client.do_action(flight.Action("close", wire.encode_request(session=self._session))))
        except (flight.FlightError, OSError):
            pass  # the owner is gone: the session went with it
        finally:
            self._workspace.forget(self)

    def _finish_result(self) -> None:
        if self._result is not None:
            self._result.cancel()
            self._result = None

    def __enter__(self) -> RemoteCursor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class RemoteRelation:
    """What `cursor.sql(...)` returns for a statement with rows, read once."""

    def __init__(self, result: _Result):
        self._result = result

    @property
    def columns(self) -> list[str]:
        return [column[0] for column in self._result.description or []]

    @property
    def description(self):
        return self._result.description

    def to_arrow_table(self) -> pa.Table:
        return self._result.to_arrow_table()

    fetch_arrow_table = arrow = to_arrow_table

    def to_arrow_reader(self, batch_size: int = 1_000_000) -> pa.RecordBatchReader:
        return pa.RecordBatchReader.from_batches(self._result.schema, self._result.batches())

    def fetchall(self) -> list[tuple]:
        return self._result.fetchall()

    def fetchone(self) -> tuple | None:
        return self._result.fetchone()

    def fetchmany(self, size: int = 1) -> list[tuple]:
        return self._result.fetchmany(size)


class _Result:
    """A streamed result: Arrow batches read from the owner as rows are asked for."""

    def __init__(self, reader: flight.FlightStreamReader, schema: pa.Schema):
        self._reader = reader
        self.schema = schema
        metadata = schema.metadata or {}
        self.none = metadata.get(b"none") == b"1"
        raw = metadata.get(b"description")
        columns: list[list[str]] | None = json.loads(raw) if raw else None
        self.description = None if columns is None else [(name, kind, None, None, None, None, None)
                                                         for name, kind in columns]
        self._huge = {index for index, (_, kind) in enumerate(columns or []) if "HUGEINT" in kind}
        self._rows: list[tuple] = []
        self._done = False

    def batches(self) -> Iterator[pa.RecordBatch]:
        while not self._done:
            try:
                chunk = self._reader.read_chunk()
            except StopIteration:
                self._done = True
                return
            except flight.FlightError as error:
                self._done = True
                raise _translated(error) from None
            yield chunk.data

    def to_arrow_table(self) -> pa.Table:
        return pa.Table.from_batches(list(self.batches()), schema=self.schema)

    def _more_rows(self) -> bool:
        for batch in self.batches():
            if batch.num_rows:
                self._rows.extend(self._tuples(batch))
                return True
        return False

    def _tuples(self, batch: pa.RecordBatch) -> list[tuple]:
        columns = [column.to_pylist() for column in batch.columns]
        for index in self._huge:
            columns[index] = [None if value is None else int(value) for value in columns[index]]
        return list(zip(*columns))

    def fetchall(self) -> list[tuple]:
        while self._more_rows():
            pass
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple | None:
        rows = self.fetchmany(1)
        return rows[0] if rows else None

    def fetchmany(self, size: int) -> list[tuple]:
        while len(self._rows) < size and self._more_rows():
            pass
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def cancel(self) -> None:
        if not self._done:
            self._done = True
            try:
                self._reader.cancel()
            except (flight.FlightError, OSError):
                pass


def _as_arrow(value: Any) -> pa.Table:
    if isinstance(value, pa.Table):
        return value
    if isinstance(value, pa.RecordBatch):
        return pa.Table.from_batches([value])
    if isinstance(value, pa.RecordBatchReader):
        return value.read_all()
    if hasattr(value, "to_arrow"):  # polars
        return value.to_arrow()
    return pa.Table.from_pandas(value)


def _reads(query: str) -> bool:
    word = query.lstrip().split(None, 1)[0].upper() if query.strip() else ""
    return word in ("SELECT", "WITH", "FROM", "EXPLAIN", "SUMMARIZE", "DESCRIBE", "SHOW", "PRAGMA", "VALUES")


def _translated(error: flight.FlightError) -> BaseException:
    if isinstance(error, flight.FlightUnavailableError) or "Connection refused" in str(error) \
            or "No such file" in str(error):
        return OwnerGone(str(error))
    if isinstance(error, flight.FlightCancelledError):
        return duckdb.InterruptException("INTERRUPT Error: Interrupted!")
    return wire.remote_error(str(error), getattr(error, "extra_info", None))
