"""Filling CNS from the conference: ANS assigns CNS itself and the CNX shows it (§5.2, §6.2).

The source is, per registro ANS, the newest loaded CNX (by `file_moments`). It fills the SBX
movements of `sbx_cns_pending` (`sibtui.compare.pending`: inclusões through the CCO their
RPX assigned, retificações that send a CNS different from ANS's; one that sends none is left
alone: leaving CNS out of a retificação means "do not change it") that will be resent:

- by default, the movements the next regeneration sends (`sibtui.edit.resend`: corrected,
  to go as they are, cascade dependents of titulares that go). A movement ANS accepted, or
  one still pending, is not touched: filling it would only make it look corrected;
- with an explicit selection (records, an error code, a rule), the selected movements that
  are still to resend (not held back, not already at ANS, not re-sent): filling one is the
  analyst's correction.

Conference (CNX) records are never changed: they are ANS's own view, and an edit of one
becomes a movement to ANS. A retificação left with nothing ANS does not already hold is
dropped by the regeneration (`sibtui.rules.same_as_ans`). A code or CCO that maps to more than one
CNS in the conference is ambiguous and skipped.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.catalog.kinds import Movement
from sibtui.edit.editor import Candidate, EditResult, apply_candidates
from sibtui.edit.records import SBX_TABLE, RecordRef, shape_columns
from sibtui.edit.resend import JA_NA_ANS, NAO_REENVIAR, going_sql
from sibtui.edit.selection import RecordSet, as_ref_table

_WITH_CNS = [m.value for m in Movement if "cns" in shape_columns(SBX_TABLE, m.value)]

_CANDIDATES_SQL = """
WITH st AS ({states})
SELECT 'sbx_movements' AS table_name, m.movement, m.file_id, m.record_no, m.cns AS old, p.cnx_cns AS new
FROM sbx_cns_pending p JOIN sbx_movements_current m USING (file_id, record_no)
JOIN st ON st.file_id = m.file_id AND st.record_no = m.record_no
WHERE list_contains(?, m.movement) AND {wanted} {sbx_filter}
ORDER BY 3, 4
"""


def cns_candidates(cursor: duckdb.DuckDBPyConnection, records: RecordSet | None = None) -> list[Candidate]:
    """Proposed CNS copies, for every record or only those in `records`."""
    filters = {"states": going_sql(), "sbx_filter": "", "wanted": "st.goes"}
    if records is not None:
        cursor.register("__cns_refs", as_ref_table(records))
        filters["sbx_filter"] = ("AND EXISTS (SELECT 1 FROM __cns_refs r WHERE r.file_id = m.file_id "
                                 "AND r.record_no = m.record_no)")
        filters["wanted"] = f"st.resent_file_id IS NULL AND st.state NOT IN ('{NAO_REENVIAR}', '{JA_NA_ANS}')"
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
    """Copy the newest CNX's CNS into the movements to resend that lack it or differ, as one action.

    Options as `apply_candidates` (reason, note, force, dry_run, today).
    """
    options.setdefault("note", "CNS copiado da conferência (CNX) mais recente")
    return apply_candidates(cursor, "fill-cns", cns_candidates(cursor, records), **options)

