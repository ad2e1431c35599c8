"""What parsing a SIB file yields besides its record rows, and the callbacks a load takes.

Shared by the reference parser (`sibtui.ingest.parser`) and the fast path, which report the
same result whichever of them read the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sibtui.catalog.kinds import FileKind
from sibtui.catalog.tables import Table

ProgressCallback = Callable[[int, int, int], None]  # (bytes read, total bytes, records)
CancelCallback = Callable[[], bool]


class RowSink(Protocol):
    """Receives rows as `[*key_columns without file_id, *value_columns]` for a table."""

    def add(self, table: Table, row: list) -> None: ...


@dataclass
class LoadWarning:
    line: int | None
    element: str | None
    message: str


@dataclass
class ParseResult:
    """Everything about a file that is not a record row."""

    kind: FileKind
    header: dict[str, str | None] = field(default_factory=dict)
    motivo_nao_envio: str | None = None
    transfer: dict[str, str | None] = field(default_factory=dict)  # a transfer's `tab` (TAB_COLUMNS)
    hash_declared: str | None = None
    hash_latin1: str = ""
    hash_utf8: str = ""
    hash_encoding: str | None = None
    non_latin1_text: bool = False
    record_count: int = 0
    sha256: str = ""
    size_bytes: int = 0
    warnings: list[LoadWarning] = field(default_factory=list)

    @property
    def hash_ok(self) -> bool:
        return self.hash_encoding is not None

    @property
    def registro_ans(self) -> str | None:
        """The operator this file belongs to: origin of an SBX, destination of an RPX/CNX."""
        column = "origem_registroANS" if self.kind is FileKind.SBX else "destino_registroANS"
        return self.header.get(column)
