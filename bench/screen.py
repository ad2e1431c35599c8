"""A real terminal for the console: tmux at 80x24, keys sent, the screen read back.

Time to first paint is measured from the moment tmux is asked to start the program until
the pane shows a given text; a key's latency from the moment it is sent until the pane has
stopped changing (the last change counts, so a two-step repaint is measured to its end).
Reading the pane costs a few milliseconds, which is the resolution of these figures.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

POLL_SECONDS = 0.004
SETTLE_SECONDS = 0.3


def available() -> bool:
    return shutil.which("tmux") is not None


@contextmanager
def server() -> Iterator[None]:
    """Keep one tmux server up while panes come and go: without it the server exits with the last
    session, the next pane's time includes starting a new one, and a pane asked for while it shuts
    down fails ("server exited unexpectedly")."""
    keeper = f"bench-keeper-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], check=True)
    try:
        yield
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], capture_output=True)


class Pane:
    def __init__(self, command: str, width: int = 80, height: int = 24):
        self.name = f"bench-{uuid.uuid4().hex[:8]}"
        self.started = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command],
                       check=True)

    def text(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, needle: str, timeout: float = 60.0) -> float:
        """Seconds since start until `needle` is on screen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if needle in self.text():
                return time.perf_counter() - self.started
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"{needle!r} never appeared; screen:\n{self.text()}")

    def key_latency(self, *keys: str, until: str | None = None, settle: float = SETTLE_SECONDS,
                    timeout: float = 30.0, changed_line: int | None = None) -> float:
        """Send `keys`; seconds until the screen stops changing, once it shows `until` (if given)
        and line `changed_line` (if given) differs from before."""
        before = self.text()
        sent = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        last_change, current, seen = None, before, until is None and changed_line is None
        deadline = sent + timeout
        while time.perf_counter() < deadline:
            screen = self.text()
            now = time.perf_counter()
            if screen != current:
                current, last_change = screen, now
                seen = seen or _shows(screen, before, until, changed_line)
            elif seen and last_change is not None and now - last_change > settle:
                break
            time.sleep(POLL_SECONDS)
        if last_change is None or not seen:
            raise TimeoutError(f"screen did not change as expected after {keys}:\n{current}")
        return last_change - sent

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def __enter__(self) -> "Pane":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _shows(screen: str, before: str, until: str | None, changed_line: int | None) -> bool:
    if until is not None and until not in screen:
        return False
    if changed_line is not None:
        old, new = before.splitlines(), screen.splitlines()
        return len(new) > changed_line and (len(old) <= changed_line or new[changed_line] != old[changed_line])
    return True
