"""The domain core imports without Textual, so scripts and cron never pay for the TUI."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = (
    "sibtui.catalog.shapes",
    "sibtui.catalog.tables",
    "sibtui.ingest.loader",
    "sibtui.ingest.hashcheck",
    "sibtui.db.workspace",
    "sibtui.query.adhoc",
    "sibtui.cli",
)


def test_core_modules_do_not_import_textual():
    code = "import sys\n" + "".join(f"import {name}\n" for name in CORE_MODULES) + "print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
