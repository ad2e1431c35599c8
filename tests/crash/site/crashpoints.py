"""Named moments at which a child sibtui stops and waits to be killed (test-only patches).

`install("after-insert:1")` patches sibtui so that the first INSERT statement, once run,
pauses the process: it creates `$CRASH_MARKER` (with its PID) and waits until killed, or
until `$CRASH_RELEASE` exists (then it goes on as if nothing happened). Points:

- `before-commit:N`, `after-commit:N`, `after-insert:N`: the N-th COMMIT or INSERT any
  workspace cursor executes (the loader's writer thread, the journal, the regeneration log,
  the pre-critique), counted in this process.
- `fast-first-batch`: the fast CNX path published its first rows (its transaction is open).
- `regen-writing:N`: regeneration wrote N movements into a part (still a hidden temporary file).
- `regen-published`: a part got its final name; its log rows are committed but still marked
  unpublished (the log commits first, then the link, then the mark: `after-commit:1` is the
  moment between the log and the link, `after-commit:2` the one after the mark).
- `before-query`: `sibtui query` has the workspace open and is about to run the SQL.

Production code has no hooks: the patches wrap `Workspace.cursor` and a few functions.
"""

from __future__ import annotations

import os
import threading
import time

WAIT_LIMIT_SECONDS = 120  # never linger if a test forgot us
_counts: dict[str, int] = {}
_lock = threading.Lock()


def pause(point: str) -> None:
    marker = os.environ["CRASH_MARKER"]
    temporary = f"{marker}.tmp"
    with open(temporary, "w") as out:
        out.write(f"{os.getpid()} {point}\n")
    os.replace(temporary, marker)
    release = os.environ.get("CRASH_RELEASE")
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if release and os.path.exists(release):
            return
        time.sleep(0.005)
    os._exit(97)


def _reached(kind: str, wanted: str, number: int) -> bool:
    """Count this occurrence of `kind`; True when it is the one the point names."""
    if kind != wanted:
        return False
    with _lock:
        _counts[kind] = _counts.get(kind, 0) + 1
        return _counts[kind] == number


class _Cursor:
    """A workspace cursor that pauses around the statements a point names."""

    def __init__(self, inner, kind: str, number: int):
        self._inner = inner
        self._kind = kind
        self._number = number

    def execute(self, sql, *args, **kwargs):
        statement = sql.strip().split(None, 1)[0].upper() if isinstance(sql, str) and sql.strip() else ""
        if statement == "COMMIT" and _reached("before-commit", self._kind, self._number):
            pause(f"before-commit:{self._number}")
        result = self._inner.execute(sql, *args, **kwargs)
        if statement == "COMMIT" and _reached("after-commit", self._kind, self._number):
            pause(f"after-commit:{self._number}")
        if statement == "INSERT" and _reached("after-insert", self._kind, self._number):
            pause(f"after-insert:{self._number}")
        return result

    def __getattr__(self, name):
        return getattr(self._inner, name)


def install(point: str) -> None:
    kind, _, number = point.partition(":")
    count = int(number) if number else 1
    if kind in ("before-commit", "after-commit", "after-insert"):
        _wrap_cursors(kind, count)
    elif kind == "fast-first-batch":
        _after("sibtui.ingest.staging", "publish", lambda *a, **k: pause(point))
    elif kind == "regen-writing":
        _regen_writing(count, point)
    elif kind == "before-query":
        _before("sibtui.query.adhoc", "run_query", lambda *a, **k: pause(point))
    elif kind == "regen-published":
        _after("sibtui.edit.regen.output", "PartWriter.publish", lambda *a, **k: pause(point))
    else:
        raise SystemExit(f"unknown crash point {point!r}")


def _wrap_cursors(kind: str, number: int) -> None:
    from sibtui.db import workspace

    original = workspace.Workspace.cursor

    def cursor(self):
        return _Cursor(original(self), kind, number)

    workspace.Workspace.cursor = cursor


def _regen_writing(number: int, point: str) -> None:
    from sibtui.edit.regen.output import PartWriter

    original = PartWriter.write

    def write(self, shape, values):
        original(self, shape, values)
        if _reached("regen-writing", "regen-writing", number):
            self._stream.flush()  # what a crash would find on disk: a partial temporary file
            pause(point)

    PartWriter.write = write


def _after(module_name: str, attribute: str, then) -> None:
    import importlib

    module = importlib.import_module(module_name)
    owner_name, _, name = attribute.rpartition(".")
    owner = getattr(module, owner_name) if owner_name else module
    original = getattr(owner, name)

    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        then(*args, **kwargs)
        return result

    setattr(owner, name, wrapped)


def _before(module_name: str, attribute: str, first) -> None:
    import importlib

    module = importlib.import_module(module_name)
    original = getattr(module, attribute)

    def wrapped(*args, **kwargs):
        first(*args, **kwargs)
        return original(*args, **kwargs)

    setattr(module, attribute, wrapped)
