"""Row buffers that turn parsed rows into Arrow record batches.

Rows arrive as Python lists; every `batch_rows` rows a table's buffer is transposed
(`zip(*rows)`, in C) and converted column by column into Arrow, which DuckDB ingests about
1,300x faster than row inserts (`perf-notes.md` §4).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from sibtui.catalog.tables import Table

BATCH_ROWS = 50_000
_INTEGER_COLUMNS = {"record_no", "line", "error_no", "block_no"}

BatchConsumer = Callable[[Table, pa.Table], None]


def arrow_schema(table: Table) -> pa.Schema:
    """Schema of a batch for `table`: its columns minus `file_id`, which the insert adds."""
    return pa.schema(
        [
            pa.field(name, pa.int64() if name in _INTEGER_COLUMNS else pa.string())
            for name in table.columns
            if name != "file_id"
        ]
    )


def rows_to_arrow(table: Table, rows: list[list]) -> pa.Table:
    schema = arrow_schema(table)
    columns = list(zip(*rows))
    arrays = [pa.array(column, type=field.type) for column, field in zip(columns, schema)]
    return pa.Table.from_arrays(arrays, schema=schema)


class BatchingSink:
    """A `RowSink` that hands full Arrow batches to a consumer, and counts rows per table."""

    def __init__(self, consumer: BatchConsumer, batch_rows: int = BATCH_ROWS):
        self._consumer = consumer
        self._batch_rows = batch_rows
        self._buffers: dict[str, tuple[Table, list[list]]] = {}
        self.row_counts: dict[str, int] = {}

    def add(self, table: Table, row: list) -> None:
        entry = self._buffers.get(table.name)
        if entry is None:
            entry = self._buffers[table.name] = (table, [])
        rows = entry[1]
        rows.append(row)
        if len(rows) >= self._batch_rows:
            self._flush(table, rows)

    def flush(self) -> None:
        for table, rows in self._buffers.values():
            if rows:
                self._flush(table, rows)

    def _flush(self, table: Table, rows: list[list]) -> None:
        batch = rows_to_arrow(table, rows)
        rows.clear()
        self.row_counts[table.name] = self.row_counts.get(table.name, 0) + batch.num_rows
        self._consumer(table, batch)
