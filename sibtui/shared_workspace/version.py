"""A cheap fingerprint of what other processes may change, for consoles to poll.

Edits and decisions append to the journal (its newest id), loads add files (their count
and newest id), a check replaces the findings (their count and newest check time), a
regeneration logs a row. Each part is an aggregate on a small table or an index-free
scan of a narrow one: a few milliseconds at 10,000,000 records.
"""

from __future__ import annotations

from sibtui.edit.ddl import JOURNAL_TABLE

_VERSION_SQL = (
    f"SELECT (SELECT coalesce(max(edit_id), 0) FROM {JOURNAL_TABLE}), "
    "(SELECT count(*) FROM files), (SELECT coalesce(max(file_id), 0) FROM files), "
    "(SELECT count(*) FROM findings), "
    "(SELECT count(*) FROM regenerations)"
)


def workspace_version(cursor) -> tuple:
    return tuple(cursor.execute(_VERSION_SQL).fetchall()[0])
