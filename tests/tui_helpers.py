"""Shared by the console's Pilot and snapshot tests: a loaded sample workspace, an app on
it, and a way to wait for every worker instead of sleeping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import SAMPLE_DIR
from sibtui.ingest.loader import load_files
from sibtui.workspace import Workspace

SIZE = (80, 24)
TODAY = date(2026, 12, 1)  # the sample month's RPX came in November: day 1 still closes it


def sample_workspace(folder: Path, extra_sql: str = "") -> Path:
    """A workspace file holding the sample month (and whatever `extra_sql` adds)."""
    path = folder / "workspace.duckdb"
    with Workspace(path) as workspace:
        assert all(outcome.report for outcome in load_files(workspace, [SAMPLE_DIR]))
        if extra_sql:
            cursor = workspace.cursor()
            cursor.execute(extra_sql)
            cursor.close()
    return path


def make_app(path: Path, files=(), today: date = TODAY, read_only: bool = False):
    from sibtui.tui.app import SibApp

    return SibApp(path, files, history_path=path.with_suffix(".history.jsonl"), today=today, read_only=read_only)


async def settle(pilot, rounds: int = 40) -> None:
    """Until no worker runs and every message they posted has been handled."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one (a refresh): wait again
            continue
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers) and app.workspace is not None:
            return


def grid_lines(grid) -> list[str]:
    return [grid.render_line(y).text for y in range(grid.size.height)]


FINDINGS_SQL = """
INSERT INTO findings
SELECT file_id, 5, 'sbx_movements', 'cns', 'cns_invalid', 'error', 'CNS inválido', '1234' FROM files WHERE kind = 'SBX' AND name LIKE '%101500.SBX'
UNION ALL
SELECT file_id, 6, 'sbx_movements', 'nome', 'name_invalid', 'error', 'Nome com [/b] símbolo', '[SILVA]' FROM files WHERE name LIKE '%101500.SBX'
UNION ALL
SELECT file_id, 2, 'sbx_movements', 'cns', 'cns_missing', 'warning', 'Sem CNS', NULL FROM files WHERE name LIKE '%101500.SBX'
"""


async def press_settled(pilot, *keys: str) -> None:
    """Press each key and wait for what it started (a screen loads its rows in a worker)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
