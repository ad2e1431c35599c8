"""Running sibtui in a child process and watching it: peak memory, a FIFO, a time limit.

`run_watched` starts `python -m sibtui ...`, and while it runs keeps trying to open the
target FIFO for writing without blocking: that succeeds only if somebody opened it for
reading, i.e. if the child tried to read the file an external entity points at. The child's
peak resident memory is its own VmHWM, written as it exits (`tests/crash/site/sitecustomize.py`).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHILD_SITE = REPO / "tests" / "crash" / "site"  # sitecustomize: peak memory, crash points
TIME_LIMIT_SECONDS = 120  # a hang guard, not a timing assertion


@dataclass
class Watched:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    fifo_opened: bool
    hung: bool


def sibtui_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "sibtui", *arguments]


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (all its threads), from /proc."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SIBTUI_")}
    env.update({"PYTHONPATH": f"{REPO}{os.pathsep}{CHILD_SITE}", "NO_COLOR": "1", "COLUMNS": "200", **overrides})
    return env


def run_watched(command: list[str], fifo: Path | None = None, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> Watched:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch, _capture(Path(scratch)) as (stdout, stderr):
        peak_file = Path(scratch) / "peak-kb"
        env = {**(env or child_env()), "CORPUS_HWM_FILE": str(peak_file)}
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env, cwd=cwd or REPO)
        opened, hung = _watch(process, fifo)
        process.wait()
        stdout.seek(0)
        stderr.seek(0)
        peak_mb = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("nan")
        return Watched(process.returncode, stdout.read().decode("utf-8", "replace"),
                       stderr.read().decode("utf-8", "replace"), peak_mb, opened, hung)


def _watch(process: subprocess.Popen, fifo: Path | None) -> tuple[bool, bool]:
    """Poll until the child exits; kill it after the time limit."""
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    opened = False
    while True:
        if fifo is not None and _has_reader(fifo):
            opened = True
        if process.poll() is not None:
            return opened, False
        if time.monotonic() > deadline:
            process.kill()
            return opened, True
        time.sleep(0.01)




def _has_reader(fifo: Path) -> bool:
    try:
        handle = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:  # no reader: nobody opened it
            return False
        raise
    os.close(handle)  # a reader blocked in open() is released with end-of-file
    return True


class _capture:
    """Two unnamed temporary files for the child's output (pipes could fill up and block it)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        import tempfile

        self.files = (tempfile.TemporaryFile(dir=self.folder), tempfile.TemporaryFile(dir=self.folder))
        return self.files

    def __exit__(self, *exc_info: object) -> None:
        for handle in self.files:
            handle.close()
