"""The domain core imports without Textual, so scripts and cron never pay for the TUI.

Every module of the core packages (and the shared top-level ones) is imported in one fresh
interpreter: a single stray `import textual` anywhere in the core fails this test."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import sibtui

CORE_PACKAGES = ("catalog", "db", "ingest", "rules", "edit", "compare", "cycle", "query", "explain")
SHARED_MODULES = ("workspace", "errors", "hashing", "privacy", "xmlwriter", "interrupts", "output", "terminal",
                  "terminal_table")


def core_modules() -> list[str]:
    names = [f"sibtui.{name}" for name in SHARED_MODULES]
    for package in CORE_PACKAGES:
        names.append(f"sibtui.{package}")
        path = [str(sibtui.__path__[0] + "/" + package)]
        names += [module.name for module in pkgutil.walk_packages(path, f"sibtui.{package}.")]
    return sorted(names)


def test_every_core_module_is_listed():
    modules = core_modules()
    assert "sibtui.edit.regen.proof" in modules and "sibtui.query.sql_guard" in modules
    assert not [name for name in modules if name.startswith(("sibtui.tui", "sibtui.commands"))]
    assert len(modules) > 140


def test_core_modules_do_not_import_textual():
    modules = core_modules()
    code = "import sys\n" + "".join(f"import {name}\n" for name in modules) + "print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
