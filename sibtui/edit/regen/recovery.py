"""Settling what a killed regeneration left, before the next one chooses names and numbers.

The log is committed unpublished before any file gets its name (`sibtui.edit.regen.log`),
so after a kill the workspace may hold parts still marked unpublished. For each:

- its file is at the logged path, whole (the declared hash is the logged one and matches
  the content): it was published before the kill, and is marked so;
- otherwise it never got its name: its log rows are dropped (its sequencial is free again,
  since no file carries it).

Temporary parts this workspace wrote (`.NAME.TAG.*.part`, TAG from the workspace's path) in
the output folder are removed: nothing of them was published. Hidden parts without our tag
(another workspace's, or an older sibtui's) are left alone and reported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from sibtui.edit.regen import log
from sibtui.edit.regen.output import PART_SUFFIX, SBX_NAME
from sibtui.errors import SibError


def workspace_tag(cursor: duckdb.DuckDBPyConnection) -> str:
    """Eight hex digits naming the workspace file (its resolved path)."""
    row = cursor.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    path = str(Path(row[0][0]).resolve()) if row and row[0][0] else ":memory:"
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]


def recover(cursor: duckdb.DuckDBPyConnection, out_dir: Path, tag: str) -> list[str]:
    """Make the log agree with the files; what was done, one line each (pt-BR, for the report)."""
    notes = _settle_unpublished(cursor)
    notes += _remove_left_over_parts(out_dir, tag)
    return notes


def _settle_unpublished(cursor: duckdb.DuckDBPyConnection) -> list[str]:
    rows = cursor.execute(
        "SELECT regeneration_id, part_no, output_name, output_path, hash FROM regenerations "
        "WHERE published = false ORDER BY regeneration_id, part_no"
    ).fetchall()
    notes: list[str] = []
    for regeneration_id, part_no, name, path, logged_hash in rows:
        if _whole(Path(path), logged_hash):
            log.settle(cursor, regeneration_id, [part_no], [])
            notes.append(f"{name}: já tinha o nome final quando a geração {regeneration_id} foi interrompida; "
                         "registrado como gerado")
        else:
            log.settle(cursor, regeneration_id, [], [part_no])
            notes.append(f"{name}: a geração {regeneration_id} foi interrompida antes de o arquivo receber o nome; "
                         "registro descartado")
    return notes


def _whole(path: Path, logged_hash: str | None) -> bool:
    from sibtui.ingest.hashcheck import check_hash

    if not path.is_file() or not logged_hash:
        return False
    try:
        check = check_hash(path)
    except SibError:
        return False
    return check.ok and (check.declared or "").strip() == logged_hash


def _remove_left_over_parts(out_dir: Path, tag: str) -> list[str]:
    notes = []
    for path in sorted(out_dir.glob(f".*{PART_SUFFIX}")):
        name = path.name[1:].split(".SBX.", 1)[0] + ".SBX"
        if not SBX_NAME.fullmatch(name):
            continue
        if path.name.startswith(f".{name}.{tag}."):
            path.unlink(missing_ok=True)
            notes.append(f"{path.name}: arquivo temporário de uma geração interrompida, removido")
        else:
            notes.append(f"{path.name}: arquivo temporário que não é deste workspace; deixado como está")
    return notes
