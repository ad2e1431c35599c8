"""Ctrl+C on the command line: recorded at once, acted on where stopping is safe.

Python's default turns SIGINT into a KeyboardInterrupt raised wherever the main thread
happens to be: inside a `finally`, a weakref callback (a traceback printed at exit), or
`Thread.join` while the load's writer thread commits, after which the workspace was closed
under the running commit (C++ `terminate`, exit 134, the file committed but never
reported). So the command line never lets a signal raise by itself:

- the signal is recorded (`interrupted()`) from the first line of the entry point
  (`sibtui.entry`), before anything slow is imported;
- a watcher thread, woken by the signal itself (`signal.set_wakeup_fd`), so also while the
  main thread waits inside DuckDB, runs the stoppers the running command registered
  (`stopping`): DuckDB's `interrupt()` on the workspace's cursors, for instance;
- the work stops at its own safe points: the loader between batches (its transaction
  rolled back, or already committed and then reported), a query when DuckDB interrupts
  it, output between rows (`check()`), and `sibtui.cli.main` prints one line and exits 130.

A second Ctrl+C while stopping changes nothing: the first is being honoured. Code that
runs without `install()` (the test suite, the console's own Ctrl+C key) sees no change.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_event = threading.Event()
_stoppers: list[Callable[[], None]] = []
_lock = threading.Lock()
_installed = False


def install() -> None:
    """Take over SIGINT for this process (the command line's entry point only)."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    reading, writing = os.pipe()
    os.set_blocking(writing, False)
    signal.signal(signal.SIGINT, _on_signal)
    signal.set_wakeup_fd(writing, warn_on_full_buffer=False)
    threading.Thread(target=_watch, args=(reading,), name="sibtui-interrupts", daemon=True).start()
    _installed = True


def interrupted() -> bool:
    """Whether Ctrl+C (SIGINT) arrived."""
    return _event.is_set()


def check() -> None:
    """Raise KeyboardInterrupt at a point where stopping is safe, if Ctrl+C arrived."""
    if _event.is_set():
        raise KeyboardInterrupt


@contextmanager
def stopping(stopper: Callable[[], None]) -> Iterator[None]:
    """While the block runs, Ctrl+C also calls `stopper` (from another thread; it must be
    quick and safe there, like DuckDB's `interrupt()`). Already interrupted: called now."""
    with _lock:
        _stoppers.append(stopper)
    try:
        if _event.is_set():
            _call(stopper)
        yield
    finally:
        with _lock:
            _stoppers.remove(stopper)


def trigger() -> None:
    """What SIGINT does: record it and run the stoppers (once)."""
    with _lock:
        if _event.is_set():
            return
        _event.set()
        stoppers = list(_stoppers)
    for stopper in stoppers:
        _call(stopper)


def _call(stopper: Callable[[], None]) -> None:
    try:
        stopper()
    except Exception:  # noqa: BLE001 - a stopper failing must not stop the others
        pass


def _on_signal(signum, frame) -> None:
    trigger()


def _watch(reading: int) -> None:
    while True:
        try:
            data = os.read(reading, 64)
        except OSError:
            return
        if not data:
            return
        if signal.SIGINT in data:
            trigger()
