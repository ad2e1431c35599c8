""""Cancelar estes vínculos": cancel every vínculo a conference list shows, as one action.

The analyst lists CNX or transfer records (a filter, a drill-down, the Transferência screen) and gives a date and a motivo; each
record whose vínculo is ATIVO at ANS (the newest CNX, else the record's own `situacao`) gets
`dataCancelamento` and `motivoCancelamento`, which the regeneration sends as a `cancelamento`
(`sibtui.edit.regen.cnx_plan`). A vínculo already INATIVO is left out (cancelling it again is
refused by ANS, 3005), and so is anything that is not a CNX record. Values are checked by
the field rules like any edit; one undo reverts the whole action.
"""

from __future__ import annotations

import duckdb

from sibtui.edit.editor import Candidate, EditResult, apply_candidates
from sibtui.edit.records import CNX_TABLE, TRANSFER_TABLE, RecordRef
from sibtui.edit.selection import RecordSet, as_ref_table
from sibtui.rules.same_as_ans import ans_rows_sql

ACTION = "cancel"

_SQL = f"""
WITH picked AS (
    SELECT c.tbl, c.file_id, c.record_no, trim(c.cco) AS cco, f.registroANS, c.situacao, c.dataCancelamento,
           c.motivoCancelamento
    FROM (SELECT '{CNX_TABLE}' AS tbl, * FROM cnx_beneficiaries_current
          UNION ALL BY NAME SELECT '{TRANSFER_TABLE}' AS tbl, * FROM transfer_beneficiaries_current) c
    JOIN __cancel_refs r USING (file_id, record_no)
    JOIN files f ON f.file_id = c.file_id
),
ans AS ({ans_rows_sql("SELECT cco FROM picked")})
SELECT p.tbl, p.file_id, p.record_no, p.dataCancelamento, p.motivoCancelamento,
       upper(trim(coalesce(a.situacao, p.situacao))) = 'ATIVO' AS active
FROM picked p LEFT JOIN ans a ON a.ans_registro = p.registroANS AND a.ans_cco = p.cco
ORDER BY p.file_id, p.record_no
"""


def cancel_links(
    cursor: duckdb.DuckDBPyConnection, records: RecordSet, date: str, motivo: str, **options
) -> EditResult:
    """Set the cancellation of the listed active vínculos (options as `apply_candidates`)."""
    refs = as_ref_table(records)
    cursor.register("__cancel_refs", refs)
    try:
        rows = cursor.execute(_SQL).fetchall()
    finally:
        cursor.unregister("__cancel_refs")
    candidates: list[Candidate] = []
    inactive = 0
    for table, file_id, record_no, old_date, old_motivo, active in rows:
        if not active:
            inactive += 1
            continue
        ref = RecordRef(file_id, record_no)
        candidates += [Candidate(table, None, ref, "dataCancelamento", old_date, date.strip()),
                       Candidate(table, None, ref, "motivoCancelamento", old_motivo, motivo.strip())]
    options.setdefault("note", "cancelar estes vínculos")
    result = apply_candidates(cursor, ACTION, candidates, **options)
    result.not_applicable += inactive + refs.num_rows - len(rows)
    return result
