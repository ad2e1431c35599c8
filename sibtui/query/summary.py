"""What a workspace holds: one line per loaded file."""

from __future__ import annotations

import duckdb

from sibtui.query.adhoc import QueryResult, run_query

FILES_SUMMARY_SQL = """
SELECT file_id, name, kind, registroANS AS registro_ans, dataHoraRegistroTransacao AS gerado_em,
       record_count AS registros, hash_ok
FROM files
ORDER BY file_id
"""


def files_summary(cursor: duckdb.DuckDBPyConnection) -> QueryResult:
    return run_query(cursor, FILES_SUMMARY_SQL)
