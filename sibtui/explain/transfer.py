"""The team's explanations as one small JSON file, to share between workspaces.

    {"sibtui_explanations": 1, "exported_at": "2026-11-05T10:00:00",
     "entries": [{"code": "0701", "cause": "...", "fix": "...", "source": "analyst",
                  "author": "maria", "written_at": "2026-11-05T09:58:12"}]}

Importing keeps, per code, the newer of the two entries (by `written_at`): a team can pass the
file around and everyone converges. A bad file changes nothing and is named in one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sibtui.errors import SibError
from sibtui.explain.store import BadExplanation, Explanation, checked, entries, for_code, save

FORMAT_KEY, FORMAT_VERSION = "sibtui_explanations", 1
MAX_FILE_BYTES = 5 * 1024 * 1024


class BadExplanationsFile(SibError):
    """Not a file of explanations sibtui can read."""


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    kept: int  # the workspace's entry was as new or newer


def export(cursor: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write every explanation to `path` (owner-only, never half-written); return how many."""
    found = entries(cursor)
    document = {
        FORMAT_KEY: FORMAT_VERSION,
        "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "entries": [
            {"code": e.code, "cause": e.cause, "fix": e.fix, "source": e.source, "author": e.author,
             "written_at": e.written_at.isoformat()}
            for e in found
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(found)


def read(path: Path) -> list[Explanation]:
    """The entries of an explanations file, every one validated, or one error naming the problem."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadExplanationsFile(f"{path}: too big for a file of explanations")
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadExplanationsFile(f"{path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadExplanationsFile(f"{path}: not a JSON file of explanations ({error})") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise BadExplanationsFile(f"{path}: not a sibtui explanations file (version {FORMAT_VERSION})")
    rows = document.get("entries")
    if not isinstance(rows, list):
        raise BadExplanationsFile(f"{path}: 'entries' must be a list")
    found = []
    for number, row in enumerate(rows, start=1):
        try:
            if not isinstance(row, dict):
                raise BadExplanation("each entry is an object")
            written = dt.datetime.fromisoformat(str(row.get("written_at")))
            found.append(checked(str(row.get("code", "")), str(row.get("cause") or ""), str(row.get("fix") or ""),
                                 str(row.get("source", "")), str(row.get("author") or ""), written))
        except (BadExplanation, ValueError) as error:
            raise BadExplanationsFile(f"{path}: entry {number}: {error}") from None
    return found


def import_file(cursor: duckdb.DuckDBPyConnection, path: Path) -> ImportReport:
    """Merge the file into the workspace, in one transaction: the newer entry of each code wins."""
    incoming = read(path)
    added = updated = kept = 0
    cursor.execute("BEGIN TRANSACTION")
    try:
        for entry in incoming:
            current = for_code(cursor, entry.code)
            if current is None:
                added += 1
            elif current.written_at < entry.written_at:
                updated += 1
            else:
                kept += 1
                continue
            save(cursor, entry)
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
    return ImportReport(added, updated, kept)
