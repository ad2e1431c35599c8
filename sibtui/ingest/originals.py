"""The loaded file's own bytes, kept compressed in the workspace (art. 12: evidence).

ANS deletes an RPX three months after making it, and an operator audited later must show
the files themselves, not rows parsed from them. So every file loaded is kept, zstd-
compressed (level 1: about 13x on SIB XML), in `file_originals`, inside the load's own
transaction: a failed or cancelled load keeps nothing, and a killed one leaves nothing
behind either (the pieces wait in an unlinked temporary file until the commit).

The parser reads the file once; every chunk it reads is also handed to an `OriginalKeeper`
(`feed`), whose thread compresses 4 MiB pieces (pyarrow's zstd releases the GIL) while the
parse goes on. At the end the pieces go into the transaction, just before the `files` row.
`write_original` writes them back byte for byte and checks the SHA-256 the load recorded.
"""

from __future__ import annotations

import hashlib
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import ORIGINALS_TABLE, Table
from sibtui.errors import SibError

CODEC = "zstd"
LEVEL = 1  # 13x at 1.8 s of CPU per GB; level 3 gains 1% for 10% more CPU
PIECE_BYTES = 4 << 20
INSERT_PIECES = 32  # pieces per Arrow batch inserted (about 10 MB compressed)
ORIGINALS = Table(ORIGINALS_TABLE, ("piece_no", "raw_bytes", "codec", "data"), key_columns=("file_id",))
KEEP_ENV = "SIBTUI_KEEP_ORIGINALS"  # "0" turns keeping off (benchmarks of the parse alone)
_STOP = object()


class OriginalError(SibError):
    """A kept original that cannot be written back (absent, damaged, output taken)."""


def keeping_enabled() -> bool:
    return os.environ.get(KEEP_ENV, "1").strip() != "0"


