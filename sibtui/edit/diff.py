"""Original versus corrected, per record and field, for a regenerated file.

Read from the regeneration log, not recomputed: it shows what the file written carries,
even after later edits or undos. `why` says whether a value changed by an edit (with the
journal's reason) or only by normalisation (`trim`, `integer-form`, `empty-omitted`).
"""

from __future__ import annotations

import duckdb

from sibtui.edit.ddl import PUBLISHED_REGENERATIONS
from sibtui.errors import SibError

DIFF_COLUMNS = (
    "regeneration_id", "output_name", "position", "source_table", "source_file_id", "source_record_no",
    "movement", "record_key", "field", "original", "corrected", "why", "edit_id", "reason",
)

def diff_sql(regeneration_ids: list[int]) -> str:
    """The SELECT of `DIFF_COLUMNS` for these regenerations (ids inlined, as integers)."""
    ids = ", ".join(str(int(regeneration_id)) for regeneration_id in regeneration_ids) or "NULL"
    return _DIFF_SQL_TEMPLATE.format(ids=ids, published=PUBLISHED_REGENERATIONS)


_DIFF_SQL_TEMPLATE = """
SELECT c.regeneration_id, r.output_name, c.position, c.source_table, c.source_file_id, c.source_record_no,
       m.movement, coalesce(s.cco, s.codigoBeneficiario, x.cco) AS record_key, c.field,
       c.original_value AS original, c.written_value AS corrected, c.why, c.edit_id, j.reason
FROM regenerated_changes c
JOIN {published} r ON r.regeneration_id = c.regeneration_id AND r.part_no = c.part_no
JOIN regenerated_movements m
  ON m.regeneration_id = c.regeneration_id AND m.part_no = c.part_no AND m.position = c.position
LEFT JOIN sbx_movements s ON c.source_table = 'sbx_movements'
      AND s.file_id = c.source_file_id AND s.record_no = c.source_record_no
LEFT JOIN (SELECT file_id, record_no, cco, 'cnx_beneficiaries' AS tbl FROM cnx_beneficiaries
           UNION ALL SELECT file_id, record_no, cco, 'transfer_beneficiaries' FROM transfer_beneficiaries) x
      ON c.source_table = x.tbl AND x.file_id = c.source_file_id AND x.record_no = c.source_record_no
LEFT JOIN edit_journal j ON j.edit_id = c.edit_id
WHERE c.regeneration_id IN ({ids})
ORDER BY c.regeneration_id, c.part_no, c.position, c.field
"""


class NoRegeneration(SibError):
    """The workspace has no regenerated file (or not the one asked for)."""


def latest_regeneration_id(cursor: duckdb.DuckDBPyConnection) -> int:
    row = cursor.execute(f"SELECT max(regeneration_id) FROM {PUBLISHED_REGENERATIONS}").fetchall()[0][0]
    if row is None:
        raise NoRegeneration("no SBX has been regenerated in this workspace yet (run sibtui regenerate)")
    return int(row)


def diff_rows(cursor: duckdb.DuckDBPyConnection, regeneration_id: int | None = None) -> list[tuple]:
    """Rows of `DIFF_COLUMNS` for one regeneration (default: the newest)."""
    if regeneration_id is None:
        regeneration_id = latest_regeneration_id(cursor)
    known = cursor.execute(f"SELECT count(*) FROM {PUBLISHED_REGENERATIONS} WHERE regeneration_id = ?",
                           [regeneration_id])
    if not known.fetchall()[0][0]:
        raise NoRegeneration(f"no regeneration {regeneration_id} in this workspace")
    return cursor.execute(diff_sql([regeneration_id])).fetchall()


MOVEMENT_COLUMNS = (
    "regeneration_id", "output_name", "position", "movement", "record_key", "source_table", "source_file_id",
    "source_record_no", "why", "rejection_codes", "edit_ids",
)

_MOVEMENTS_SQL = f"""
SELECT m.regeneration_id, r.output_name, m.position, m.movement,
       coalesce(s.cco, s.codigoBeneficiario, x.cco) AS record_key, m.source_table, m.source_file_id,
       m.source_record_no, m.why, array_to_string(m.rejection_codes, ','), array_to_string(m.edit_ids, ',')
FROM regenerated_movements m
JOIN {PUBLISHED_REGENERATIONS} r ON r.regeneration_id = m.regeneration_id AND r.part_no = m.part_no
LEFT JOIN sbx_movements s ON m.source_table = 'sbx_movements'
      AND s.file_id = m.source_file_id AND s.record_no = m.source_record_no
LEFT JOIN (SELECT file_id, record_no, cco, 'cnx_beneficiaries' AS tbl FROM cnx_beneficiaries
           UNION ALL SELECT file_id, record_no, cco, 'transfer_beneficiaries' FROM transfer_beneficiaries) x
      ON m.source_table = x.tbl AND x.file_id = m.source_file_id AND x.record_no = m.source_record_no
WHERE m.regeneration_id = ?
ORDER BY m.part_no, m.position
"""


def movement_rows(cursor: duckdb.DuckDBPyConnection, regeneration_id: int) -> list[tuple]:
    """What went into a regeneration and why: one row of `MOVEMENT_COLUMNS` per movement written."""
    return cursor.execute(_MOVEMENTS_SQL, [regeneration_id]).fetchall()
