"""`python -m sibtui.shared_workspace.successor WORKSPACE`: keep serving a workspace nobody owns.

Started detached by an owner leaving while others use the workspace, or by a client that
found the owner killed. It waits (a while) for the file to be free, serves it like an owner,
and ends once every client has closed its workspace (or none has called it for
`IDLE_SECONDS`: the clients left were killed) — committing nothing of its own.
If another process took the workspace meanwhile, it just ends.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sibtui.errors import WorkspaceBusy, WorkspaceError
from sibtui.shared_workspace.owner import IDLE_SECONDS, START_TIMEOUT_SECONDS, serve
from sibtui.workspace import Workspace

LAST_CLIENT_GRACE_SECONDS = 2.0  # a command run again at once finds it still there


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    if argv[1:2] == ["--after"]:
        _wait_for_exit(int(argv[2]))
    workspace = _open(path)
    if workspace is None:
        return 0
    owner = serve(workspace)
    started = time.monotonic()
    try:
        while True:
            time.sleep(0.5)
            if owner.server is not None and _nobody_left(owner.server, started):
                return 0
    finally:
        if owner.server is not None:
            owner.server.last_call = 0.0  # nobody left: no successor of the successor
        workspace.close()


def _wait_for_exit(pid: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        time.sleep(0.05)


def _nobody_left(server, started: float) -> bool:
    """No session open for a moment (every client closed its workspace), or no call for
    `IDLE_SECONDS` (the sessions left are those of killed processes)."""
    quiet = time.monotonic() - max(server.last_call, started)
    return quiet > IDLE_SECONDS or (server.open_sessions() == 0 and quiet > LAST_CLIENT_GRACE_SECONDS)


def _open(path: Path) -> Workspace | None:
    from sibtui.db.rendezvous import rendezvous_for
    from sibtui.shared_workspace.connect import answers

    place = rendezvous_for(path)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if answers(place.socket):
            return None  # someone serves it already
        try:
            return Workspace(path, must_exist=True)
        except WorkspaceBusy:
            time.sleep(0.1)
        except WorkspaceError:
            return None
    return None


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
