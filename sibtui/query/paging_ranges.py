"""Paging by key ranges: rows whose keys run without holes, so a position is arithmetic.

- `RecordRanges`: a record table (or its `_current` view) in its natural order with no
  filter: `record_no` is dense within each file, so a window is
  `file_id = ? AND record_no BETWEEN ? AND ?` (zone maps prune the rest).
- `ResultRanges`: a materialised result (a scratch table) in its own order: its `rowid` is
  the key, dense from the start.

No scratch table is written for either; see `sibtui.query.paging` for the other strategy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sibtui.db.cursors import fetch_row
from sibtui.query.paging_base import PAGE_ROWS, RID, PagedView, rowid_source
from sibtui.query.spec import Column, GridSpec

if TYPE_CHECKING:
    import duckdb

RECORD_KEY: tuple[str, ...] = ("file_id", "record_no")


@dataclass(frozen=True)
class Segment:
    """A run of consecutive positions whose keys are `first + i` (in one file, for records)."""

    start: int  # first position
    file_id: int | None  # None for a materialised result (key is rowid)
    first: int  # first record_no (or rowid)
    count: int

    def match_sql(self) -> str:
        last = self.first + self.count - 1
        if self.file_id is None:
            return f"s.rowid BETWEEN {self.first} AND {last}"
        return f"s.file_id = {self.file_id} AND s.record_no BETWEEN {self.first} AND {last}"


class _Ranges(PagedView):
    """Positions map to keys through segments; rows are read by key."""

    page_rows = PAGE_ROWS  # consecutive rows: a window costs about the same at 20 rows or at 100

    def __init__(self, spec: GridSpec, relation: str, columns: list[Column], segments: list[Segment],
                 owned_tables: list[str], empty_columns: frozenset[str] = frozenset()):
        super().__init__(spec, relation, columns, sum(s.count for s in segments), owned_tables, empty_columns)
        self._segments = segments

    def _keys(self, offset: int, limit: int) -> list[int | tuple[int, int]]:
        keys: list[int | tuple[int, int]] = []
        for segment in self._segments:
            low, high = max(offset, segment.start), min(offset + limit, segment.start + segment.count)
            for position in range(low, high):
                value = segment.first + position - segment.start
                keys.append(value if segment.file_id is None else (segment.file_id, value))
        return keys

    def position_sql(self) -> str:
        key = "rowid" if isinstance(self, ResultRanges) else "record_no"
        cases = " ".join(f"WHEN {segment.match_sql()} THEN {segment.start} + s.{key} - {segment.first}"
                         for segment in self._segments)
        return f"SELECT CASE {cases} END AS pos, {self.selected_columns()} FROM {self.relation} AS s"


class RecordRanges(_Ranges):
    """A record relation in its natural order (`file_id`, `record_no`), no filter, no holes."""

    def window(self, cursor: duckdb.DuckDBPyConnection, offset: int, limit: int) -> list[tuple]:
        keys = [key for key in self._keys(*self.clamp(offset, limit)) if isinstance(key, tuple)]
        if not keys:
            return []
        selects, parameters = [], []
        for where, values in _key_ranges(keys):
            selects.append(f"SELECT s.file_id, s.record_no, {self.selected_columns()} "
                           f"FROM {self.relation} AS s WHERE {where}")
            parameters.extend(values)
        rows = cursor.execute(" UNION ALL ".join(selects), parameters).fetchall()
        by_key = {row[:2]: row[2:] for row in rows}
        return [by_key[key] for key in keys if key in by_key]

    def ordered_sql(self) -> tuple[str, list]:
        return f"SELECT {self.selected_columns()} FROM {self.relation} AS s ORDER BY s.file_id, s.record_no", []


class ResultRanges(_Ranges):
    """A materialised result in its own order: rowid is the position's key."""

    def window(self, cursor: duckdb.DuckDBPyConnection, offset: int, limit: int) -> list[tuple]:
        rowids = [key for key in self._keys(*self.clamp(offset, limit)) if isinstance(key, int)]
        if not rowids:
            return []
        rows = cursor.execute(f"SELECT s.{RID}, {self.selected_columns()} FROM {rowid_source(self.relation)} AS s "
                              f"WHERE s.{RID} = ANY(?)", [rowids]).fetchall()
        by_rowid = {row[0]: row[1:] for row in rows}
        return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]

    def ordered_sql(self) -> tuple[str, list]:
        return f"SELECT {self.selected_columns()} FROM {self.relation} AS s ORDER BY s.rowid", []


def dense_segments(cursor: duckdb.DuckDBPyConnection, relation: str, records: bool) -> list[Segment] | None:
    """One segment per file (or one for a result's rowids) when the keys run without holes; None otherwise."""
    if not records:
        low, high, count = fetch_row(cursor, f"SELECT min(rowid), max(rowid), count(*) FROM {relation}")
        if not count:
            return []
        return [Segment(0, None, int(low), int(count))] if high - low + 1 == count else None
    rows = cursor.execute(
        f"SELECT file_id, min(record_no), max(record_no), count(*) FROM {relation} GROUP BY file_id ORDER BY file_id"
    ).fetchall()
    segments, start = [], 0
    for file_id, low, high, count in rows:
        if high - low + 1 != count:
            return None
        segments.append(Segment(start, int(file_id), int(low), int(count)))
        start += int(count)
    return segments


def _key_ranges(keys: list[tuple[int, int]]) -> list[tuple[str, list]]:
    """One condition per file over a run of consecutive record numbers (what segments give).

    One SELECT per file, joined by UNION ALL: an OR across files would reach the scan as
    `file_id BETWEEN a AND b AND record_no BETWEEN x AND y` and read rows of neither run.
    """
    ranges: dict[int, list[int]] = {}
    for file_id, record_no in keys:
        low, high = ranges.setdefault(file_id, [record_no, record_no])
        ranges[file_id] = [min(low, record_no), max(high, record_no)]
    return [("s.file_id = ? AND s.record_no BETWEEN ? AND ?", [file_id, low, high])
            for file_id, (low, high) in ranges.items()]

