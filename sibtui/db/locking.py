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

from sibtui.errors import WorkspaceBusy

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
    proc = Path(f"/proc/{pid}")
    try:
        raw = (proc / "cmdline").read_bytes()
    except OSError:
        return None
    words = [word.decode("utf-8", "replace") for word in raw.split(b"\0") if word]
    for index, word in enumerate(words):
        if Path(word).name == "sibtui" or (word == "-m" and words[index + 1 : index + 2] == ["sibtui"]):
            rest = words[index + (2 if word == "-m" else 1) :]
            return "sibtui " + _subcommand(rest, proc / "cwd")
    return None


_COMMAND_WORD = re.compile(r"[a-z]+")
_OPTIONS_WITH_VALUE = {"--db", "--format"}


def _subcommand(arguments: list[str], cwd: Path) -> str:
    """The command a sibtui process runs: its first word that is not an option, an option's
    value or a path (the console opens on paths). The command line refuses any other word
    before it opens a workspace, so a holder's first such word is its command; nothing else
    of its arguments is ever shown (they may hold a CPF)."""
    words = iter(arguments)
    for word in words:
        if word in _OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            if _COMMAND_WORD.fullmatch(word) and not _exists(cwd / word):
                return word
            break
    return "(console)"


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # another user's process: its folder cannot be read, nor can it be a path we know
        return False
