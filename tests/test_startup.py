"""The start-up rule (ARCHITECTURE.md): the modules on the start path import light.

`sibtui --help`, `sibtui --version` and the console's first frame must not wait for DuckDB,
Arrow or lxml (~250 ms together, measured in ARCHITECTURE.md): those load in the command
that needs them or in the console's first worker. Each module is imported in a fresh
interpreter, so what it pulls in is exactly what a user's start pays."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("duckdb", "pyarrow", "lxml", "xml2arrow", "xlsxwriter", "tree_sitter", "openpyxl")
# Module -> what it may load besides the standard library and sibtui's light modules.
START_PATH = {
    "sibtui.entry": (),
    "sibtui.interrupts": (),
    "sibtui.cli": (),
    "sibtui.commands.arguments": (),
    "sibtui.console": (),
    "sibtui.tui.app": ("textual", "rich"),  # the first frame: the console itself, nothing of the core
}


def _loaded(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("module", sorted(START_PATH))
def test_the_start_path_imports_light(module):
    loaded = _loaded(f"import {module}")
    forbidden = {*HEAVY, "textual", "rich"} - set(START_PATH[module])
    assert loaded & forbidden == set()


def test_the_command_line_grammar_builds_without_the_core():
    loaded = _loaded("from sibtui.commands.arguments import build_parser\nbuild_parser()")
    assert loaded & {*HEAVY, "textual"} == set()


def test_the_probe_sees_a_heavy_import():
    assert "duckdb" in _loaded("import sibtui.db.workspace")
