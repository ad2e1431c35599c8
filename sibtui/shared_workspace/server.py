"""The owner's side: an Arrow Flight server that runs other processes' SQL on its workspace.

Each client cursor is a session here with a DuckDB cursor of its own (its transaction, its
registered Arrow tables), so the core behaves exactly as it does in the owner. Requests:

- `do_get(ticket)`: run one statement (`execute`) or build a relation (`sql`) and stream
  the result as Arrow record batches;
- `do_put(descriptor)`: register an Arrow table under a name in the session (the loader's
  batches, the journal's changes);
- `do_action`: open, close, interrupt a session; unregister a name.

A read-only session (`sibtui query`, `status`, `diff`) runs every request in a READ ONLY
transaction: DuckDB refuses any write to the workspace, as with a file opened read-only,
while temporary views (mask mode) still work.
Masking and the SQL guard stay where they were, in the code the client runs: the server
gives no process more than the file's owner already has (the socket is in a 0700
directory).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import warnings
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.flight as flight

from sibtui.shared_workspace import wire

BATCH_ROWS = 65_536


@dataclass
class Session:
    cursor: duckdb.DuckDBPyConnection
    read_only: bool
    pid: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    generation: int = 0  # a new request on the session ends any stream still open on it
    reader: pa.RecordBatchReader | None = None  # the open result (DuckDB allows one per cursor)
    explicit: bool = False  # a read-only session's own BEGIN is open
    automatic: bool = False  # the READ ONLY transaction the server began for a request is open

    def next_request(self) -> int:
        """Called under `lock`: end the stream still open, so DuckDB's result is released."""
        self.generation += 1
        if self.reader is not None:
            reader, self.reader = self.reader, None
            try:
                reader.close()
            except (duckdb.Error, pa.ArrowException):
                pass
        return self.generation


class WorkspaceServer(flight.FlightServerBase):
    """Serves one open `Workspace` (its connection is shared by the owner's own cursors)."""

    def __init__(self, workspace, location: str):
        super().__init__(location)
        self.workspace = workspace
        self._sessions: dict[int, Session] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.last_call = 0.0  # monotonic time of the last request from another process
        self.sessions_opened = 0

    # -- bookkeeping ---------------------------------------------------------------------

    def _touch(self) -> None:
        self.last_call = time.monotonic()

    def _session(self, session_id: int) -> Session:
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None:
            raise flight.FlightServerError("session closed: the workspace changed hands; run it again",
                                           extra_info=json.dumps({"duckdb": "ConnectionException"}).encode())
        return session

    def open_sessions(self) -> int:
        with self._lock:
            return len(self._sessions)

    def interrupt_all(self) -> None:
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            _interrupt_quietly(session.cursor)

    # -- Flight --------------------------------------------------------------------------

    def do_action(self, context, action):
        self._touch()
        request = wire.decode_request(action.body.to_pybytes()) if action.body else {}
        handler = getattr(self, f"_action_{action.type}", None)
        if handler is None:
            raise flight.FlightServerError(f"unknown action {action.type}")
        reply = handler(request)
        return [json.dumps(reply).encode()] if reply is not None else []

    def _action_open(self, request: dict) -> dict:
        cursor = self.workspace.cursor()
        session = Session(cursor, bool(request.get("read_only")), int(request.get("pid", 0)))
        with self._lock:
            session_id = next(self._ids)
            self._sessions[session_id] = session
            self.sessions_opened += 1
        return {"session": session_id}

    def _action_close(self, request: dict) -> None:
        with self._lock:
            session = self._sessions.pop(int(request["session"]), None)
        if session is not None:
            _interrupt_quietly(session.cursor)
            with session.lock:
                session.next_request()
                session.cursor.close()

    def _action_interrupt(self, request: dict) -> None:
        with self._lock:
            session = self._sessions.get(int(request["session"]))
        if session is not None:
            _interrupt_quietly(session.cursor)

    def _action_unregister(self, request: dict) -> None:
        session = self._session(int(request["session"]))
        with session.lock:
            session.next_request()
            _run(lambda: session.cursor.unregister(request["name"]))

    def _action_ping(self, request: dict) -> dict:
        return {"ok": True}

    def do_put(self, context, descriptor, reader, writer):
        self._touch()
        request = wire.decode_request(descriptor.command)
        session = self._session(int(request["session"]))
        table = reader.read_all()
        with session.lock:
            session.next_request()
            _run(lambda: session.cursor.register(request["name"], table))

    def do_get(self, context, ticket):
        self._touch()
        request = wire.decode_request(ticket.ticket)
        session = self._session(int(request["session"]))
        sql = request["sql"]
        parameters = wire.decode_parameters(request.get("params"))
        batch_rows = int(request.get("batch") or BATCH_ROWS)
        with session.lock:
            generation = session.next_request()
            if session.read_only:
                sql = _read_only_transaction(session, sql)
            reader, description = _run(lambda: _start(session.cursor, request["mode"], sql, parameters, batch_rows))
            session.reader = reader
        if reader is None:  # a relation over a statement that returns nothing (DuckDB gives None)
            return flight.RecordBatchStream(pa.table({}).replace_schema_metadata({"none": "1"}))
        schema = reader.schema.with_metadata({"description": json.dumps(description)})
        return flight.GeneratorStream(schema, _batches(session, generation, reader, self._touch))


