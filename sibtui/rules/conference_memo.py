"""The conference side's findings, remembered per CNX between checks.

An analyst checks again after every fix, and the console after every edit, while the
conference (CNX) judged beside the movements changes about once a month. Judging the
300,000 vínculos of a CNX costs ~0.8 s of CPU a check, most of `sibtui check`'s time,
for the same answer. So each check keeps what it found on each newest CNX, under a key
that says everything the answer depends on, and the next check judges again only the
CNX whose key changed:

- the rules: the conference SQL itself, with the day of the check written as a marker (any
  change of a rule, a message or a column changes the text, hence the key), and the
  workspace's schema fingerprint (`meta`), which changes when a migration could change rows;
- the file: its id, SHA-256 and load time (loaded rows never change: `sibtui.edit.schema`);
- its edits: every journal row on that CNX (an edit, an undo, a redo adds one);
- the day: the conference compares the day of the check only with the CNX's own dates
  (a date in the future; a birth date not after today). Between two consecutive dates of
  the file, every comparison answers the same, so a finding set holds for every day from
  the newest date of the file not after the day it was judged (`valid_from`) to the day
  before the first date after it (`valid_until`, exclusive). `day_marked` refuses to
  remember a conference SQL that uses the day any other way: it is then judged every time.

A remembered CNX is thus judged again exactly when its answer could differ. What is kept
is written in the same transaction as `findings` (`MemoUpdate.write`), so a cancelled
check remembers nothing; files no longer newest are forgotten there too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from sibtui.catalog.domains import Base
from sibtui.catalog.tables import FINDINGS_COLUMNS
from sibtui.db.cursors import copy_arrow
from sibtui.db.identifiers import quote
from sibtui.rules.context import CNX_TABLE, CheckContext
from sibtui.rules.field_sql import parsed_date
from sibtui.rules.fields import places

MEMO_TABLE = "conference_memo"
MEMO_FINDINGS_TABLE = "conference_memo_findings"
MEMO_FORMAT = "1"  # bump when what is kept changes meaning
DAY_MARKER = "DATE '<dia da verificação>'"
STAGED_COLUMNS = ("file_id", "record_no", "source_table", "field", "rule", "message", "value")

_FINDING_TYPES = dict(FINDINGS_COLUMNS)


def memo_tables_sql() -> tuple[str, ...]:
    """The two tables the rules part keeps the memo in (`sibtui.rules.schema`)."""
    findings = ", ".join(f"{quote(name)} {_FINDING_TYPES[name]}" for name in STAGED_COLUMNS)
    return (
        f"CREATE TABLE IF NOT EXISTS {MEMO_TABLE} (file_id BIGINT, memo_key VARCHAR, valid_from DATE, "
        "valid_until DATE, judged_on DATE)",
        f"CREATE TABLE IF NOT EXISTS {MEMO_FINDINGS_TABLE} ({findings})",
    )


def day_marked(sql: str, today: dt.date) -> str | None:
    """`sql` with the day of the check replaced by `DAY_MARKER`, or None when the day is used
    otherwise than compared with a date (`d > today`, `d BETWEEN x AND today`): only those
    comparisons are known to answer alike between two consecutive dates of the file."""
    literal = f"DATE '{today.isoformat()}'"
    allowed = re.compile(r"(?:> |BETWEEN DATE '\d{4}-\d{2}-\d{2}' AND )" + re.escape(literal))
    if len(allowed.findall(sql)) != sql.count(literal):
        return None
    return sql.replace(literal, DAY_MARKER)


def date_columns() -> tuple[str, ...]:
    """CNX columns holding a date: every date the conference SQL can compare the day with."""
    return tuple(column for column, place in places(CNX_TABLE, None).items() if place.domain.base is Base.DATE)


@dataclass
class MemoUpdate:
    """What a check writes to the memo with its findings: the CNX it judged, and those still newest."""

    newest: tuple[int, ...]
    keys: dict[int, str] = field(default_factory=dict)  # file_id -> key, for the CNX judged now
    windows: dict[int, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    findings: pa.Table | None = None
    judged_on: dt.date | None = None

    def write(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Inside the caller's transaction: forget what is replaced or no longer newest, keep the new."""
        replaced = ", ".join(str(int(file_id)) for file_id in self.keys) or "NULL"
        kept = ", ".join(str(int(file_id)) for file_id in self.newest)
        stale = f"file_id NOT IN ({kept})" if kept else "TRUE"
        for table in (MEMO_TABLE, MEMO_FINDINGS_TABLE):
            cursor.execute(f"DELETE FROM {table} WHERE file_id IN ({replaced}) OR {stale}")
        if not self.keys:
            return
        rows = pa.table({
            "file_id": pa.array(list(self.keys), pa.int64()),
            "memo_key": list(self.keys.values()),
            "valid_from": pa.array([self.windows.get(f, (None, None))[0] for f in self.keys], pa.date32()),
            "valid_until": pa.array([self.windows.get(f, (None, None))[1] for f in self.keys], pa.date32()),
            "judged_on": pa.array([self.judged_on] * len(self.keys), pa.date32()),
        })
        copy_arrow(cursor, f"INSERT INTO {MEMO_TABLE}", rows)
        if self.findings is not None and self.findings.num_rows:
            copy_arrow(cursor, f"INSERT INTO {MEMO_FINDINGS_TABLE}", self.findings.select(list(STAGED_COLUMNS)))


