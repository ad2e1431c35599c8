"""Export any grid or query result to CSV, XLSX or Parquet (UI-free; the console and `sibtui query`).

SQL never touches files (the workspace turns DuckDB's external access off), so rows are
streamed out of DuckDB as Arrow batches and written here: CSV through Python's csv module,
XLSX through `sibtui.query.xlsx` (identifiers as text cells, dates as dates: what opens
right in a spreadsheet), Parquet through pyarrow's writer. `cancel` is checked between
batches; a cancelled or failed export leaves no file behind. NULL (element absent) and ''
both become an empty CSV cell; Parquet keeps NULL; XLSX leaves an absent value's cell empty.

The "planilha brasileira" CSV (`;` between fields, ISO-8859-1, a character ISO-8859-1 cannot
hold becomes `?`) is plain text for tools that read CSV: a spreadsheet that opens it by
double-click guesses types and turns CPF, CNS, CCO and CEP into numbers (leading zeros lost,
a CNS in scientific notation). For a spreadsheet, export XLSX.

Exports hold CPFs and names (LGPD): the file is created owner-only (0600) from its first
byte, written under a hidden temporary name in the same folder and renamed when complete,
so a crash or a kill never leaves half an export under the name asked for. In mask mode
(`sibtui.privacy`) personal columns are masked in the file too.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from sibtui.db.failures import explain
from sibtui.errors import SibError
from sibtui.privacy import Masker, mask_free_text, masking_enabled, redact_message
from sibtui.query.xlsx import write_xlsx

if TYPE_CHECKING:
    import duckdb

FORMATS = ("csv", "xlsx", "parquet")
ENCODINGS = ("utf-8", "latin-1")
BATCH_ROWS = 50_000
ProgressCallback = Callable[[int], None]  # rows written so far
CancelCallback = Callable[[], bool]


class ExportError(SibError):
    """The export could not be written; the message names the file."""


class ExportCancelled(ExportError):
    """The analyst cancelled; the partial file was removed."""


@dataclass(frozen=True)
class ExportOptions:
    format: str = "csv"
    delimiter: str = ","
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ExportError(f"unknown export format {self.format!r} (use csv, xlsx or parquet)")
        if self.encoding not in ENCODINGS:
            raise ExportError(f"unknown encoding {self.encoding!r} (use utf-8 or latin-1)")
        if len(self.delimiter) != 1:
            raise ExportError(f"the delimiter must be one character, not {self.delimiter!r}")


BRAZILIAN_SPREADSHEET = ExportOptions("csv", ";", "latin-1")


def export_query(
    cursor: duckdb.DuckDBPyConnection,
    sql: str,
    path: Path | str,
    options: ExportOptions = ExportOptions(),
    parameters: list | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    mask: bool | None = None,
) -> int:
    """Write the rows of `sql` to `path`; return how many rows were written.

    `mask`: hide personal data (None: as mask mode says).
    """
    path = Path(path).expanduser()
    masked = masking_enabled() if mask is None else mask
    temporary: Path | None = None
    try:
        reader = cursor.sql(sql.strip().rstrip(";"), params=parameters or None).to_arrow_reader(BATCH_ROWS)
        write = {"parquet": _write_parquet, "xlsx": _write_xlsx}.get(options.format, _write_csv)
        handle, temporary = _owner_only_temporary(path)
        masker = Masker(reader.schema.names) if masked else None
        written = write(reader, handle, options, progress, cancel or (lambda: False), masker, temporary)
        os.replace(temporary, path)
        return written
    except (duckdb.InterruptException, ExportCancelled):
        _remove(temporary)
        raise ExportCancelled(f"{path}: export cancelled") from None
    except duckdb.Error as error:
        _remove(temporary)
        line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ExportError(f"{path}: {explain(error) or _scrubbed(line, masked)}") from None
    except OSError as error:
        _remove(temporary)
        raise ExportError(explain(error) or f"{path}: cannot write: {error.strerror or error}") from None
    except BaseException:
        _remove(temporary)
        raise


@contextlib.contextmanager
def finished_file(path: Path | str) -> Iterator[Path]:
    """A hidden owner-only file beside `path` to write; renamed to `path` only when the block
    ends without an error (removed otherwise), so `path` is whole or untouched."""
    path = Path(path).expanduser()
    try:
        handle, temporary = _owner_only_temporary(path)
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None
    os.close(handle)
    try:
        yield temporary
        with open(temporary, "rb+") as stream:
            _flush(stream)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def _scrubbed(line: str, masked: bool) -> str:
    """A DuckDB error line without the values it quotes (and, in mask mode, CPFs and dates)."""
    line = redact_message(line)
    return mask_free_text(line) if masked else line


def _owner_only_temporary(path: Path) -> tuple[int, Path]:
    """A new file beside `path`, mode 0600 from creation (mkstemp), hidden while written."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    return handle, Path(name)


def _write_csv(reader, handle: int, options: ExportOptions, progress, cancel: CancelCallback, masker,
               temporary: Path) -> int:
    written = 0
    with open(handle, "w", encoding=options.encoding, errors="replace", newline="") as stream:
        writer = csv.writer(stream, delimiter=options.delimiter, lineterminator="\r\n")
        writer.writerow(reader.schema.names)
        for batch in reader:
            _check(cancel)
            rows = zip(*(column.to_pylist() for column in batch.columns))
            if masker is not None:
                rows = masker.rows(rows)
            writer.writerows(["" if value is None else value for value in row] for row in rows)
            written += batch.num_rows
            if progress is not None:
                progress(written)
        _flush(stream)
    return written


def _write_xlsx(reader, handle: int, options: ExportOptions, progress, cancel: CancelCallback, masker,
                temporary: Path) -> int:
    """The workbook is written to the owner-only temporary file (XlsxWriter reopens it by name)."""
    os.close(handle)

    def rows():
        for batch in reader:
            _check(cancel)
            batch_rows = zip(*(column.to_pylist() for column in batch.columns))
            yield from (masker.rows(batch_rows) if masker is not None else batch_rows)

    written = write_xlsx(temporary, reader.schema.names, rows(), progress)
    with open(temporary, "rb+") as stream:
        _flush(stream)
    return written


def _write_parquet(reader, handle: int, options: ExportOptions, progress, cancel: CancelCallback, masker,
                   temporary: Path) -> int:
    written = 0
    with open(handle, "wb") as stream:
        with pq.ParquetWriter(stream, reader.schema) as writer:
            for batch in reader:
                _check(cancel)
                writer.write_batch(_masked_batch(batch, masker) if masker is not None else batch)
                written += batch.num_rows
                if progress is not None:
                    progress(written)
        _flush(stream)
    return written


def _masked_batch(batch, masker: Masker):
    rows = masker.rows(zip(*(column.to_pylist() for column in batch.columns)))
    columns: list = list(zip(*rows)) or [[] for _ in batch.schema]
    return pa.RecordBatch.from_arrays(
        [pa.array(list(values), type=field.type) for values, field in zip(columns, batch.schema)], schema=batch.schema
    )


def _flush(stream) -> None:
    """On disk before it gets its name: a crash right after the rename keeps a whole file."""
    stream.flush()
    os.fsync(stream.fileno())


def _check(cancel: CancelCallback) -> None:
    if cancel():
        raise ExportCancelled("cancelled")


def _remove(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.unlink()
    except OSError:
        pass
