"""The fast load path for large CNX files: xml2arrow behind the loader's own transaction.

lxml builds a tree node for every element, which caps a load at the "lxml floor"
(perf-notes §2); xml2arrow (Rust, quick-xml) maps paths to Arrow columns without a tree and
releases the GIL while it parses. Here it reads record-aligned chunks of the file
(`fast_chunks`), each checked against its raw bytes (`fast_batch`), while the header and
epilogue go through the reference parser (`fast_skeleton`). Three threads overlap: one
cuts and transcodes chunks, one parses them, and the workspace's writer streams them into
DuckDB with a single INSERT inside the file's one transaction.

The reference parser stays the judge. Whenever the fast path cannot vouch for a file —
xml2arrow missing, an element or attribute it did not map, a declared hash its column-order
text does not reproduce, anything unusual — it rolls back and `load_file` reads the file
with lxml, which gives the same tables, or the same located error.

`SIBTUI_PARSER=lxml` forces the reference parser; `SIBTUI_PARSER=fast` tries the fast path
at any size (tests and benchmarks); the default tries it for CNX files of at least
`FAST_PATH_MIN_BYTES`.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import pyarrow as pa

from sibtui.catalog.kinds import FileKind
from sibtui.db.cursors import fetch_value
from sibtui.db.failures import first_line
from sibtui.db.workspace import Workspace
from sibtui.errors import LoadCancelled, SibError, WorkspaceError
from sibtui.hashing import EpilogueHash
from sibtui.ingest import staging
from sibtui.ingest.batches import arrow_schema, rows_to_arrow
from sibtui.ingest.fast_batch import ParsedChunk, parse_chunk
from sibtui.ingest.fast_chunks import ChunkReader, Declined, Region, find_region
from sibtui.ingest.fast_layout import RecordLayout, cnx_layout, config_path
from sibtui.ingest.fast_skeleton import Skeleton, parse_skeleton
from sibtui.ingest.results import CancelCallback, ParseResult, ProgressCallback
from sibtui.ingest.sniff import Sniffed
from sibtui.ingest.source import SourceReader
from sibtui.ingest.writer_thread import TransactionWriter

PARSER_ENV = "SIBTUI_PARSER"
DEFAULT_MODE = "auto"
FAST_PATH_MIN_BYTES = 8 * 1024 * 1024
HEAD_BYTES = 64 * 1024
LOAD_MEMORY_LIMIT = "512MB"
_QUEUE_DEPTH = 8  # chunks in flight per stage: smooths the three threads (5% faster than 2, +80 MB)
_POLL_SECONDS = 0.05
_END = object()


@dataclass
class FastLoad:
    """A file parsed into an open transaction, ready for `TransactionWriter.commit`."""

    writer: TransactionWriter
    file_id: int
    result: ParseResult
    row_counts: dict[str, int]


@dataclass(frozen=True)
class FastDeclined:
    """Why the fast path handed a file to the reference parser (kept in its `files` row)."""

    reason: str


_REFUSALS: dict[str, str] = {}  # layout tag -> why xml2arrow gave no parser for it


@cache
def fast_parser(layout: RecordLayout):
    """xml2arrow's parser for `layout`, or None when xml2arrow is missing or refuses the mapping."""
    try:
        from xml2arrow import XmlToArrowParser
    except ImportError as error:
        _REFUSALS[layout.tag] = f"xml2arrow cannot be imported: {first_line(error)}"
        return None
    config = config_path(layout)
    try:
        return XmlToArrowParser(str(config))
    except Exception as error:  # a version that reads the mapping differently: the reference loads alone
        _REFUSALS[layout.tag] = f"xml2arrow refuses the mapping: {type(error).__name__}: {first_line(error)}"
        return None
    finally:
        config.unlink(missing_ok=True)


def _meant_for(sniffed: Sniffed) -> bool:
    """The file is one the fast path is for: a large CNX (any CNX with SIBTUI_PARSER=fast)."""
    mode = os.environ.get(PARSER_ENV, DEFAULT_MODE).strip().lower()
    if mode == "lxml" or sniffed.kind is not FileKind.CNX or sniffed.namespace:
        return False
    return mode == "fast" or sniffed.path.stat().st_size >= FAST_PATH_MIN_BYTES


def applies(sniffed: Sniffed) -> bool:
    return _meant_for(sniffed) and fast_parser(cnx_layout()) is not None


def unavailable(sniffed: Sniffed) -> FastDeclined | None:
    """Why a file the fast path is for goes straight to the reference parser; None otherwise."""
    if not _meant_for(sniffed) or fast_parser(cnx_layout()) is not None:
        return None
    return FastDeclined(_REFUSALS.get(cnx_layout().tag, "xml2arrow is not available"))


