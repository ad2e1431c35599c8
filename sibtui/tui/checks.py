"""Whether the pre-critique engine is installed, asked without importing it (it pulls in
DuckDB and the rules), so the first frame never pays for it."""

from __future__ import annotations

import importlib.util


def checks_available() -> bool:
    return importlib.util.find_spec("sibtui.rules.engine") is not None
