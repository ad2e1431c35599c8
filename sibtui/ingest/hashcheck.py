"""Checking a file's declared epilogue hash without a workspace (`sibtui hash`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sibtui.catalog.kinds import FileKind
from sibtui.catalog.tables import Table
from sibtui.ingest.parser import DocumentParser
from sibtui.ingest.sniff import sniff


class _DiscardRows:
    def add(self, table: Table, row: list) -> None:
        pass


@dataclass(frozen=True)
class HashCheck:
    path: Path
    kind: FileKind
    declared: str | None
    computed_latin1: str
    computed_utf8: str
    matched_encoding: str | None

    @property
    def ok(self) -> bool:
        return self.matched_encoding is not None


def check_hash(path: Path | str) -> HashCheck:
    """Parse the whole file (the hash covers every value) and compare with `epilogo/hash`."""
    path = Path(path)
    result = DocumentParser(sniff(path), _DiscardRows()).run()
    return HashCheck(path, result.kind, result.hash_declared, result.hash_latin1, result.hash_utf8, result.hash_encoding)
