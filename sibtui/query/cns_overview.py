"""CNS gaps by category and the records in each, with the CNX's CNS beside ours (UI-free).

The categories come from the `cns_gaps` view of the validation rules (one row per record
and category: file_id, record_no, source_table, category, our CNS, the CNX's CNS, cco,
nome, whether ANS would assign a CNS itself). Until a workspace has that view, the CNS
findings (`findings.field = 'cns'`) stand in, one category per rule, with the CNS of the
latest CNX record of the same CCO joined beside ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sibtui.query.spec import GridSpec, Restriction

if TYPE_CHECKING:
    import duckdb

GAPS_VIEW = "cns_gaps"

# Stand-in for `cns_gaps` built from the findings, with the same leading columns.
FINDINGS_GAPS_SQL = """
WITH records AS (
    SELECT 'sbx_movements' AS source_table, file_id, record_no, cco, nome, cns FROM sbx_movements_current
    UNION ALL
    SELECT 'cnx_beneficiaries', file_id, record_no, cco, nome, cns FROM cnx_beneficiaries_current
),
latest_cnx AS (
    SELECT cco, cns FROM cnx_beneficiaries_current WHERE cco IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY cco ORDER BY file_id DESC, record_no DESC) = 1
)
SELECT f.file_id, f.record_no, f.source_table, f.rule AS category, r.cns AS cns, c.cns AS cnx_cns,
       r.cco, r.nome, f.message
FROM findings AS f
LEFT JOIN records AS r ON r.source_table = f.source_table AND r.file_id = f.file_id AND r.record_no = f.record_no
LEFT JOIN latest_cnx AS c ON c.cco = r.cco
WHERE f.field = 'cns'
"""


@dataclass(frozen=True)
class CnsCategory:
    category: str
    records: int
    auto_assignable: int | None  # records ANS would give a CNS itself (None: not known)
    description: str | None


def has_gaps_view(cursor: duckdb.DuckDBPyConnection) -> bool:
    rows = cursor.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [GAPS_VIEW]
    ).fetchall()
    return bool(rows[0][0])


def cns_categories(cursor: duckdb.DuckDBPyConnection) -> list[CnsCategory]:
    """Counts per category, largest first."""
    from sibtui.rules.catalog import RULES

    if has_gaps_view(cursor):
        columns = {row[0] for row in cursor.execute(f"DESCRIBE SELECT * FROM {GAPS_VIEW}").fetchall()}
        auto = "count(*) FILTER (WHERE qualifies_for_auto_assignment)" if (
            "qualifies_for_auto_assignment" in columns
        ) else "NULL"
        sql = f"SELECT category, count(*), {auto} FROM {GAPS_VIEW} GROUP BY 1 ORDER BY 2 DESC, 1"
    else:
        sql = f"SELECT category, count(*), NULL FROM ({FINDINGS_GAPS_SQL}) GROUP BY 1 ORDER BY 2 DESC, 1"
    categories = []
    for category, records, auto_count in cursor.execute(sql).fetchall():
        rule = RULES.get(category)
        categories.append(
            CnsCategory(category, int(records), None if auto_count is None else int(auto_count),
                        rule.description if rule else None)
        )
    return categories


def category_spec(cursor: duckdb.DuckDBPyConnection, category: str) -> GridSpec:
    """The records of one category, our CNS and the CNX's side by side."""
    restriction = Restriction(f"categoria {category}", "s.category = ?", (category,))
    title = f"CNS: {category}"
    if has_gaps_view(cursor):
        return GridSpec(relation=GAPS_VIEW, title=title, restriction=restriction)
    return GridSpec(sql=FINDINGS_GAPS_SQL, title=title, restriction=restriction)
