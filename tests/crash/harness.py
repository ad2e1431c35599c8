"""Starting a sibtui child that stops at a crash point, then killing or releasing it.

The child is the real `python -m sibtui ...` with `tests/crash/site` on its path (see
`crashpoints`). `Stopped.wait()` polls for the marker the child writes when it reaches the
point: no sleeping blindly, and a child that ends before reaching it fails the test with its
output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from corpus.child import REPO, child_env, sibtui_command

REACH_LIMIT_SECONDS = 120  # a hang guard, not a timing assertion


@dataclass
class Stopped:
    process: subprocess.Popen
    point: str
    marker: Path
    release_file: Path
    outputs: list = field(default_factory=list)

    def wait(self) -> None:
        """Until the child stands at its point; AssertionError (with its output) if it never does."""
        deadline = time.monotonic() + REACH_LIMIT_SECONDS
        while not self.marker.exists():
            if self.process.poll() is not None:
                raise AssertionError(f"ended (exit {self.process.returncode}) before {self.point}: {self.output()}")
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"never reached {self.point}")
            time.sleep(0.005)

    def kill(self) -> int:
        """SIGKILL: no handler, no atexit, no flush; what a power cut or the OOM killer does."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        return self.process.wait()

    def release(self, timeout: float = REACH_LIMIT_SECONDS) -> int:
        self.release_file.touch()
        return self.process.wait(timeout)

    def output(self) -> str:
        for handle in self.outputs:
            handle.flush()
            handle.seek(0)
        return " | ".join(handle.read().decode("utf-8", "replace") for handle in self.outputs)

    def stdout(self) -> str:
        self.outputs[0].seek(0)
        return self.outputs[0].read().decode("utf-8", "replace")

    def stderr(self) -> str:
        self.outputs[1].seek(0)
        return self.outputs[1].read().decode("utf-8", "replace")


def start(point: str, *arguments: str, scratch: Path, **env: str) -> Stopped:
    """`sibtui ARGUMENTS` that stops at `point` (e.g. "after-insert:1")."""
    scratch.mkdir(parents=True, exist_ok=True)
    marker = scratch / f"reached-{point.replace(':', '-')}"
    release_file = scratch / f"release-{point.replace(':', '-')}"
    for stale in (marker, release_file):
        stale.unlink(missing_ok=True)
    outputs = [tempfile.TemporaryFile(dir=scratch), tempfile.TemporaryFile(dir=scratch)]
    environment = child_env(CRASH_POINT=point, CRASH_MARKER=str(marker), CRASH_RELEASE=str(release_file), **env)
    process = subprocess.Popen(sibtui_command(*arguments), stdout=outputs[0], stderr=outputs[1], env=environment,
                               cwd=REPO)
    return Stopped(process, point, marker, release_file, outputs)


def run(*arguments: str, **env: str) -> subprocess.CompletedProcess:
    """`sibtui ARGUMENTS` to its end (no crash point)."""
    return subprocess.run(sibtui_command(*arguments), capture_output=True, text=True, env=child_env(**env), cwd=REPO,
                          timeout=REACH_LIMIT_SECONDS)
