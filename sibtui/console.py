"""`sibtui [FILES...]`: open the console on a workspace, loading the files given.

The console paints at once; loading runs in its worker. Without files and without
`--db`, the last workspace opened comes back. A first-time user (no workspace yet) in a
folder that has `./sample_files/` gets the sample month, in a workspace of its own
(`samples.duckdb` beside the default one, never remembered as the last): samples never
go into the analyst's real workspace.

The console needs a terminal: started with its input or output redirected (a script, a
cron job, `sibtui frob > out`), it says so in one line and exits 2 instead of writing
escape codes into a file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sibtui import interrupts
from sibtui.commands import EXIT_OK, EXIT_USAGE
from sibtui.db.paths import WORKSPACE_ENV

SAMPLE_DIR = Path("sample_files")


def run(options: argparse.Namespace) -> int:
    return run_open(options.db, options.files, read_only=getattr(options, "read_only", False))


def run_open(db: Path | None, files: list[Path], read_only: bool = False) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("sibtui: error: the console needs a terminal (its input or output is redirected); "
              "in scripts use sibtui load, query, check, status...", file=sys.stderr)
        return EXIT_USAGE
    from sibtui.tui.app import SibApp

    workspace_path = choose_workspace(db)
    samples = db is None and not files and SAMPLE_DIR.is_dir() and not workspace_path.exists() \
        and not os.environ.get(WORKSPACE_ENV)
    if samples:
        workspace_path = samples_workspace()
    else:
        remember_workspace(workspace_path)
    app = SibApp(workspace_path, files, fallback_files=[SAMPLE_DIR] if samples else [], read_only=read_only)
    # A SIGINT from outside (kill -INT; Ctrl+C itself is a key here) quits as `q` does: the
    # workers stop and the workspace closes after them (`SibApp.on_unmount`).
    with interrupts.stopping(lambda: _quit(app)):
        app.run()
    return app.return_code or EXIT_OK


def _quit(app) -> None:
    """Ask the app to quit, from its own thread (the signal handler) or another (the watcher)."""
    import threading

    if threading.current_thread() is threading.main_thread():
        app.exit()
    else:
        app.call_from_thread(app.exit)


def samples_workspace() -> Path:
    """Where `sibtui` with no arguments puts `./sample_files/`: beside the default workspace."""
    from sibtui.db.paths import default_workspace_path

    return default_workspace_path().with_name("samples.duckdb")


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