def load(
    workspace: Workspace,
    sniffed: Sniffed,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    tee: Callable[[bytes], None] | None = None,
) -> FastLoad | FastDeclined:
    """Parse `sniffed` into a new transaction; rolled back, and why, when lxml must read it.
    `tee` receives every byte read, in order (the original kept)."""
    layout = cnx_layout()
    with _load_settings(workspace, LOAD_MEMORY_LIMIT):
        return _load(workspace, sniffed, layout, progress, cancel, tee)


def _load(workspace, sniffed, layout, progress, cancel, tee=None) -> FastLoad | FastDeclined:
    writer = TransactionWriter(workspace, str(sniffed.path))
    file_id = writer.start()
    pipeline = _Pipeline(workspace, sniffed, layout, writer, file_id, progress, cancel, tee)
    try:
        result, row_counts = pipeline.run()
    except BaseException as error:
        pipeline.stop()  # first: the writer's INSERT must see the end of its stream
        writer.rollback()
        staging.withdraw(workspace, layout.table)
        if isinstance(error, Exception) and not isinstance(error, SibError):
            # Declined, OSError, a surprise (a bug here): the reference reads it, in its own words,
            # and the files row keeps why, so a slow load is never a silent one.
            return FastDeclined(str(error) if isinstance(error, Declined) else f"{type(error).__name__}: "
                                f"{first_line(error)}")
        raise
    pipeline.stop()
    staging.withdraw(workspace, layout.table)
    return FastLoad(writer, file_id, result, row_counts)


@contextmanager
def _load_settings(workspace: Workspace, limit: str) -> Iterator[None]:
    """DuckDB's memory limit lowered and its threads cut to one while the fast path loads.

    Memory: blocks of the table being written stay cached up to the limit (about 55 MB per
    million rows here); with the default 1 GB and the parser's own few hundred MB, a file
    of ten million records would pass 1 GiB.
    Threads: the parser already keeps both cores busy, and an INSERT on two threads writes
    row groups per thread that the commit then merges: one thread costs ~10% less CPU per
    load (python -m bench.load shows the CPU row).
    Both settings are the instance's, so a query the console runs meanwhile works within
    them too (DuckDB spills to disk past the limit). Both are put back afterwards.
    """
    cursor = workspace.cursor()
    try:
        # The limit as configured: DuckDB reports it rounded, and setting the rounded value
        # back would let it creep down load after load.
        previous = getattr(workspace, "memory_limit", None) or fetch_value(
            cursor, "SELECT current_setting('memory_limit')")
        threads = int(fetch_value(cursor, "SELECT current_setting('threads')"))
        cursor.execute(f"SET memory_limit = '{limit}'")
        cursor.execute("SET threads = 1")
    except BaseException:
        cursor.close()
        raise
    try:
        yield
    finally:
        try:
            cursor.execute(f"SET memory_limit = '{previous}'")
            cursor.execute(f"SET threads = {threads}")
        finally:
            cursor.close()


