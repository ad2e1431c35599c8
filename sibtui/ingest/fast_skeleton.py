"""The file without its records, parsed by the reference parser: header, epilogue, hash prefix.

The prefix (declaration, root element, header) and the suffix (closing tags, epilogue) of a
large file are a few kilobytes. Glued together they are a valid SIB document with an empty
record container, and `DocumentParser` reads it exactly as it reads any file: the header
columns, the declared hash, the warnings, every structural check outside the records. Its
hash is split where the record container closes, so the fast path can put the records'
hash text between the two halves, in document order.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sibtui.catalog.tables import Table
from sibtui.errors import InputError
from sibtui.hashing import EpilogueHash
from sibtui.ingest.fast_chunks import Declined
from sibtui.ingest.parser import DocumentParser
from sibtui.ingest.results import ParseResult, RowSink
from sibtui.ingest.sniff import Sniffed


class _SplitHash(EpilogueHash):
    """An epilogue hash that remembers its text, and where the records would go."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.records_at: int | None = None

    def update(self, pieces: Iterable[str]) -> None:
        text = "".join(pieces)
        if text:
            self.texts.append(text)
        super().update([text])


class _SkeletonParser(DocumentParser):
    def __init__(self, sniffed: Sniffed, sink: RowSink, container: str):
        super().__init__(sniffed, sink)
        self._hash = self.split_hash = _SplitHash()
        self._container = container

    def _on_container(self, element, tag: str, depth: int) -> None:
        super()._on_container(element, tag, depth)
        if tag == self._container:
            self.split_hash.records_at = len(self.split_hash.texts)

    def _on_record(self, element, tag: str) -> None:
        raise Declined("a record outside the records region")


@dataclass
class Skeleton:
    result: ParseResult
    hash_before: str  # hash text up to the records
    hash_after: str  # hash text after them


class _CollectingSink:
    def __init__(self) -> None:
        self.rows: list[tuple[Table, list]] = []

    def add(self, table: Table, row: list) -> None:
        self.rows.append((table, row))


def parse_skeleton(sniffed: Sniffed, prefix: bytes, suffix: bytes, container: str) -> tuple[Skeleton, list]:
    """Parse prefix + suffix with the reference parser; (skeleton, rows outside the records)."""
    handle, name = tempfile.mkstemp(prefix="sibtui-skeleton-", suffix=".xml")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(prefix)
            stream.write(suffix)
        sink = _CollectingSink()
        parser = _SkeletonParser(dataclasses.replace(sniffed, path=Path(name)), sink, container)
        try:
            result = parser.run()
        except InputError as error:
            raise Declined(f"outside the records: {error.reason}") from None
    finally:
        os.unlink(name)
    split = parser.split_hash
    if split.records_at is None:
        raise Declined("records container not found")
    before = "".join(split.texts[: split.records_at])
    after = "".join(split.texts[split.records_at :])
    return Skeleton(result, before, after), sink.rows
