"""Where the workspace lives by default, without importing DuckDB: the console resolves
its workspace before the first frame, and DuckDB (with pyarrow) costs ~130 ms to import."""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_ENV = "SIBTUI_DB"


def default_workspace_path() -> Path:
    """`$SIBTUI_DB`, else the XDG data directory (`~/.local/share/sibtui/workspace.duckdb`)."""
    configured = os.environ.get(WORKSPACE_ENV)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_data_path("sibtui") / "workspace.duckdb"
