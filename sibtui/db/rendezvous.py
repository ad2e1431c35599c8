"""Where the processes of one workspace meet: a Unix socket, two lock files and a knock.

They live in a directory only the user can enter (`$XDG_RUNTIME_DIR/sibtui`, else
`/tmp/sibtui-UID`, mode 0700, refused when someone else owns it or it is open to others),
named by a digest of the workspace's resolved path: a socket path must stay under 108
bytes whatever the workspace path, and the names leak nothing of it. What a killed sibtui
leaves there is swept when a workspace opens (`sibtui.db.stale_rendezvous`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sibtui.errors import WorkspaceError


@dataclass(frozen=True)
class Rendezvous:
    socket: Path  # the owner's Arrow Flight server
    turn_lock: Path  # held (flock) by the process whose write job runs, and says which (`sibtui.db.turns`)
    successor_lock: Path  # held while a successor is being started, so only one is
    knock: Path  # left by a process that waits for the file: the owner starts serving when it appears


def rendezvous_for(workspace: Path) -> Rendezvous:
    directory = private_directory()
    key = hashlib.sha256(str(Path(workspace).expanduser().resolve()).encode()).hexdigest()[:24]
    return Rendezvous(directory / f"{key}.sock", directory / f"{key}.turn", directory / f"{key}.successor",
                      directory / f"{key}.knock")


def private_directory() -> Path:
    """The user's rendezvous directory, created private (0700) if missing; refused when it is not private."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "sibtui" if runtime and Path(runtime).is_dir() else Path("/tmp") / f"sibtui-{os.getuid()}"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = base.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise WorkspaceError(f"{base}: not a private directory of this user (mode 0700 expected); "
                             "remove it and run again")
    return base
