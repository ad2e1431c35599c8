"""What a failing disk or a damaged workspace file means, in one line that says what to do.

DuckDB reports both in its own words (`IO Error: Could not write file ...: No space left on
device`, `Corrupt database file: computed checksum ... does not match`); shown raw they read
like a bug ("internal error ... please report it"). `explain` recognises them, from DuckDB's
errors and the OS's, wherever they surface: opening the workspace, a load's commit, a query,
the pre-critique.
"""

from __future__ import annotations

import errno
from pathlib import Path

_DISK_FULL = ("No space left on device", "Disk quota exceeded", "disk is full")
_DAMAGED = ("Corrupt database file", "not a valid DuckDB database file", "Could not read enough bytes",
            "Serialization Error", "INTERNAL Error", "database has been invalidated")
_READ_ONLY_DISK = ("Read-only file system",)


def explain(error: BaseException, workspace: Path | str | None = None) -> str | None:
    """One line naming the cause and the remedy, or None when `error` is neither."""
    text = str(error)
    code = getattr(error, "errno", None)
    if isinstance(error, OSError):  # Python's own writes: an export, the output, an SBX
        where = f"{error.filename}: " if error.filename else "writing the output: "
    else:
        where = f"{workspace}: " if workspace else ""
    if code in (errno.ENOSPC, errno.EDQUOT) or any(mark in text for mark in _DISK_FULL):
        kept = "" if isinstance(error, OSError) else " (the change being written was rolled back)"
        return f"{where}no space left on the disk; free some space and run the command again{kept}"
    if code == errno.EROFS or any(mark in text for mark in _READ_ONLY_DISK):
        return f"{where}the disk is mounted read-only; use a workspace on a writable disk (--db PATH)"
    if any(mark in text for mark in _DAMAGED):
        detail = text.strip().splitlines()[0][:160] if text.strip() else type(error).__name__
        return (f"{where}the workspace file is damaged ({detail}); restore it from a backup, or load the "
                "files again into a new workspace (sibtui load --db NEW.duckdb FILES)")
    return None


def first_line(error: BaseException) -> str:
    """The first line of an error's message (DuckDB's run to many), or its type when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
