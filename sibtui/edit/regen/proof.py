"""Proving a large part while it is written: the same re-read, in a child process.

Re-reading a 100,000-movement SBX costs about as much as writing it, and both are Python
bound, so on two cores they overlap: the child parses the temporary file as it grows with
the loader's own parser (`verify.reload`), and once the parent has written, fsynced and
closed it, receives what was meant (header, hash, one fingerprint per movement) and
answers with the problems, exactly as `verify.verify_part` would judge them.

The child reads the file from disk, never a copy of the bytes: what is proven is what will
be linked. It exits as soon as its standard input closes without instructions, so a killed
or cancelling parent never leaves it behind. Whatever goes wrong with the child (it cannot
start, dies, answers nonsense), the parent proves the part itself: the child only ever
saves time, it never decides alone.

Protocol on the child's standard input, once the part is complete: one JSON line (`size`,
`name`, `registro_ans`, `header_moment`, `hash`, `count`), then `count` fingerprints of
8 bytes. On its standard output: one JSON line `{"problems": [...]}`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sibtui.edit.regen.verify import Expected, judge, reload
from sibtui.errors import SibError
from sibtui.ingest.sniff import sniff

CHILD_FROM_MOVEMENTS = 20_000  # smaller parts are proven in process: a child costs ~0.3 s to start
_DIGEST_BYTES = 8
_POLL_SECONDS = 0.002
_ANSWER_TIMEOUT_SECONDS = 600.0  # a guard against a stuck child, not an expected duration


class ChildProof:
    """The parent's handle on a child re-reading one part (`start`, then `result` or `stop`)."""

    def __init__(self, process: subprocess.Popen):
        self._process = process

    @classmethod
    def start(cls, path: Path) -> ChildProof | None:
        """A child following `path`; None when no child can be started (prove in process)."""
        package_root = str(Path(__file__).resolve().parents[3])
        code = (f"import sys; sys.path.insert(0, {package_root!r}); "
                "from sibtui.edit.regen.proof import child_main; child_main(sys.argv[1])")
        try:
            process = subprocess.Popen([sys.executable, "-I", "-c", code, str(path)], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            return None
        return cls(process)

    def result(self, expected: Expected, size: int) -> list[str] | None:
        """The child's problems for the finished part; None if it could not say (prove in process)."""
        header = {"size": size, "count": len(expected.digests),
                  **{key: getattr(expected, key) for key in ("name", "registro_ans", "header_moment", "hash")}}
        try:
            answer, _ = self._process.communicate(
                json.dumps(header).encode() + b"\n" + b"".join(expected.digests), timeout=_ANSWER_TIMEOUT_SECONDS)
            problems = json.loads(answer)["problems"]
        except (OSError, ValueError, KeyError, TypeError, subprocess.TimeoutExpired):
            self.stop()
            return None
        if self._process.returncode != 0 or not isinstance(problems, list):
            return None
        return [str(problem) for problem in problems]

    def stop(self) -> None:
        """End the child now (cancel, a fatal problem, or a part not worth proving)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


# --- the child ----------------------------------------------------------------------------


class _Instructions:
    """What the parent sends once the part is complete; `size` is None until then."""

    def __init__(self) -> None:
        self.size: int | None = None
        self.expected: Expected | None = None
        self.ready = threading.Event()

    def read_from(self, stream) -> None:
        line = stream.readline()
        if not line:
            os._exit(3)  # the parent is gone (killed, or it cancelled): nothing to prove for
        header = json.loads(line)
        blob = stream.read(_DIGEST_BYTES * header["count"])
        digests = [blob[i : i + _DIGEST_BYTES] for i in range(0, len(blob), _DIGEST_BYTES)]
        self.expected = Expected(header["name"], header["registro_ans"], header["header_moment"], header["hash"],
                                 digests)
        self.size = header["size"]
        self.ready.set()


class _Following:
    """A file still being written, read as a stream: waits for more bytes until it is complete."""

    def __init__(self, path: Path, instructions: _Instructions):
        self._stream = path.open("rb")
        self._instructions = instructions

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self._stream.read(size)
            if chunk:
                return chunk
            if self._instructions.size is not None:
                return self._stream.read(size)  # complete: whatever came since, then EOF
            time.sleep(_POLL_SECONDS)

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _Following:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _growing_path(path: Path, instructions: _Instructions) -> Path:
    """`path`, whose `open()` follows the file as it grows (what the loader's parser opens)."""

    class GrowingPath(type(path)):  # type: ignore[misc]
        def open(self, *args, **kwargs):  # noqa: A003 - the parser calls Path.open
            return _Following(path, instructions)

    return GrowingPath(path)


def _wait_for_head(path: Path, instructions: _Instructions, head_bytes: int = 64 * 1024) -> None:
    """Sniffing reads the head: wait until it is written (or the part is complete)."""
    while instructions.size is None and (not path.exists() or path.stat().st_size < head_bytes):
        time.sleep(_POLL_SECONDS)


def child_main(argument: str) -> None:
    path = Path(argument)
    instructions = _Instructions()
    threading.Thread(target=instructions.read_from, args=(sys.stdin.buffer,), daemon=True).start()
    _wait_for_head(path, instructions)
    try:
        sniffed = dataclasses.replace(sniff(path), path=_growing_path(path, instructions))
    except SibError:
        sniffed = None
    if sniffed is not None:
        reloaded = reload(sniffed.path, sniffed)
    else:  # not even the head is SIB: parse the complete file, which says why
        instructions.ready.wait()
        reloaded = reload(path)
    instructions.ready.wait()
    assert instructions.expected is not None
    sys.stdout.write(json.dumps({"problems": judge(instructions.expected, reloaded)}) + "\n")
    sys.stdout.flush()
