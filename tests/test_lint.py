"""The code passes the project's lint rules (pyproject.toml [tool.ruff]): unused names,
undefined names, import order and likely bugs are caught before review."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_ruff_finds_nothing():
    folders = [name for name in ("sibtui", "tests", "tools", "bench") if (REPO / name).is_dir()]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *folders], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
