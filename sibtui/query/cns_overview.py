"""CNS gaps by category and the records in each, with the CNX's CNS beside ours (UI-free).

Counts come from `sibtui.query.findings.cns_gap_counts` and the records from the
`cns_gaps` view (one row per CNS finding: our CNS, the newest CNX's CNS for the same CCO,
cco, nome, and whether ANS would assign a CNS itself), both owned by the pre-critique.
This module only adds what the console needs: labels and a grid spec per category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sibtui.compare.cns_escalation import KIND, MESSAGE, conferences_after, escalation_count, escalation_sql
from sibtui.query.findings import cns_gap_counts
from sibtui.query.spec import GridSpec, Restriction
from sibtui.rules.catalog import RULES

if TYPE_CHECKING:
    import duckdb

GAPS_VIEW = "cns_gaps"


@dataclass(frozen=True)
class CnsCategory:
    category: str  # the rule id: cns_missing, cns_invalid, ...
    source_table: str
    records: int
    auto_assignable: int  # records ANS would give a CNS itself
    description: str | None


def cns_categories(cursor: duckdb.DuckDBPyConnection, after: int | None = None) -> list[CnsCategory]:
    """Counts per category and table, in the pre-critique's order, then the vínculos ANS could
    not give a CNS in `after` conferences although qualified (`sibtui.compare.cns_escalation`)."""
    categories = []
    for count in cns_gap_counts(cursor):
        rule = RULES.get(count.category)
        categories.append(CnsCategory(count.category, count.source_table, count.records, count.qualifying,
                                      rule.description if rule else None))
    after = conferences_after(after)
    escalated = escalation_count(cursor, after)
    if escalated:
        categories.append(CnsCategory(KIND, "cnx_beneficiaries", escalated, escalated,
                                      f"sem CNS em {after}+ conferências: {MESSAGE}"))
    return categories


def category_spec(category: CnsCategory, after: int | None = None) -> GridSpec:
    """The records of one category, our CNS and the CNX's side by side."""
    if category.category == KIND:
        return GridSpec(sql=escalation_sql(conferences_after(after)), records_of="cnx_beneficiaries",
                        title="CNS: provável divergência com a Receita", hidden_columns=("mensagem",),
                        leading_columns=("cco", "conferencias_sem_cns", "desde", "codigoBeneficiario", "nome"))
    restriction = Restriction(
        f"categoria {category.category}", "s.category = ? AND s.source_table = ?",
        (category.category, category.source_table),
    )
    return GridSpec(
        relation=GAPS_VIEW,
        title=f"CNS: {category.category}",
        restriction=restriction,
        leading_columns=("record_no", "cco", "cns", "cnx_cns", "qualifies_for_auto_assignment", "nome", "category"),
        hide_empty=True,
        keep_empty=("cns", "cnx_cns"),
    )
