"""Typed, located errors: what went wrong, where, in words an analyst can act on.

Core code raises these; the CLI prints `str(error)` as one line on stderr and the console
shows it in a notification. Neither ever shows a traceback (it could carry CPFs in locals).
"""

from __future__ import annotations

from pathlib import Path

from sibtui.terminal import printable


class SibError(Exception):
    """Base of every error sibtui reports to its user."""


class InputError(SibError):
    """A file that cannot be loaded: names the file, the line and the element at fault."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None, element: str | None = None):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.element = element
        super().__init__(self.__str__())

    def __str__(self) -> str:
        location = str(self.path)
        if self.line:
            location += f":{self.line}"
        where = f" <{self.element}>" if self.element else ""
        return printable(f"{location}:{where} {self.reason}")  # a file name may hold escape sequences


class DuplicateFileError(SibError):
    """The same content is already in the workspace; loading it again would double rows."""

    def __init__(self, path: Path | str, existing_file_id: int, existing_name: str):
        self.path = Path(path)
        self.existing_file_id = existing_file_id
        self.existing_name = existing_name
        super().__init__(
            printable(f"{self.path}: already loaded as file {existing_file_id} ({existing_name}); skipped")
        )


class LoadCancelled(SibError):
    """The user cancelled a load; nothing of that file was kept."""


class WorkspaceError(SibError):
    """The workspace file cannot be opened or used (locked, newer schema, not a workspace)."""


class WorkspaceMissing(WorkspaceError):
    """A command that reads a workspace was pointed at a file that does not exist (a usage error:
    creating an empty one would hide the typo)."""


class WorkspaceBusy(WorkspaceError):
    """Another process holds the workspace; nothing was read or written.

    `holder_writes`: the holder may change it (nobody else may even read); else it only
    reads, and a read-only open would work.
    """

    def __init__(self, message: str, holder_pid: int | None, holder_writes: bool):
        super().__init__(message)
        self.holder_pid = holder_pid
        self.holder_writes = holder_writes
