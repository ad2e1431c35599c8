"""CNX conferences as dated snapshots of one operator, and the choice of two to compare.

ANS sends a CNX on request; several of one registro ANS live side by side in a workspace,
ordered by when ANS made them (`file_moments`, `sibtui.ingest.facts`: header date, else the name's date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from sibtui.errors import SibError

# snapshot_no counts 1, 2, ... per registro ANS, oldest first (dates from file_moments).
SNAPSHOTS_VIEW_SQL = """
CREATE OR REPLACE VIEW cnx_snapshots AS
SELECT f.file_id, f.name, f.registroANS, f.record_count, m.moment AS taken_at,
       row_number() OVER (PARTITION BY f.registroANS ORDER BY m.moment NULLS FIRST, f.file_id) AS snapshot_no
FROM files f JOIN file_moments m ON m.file_id = f.file_id
WHERE f.kind = 'CNX'
"""


class CompareError(SibError):
    """Two conferences cannot be compared (not CNX, other operator, the same file, only one)."""


@dataclass(frozen=True)
class Snapshot:
    file_id: int
    name: str
    registro_ans: str | None
    record_count: int
    taken_at: datetime | None

    def describe(self) -> str:
        when = self.taken_at.strftime("%Y-%m-%d %H:%M") if self.taken_at else "data desconhecida"
        return f"file {self.file_id} {self.name} ({when})"


@dataclass(frozen=True)
class SnapshotPair:
    older: Snapshot
    newer: Snapshot

    @property
    def registro_ans(self) -> str | None:
        return self.newer.registro_ans


def list_snapshots(cursor: duckdb.DuckDBPyConnection) -> list[Snapshot]:
    rows = cursor.execute(
        "SELECT file_id, name, registroANS, record_count, taken_at FROM cnx_snapshots "
        "ORDER BY registroANS, snapshot_no"
    ).fetchall()
    return [Snapshot(*row) for row in rows]


def choose_pair(cursor: duckdb.DuckDBPyConnection, from_id: int | None = None, to_id: int | None = None) -> SnapshotPair:
    """The two conferences to compare: the ones given, else the two latest of one operator.

    Without ids, the operator is the one of the newest CNX loaded. Refuses, with a message
    the analyst can act on, anything that is not two different CNX of the same registro ANS.
    """
    snapshots = {snapshot.file_id: snapshot for snapshot in list_snapshots(cursor)}
    if len(snapshots) < 2 and (from_id is None or to_id is None):
        raise CompareError(f"need two CNX conferences to compare; the workspace holds {len(snapshots)}")
    if from_id is None and to_id is None:
        return _latest_pair(list(snapshots.values()))
    if from_id is None or to_id is None:
        raise CompareError("give both --from and --to, or neither (the two latest conferences)")
    older, newer = (_snapshot(cursor, snapshots, file_id) for file_id in (from_id, to_id))
    if older.file_id == newer.file_id:
        raise CompareError(f"file {older.file_id} compared with itself: choose two different conferences")
    if older.registro_ans != newer.registro_ans:
        raise CompareError(
            f"file {older.file_id} is registro ANS {older.registro_ans} and file {newer.file_id} is "
            f"{newer.registro_ans}: conferences of different operators cannot be compared"
        )
    return SnapshotPair(older, newer)


def _latest_pair(snapshots: list[Snapshot]) -> SnapshotPair:
    newest = max(snapshots, key=_order)
    same_operator = sorted((s for s in snapshots if s.registro_ans == newest.registro_ans), key=_order)
    if len(same_operator) < 2:
        raise CompareError(
            f"only one CNX of registro ANS {newest.registro_ans} is loaded ({newest.name}); load an older one"
        )
    return SnapshotPair(same_operator[-2], same_operator[-1])


def _order(snapshot: Snapshot) -> tuple:
    return (snapshot.taken_at or datetime.min, snapshot.file_id)


def _snapshot(cursor: duckdb.DuckDBPyConnection, snapshots: dict[int, Snapshot], file_id: int) -> Snapshot:
    if file_id in snapshots:
        return snapshots[file_id]
    row = cursor.execute("SELECT kind, name FROM files WHERE file_id = ?", [file_id]).fetchall()
    if not row:
        raise CompareError(f"file {file_id} is not in the workspace")
    raise CompareError(f"file {file_id} ({row[0][1]}) is an {row[0][0]}, not a CNX conference")
