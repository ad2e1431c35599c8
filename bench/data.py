"""The data every benchmark shares: one generated month, and workspaces built from it once.

Everything lands under `bench/out/` (git-ignored) or `--out`; a file or workspace already
there is reused, so a second `python -m bench` skips the generation. Workspaces are built
with `sibtui load` itself, in a child process (the figures of that load are `bench.load`'s).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.generate import DEFAULT_OUT, GeneratedSet, generate

RECORDS = 1_000_000
MOVEMENTS = 100_000


def dataset(out: Path = DEFAULT_OUT, records: int = RECORDS, movements: int = MOVEMENTS, seed: int = 1) -> GeneratedSet:
    return generate(out / "data", records, movements, seed, {"cnx", "sbx", "rpx", "cnx2"})


def sibtui(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI of this checkout (the venv's Python), output captured."""
    command = [sys.executable, "-m", "sibtui", *arguments]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})


def workspace(out: Path, name: str, files: list[Path]) -> Path:
    """A workspace with `files` loaded (built once; a failed build is removed)."""
    path = out / "workspaces" / f"{name}.duckdb"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    for stale in (partial, partial.with_name(partial.name + ".wal")):
        stale.unlink(missing_ok=True)
    done = sibtui("load", "--db", str(partial), *map(str, files))
    if done.returncode != 0:
        raise RuntimeError(f"building {path.name} failed: {done.stderr.strip() or done.stdout.strip()}")
    partial.rename(path)
    return path


def fresh(out: Path, name: str) -> Path:
    """A workspace path that does not exist yet (for loads that are themselves measured)."""
    path = out / "workspaces" / f"{name}.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    return path


def replicated(out: Path, source: Path, copies: int, name: str) -> Path:
    """`source` (one CNX loaded) with its CNX copied `copies - 1` times under new file ids."""
    path = out / "workspaces" / f"{name}.duckdb"
    if path.exists():
        return path
    import shutil

    from sibtui.workspace import Workspace

    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    shutil.copyfile(source, partial)
    with Workspace(partial) as opened:
        cursor = opened.cursor()
        for copy in range(1, copies):
            cursor.execute(
                "INSERT INTO cnx_beneficiaries SELECT * REPLACE (file_id + ? AS file_id) "
                "FROM cnx_beneficiaries WHERE file_id = 1",
                [copy],
            )
            cursor.execute(
                "INSERT INTO files SELECT * REPLACE (file_id + ? AS file_id, name || '.' || ? AS name, "
                "sha256 || '.' || ? AS sha256) FROM files WHERE file_id = 1",
                [copy, copy, copy],
            )
        cursor.execute("CHECKPOINT")
        cursor.close()
    partial.rename(path)
    return path
