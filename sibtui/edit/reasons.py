"""Why a field is being changed, when the analyst does not say: what ANS or our checker said.

The journal's `reason` answers "which rejection or finding does this fix". For an edit
made without one, it is looked up: the RPX error codes of the movement that concern the
field (by the code's field id or the code catalogue; ids 31/32 are disputed, so both are
consulted), else the pre-critique rules that fired on that record and field.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.catalog.error_codes import KNOWN_CODES
from sibtui.catalog.fields import FIELD_BY_RPX_ID

_CODE_FIELDS = pa.table(
    {
        "key": [*FIELD_BY_RPX_ID, *KNOWN_CODES],
        "field": [f.name for f in FIELD_BY_RPX_ID.values()] + [e.field_name for e in KNOWN_CODES.values()],
    }
)

_LOOKUP_SQL = """
WITH wanted AS (SELECT DISTINCT table_name, file_id, record_no, field FROM __reason_wanted),
rejected AS (
    SELECT w.table_name, w.file_id, w.record_no, w.field,
           string_agg(DISTINCT l.codigoErro, ',' ORDER BY l.codigoErro) AS codes
    FROM wanted w
    JOIN rpx_rejection_links l ON w.table_name = 'sbx_movements'
         AND l.sbx_file_id = w.file_id AND l.sbx_record_no = w.record_no
    JOIN __reason_code_fields k ON k.field = w.field
         AND (k.key = trim(l.codigoCampo) OR k.key = trim(l.codigoErro))
    GROUP BY ALL
),
found AS (
    SELECT w.table_name, w.file_id, w.record_no, w.field,
           string_agg(DISTINCT f.rule, ',' ORDER BY f.rule) AS rules
    FROM wanted w
    JOIN findings f ON f.source_table = w.table_name AND f.file_id = w.file_id
         AND f.record_no = w.record_no AND f.field = w.field
    GROUP BY ALL
)
SELECT w.table_name, w.file_id, w.record_no, w.field, coalesce(rejected.codes, found.rules)
FROM wanted w
LEFT JOIN rejected USING (table_name, file_id, record_no, field)
LEFT JOIN found USING (table_name, file_id, record_no, field)
"""

ReasonKey = tuple[str, int, int, str]  # (table, file_id, record_no, field)


def lookup_reasons(cursor: duckdb.DuckDBPyConnection, keys: list[ReasonKey]) -> dict[ReasonKey, str]:
    """RPX codes (else finding rules) per (table, file_id, record_no, field); absent when none."""
    if not keys:
        return {}
    wanted = pa.table(
        {
            "table_name": pa.array([k[0] for k in keys], pa.string()),
            "file_id": pa.array([k[1] for k in keys], pa.int64()),
            "record_no": pa.array([k[2] for k in keys], pa.int64()),
            "field": pa.array([k[3] for k in keys], pa.string()),
        }
    )
    cursor.register("__reason_wanted", wanted)
    cursor.register("__reason_code_fields", _CODE_FIELDS)
    try:
        rows = cursor.execute(_LOOKUP_SQL).fetchall()
    finally:
        cursor.unregister("__reason_wanted")
        cursor.unregister("__reason_code_fields")
    return {(t, f, r, c): reason for t, f, r, c, reason in rows if reason}