def _start(cursor, mode: str, sql: str, parameters, batch_rows: int):
    if mode == "sql":
        relation = cursor.sql(sql, params=parameters)
        if relation is None:
            return None, None
        description = [[name, str(kind)] for name, kind in zip(relation.columns, relation.types)]
        return relation.to_arrow_reader(batch_rows), description
    cursor.execute(sql, parameters)
    if cursor.description is None:
        return pa.RecordBatchReader.from_batches(pa.schema([]), []), None
    description = [[d[0], str(d[1])] for d in cursor.description]
    with warnings.catch_warnings():  # "Arrow output on a DB-API result makes an extra copy": that copy is the point
        warnings.simplefilter("ignore", UserWarning)
        return cursor.to_arrow_reader(batch_rows), description


def _batches(session: Session, generation: int, reader: pa.RecordBatchReader, touch):
    while True:
        with session.lock:
            if session.generation != generation:
                return  # the client moved on (it cancels a stream before its next request)
            try:
                batch = _run(reader.read_next_batch)
            except StopIteration:
                if session.reader is reader:
                    session.reader = None
                return
        touch()
        yield batch


def _read_only_transaction(session: Session, sql: str) -> str:
    """Called under the session's lock: the statement, inside a READ ONLY transaction.

    A read-only session never runs outside one: between requests the previous one is
    committed and a new one begins, so each request reads the newest committed state, its
    temporary views and macros (mask mode) live on, and DuckDB refuses any write to the
    workspace as a read-only file would."""
    word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    cursor = session.cursor
    if word in ("COMMIT", "ROLLBACK", "ABORT", "END"):
        session.explicit = session.automatic = False
        return sql
    if session.explicit:
        return sql
    if session.automatic:
        _run(lambda: cursor.execute("COMMIT"))
        session.automatic = False
    if word in ("BEGIN", "START"):
        session.explicit = True
        return "BEGIN TRANSACTION READ ONLY"
    _run(lambda: cursor.execute("BEGIN TRANSACTION READ ONLY"))
    session.automatic = True
    return sql


def _run(call):
    """A DuckDB call whose error goes back to the client as the same DuckDB exception."""
    try:
        return call()
    except duckdb.Error as error:
        raise flight.FlightServerError(str(error), extra_info=wire.error_info(error)) from None


def _interrupt_quietly(cursor) -> None:
    try:
        cursor.interrupt()
    except duckdb.Error:
        pass
