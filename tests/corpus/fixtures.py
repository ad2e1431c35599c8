"""pytest fixtures of the corpus tests (import them into a test module to use them)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus.generate import CASES, Targets, make_targets, write_corpus


class Listener:
    """A local TCP port nobody should connect to; `connections()` says whether anybody did."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.setblocking(False)
        self.port = self._socket.getsockname()[1]
        self._accepted = 0

    def connections(self) -> int:
        """Connections made so far (the kernel completes them in the backlog without accept)."""
        while True:
            try:
                connection, _ = self._socket.accept()
            except BlockingIOError:
                return self._accepted
            connection.close()
            self._accepted += 1

    def close(self) -> None:
        self._socket.close()


@dataclass
class Corpus:
    folder: Path
    targets: Targets
    listener: Listener
    paths: dict[str, Path]

    def path(self, name: str) -> Path:
        return self.paths[name]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    opened = Listener()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, listener) -> Corpus:
    """Every case written once per module.

    In-process tests must not hang if a regression opened the FIFO, so here the FIFO target
    is a second secret file; the child-process tests use a real FIFO (`hostile_targets`).
    """
    folder = tmp_path_factory.mktemp("corpus")
    targets = make_targets(folder / "alvos", listener.port)
    decoy = folder / "alvos" / "segredo-2.txt"
    decoy.write_text(targets.secret.read_text(encoding="ascii"), encoding="ascii")
    in_process = Targets(targets.secret, decoy, targets.port)
    return Corpus(folder, in_process, listener, write_corpus(folder / "arquivos", in_process))


ERROR_CASES = [case for case in CASES if case.outcome == "error"]
CNX_ERROR_CASES = [case for case in ERROR_CASES if case.kind == "CNX"]
HOSTILE_CASES = [case for case in CASES if case.hostile]
