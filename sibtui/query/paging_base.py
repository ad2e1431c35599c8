"""What every paged view is to a grid: its columns, a truthful total, windows of rows by
position, a search, the whole view as one query, and the scratch tables it must drop.

The strategies (`sibtui.query.paging_ranges`, `sibtui.query.paging_positions`) differ only
in how a position becomes a row; `sibtui.query.paging.open_view` picks one for a spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sibtui.db.cursors import fetch_first
from sibtui.db.identifiers import quote
from sibtui.query.folding import fold, folded_sql
from sibtui.query.spec import Column, GridSpec

if TYPE_CHECKING:
    import duckdb

PAGE_ROWS = 100  # consecutive rows: a window costs about the same at 20 rows or at 100
SCATTERED_PAGE_ROWS = 25  # rows read by rowid from all over the table: ~1 ms a row at 10M
RID = "__rid"  # a row's rowid in its base table, as a position table keeps it


class PagedView:
    """A prepared spec: its columns, its total and how positions map to rows (a subclass each way)."""

    page_rows = PAGE_ROWS

    def __init__(self, spec: GridSpec, relation: str, columns: list[Column], total: int, owned_tables: list[str],
                 empty_columns: frozenset[str] = frozenset()):
        self.spec = spec
        self.relation = relation  # what rows are read from (a scratch table for SQL)
        self.all_columns = columns
        self.empty_columns = empty_columns  # left out: NULL on every row (spec.hide_empty)
        self.columns = _arranged(columns, spec.leading_columns, (*spec.hidden_columns, *sorted(empty_columns)))
        self.total = total
        self._owned_tables = owned_tables

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def window(self, cursor: duckdb.DuckDBPyConnection, offset: int, limit: int) -> list[tuple]:
        """Rows at positions [offset, offset + limit), in view order, shown columns only."""
        raise NotImplementedError

    def ordered_sql(self) -> tuple[str, list]:
        """The whole view as one query in view order (shown columns), for export."""
        raise NotImplementedError

    def position_sql(self) -> str:
        """Every row with its position `pos` and the shown columns, for searching."""
        raise NotImplementedError

    def find(self, cursor: duckdb.DuckDBPyConnection, text: str, start: int, backwards: bool = False) -> int | None:
        """Position of the first row at or after `start` (at or before, backwards) holding `text`.

        Accents and case folded, over every shown column; wraps around once.
        """
        if not text or self.total == 0:
            return None
        match_sql, position_sql = self._match_sql(), self.position_sql()
        comparison, order = ("<=", "DESC") if backwards else (">=", "ASC")
        sql = (f"SELECT pos FROM ({position_sql}) WHERE {match_sql} AND pos {comparison} ? "
               f"ORDER BY pos {order} LIMIT 1")
        row = fetch_first(cursor, sql, [fold(text), start])
        if row is None:
            wrap_sql = f"SELECT pos FROM ({position_sql}) WHERE {match_sql} ORDER BY pos {order} LIMIT 1"
            row = fetch_first(cursor, wrap_sql, [fold(text)])
        return None if row is None else int(row[0])

    def close(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Drop the scratch tables this view made."""
        for table in self._owned_tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self._owned_tables = []

    def clamp(self, offset: int, limit: int) -> tuple[int, int]:
        """`offset` and `limit` kept inside the view."""
        offset = max(0, offset)
        return offset, max(0, min(limit, self.total - offset))

    def selected_columns(self, alias: str = "s") -> str:
        return ", ".join(f"{alias}.{quote(column.name)}" for column in self.columns)

    def _match_sql(self) -> str:
        """Accents and case folded on both sides (`fold` folds the text searched for)."""
        text = ", ".join(f"CAST({quote(c.name)} AS VARCHAR)" for c in self.columns)
        return f"contains({folded_sql(f'concat_ws(chr(31), {text})')}, ?)"


def _arranged(columns: list[Column], leading: tuple[str, ...], hidden: tuple[str, ...]) -> list[Column]:
    by_name = {column.name: column for column in columns}
    first = [by_name[name] for name in leading if name in by_name and name not in hidden]
    rest = [column for column in columns if column.name not in hidden and column.name not in leading]
    return first + rest


def rowid_source(table: str) -> str:
    """`table` with each row's rowid as `__rid`."""
    return f"(SELECT rowid AS {RID}, * FROM {table})"
