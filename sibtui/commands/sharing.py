"""The commands' side of sharing a workspace: open it beside other sibtuis, take turns to write.

A command finds the workspace however others have it open (`open_workspace`), and a job
that writes (load, check, regenerate, fix, explain edits) waits for its turn. Waiting is
said once on stderr, naming who it waits for; Ctrl+C stops it, like any other command.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sibtui import interrupts
from sibtui.db.turns import TurnCancelled, write_turn

SERVE_AFTER_SECONDS = None  # a command serves only when another process knocks (`owner.Owner`)


def open_for_command(path: Path | str, *, read_only: bool = False, must_exist: bool = False):
    from sibtui.shared_workspace.opening import open_workspace

    try:
        return open_workspace(path, read_only=read_only, must_exist=must_exist, on_wait=_tell_holder,
                              cancel=interrupts.interrupted, serve_after=SERVE_AFTER_SECONDS)
    except TurnCancelled:
        raise KeyboardInterrupt from None  # `sibtui.cli` says "interrupted" and exits 130


@contextmanager
def job_turn(workspace, label: str) -> Iterator[None]:
    """Hold the workspace's write turn while the job runs (see `sibtui.db.turns`)."""
    try:
        with write_turn(workspace.path, label, on_wait=_tell_turn, cancel=interrupts.interrupted):
            yield
    except TurnCancelled:
        raise KeyboardInterrupt from None


def _tell_holder(holder: str) -> None:
    _tell(f"waiting for {holder} to let go of the workspace (Ctrl+C stops waiting)")


def _tell_turn(holder: str) -> None:
    _tell(f"waiting for {holder} to finish its turn to write (Ctrl+C stops waiting)")


def _tell(message: str) -> None:
    print(f"sibtui: {message}", file=sys.stderr, flush=True)
