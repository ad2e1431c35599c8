"""`sibtui [FILES...]`: open the console on a workspace, loading the files given.

The console paints at once; loading runs in its worker. Without files and without
`--db`, the last workspace opened comes back; a workspace that holds nothing yet gets
`./sample_files/` when that folder exists, so `sibtui` in a fresh checkout shows the
sample month.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sibtui.commands import EXIT_OK

SAMPLE_DIR = Path("sample_files")


def run(options: argparse.Namespace) -> int:
    return run_open(options.db, options.files)


def run_open(db: Path | None, files: list[Path]) -> int:
    from sibtui.tui.app import SibApp

    workspace_path = choose_workspace(db)
    remember_workspace(workspace_path)
    fallback = [SAMPLE_DIR] if not files and SAMPLE_DIR.is_dir() else []
    app = SibApp(workspace_path, files, fallback_files=fallback)
    app.run()
    return app.return_code or EXIT_OK


def choose_workspace(db: Path | None) -> Path:
    """--db, else $SIBTUI_DB, else the last workspace opened, else the XDG default."""
    from sibtui.db.paths import WORKSPACE_ENV, default_workspace_path

    if db is not None:
        return db.expanduser()
    if os.environ.get(WORKSPACE_ENV):
        return default_workspace_path()
    last = last_workspace()
    return last if last is not None and last.exists() else default_workspace_path()


def _state_file() -> Path:
    import platformdirs

    return platformdirs.user_state_path("sibtui") / "last-workspace"


def last_workspace() -> Path | None:
    try:
        text = _state_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def remember_workspace(path: Path) -> None:
    try:
        state = _state_file()
        state.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        state.write_text(str(path.expanduser().resolve()) + "\n", encoding="utf-8")
    except OSError:
        pass  # remembering is a convenience
