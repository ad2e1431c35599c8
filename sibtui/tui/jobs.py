"""Slow things the analyst may cancel (a load, an export, a query), known to the app.

Workers register what they are doing and how to stop it; the app's cancel key stops the
newest. The registry is touched from the UI thread only; `cancel` callables must be safe
to call from it (setting a flag, or DuckDB's `interrupt()`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    job_id: int
    label: str
    cancel: Callable[[], None]


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)

    def start(self, label: str, cancel: Callable[[], None]) -> int:
        job = Job(next(self._ids), label, cancel)
        self._jobs[job.job_id] = job
        return job.job_id

    def finish(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)

    def cancel_newest(self) -> Job | None:
        if not self._jobs:
            return None
        job = self._jobs[max(self._jobs)]
        job.cancel()
        return job

    def cancel_all(self) -> None:
        for job in list(self._jobs.values()):
            job.cancel()

    def __bool__(self) -> bool:
        return bool(self._jobs)
