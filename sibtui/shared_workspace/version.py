"""A cheap fingerprint of what other processes may change, for consoles to poll.

Edits and decisions append to the journal (its newest id), loads add files (their count
and newest id), a check replaces the findings (their count, and the generation its
transaction bumps: a check that ends with as many findings, other ones, still moves it —
`sibtui.rules.generation`), a regeneration logs a row. Each part is an aggregate on a small
table or an index-free scan of a narrow one: a few milliseconds at 10,000,000 records.
"""

from __future__ import annotations

import duckdb

from sibtui.edit.ddl import JOURNAL_TABLE
from sibtui.rules.generation import READ_SQL as FINDINGS_GENERATION_SQL

_PARTS = (
    f"(SELECT coalesce(max(edit_id), 0) FROM {JOURNAL_TABLE})",
    "(SELECT count(*) FROM files)", "(SELECT coalesce(max(file_id), 0) FROM files)",
    "(SELECT count(*) FROM findings)",
    "(SELECT count(*) FROM regenerations)",
)
_VERSION_SQL = f"SELECT {', '.join(_PARTS)}, ({FINDINGS_GENERATION_SQL})"
_WITHOUT_GENERATION_SQL = f"SELECT {', '.join(_PARTS)}, 0"  # a workspace of an older sibtui, opened read-only


def workspace_version(cursor) -> tuple:
    try:
        return tuple(cursor.execute(_VERSION_SQL).fetchall()[0])
    except duckdb.CatalogException:
        return tuple(cursor.execute(_WITHOUT_GENERATION_SQL).fetchall()[0])
