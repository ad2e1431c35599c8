"""The SQL screen's history: every query run, kept between sessions (UI-free).

One JSON object per line, beside the workspace (`<workspace>.sql-history.jsonl`), since
queries name that workspace's data. Owner-only: a query may hold a CPF; in mask mode the CPFs,
CNSs and dates of the query and its error are stored masked, and error lines never keep the
values DuckDB quotes (`sibtui.privacy.redact_message`). The newest entry
is last; a query run twice in a row is kept once; the file is trimmed to `MAX_ENTRIES`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sibtui.privacy import mask_free_text, redact_message

MAX_ENTRIES = 500


@dataclass(frozen=True)
class HistoryEntry:
    sql: str
    ran_at: str  # ISO timestamp
    rows: int | None = None
    seconds: float | None = None
    error: str | None = None


def history_path(workspace_path: Path) -> Path:
    return workspace_path.with_name(workspace_path.name + ".sql-history.jsonl")


class QueryHistory:
    """Read and append the history file; a missing or damaged file is an empty history."""

    def __init__(self, path: Path):
        self.path = path

    def entries(self) -> list[HistoryEntry]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        entries = []
        for line in lines:
            try:
                entries.append(HistoryEntry(**json.loads(line)))
            except (ValueError, TypeError):
                continue  # a line cut by a crash: skip it, keep the rest
        return entries

    def add(self, sql: str, rows: int | None = None, seconds: float | None = None, error: str | None = None,
            masked: bool = False) -> None:
        """Keep a query run; `masked` (it ran in mask mode): CPFs, CNSs and dates in the query
        text and the error are kept masked, as the screen showed them."""
        sql = sql.strip()
        if not sql:
            return
        if error is not None:
            error = redact_message(error)
        if masked:
            sql = mask_free_text(sql)
            error = mask_free_text(error) if error is not None else None
        entries = self.entries()
        if entries and entries[-1].sql == sql:
            entries.pop()
        entries.append(HistoryEntry(sql, datetime.now().isoformat(timespec="seconds"), rows, seconds, error))
        self._write(entries[-MAX_ENTRIES:])

    def _write(self, entries: list[HistoryEntry]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(self.path.name + ".tmp")
            with open(temporary, "w", encoding="utf-8") as stream:
                os.chmod(temporary, 0o600)
                for entry in entries:
                    stream.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            temporary.replace(self.path)
        except OSError:
            pass  # history is a convenience: never fail a query because it cannot be saved
