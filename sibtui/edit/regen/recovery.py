"""Settling what a killed regeneration left, before the next one chooses names and numbers.

The log is committed unpublished before any file gets its name (`sibtui.edit.regen.log`),
so after a kill the workspace may hold parts still marked unpublished. Once a part's log
committed, its file may have been published, and a published file may leave the folder
(the analyst moves it to send it): its `sequencialTransacao` and name must never be used
again. So a part's rows are dropped only on proof that it never got its name:

- its file is at the logged path, whole (the declared hash is the logged one): published;
- its temporary `.NAME.TAG.*.part` is still there, with the logged hash: publishing
  starts by renaming the part to `.claim` (`sibtui.edit.regen.output`), so the part never
  got its name: its rows are dropped (its sequencial is free again, no file carries it);
- its `.claim` is there (killed while linking): the publication is finished now;
- neither: it was published and then moved away: marked published, never reused.

Other temporary parts this workspace wrote (TAG from the workspace's path) in the output
folder are removed: nothing of them was published. Hidden files without our tag (another
workspace's, or an older sibtui's) are left alone and reported.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

from sibtui.edit.regen import log
from sibtui.edit.regen.output import CLAIM_SUFFIX, PART_SUFFIX, SBX_NAME, part_prefix
from sibtui.errors import SibError
from sibtui.ingest.hashcheck import check_hash


def workspace_tag(cursor: duckdb.DuckDBPyConnection) -> str:
    """Eight hex digits naming the workspace file (its resolved path)."""
    row = cursor.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    path = str(Path(row[0][0]).resolve()) if row and row[0][0] else ":memory:"
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]


def recover(cursor: duckdb.DuckDBPyConnection, out_dir: Path, tag: str) -> list[str]:
    """Make the log agree with the files; what was done, one line each (pt-BR, for the report)."""
    notes = _settle_unpublished(cursor, tag)
    notes += _remove_left_over_parts(out_dir, tag)
    return notes


def _settle_unpublished(cursor: duckdb.DuckDBPyConnection, tag: str) -> list[str]:
    rows = cursor.execute(
        "SELECT regeneration_id, part_no, output_name, output_path, hash FROM regenerations "
        "WHERE published = false ORDER BY regeneration_id, part_no"
    ).fetchall()
    notes: list[str] = []
    for regeneration_id, part_no, name, path, logged_hash in rows:
        final = Path(path)
        temporary = _own_temporaries(final.parent, name, tag)
        if _whole(final, logged_hash):
            notes.append(f"{name}: já tinha o nome final quando a geração {regeneration_id} foi interrompida; "
                         "registrado como gerado")
        elif any(_whole(part, logged_hash) for part in temporary[PART_SUFFIX]):
            log.settle(cursor, regeneration_id, [], [part_no])
            notes.append(f"{name}: a geração {regeneration_id} foi interrompida antes de o arquivo receber o nome; "
                         "registro descartado")
            continue
        elif _finish_claim(final, [claim for claim in temporary[CLAIM_SUFFIX] if _whole(claim, logged_hash)]):
            notes.append(f"{name}: a geração {regeneration_id} foi interrompida enquanto o arquivo recebia o nome; "
                         "publicação concluída")
        else:
            notes.append(f"{name}: não está mais em {final.parent} (movido para envio?); registrado como gerado: "
                         "seu nome e seu sequencialTransacao não serão reusados")
        log.settle(cursor, regeneration_id, [part_no], [])
    return notes


def _own_temporaries(folder: Path, name: str, tag: str) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {PART_SUFFIX: [], CLAIM_SUFFIX: []}
    if folder.is_dir():
        for suffix in found:
            found[suffix] = sorted(folder.glob(f"{part_prefix(name, tag)}*{suffix}"))
    return found


def _finish_claim(final: Path, claims: list[Path]) -> bool:
    """Link a whole claimed part to its final name (if that name is free); True when done."""
    if not claims or final.exists():
        return False
    try:
        os.link(claims[0], final)
    except OSError:
        return False
    for claim in claims:
        claim.unlink(missing_ok=True)
    return True


def _whole(path: Path, logged_hash: str | None) -> bool:
    if not path.is_file() or not logged_hash:
        return False
    try:
        check = check_hash(path)
    except SibError:
        return False
    return check.ok and (check.declared or "").strip() == logged_hash


def _remove_left_over_parts(out_dir: Path, tag: str) -> list[str]:
    notes = []
    for path in sorted([*out_dir.glob(f".*{PART_SUFFIX}"), *out_dir.glob(f".*{CLAIM_SUFFIX}")]):
        name = path.name[1:].split(".SBX.", 1)[0] + ".SBX"
        if not SBX_NAME.fullmatch(name):
            continue
        if path.name.startswith(f".{name}.{tag}."):
            path.unlink(missing_ok=True)
            notes.append(f"{path.name}: arquivo temporário de uma geração interrompida, removido")
        else:
            notes.append(f"{path.name}: arquivo temporário que não é deste workspace; deixado como está")
    return notes
