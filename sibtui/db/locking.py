"""What to tell an analyst when another sibtui process holds the workspace.

DuckDB lets one process change a database file, or several read it, never both: a second
`sibtui` gets DuckDB's lock error, which names the holder's PID and, when the holder only
reads, says a read-only open would work. We turn that into what the analyst can do —
wait for the load to end, close the console, or just run the read-only command now — and
name the holder's sibtui command (only the command: its arguments may hold a CPF).
Nothing is ever written while locked out, so a refused process can corrupt nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sibtui.errors import WorkspaceBusy

if TYPE_CHECKING:
    from sibtui.db.workspace import Workspace

_LOCK_PID = re.compile(r"PID (\d+)")
_READERS_ONLY = "read-only mode"  # DuckDB: "you would be able to open this database in read-only mode"


def is_lock_error(message: str) -> bool:
    return "lock" in message.lower()


def busy_error(path: Path, message: str, wanted_read_only: bool) -> WorkspaceBusy:
    found = _LOCK_PID.search(message)
    pid = int(found.group(1)) if found else None
    holder_writes = _READERS_ONLY not in message
    holder = _describe(pid)
    if not holder_writes:
        text = (f"{path}: workspace is being read by another sibtui ({holder}); this command changes it, "
                "so it can run once that one ends (read-only commands can run now)")
    elif wanted_read_only:
        text = (f"{path}: workspace is being changed by another sibtui ({holder}); nothing can read it meanwhile: "
                "run this again when that one ends (or close the console)")
    else:
        text = (f"{path}: workspace is in use by another sibtui ({holder}); only one at a time can change it: "
                "wait for that one to end (or close the console), or use another --db")
    return WorkspaceBusy(text, pid, holder_writes)


def _describe(pid: int | None, process: str = "process") -> str:
    if pid is None:
        return "?"
    command = holder_command(pid)
    return f"{process} {pid}, {command}" if command else f"{process} {pid}"


def holder_command(pid: int) -> str | None:
    """`sibtui load`, `sibtui query`... for a sibtui process (Linux /proc), else None."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [word.decode("utf-8", "replace") for word in raw.split(b"\0") if word]
    for index, word in enumerate(words):
        if Path(word).name == "sibtui" or (word == "-m" and words[index + 1 : index + 2] == ["sibtui"]):
            rest = words[index + (2 if word == "-m" else 1) :]
            return "sibtui " + _subcommand(rest)
    return None


def _subcommand(arguments: list[str]) -> str:
    from sibtui.cli import COMMANDS_BY_NAME

    for word in arguments:
        if word in COMMANDS_BY_NAME:
            return word
    return "(console)"


def open_or_read_only(path: Path, **options) -> tuple["Workspace", str | None]:
    """The workspace read-write, or read-only with a notice (pt-BR) when another sibtui only
    reads it; `WorkspaceBusy` when another one changes it (nothing can read it then).

    For the console: it can open for browsing while a `sibtui query` or `status` runs, and
    must then turn off loading, editing and the pre-critique until it is reopened.
    """
    from sibtui.db.workspace import Workspace

    try:
        return Workspace(path, **options), None
    except WorkspaceBusy as busy:
        if busy.holder_writes:
            raise
        holder = _describe(busy.holder_pid, "processo")
    notice = (f"somente leitura: outro sibtui ({holder}) está lendo este workspace; carga, edição e "
              "pré-crítica voltam quando ele terminar e o workspace for reaberto")
    return Workspace(path, read_only=True, **options), notice
