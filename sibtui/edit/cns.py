"""Filling CNS from the conference: ANS assigns CNS itself and the CNX shows it (§5.2, §6.2).

The source is, per registro ANS, the newest loaded CNX (by `file_moments`). It fills:

- the SBX movements of `sbx_cns_pending` (`sibtui.compare.pending`: inclusões through the
  CCO their RPX assigned, retificações that send a CNS different from ANS's; one that sends
  none is left alone: leaving CNS out of a retificação means "do not change it") — the same
  list the conference comparison shows as pending work;
- records of older conferences (matched by CCO) whose CNS is absent or differs, so the
  analyst's copy of ANS's view agrees with the newest one.

A code or CCO that maps to more than one CNS in the conference is ambiguous and skipped.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.catalog.kinds import Movement
from sibtui.edit.editor import Candidate, EditResult, apply_candidates
from sibtui.edit.records import SBX_TABLE, RecordRef, shape_columns
from sibtui.edit.selection import RecordSet, as_ref_table

_WITH_CNS = [m.value for m in Movement if "cns" in shape_columns(SBX_TABLE, m.value)]

_SOURCES_SQL = """
WITH newest AS (
    SELECT file_id, registroANS FROM file_moments WHERE kind = 'CNX'
    QUALIFY row_number() OVER (PARTITION BY registroANS ORDER BY moment DESC NULLS LAST, file_id DESC) = 1
),
held AS (
    SELECT n.registroANS, n.file_id AS cnx_file_id, trim(c.cco) AS cco, trim(c.cns) AS cns
    FROM cnx_beneficiaries c JOIN newest n ON n.file_id = c.file_id
    WHERE trim(c.cns) <> ''
),
by_cco AS (
    SELECT registroANS, cco, any_value(cnx_file_id) AS cnx_file_id, min(cns) AS cns
    FROM held GROUP BY ALL HAVING count(DISTINCT cns) = 1
)
"""

_CANDIDATES_SQL = _SOURCES_SQL + """
SELECT 'sbx_movements' AS table_name, m.movement, m.file_id, m.record_no, m.cns AS old, p.cnx_cns AS new
FROM sbx_cns_pending p JOIN sbx_movements_current m USING (file_id, record_no)
WHERE list_contains(?, m.movement) {sbx_filter}
UNION ALL
SELECT 'cnx_beneficiaries', NULL, c.file_id, c.record_no, c.cns, s.cns
FROM cnx_beneficiaries_current c JOIN files f ON f.file_id = c.file_id
JOIN by_cco s ON s.registroANS = f.registroANS AND s.cco = trim(c.cco)
WHERE c.file_id <> s.cnx_file_id AND c.cns IS DISTINCT FROM s.cns {cnx_filter}
ORDER BY 1 DESC, 3, 4
"""


def cns_candidates(cursor: duckdb.DuckDBPyConnection, records: RecordSet | None = None) -> list[Candidate]:
    """Proposed CNS copies, for every record or only those in `records`."""
    filters = {"sbx_filter": "", "cnx_filter": ""}
    if records is not None:
        cursor.register("__cns_refs", as_ref_table(records))
        filters = {
            alias: f"AND EXISTS (SELECT 1 FROM __cns_refs r WHERE r.file_id = {letter}.file_id "
            f"AND r.record_no = {letter}.record_no)"
            for alias, letter in (("sbx_filter", "m"), ("cnx_filter", "c"))
        }
    try:
        rows = cursor.execute(_CANDIDATES_SQL.format(**filters), [_WITH_CNS]).fetchall()
    finally:
        if records is not None:
            cursor.unregister("__cns_refs")
    return [Candidate(table, movement, RecordRef(file_id, record_no), "cns", old, new)
            for table, movement, file_id, record_no, old, new in rows]


def fill_cns(
    cursor: duckdb.DuckDBPyConnection,
    records: RecordSet | pa.Table | None = None,
    **options,
) -> EditResult:
    """Copy the newest CNX's CNS into the records that lack it or differ, as one action.

    Options as `apply_candidates` (reason, note, force, dry_run, today).
    """
    options.setdefault("note", "CNS copiado da conferência (CNX) mais recente")
    return apply_candidates(cursor, "fill-cns", cns_candidates(cursor, records), **options)