@dataclass
class _Pipeline:
    """Chunks parsed on worker threads, their batches handed to the writer's transaction."""

    workspace: Workspace
    sniffed: Sniffed
    layout: RecordLayout
    writer: TransactionWriter
    file_id: int
    progress: ProgressCallback | None
    cancel: CancelCallback | None
    tee: Callable[[bytes], None] | None = None  # receives every byte read, in order (the original kept)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _threads: list[threading.Thread] = field(default_factory=list, init=False)
    _to_duckdb: queue.Queue = field(default_factory=lambda: queue.Queue(maxsize=_QUEUE_DEPTH), init=False)
    _streaming: bool = field(default=False, init=False)
    _digest: _ThreadedDigest | None = field(default=None, init=False)

    def run(self) -> tuple[ParseResult, dict[str, int]]:
        path = self.sniffed.path
        size = path.stat().st_size
        with path.open("rb") as raw:
            self._digest = _ThreadedDigest()  # SHA-256 off the chunking path
            reader = SourceReader(path, raw, tee=self.tee, digest=self._digest)
            head = reader.read(HEAD_BYTES)
            region = find_region(path, head, size, self.layout.tag)
            skeleton, outside_rows = parse_skeleton(self.sniffed, region.prefix, region.suffix, self.layout.container)
            row_counts = self._insert_outside(outside_rows)
            self._check_cancel()
            hash_ = EpilogueHash()
            hash_.update([skeleton.hash_before])
            records = self._stream(reader, region, head, hash_, size)
            hash_.update([skeleton.hash_after])
            while reader.read(HEAD_BYTES):
                pass
        row_counts[self.layout.table.name] = records
        result = self._result(skeleton, hash_, records, reader)
        if result.hash_encoding is None:
            raise Declined("declared hash not reproduced in column order; the reference computes it")
        if self.progress is not None:
            self.progress(reader.bytes_read, size, records)
        return result, row_counts

    def stop(self) -> None:
        self._stopping.set()
        if self._streaming:
            self._put(self._to_duckdb, _END, force=True)
        for thread in self._threads:
            thread.join()
        if self._digest is not None:
            self._digest.close()

    # --- stages --------------------------------------------------------------------------

    def _stream(self, reader: SourceReader, region: Region, head: bytes, hash_: EpilogueHash, size: int) -> int:
        initial = head[region.start : region.end]
        chunks = ChunkReader(reader, region, self.layout.tag, initial).chunks()
        parsed = self._start(self._parse_stage, self._start(self._produce, chunks))
        records = 0
        for item in self._drain(parsed):
            chunk, batch = item
            if records == 0:
                staging.publish(self.workspace, self.layout.table, self.file_id, batch.batch)
                self._start_insert()
            hash_.update_utf8(batch.hash_text)
            self._put(self._to_duckdb, batch.batch)
            records += batch.batch.num_rows
            if self.progress is not None:
                self.progress(chunk.end_offset, size, records)
            self._check_cancel()
        if records == 0:
            raise Declined("no records")
        self._put(self._to_duckdb, _END, force=True)
        self._streaming = False
        return records

    def _start_insert(self) -> None:
        schema = arrow_schema(self.layout.table)
        stream = pa.RecordBatchReader.from_batches(schema, self._batches_for_duckdb())
        self._streaming = True
        self.writer.insert(self.layout.table, stream)

    def _batches_for_duckdb(self) -> Iterator[pa.RecordBatch]:
        while True:
            item = self._to_duckdb.get()
            if item is _END:
                return
            yield item

    def _parse_stage(self, chunks: queue.Queue, out: queue.Queue) -> None:
        parser = fast_parser(self.layout)
        for chunk in self._drain(chunks):
            parsed: ParsedChunk = parse_chunk(parser, self.layout, chunk, chunk.first_record_no)
            self._put(out, (chunk, parsed))

    def _produce(self, chunks: Iterator, out: queue.Queue) -> None:
        for chunk in chunks:
            if self._stopping.is_set():
                return
            self._put(out, chunk)

    # --- plumbing ------------------------------------------------------------------------

    def _start(self, work, source) -> queue.Queue:
        """Run `work(source, out)` on a thread; its items, then an end (or its error), arrive in `out`."""
        out: queue.Queue = queue.Queue(maxsize=_QUEUE_DEPTH)

        def run() -> None:
            try:
                work(source, out)
                self._put(out, _END, force=True)
            except BaseException as error:  # handed to the consumer, which re-raises it
                self._put(out, _Failure(error), force=True)

        thread = threading.Thread(target=run, name="sibtui-fast-load", daemon=True)
        self._threads.append(thread)
        thread.start()
        return out

    def _drain(self, source: queue.Queue) -> Iterator:
        while True:
            try:
                item = source.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if self._stopping.is_set():
                    return
                continue
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item

    def _put(self, target: queue.Queue, item: object, force: bool = False) -> None:
        while True:
            if self._stopping.is_set() and not force:
                raise Declined("stopped")
            if target is self._to_duckdb and self.writer.stopped:
                if force:
                    return
                raise self._writer_error()
            try:
                target.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                if force and self._stopping.is_set() and target is not self._to_duckdb:
                    return

    def _writer_error(self) -> BaseException:
        failure = self.writer.failure()
        return failure or WorkspaceError(f"{self.sniffed.path}: database writer stopped unexpectedly")

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise LoadCancelled(f"{self.sniffed.path}: load cancelled")

    def _insert_outside(self, rows: list) -> dict[str, int]:
        by_table: dict = {}
        for table, row in rows:
            if table is self.layout.table:
                raise Declined("a record outside the records region")
            by_table.setdefault(table, []).append(row)
        for table, table_rows in by_table.items():
            self.writer.insert(table, rows_to_arrow(table, table_rows))
        return {table.name: len(table_rows) for table, table_rows in by_table.items()}

    def _result(self, skeleton: Skeleton, hash_: EpilogueHash, records: int, reader: SourceReader) -> ParseResult:
        result = skeleton.result
        result.record_count = records
        result.hash_latin1 = hash_.latin1_hex
        result.hash_utf8 = hash_.utf8_hex
        result.non_latin1_text = hash_.non_latin1
        result.hash_encoding = hash_.matching_encoding(result.hash_declared)
        result.sha256 = reader.sha256
        result.size_bytes = reader.bytes_read
        return result


class _ThreadedDigest:
    """A SHA-256 that hashes on a thread of its own (hashlib releases the GIL)."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._pending: queue.Queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="sibtui-fast-sha256", daemon=True)
        self.thread.start()

    def update(self, data: bytes) -> None:
        self._pending.put(data)

    def hexdigest(self) -> str:
        self.close()
        return self._digest.hexdigest()

    def close(self) -> None:
        if self.thread.is_alive():
            self._pending.put(None)
            self.thread.join()

    def _run(self) -> None:
        while (data := self._pending.get()) is not None:
            self._digest.update(data)


@dataclass(frozen=True)
class _Failure:
    error: BaseException
