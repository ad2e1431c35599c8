"""Workspaces for the hostile-input, crash and concurrency tests, and how to compare them.

`analyst_workspace` is a workspace as an analyst leaves it: the sample month loaded, one
edit in the journal, the pre-critique's findings. `snapshot` reads every table of it (the
evidence, the journal, the findings, the regeneration log) in a stable order, so "exactly
as before" means equal query results, row for row.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import duckdb

from conftest import SAMPLE_DIR
from sibtui.ingest.loader import load_files
from sibtui.workspace import Workspace

EDITED_VALUE = "MARIA EDITADA ANTES"


def build_analyst_workspace(path: Path) -> Path:
    """Load the sample month, make one confirmed edit, run the pre-critique."""
    from datetime import date

    from sibtui.edit import editor
    from sibtui.edit.precritique import run_checks
    from sibtui.edit.records import RecordRef

    with Workspace(path) as workspace:
        outcomes = list(load_files(workspace, [SAMPLE_DIR]))
        assert all(outcome.report for outcome in outcomes), [str(o.error) for o in outcomes]
        cursor = workspace.cursor()
        try:
            ref = RecordRef(*first_named_movement(cursor))
            result = editor.set_fields(cursor, ref, {"nome": EDITED_VALUE}, force=True)
            assert result.action_id is not None
        finally:
            cursor.close()
        run_checks(workspace, today=date(2026, 12, 1))
    return path


def first_named_movement(cursor: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(file_id, record_no) of the first SBX movement that carries a name."""
    return cursor.execute(
        "SELECT file_id, record_no FROM sbx_movements WHERE nome IS NOT NULL ORDER BY file_id, record_no LIMIT 1"
    ).fetchall()[0]


def copy_workspace(template: Path, folder: Path, name: str = "workspace.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return target


def table_names(cursor: duckdb.DuckDBPyConnection) -> list[str]:
    rows = cursor.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' ORDER BY table_name"
    ).fetchall()
    return [row[0] for row in rows]


def snapshot_cursor(cursor: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: cursor.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall() for name in table_names(cursor)}


def snapshot(workspace: Workspace) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    cursor = workspace.cursor()
    try:
        return snapshot_cursor(cursor)
    finally:
        cursor.close()


def snapshot_file(path: Path) -> dict[str, list[tuple]]:
    """The same, from a workspace file no process holds (opened read-only, so nothing changes)."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return snapshot_cursor(connection)
    finally:
        connection.close()


def preview_tables(workspace: Workspace) -> list[str]:
    """Tables left in the loader's in-memory preview database (none once a load has ended)."""
    from sibtui.ingest.staging import STAGING_DATABASE

    cursor = workspace.cursor()
    try:
        rows = cursor.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [STAGING_DATABASE]
        ).fetchall()
        return [row[0] for row in rows]
    finally:
        cursor.close()


def is_one_safe_line(message: str) -> bool:
    """No line break and no control character (what a terminal would obey); NBSP and the
    like are fine. `sibtui.terminal.printable` is what guarantees it."""
    return not any(unicodedata.category(character) == "Cc" for character in message)
