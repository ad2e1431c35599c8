"""The CNS ANS assigned, for the operator's own base (`sibtui diff --cns-assigned`).

Since CADSUS closed, ANS fills the CNS itself and the CNX shows it; ANS's 2023 answer to an
operator asks operators to follow the CNX (`sib-format.md` §6.2). The operator's base and
card printing need those numbers: one row per vínculo and CNS, with the date ANS showed it:

- `atribuido`: between two consecutive conferences of the operator, a vínculo's CNS went
  from empty to a value (`cns_assigned` in `cnx_changes`);
- `trocado`: ANS replaced it (`cns_changed`);
- `sbx_sem_cns`: a vínculo our SBX sent without that CNS (an inclusão reached through the CCO
  its RPX assigned, a retificação) now holds one in the newest conference
  (`sbx_cns_pending`): the CNS ANS assigned on inclusion is seen here.

A vínculo counted by both ways keeps the earliest date.
"""

from __future__ import annotations

import duckdb

from sibtui.compare.changes import changes_sql

CNS_ASSIGNED_COLUMNS = ("codigoBeneficiario", "cco", "cns", "data", "como", "conferencia", "registroANS")

_ALL_PAIRS_SQL = """
SELECT newer.registroANS, older.file_id AS from_file_id, newer.file_id AS to_file_id
FROM cnx_snapshots newer
JOIN cnx_snapshots older ON older.registroANS IS NOT DISTINCT FROM newer.registroANS
                        AND older.snapshot_no = newer.snapshot_no - 1
"""


def cns_assigned_sql() -> str:
    """SELECT of `CNS_ASSIGNED_COLUMNS`, oldest first."""
    return f"""
WITH changed AS ({changes_sql(_ALL_PAIRS_SQL)}),
found AS (
    SELECT c.codigoBeneficiario, c.cco, trim(c.new_value) AS cns, s.taken_at::DATE AS data,
           CASE c.kind WHEN 'cns_assigned' THEN 'atribuido' ELSE 'trocado' END AS como, s.name AS conferencia,
           c.registroANS
    FROM changed c JOIN cnx_snapshots s ON s.file_id = c.to_file_id
    WHERE c.kind IN ('cns_assigned', 'cns_changed')
    UNION ALL
    SELECT coalesce(x.codigoBeneficiario, p.codigoBeneficiario), p.cco, p.cnx_cns, s.taken_at::DATE,
           'sbx_sem_cns', s.name, s.registroANS
    FROM sbx_cns_pending p JOIN cnx_snapshots s ON s.file_id = p.cnx_file_id
    LEFT JOIN cnx_beneficiaries x ON x.file_id = p.cnx_file_id AND x.record_no = p.cnx_record_no
)
SELECT codigoBeneficiario, cco, cns, data, como, conferencia, registroANS
FROM found
QUALIFY row_number() OVER (PARTITION BY registroANS, cco, cns ORDER BY data NULLS LAST, como) = 1
ORDER BY data NULLS LAST, registroANS, cco
"""


def cns_assigned_rows(cursor: duckdb.DuckDBPyConnection) -> list[tuple]:
    return cursor.execute(cns_assigned_sql()).fetchall()
