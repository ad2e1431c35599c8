"""One file per change: what a regeneration may skip, and which earlier files it replaces.

A regenerated file is *waiting* while it is published, not superseded, still on disk and not
loaded back as an SBX (a file loaded back was sent: its fate is followed through that SBX
and its RPX). A movement is identified by its source record, its kind and the fingerprint
of the edits it carries (`edits_key`): equal keys, equal content.

For each plan, against the waiting files of the same source:

- a waiting file all of whose movements are still planned, unchanged, *stays*: its
  movements are not written again;
- a waiting file holding a movement that changed or no longer goes is *superseded*: the new
  file carries every planned movement it still had, and the old one is marked
  "substituído por X — não envie" and moved into `substituidos/` beside it, so that the
  .SBX files directly in the output folder are exactly those to send. When nothing is left
  to write, it is withdrawn the same way (superseded by nothing).

Marking is one transaction after the new file is published; moving follows, and is
settled again by every regeneration (`move_superseded`), so a kill between the two only
delays the move.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sibtui.edit.ddl import LOGGED_MOVEMENTS, PUBLISHED_REGENERATIONS
from sibtui.edit.regen.plan import SCOPE_CNX_EDITS, SourcePlan

SUPERSEDED_FOLDER = "substituidos"
MovementKey = tuple  # (source_table, file_id, record_no, movement, edits_key)


@dataclass
class WaitingFile:
    """A regenerated file still to be sent, and the movements it holds."""

    regeneration_id: int
    part_no: int
    name: str
    path: Path
    created_at: dt.datetime
    keys: set[MovementKey] = field(default_factory=set)


@dataclass
class Reconciled:
    """What a plan does about the waiting files of its source."""

    staying: list[WaitingFile]
    superseded: list[WaitingFile]
    covered: set[MovementKey]  # planned movements already in a staying file

    def to_write(self, planned: set[MovementKey]) -> set[MovementKey]:
        return planned - self.covered


# Published, not superseded, not loaded back as an SBX: still to be sent.
WAITING_SQL = f"""
SELECT r.regeneration_id, r.part_no, r.output_name, r.output_path, r.created_at, r.scope,
       r.source_file_id, r.registroANS
FROM {PUBLISHED_REGENERATIONS} r
WHERE r.superseded_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM files s WHERE s.kind = 'SBX' AND upper(s.name) = upper(r.output_name))
"""


def waiting_files(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> list[WaitingFile]:
    """The waiting files of the plan's source (the same SBX, or the CNX edits of its operator)."""
    parameters: list[object]
    if plan.scope == SCOPE_CNX_EDITS:
        where, parameters = "scope = ? AND registroANS IS NOT DISTINCT FROM ?", [SCOPE_CNX_EDITS, plan.registro_ans]
    else:
        where, parameters = "scope <> ? AND source_file_id = ?", [SCOPE_CNX_EDITS, plan.source_file_id]
    files = {
        (rid, part): WaitingFile(rid, part, name, Path(path), created)
        for rid, part, name, path, created, *_ in cursor.execute(
            f"SELECT * FROM ({WAITING_SQL}) WHERE {where} ORDER BY regeneration_id, part_no", parameters
        ).fetchall()
    }
    if not files:
        return []
    rows = cursor.execute(
        f"SELECT regeneration_id, part_no, source_table, source_file_id, source_record_no, movement, "
        f"coalesce(edits_key, '') FROM {LOGGED_MOVEMENTS} m WHERE list_contains(?, regeneration_id)",
        [sorted({rid for rid, _ in files})],
    ).fetchall()
    for rid, part, table, file_id, record_no, movement, key in rows:
        waiting = files.get((rid, part))
        if waiting is not None:
            waiting.keys.add((table, file_id, record_no, movement, key))
    return list(files.values())


def reconcile(planned: set[MovementKey], waiting: list[WaitingFile]) -> Reconciled:
    """Which waiting files stay (all they hold is still planned as is) and which are replaced.

    A file no longer on disk covers nothing: its movements are written again.
    """
    staying = [f for f in waiting if f.keys and f.keys <= planned and f.path.is_file()]
    superseded = [f for f in waiting if f not in staying]
    covered = set().union(*(f.keys for f in staying)) if staying else set()
    return Reconciled(staying, superseded, covered)


def mark_superseded(cursor: duckdb.DuckDBPyConnection, files: list[WaitingFile], by_name: str | None) -> None:
    """Mark `files` superseded by `by_name` (None: withdrawn), in one transaction."""
    if not files:
        return
    cursor.execute("BEGIN TRANSACTION")
    try:
        for item in files:
            cursor.execute(
                "UPDATE regenerations SET superseded_at = ?, superseded_by = ? WHERE regeneration_id = ? AND part_no = ?",
                [dt.datetime.now(), by_name, item.regeneration_id, item.part_no],
            )
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise


def move_superseded(cursor: duckdb.DuckDBPyConnection) -> list[str]:
    """Move superseded files not yet moved into `substituidos/` beside them; pt-BR notes.

    A file no longer at its path is recorded as moved to '' (nothing to move). A name
    already taken in `substituidos/` is never overwritten: the file gets a numbered name.
    """
    rows = cursor.execute(
        f"SELECT regeneration_id, part_no, output_name, output_path, superseded_by FROM {PUBLISHED_REGENERATIONS} "
        "WHERE superseded_at IS NOT NULL AND moved_to IS NULL ORDER BY regeneration_id, part_no"
    ).fetchall()
    notes = []
    for rid, part, name, path, by_name in rows:
        source = Path(path)
        target = ""
        why = f"substituído por {by_name}" if by_name else "nada dele vai mais"
        if source.is_file():
            try:
                target = str(_move(source))
            except OSError as error:  # tried again by the next regeneration
                notes.append(f"{name}: {why} — não envie; não foi possível movê-lo para {SUPERSEDED_FOLDER}/ "
                             f"({error.strerror or error})")
                continue
            notes.append(f"{name}: {why} — não envie; movido para {SUPERSEDED_FOLDER}/")
        cursor.execute("UPDATE regenerations SET moved_to = ? WHERE regeneration_id = ? AND part_no = ?",
                       [target, rid, part])
    return notes


def _move(source: Path) -> Path:
    folder = source.parent / SUPERSEDED_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    target, number = folder / source.name, 1
    while True:
        try:
            os.link(source, target)
        except FileExistsError:
            number += 1
            target = folder / f"{source.stem}.{number}{source.suffix}"
            continue
        except OSError:  # no hard links here: rename, never over an existing file
            if target.exists():
                number += 1
                target = folder / f"{source.stem}.{number}{source.suffix}"
                continue
            os.rename(source, target)
            return target
        source.unlink()
        return target


def where_text(files: list[WaitingFile]) -> str:
    """"99999720261120090000.SBX (gerado 20/11/2026 09:00)", for "nothing changed" notes."""
    return ", ".join(f"{f.name} (gerado {f.created_at:%d/%m/%Y %H:%M})" for f in files)
