"""Work of the check that runs beside the main one, on a cursor and a thread of their own.

On two cores a check's statements leave one core idle while DuckDB binds and optimises
the next (planning is single-threaded, and the rules' SQL is large). Jobs that need none
of the main cursor's TEMP relations run here instead, in the order submitted: the SBX
field checks (over relations of their own, `sibtui.rules.sbx_fields`) and the conference's
own checks (`sibtui.rules.cnx_side`). DuckDB releases the GIL while it runs, so the two
cursors overlap; each job hands back Arrow rows for the staging table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

import duckdb

from sibtui.rules import context

T = TypeVar("T")


class Beside:
    """A cursor and one worker thread; `submit` runs jobs (functions of the cursor) in order."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, temporaries: Iterable[str]):
        self._cursor = cursor
        self._temporaries = tuple(temporaries)  # what the jobs create, dropped at `close`
        self._closed = False
        self._futures: list[Future] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sibtui-check-beside")

    def submit(self, job: Callable[[duckdb.DuckDBPyConnection], T]) -> Future[T]:
        future = self._pool.submit(job, self._cursor)
        self._futures.append(future)
        return future

    def cancel(self) -> None:
        """Interrupt what runs, wait for every job to end, and close."""
        if self._closed:
            return
        for future in self._futures:
            future.cancel()  # those not started yet never start
        while not all(future.done() for future in self._futures):
            self._cursor.interrupt()  # again for each statement a job goes on to
            wait(self._futures, timeout=0.05)
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=True)
        for name in self._temporaries:
            try:
                context.drop_temporary(self._cursor, name)
            except duckdb.Error:
                pass
        self._cursor.close()
