"""Export any grid or query result to CSV or Parquet (UI-free; the console and `sibtui query`).

SQL never touches files (the workspace turns DuckDB's external access off), so rows are
streamed out of DuckDB as Arrow batches and written here: CSV through Python's csv module
(`;` and ISO-8859-1 for Brazilian spreadsheets, a character ISO-8859-1 cannot hold becomes
`?`), Parquet through pyarrow's writer. `cancel` is checked between batches; a cancelled
or failed export leaves no file behind. NULL (element absent) and '' both become an empty
CSV cell; Parquet keeps NULL.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sibtui.errors import SibError

if TYPE_CHECKING:
    import duckdb

FORMATS = ("csv", "parquet")
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
            raise ExportError(f"unknown export format {self.format!r} (use csv or parquet)")
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
) -> int:
    """Write the rows of `sql` to `path`; return how many rows were written."""
    import duckdb

    path = Path(path).expanduser()
    try:
        reader = cursor.sql(sql.strip().rstrip(";"), params=parameters or None).to_arrow_reader(BATCH_ROWS)
        write = _write_parquet if options.format == "parquet" else _write_csv
        return write(reader, path, options, progress, cancel or (lambda: False))
    except (duckdb.InterruptException, ExportCancelled):
        _remove(path)
        raise ExportCancelled(f"{path}: export cancelled") from None
    except duckdb.Error as error:
        _remove(path)
        raise ExportError(f"{path}: {str(error).strip().splitlines()[0]}") from None
    except OSError as error:
        _remove(path)
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None


def _write_csv(reader, path: Path, options: ExportOptions, progress, cancel: CancelCallback) -> int:
    written = 0
    with open(path, "w", encoding=options.encoding, errors="replace", newline="") as stream:
        _owner_only(path)
        writer = csv.writer(stream, delimiter=options.delimiter, lineterminator="\r\n")
        writer.writerow(reader.schema.names)
        for batch in reader:
            _check(cancel)
            columns = [column.to_pylist() for column in batch.columns]
            writer.writerows(["" if value is None else value for value in row] for row in zip(*columns))
            written += batch.num_rows
            if progress is not None:
                progress(written)
    return written


def _write_parquet(reader, path: Path, options: ExportOptions, progress, cancel: CancelCallback) -> int:
    import pyarrow.parquet as pq

    written = 0
    with pq.ParquetWriter(str(path), reader.schema) as writer:
        _owner_only(path)
        for batch in reader:
            _check(cancel)
            writer.write_batch(batch)
            written += batch.num_rows
            if progress is not None:
                progress(written)
    return written


def _check(cancel: CancelCallback) -> None:
    if cancel():
        raise ExportCancelled("cancelled")


def _owner_only(path: Path) -> None:
    """Exports hold CPFs and names (LGPD): readable by the owner only."""
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