class ConferenceMemo:
    """For one check: which newest CNX are remembered for this day, and how to remember the others."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, ctx: CheckContext, conference_sql: str):
        self._ctx = ctx
        marked = day_marked(conference_sql, ctx.today)
        identities = cursor.execute(f"""
            SELECT n.file_id, f.sha256, f.loaded_at::VARCHAR,
                   (SELECT md5(string_agg(concat_ws(chr(31), j.edit_id, j.record_no, j.field,
                                                    coalesce(j.new_value, chr(0)), coalesce(j.old_value, chr(0))),
                                          chr(30) ORDER BY j.edit_id))
                    FROM edit_journal j WHERE j.table_name = '{CNX_TABLE}' AND j.file_id = n.file_id)
            FROM {ctx.newest_cnx} n LEFT JOIN files f ON f.file_id = n.file_id ORDER BY n.file_id""").fetchall()
        schema = cursor.execute("SELECT value FROM meta WHERE key = 'schema_fingerprint'").fetchall()
        common = "\x00".join([MEMO_FORMAT, schema[0][0] if schema else "", marked or ""])
        self.newest = tuple(int(row[0]) for row in identities)
        self.keys = {int(row[0]): _digest(common, *row) for row in identities} if marked is not None else {}
        self.remembered = self._remembered(cursor)
        self.missed = tuple(file_id for file_id in self.newest if file_id not in self.remembered)

    def _remembered(self, cursor: duckdb.DuckDBPyConnection) -> frozenset[int]:
        if not self.keys:
            return frozenset()
        day = f"DATE '{self._ctx.today.isoformat()}'"
        pairs = ", ".join(f"({file_id}, '{key}')" for file_id, key in self.keys.items())
        rows = cursor.execute(
            f"SELECT file_id FROM {MEMO_TABLE} WHERE (file_id, memo_key) IN ({pairs}) "
            f"AND coalesce(valid_from <= {day}, true) AND coalesce({day} < valid_until, true)").fetchall()
        return frozenset(int(row[0]) for row in rows)

    def remembered_findings(self, cursor: duckdb.DuckDBPyConnection) -> pa.Table | None:
        if not self.remembered:
            return None
        files = ", ".join(str(file_id) for file_id in sorted(self.remembered))
        columns = ", ".join(STAGED_COLUMNS)
        return cursor.sql(f"SELECT {columns} FROM {MEMO_FINDINGS_TABLE} WHERE file_id IN ({files})").to_arrow_table()

    def update(self, cursor: duckdb.DuckDBPyConnection, fresh: pa.Table | None) -> MemoUpdate:
        """What to keep of the CNX judged now (`missed`, their rows in `ctx.cnx_newest_rows`)."""
        judged = {file_id: key for file_id, key in self.keys.items() if file_id in self.missed}
        return MemoUpdate(self.newest, judged, self._windows(cursor) if judged else {}, fresh, self._ctx.today)

    def _windows(self, cursor: duckdb.DuckDBPyConnection) -> dict[int, tuple[dt.date | None, dt.date | None]]:
        """Per CNX judged now, the days its findings hold for (see the module docstring)."""
        day = f"DATE '{self._ctx.today.isoformat()}'"
        # Each column's distinct values parsed once (dates repeat: a third of the cost of parsing every row).
        dates = " UNION ALL ".join(
            f"SELECT file_id, {parsed_date('v')} AS d FROM (SELECT DISTINCT file_id, {quote(column)} AS v "
            f"FROM {self._ctx.cnx_newest_rows})" for column in date_columns())
        rows = cursor.execute(
            f"SELECT file_id, max(d) FILTER (WHERE d <= {day}), min(d) FILTER (WHERE d > {day}) "
            f"FROM ({dates}) GROUP BY file_id"
        ).fetchall()
        return {int(file_id): (first, until) for file_id, first, until in rows}


def _digest(common: str, *parts: object) -> str:
    return hashlib.sha256("\x00".join([common, *("" if part is None else str(part) for part in parts)]).encode()).hexdigest()
