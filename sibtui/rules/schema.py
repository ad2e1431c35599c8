"""What the pre-critique keeps in the workspace: `findings`, `catalog_rules` and `cns_gaps`.

`findings` is regenerated as a whole by each check (`sibtui.rules.engine`); `catalog_rules`
publishes the rules they name (`sibtui.rules.catalog`); `cns_gaps` is one row per CNS finding
with both CNS values, the CCO, the name and whether ANS can assign the CNS itself.
"""

from __future__ import annotations

from sibtui.catalog.schema import arrow
from sibtui.catalog.tables import FINDINGS_COLUMNS
from sibtui.db.identifiers import quote
from sibtui.db.schema import Published, Relation
from sibtui.rules import cns
from sibtui.rules.catalog import catalog_rows
from sibtui.rules.conference_memo import MEMO_FINDINGS_TABLE, MEMO_TABLE, memo_tables_sql
from sibtui.rules.field_sql import literal
from sibtui.rules.generation import relation as generation_relation

CATALOG_RULES_COLUMNS = ("rule", "severity", "scope", "field", "description", "fix", "ans_codes")


def _findings_sql() -> str:
    columns = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in FINDINGS_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS findings ({columns})"


def cns_gaps_view_sql() -> str:
    """`cns_gaps`: one row per CNS finding, with both CNS values, CCO, name and qualification."""
    return f"""
CREATE OR REPLACE VIEW cns_gaps AS
WITH sbx AS (
    SELECT f.file_id, f.record_no, f.source_table, f.rule AS category, m.cns,
           coalesce(m.cco, i.cco) AS cco, m.nome, {cns.qualifies('m')} AS qualifies_for_auto_assignment,
           files.registroANS
    FROM findings f
    JOIN sbx_movements_current m ON m.file_id = f.file_id AND m.record_no = f.record_no
    JOIN files ON files.file_id = f.file_id
    LEFT JOIN rpx_inclusion_ccos i ON m.movement = 'inclusao' AND i.file_id = m.file_id
                               AND i.codigoBeneficiario = m.codigoBeneficiario
    WHERE f.source_table = 'sbx_movements' AND f.rule IN ({", ".join(literal(r) for r in cns.CNS_RULES)})
),
-- The newest CNX's CNS of each CCO a gap names: only those CCOs, not the whole conference.
cnx_cns AS (
    SELECT n.registroANS, c.cco, any_value(c.cns) AS cns
    FROM cnx_beneficiaries_current c JOIN newest_cnx n ON n.file_id = c.file_id
    WHERE c.cco IN (SELECT cco FROM sbx)
    GROUP BY ALL
)
SELECT sbx.file_id, sbx.record_no, sbx.source_table, sbx.category, sbx.cns, cnx_cns.cns AS cnx_cns,
       sbx.cco, sbx.nome, sbx.qualifies_for_auto_assignment
FROM sbx
LEFT JOIN cnx_cns ON cnx_cns.registroANS = sbx.registroANS AND cnx_cns.cco = sbx.cco
UNION ALL
SELECT f.file_id, f.record_no, f.source_table, f.rule, c.cns, c.cns, c.cco, c.nome, {cns.qualifies('c')}
FROM findings f
JOIN cnx_beneficiaries_current c ON c.file_id = f.file_id AND c.record_no = f.record_no
WHERE f.source_table = 'cnx_beneficiaries' AND f.rule IN ({", ".join(literal(r) for r in cns.CNS_RULES)})
"""


def relations() -> tuple[Relation | Published, ...]:
    return (
        Relation("findings", (_findings_sql(),)),
        Relation(MEMO_TABLE, memo_tables_sql()[:1]),
        Relation(MEMO_FINDINGS_TABLE, memo_tables_sql()[1:]),
        generation_relation(),  # bumped with every replacement of the findings (the consoles' fingerprint)
        Published("catalog_rules", lambda: arrow(catalog_rows(), CATALOG_RULES_COLUMNS)),
        Relation("cns_gaps", (cns_gaps_view_sql(),),
                 ("findings", "sbx_movements_current", "files", "rpx_inclusion_ccos", "newest_cnx",
                  "cnx_beneficiaries_current")),
    )
