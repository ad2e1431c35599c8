"""Terminal progress bars for long commands, on stderr, gone when done; off when not a terminal.

Rich is imported only when a bar is really shown, so scripts and cron never pay for it.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sibtui.output import format_count


class _StderrProgress:
    """A transient `rich.progress` bar on stderr, or nothing when disabled."""

    def __init__(self, enabled: bool):
        self._progress = self._make() if enabled and sys.stderr.isatty() else None
        self._task = None

    def _columns(self) -> tuple:
        raise NotImplementedError

    def _make(self):
        return Progress(*self._columns(), console=Console(stderr=True), transient=True)

    def __enter__(self):
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()


class LoadProgressBar(_StderrProgress):
    """Feeds the bar from the loader's `(bytes read, total bytes, records)` callback."""

    def _columns(self) -> tuple:
        return (TextColumn("carregando"), BarColumn(), DownloadColumn(),
                TextColumn("{task.fields[records]} registros"), TimeRemainingColumn())

    def update(self, done: int, total: int, records: int) -> None:
        if self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task("", total=total, records="0")
        self._progress.update(self._task, completed=done, total=total, records=format_count(records))

    def finish_file(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.remove_task(self._task)
        self._task = None


class RegenerationProgressBar(_StderrProgress):
    """Feeds the bar from regeneration's `(movements written, total, label)` callback."""

    def _columns(self) -> tuple:
        return (TextColumn("gerando {task.description}", markup=False), BarColumn(), MofNCompleteColumn())

    def update(self, done: int, total: int, label: str) -> None:
        if self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task(label, total=total)
        self._progress.update(self._task, completed=done, total=total, description=label)
