"""A terminal progress bar for loads, on stderr, that disappears when done."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from sibtui.output import format_count


class LoadProgressBar:
    """Feeds `rich.progress` from the loader's `(bytes read, total bytes, records)` callback."""

    def __init__(self, enabled: bool):
        self._progress = (
            Progress(
                TextColumn("carregando"),
                BarColumn(),
                DownloadColumn(),
                TextColumn("{task.fields[records]} registros"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            if enabled
            else None
        )
        self._task: TaskID | None = None

    def __enter__(self) -> "LoadProgressBar":
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()

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
