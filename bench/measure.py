"""Wall time and peak RSS of a whole process tree, sampled from /proc (Linux).

`ru_maxrss` of children only reports the largest single process; the load's budget is for
every process it starts, so the sampler sums the RSS of the child and all its descendants
every few milliseconds and keeps the maximum. psutil is used when installed (the `bench`
extra), /proc otherwise.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

SAMPLE_SECONDS = 0.02
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mib: float
    returncode: int
    stdout: str = ""
    stderr: str = ""
    cpu_seconds: float = 0.0  # user + system of the whole tree: what an idle machine cannot hide


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(pid: int) -> int:
    """RSS of `pid` and every descendant, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _rss_bytes(current)
        pending.extend(_children(current))
    return total


class PeakSampler:
    """Samples the tree RSS of a pid on a thread until stopped."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._stop.wait(SAMPLE_SECONDS)


def run_measured(command: Sequence[str], stdout: int = subprocess.PIPE, env: dict | None = None,
                 cwd: str | None = None) -> Measured:
    """Run `command`; its wall time and the peak RSS of its whole process tree."""
    before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    with PeakSampler(process.pid) as sampler:
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - before
    return Measured(seconds, sampler.peak / 2**20, process.returncode, out or "", err or "", cpu)


def _children_cpu() -> float:
    """CPU of every child this process has waited for (runs are sequential: deltas are per run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
