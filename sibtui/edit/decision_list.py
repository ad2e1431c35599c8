"""The resend decision of every rejected movement, as a table: `sibtui fix list --decisions`,
the console's decision grid and F4 read it.

One row per movement to resend (`sibtui.edit.resend`), with what a person needs to decide:
the file, the movement and its key, the RPX codes, the state in words, the reason and who
decided when, the titular of a cascade (and, for a titular, its cascade dependents), and
whether the default regeneration sends it.
"""

from __future__ import annotations

import duckdb

from sibtui.edit.resend import COM_TITULAR, STATE_LABELS, going_sql

DECISION_COLUMNS = (
    "sbx", "file_id", "record_no", "movement", "record_key", "nome", "codigos", "decisao", "estado", "vai",
    "motivo", "decidido_por", "decidido_em", "titular_registro", "dependentes_em_cascata", "reenviado_em",
)

_LABEL_CASES = " ".join(f"WHEN '{state}' THEN '{label}'" for state, label in STATE_LABELS.items())


def decision_sql() -> str:
    """SELECT of `DECISION_COLUMNS`, in file and record order."""
    return f"""
WITH st AS ({going_sql()}),
dependents AS (
    SELECT file_id, titular_record_no AS record_no, list(record_no ORDER BY record_no) AS records
    FROM st WHERE titular_record_no IS NOT NULL GROUP BY ALL
)
SELECT f.name AS sbx, st.file_id, st.record_no, st.movement, st.record_key, m.nome,
       array_to_string(st.codes, ',') AS codigos,
       CASE WHEN st.state = '{COM_TITULAR}' THEN 'vai com o titular (registro ' || st.titular_record_no || ')'
            ELSE CASE st.state {_LABEL_CASES} ELSE st.state END END AS decisao,
       st.state AS estado, CASE WHEN st.goes THEN 'sim' ELSE 'não' END AS vai,
       st.reason AS motivo, st.decided_by AS decidido_por, st.decided_at AS decidido_em,
       st.titular_record_no AS titular_registro, array_to_string(d.records, ',') AS dependentes_em_cascata,
       rf.name AS reenviado_em
FROM st
JOIN files f ON f.file_id = st.file_id
JOIN sbx_movements m ON m.file_id = st.file_id AND m.record_no = st.record_no
LEFT JOIN dependents d ON d.file_id = st.file_id AND d.record_no = st.record_no
LEFT JOIN files rf ON rf.file_id = st.resent_file_id
ORDER BY st.file_id, st.record_no
"""


def decision_rows(cursor: duckdb.DuckDBPyConnection) -> list[tuple]:
    return cursor.execute(decision_sql()).fetchall()


def state_counts(cursor: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Movements to resend per state (re-sent ones apart, under 'reenviado'), for summaries."""
    rows = cursor.execute(
        f"SELECT CASE WHEN resent_file_id IS NOT NULL THEN 'reenviado' ELSE state END, count(*) "
        f"FROM ({going_sql()}) GROUP BY 1"
    ).fetchall()
    return {state: int(count) for state, count in rows}
