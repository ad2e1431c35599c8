"""The team's own explanation and fix per RPX error code, kept in the workspace.

Our catalogue's hints are [M] and ANS may use a code differently; the analysts who read
ANS's messages every month know better. One entry per code: what it means, how to fix the
record, where the text came from (`analyst` wrote it, taken from the `ans` message, or
adopted from the `catalog`), who wrote it and when. The console and `sibtui explain` show it
first, above ANS's message and our hint. Entries travel between workspaces as one small file
(`sibtui.explain.transfer`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from sibtui.edit.journal import os_user
from sibtui.errors import SibError

TABLE = "code_explanations"
TABLE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (codigoErro VARCHAR PRIMARY KEY, cause VARCHAR, fix VARCHAR, "
    "source VARCHAR, author VARCHAR, written_at TIMESTAMP)"
)
SOURCES: dict[str, str] = {"analyst": "analista", "ans": "mensagem da ANS", "catalog": "catálogo [M]"}
CODE = re.compile(r"[0-9]{4}")
MAX_TEXT = 500


class BadExplanation(SibError):
    """An explanation that cannot be kept: no code, no text, an unknown source."""


@dataclass(frozen=True)
class Explanation:
    code: str
    cause: str
    fix: str
    source: str  # a key of SOURCES
    author: str
    written_at: dt.datetime

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def credit(self) -> str:
        """`analista maria, 05/11/2026`: where the text came from, who and when (pt-BR)."""
        return f"{self.source_label} {self.author}, {self.written_at:%d/%m/%Y}"


def checked(code: str, cause: str, fix: str, source: str, author: str, written_at: dt.datetime) -> Explanation:
    """An entry with its fields validated (one clear message when one is wrong)."""
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise BadExplanation(f"{code!r}: an RPX error code is 4 digits (codigoErro)")
    cause, fix = (cause or "").strip(), (fix or "").strip()
    if not cause and not fix:
        raise BadExplanation(f"{code}: write the cause, the fix, or both")
    if max(len(cause), len(fix)) > MAX_TEXT:
        raise BadExplanation(f"{code}: keep each text under {MAX_TEXT} characters")
    if source not in SOURCES:
        raise BadExplanation(f"{code}: source must be one of {', '.join(SOURCES)}")
    return Explanation(code, cause, fix, source, (author or "").strip() or "?", written_at)


def save(cursor: duckdb.DuckDBPyConnection, entry: Explanation) -> None:
    """Keep `entry` as the team's explanation of its code (replacing the previous one)."""
    cursor.execute(
        f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?)",
        [entry.code, entry.cause, entry.fix, entry.source, entry.author, entry.written_at],
    )


def write(cursor: duckdb.DuckDBPyConnection, code: str, cause: str, fix: str, *, source: str = "analyst",
          author: str | None = None, when: dt.datetime | None = None) -> Explanation:
    """Validate and save an explanation written now by `author` (default: the OS user)."""
    entry = checked(code, cause, fix, source, author or os_user(), (when or dt.datetime.now()).replace(microsecond=0))
    save(cursor, entry)
    return entry


def remove(cursor: duckdb.DuckDBPyConnection, code: str) -> bool:
    """Forget the team's explanation of `code`; False when there was none."""
    found = cursor.execute(f"DELETE FROM {TABLE} WHERE codigoErro = ? RETURNING codigoErro", [code.strip()]).fetchall()
    return bool(found)


def entries(cursor: duckdb.DuckDBPyConnection, codes: list[str] | None = None) -> list[Explanation]:
    """Every explanation (or those of `codes`), by code."""
    where, parameters = "", []
    if codes:
        where = f"WHERE codigoErro IN ({', '.join('?' for _ in codes)})"
        parameters = [code.strip() for code in codes]
    rows = cursor.execute(
        f"SELECT codigoErro, cause, fix, source, author, written_at FROM {TABLE} {where} ORDER BY codigoErro",
        parameters).fetchall()
    return [Explanation(*row) for row in rows]


def for_code(cursor: duckdb.DuckDBPyConnection, code: str | None) -> Explanation | None:
    found = entries(cursor, [code]) if code and code.strip() else []
    return found[0] if found else None