class OriginalKeeper:
    """Compresses the bytes fed to it on a thread of its own; `pieces()` once fed whole."""

    def __init__(self, folder: Path | None = None):
        self._queue: queue.Queue = queue.Queue(maxsize=16)
        self._spool = tempfile.TemporaryFile(dir=_spool_folder(folder))  # unlinked: a kill leaves nothing
        self._sizes: list[tuple[int, int]] = []  # (raw, compressed) per piece
        self._error: BaseException | None = None
        self.raw_bytes = 0
        self._thread = threading.Thread(target=self._run, name="sibtui-keep-original", daemon=True)
        self._thread.start()

    def feed(self, data: bytes) -> None:
        """Called by the reader with every chunk, in file order."""
        if data and self._error is None:
            self._queue.put(data)

    def pieces(self) -> Iterator[pa.Table]:
        """Arrow batches of `ORIGINALS` rows (without file_id), after the last chunk was fed."""
        self._finish()
        self._spool.seek(0)
        batch: list[tuple[int, int, bytes]] = []
        for number, (raw, size) in enumerate(self._sizes, start=1):
            batch.append((number, raw, self._spool.read(size)))
            if len(batch) == INSERT_PIECES:
                yield _batch(batch)
                batch = []
        if batch:
            yield _batch(batch)
        self._spool.close()

    def discard(self) -> None:
        """The load failed or was cancelled: stop, keep nothing."""
        if self._thread.is_alive():
            self._error = self._error or SibError("discarded")
            self._queue.put(_STOP)
            self._thread.join()
        self._spool.close()

    @property
    def compressed_bytes(self) -> int:
        return sum(size for _, size in self._sizes)

    def _finish(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()
        if self._error is not None:
            raise SibError(f"cannot keep the original: {self._error}")

    def _run(self) -> None:
        codec = pa.Codec(CODEC, compression_level=LEVEL)
        pending = bytearray()
        try:
            while (data := self._queue.get()) is not _STOP:
                if self._error is not None:
                    continue
                pending += data
                self.raw_bytes += len(data)
                if len(pending) >= PIECE_BYTES:
                    self._compress(codec, pending)
                    pending = bytearray()
            if pending and self._error is None:
                self._compress(codec, pending)
        except BaseException as error:  # a full disk under the spool: the load reports it
            self._error = error
            while self._queue.get() is not _STOP:
                pass

    def _compress(self, codec: pa.Codec, raw: bytearray) -> None:
        packed = codec.compress(raw, asbytes=True)
        self._spool.write(packed)
        self._sizes.append((len(raw), len(packed)))


def _batch(rows: list[tuple[int, int, bytes]]) -> pa.Table:
    return pa.table({
        "piece_no": pa.array([row[0] for row in rows], pa.int64()),
        "raw_bytes": pa.array([row[1] for row in rows], pa.int64()),
        "codec": pa.array([CODEC] * len(rows), pa.string()),
        "data": pa.array([row[2] for row in rows], pa.binary()),
    })


def _spool_folder(folder: Path | None) -> str | None:
    """Beside the workspace (same disk, owner-only); the system's temp folder for `:memory:`."""
    if folder is not None and folder.is_dir() and os.access(folder, os.W_OK):
        return str(folder)
    return None


# --- writing one back -----------------------------------------------------------------------


def write_original(cursor: duckdb.DuckDBPyConnection, file_id: int, out: Path,
                   progress: Callable[[int, int], None] | None = None) -> tuple[str, int]:
    """Write file `file_id`'s original bytes to `out` (never over an existing file); check
    them against the SHA-256 recorded when it was loaded. Returns (name, bytes written)."""
    found = cursor.execute("SELECT name, sha256, size_bytes FROM files WHERE file_id = ?", [file_id]).fetchall()
    if not found:
        raise OriginalError(f"no file {file_id} in the workspace")
    name, sha256, size = found[0]
    try:
        pieces = cursor.execute(
            f"SELECT count(*), coalesce(sum(raw_bytes), 0) FROM {ORIGINALS_TABLE} WHERE file_id = ?", [file_id]
        ).fetchall()[0]
    except duckdb.CatalogException:  # a workspace made before originals were kept, opened read-only
        pieces = (0, 0)
    if not pieces[0]:
        raise OriginalError(f"{name}: file {file_id} was loaded before sibtui kept originals; no copy in the workspace")
    if out.exists():
        raise OriginalError(f"{out}: exists; never overwritten")
    folder = out.parent if str(out.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    digest, written = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as stream:
            for data, raw in _stored_pieces(cursor, file_id):
                chunk = pa.Codec(CODEC).decompress(data, decompressed_size=raw, asbytes=True)
                digest.update(chunk)
                stream.write(chunk)
                written += len(chunk)
                if progress is not None:
                    progress(written, int(pieces[1]))
            stream.flush()
            os.fsync(stream.fileno())
        if digest.hexdigest() != sha256 or (size is not None and written != size):
            raise OriginalError(f"{name}: the kept copy does not reproduce the file loaded (SHA-256 differs); "
                                "nothing written")
        try:
            os.link(temporary, out)
        except FileExistsError:
            raise OriginalError(f"{out}: appeared while writing; never overwritten") from None
        except OSError:  # a file system without hard links: check, then rename
            if out.exists():
                raise OriginalError(f"{out}: appeared while writing; never overwritten") from None
            os.rename(temporary, out)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return name, written


def _stored_pieces(cursor: duckdb.DuckDBPyConnection, file_id: int) -> Iterator[tuple[bytes, int]]:
    """(compressed bytes, raw size) of each piece, in order, a few at a time (bounded memory)."""
    last = 0
    while True:
        rows = cursor.execute(
            f"SELECT piece_no, data, raw_bytes FROM {ORIGINALS_TABLE} WHERE file_id = ? AND piece_no > ? "
            "ORDER BY piece_no LIMIT 8", [file_id, last]
        ).fetchall()
        if not rows:
            return
        for piece_no, data, raw in rows:
            yield data, int(raw)
            last = piece_no
