"""Following ANS's automatic CNS assignment between two conferences (§5.2, §6.2).

Since CADSUS closed, ANS assigns the CNS itself to records whose name, CPF and birth date
match the Receita Federal; the next CNX shows it. For the newer conference of a pair this
says how many CNS ANS assigned since the older one, and, for every active vínculo still
without a CNS, whether it qualifies (wait for ANS) or not (ask the beneficiary, ConecteSUS).
Qualification is the checker's own rule (`sibtui.rules.cns.qualifies`), never a copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from sibtui.compare.queries import change_counts
from sibtui.compare.snapshots import SnapshotPair
from sibtui.rules.cns import qualifies

MISSING_KINDS = {"cns_missing_qualifying": True, "cns_missing_not_qualifying": False}

def still_missing_sql(file_id: int) -> str:
    """Active vínculos of conference `file_id` without a CNS, and whether each qualifies."""
    return f"""
SELECT c.cco, c.codigoBeneficiario, c.nome, c.cpf, c.dataNascimento,
       {qualifies('c')} AS qualifies_for_auto_assignment
FROM cnx_beneficiaries c
WHERE c.file_id = {int(file_id)} AND upper(trim(c.situacao)) = 'ATIVO' AND nullif(trim(c.cns), '') IS NULL
"""


@dataclass(frozen=True)
class AssignmentSummary:
    assigned_since_previous: int  # vínculos of both conferences whose CNS went from empty to a value
    missing_qualifying: int  # still without CNS, and ANS can assign one itself
    missing_not_qualifying: int  # still without CNS, and only the beneficiary can give it


def assignment_summary(
    cursor: duckdb.DuckDBPyConnection, pair: SnapshotPair, counts: list[tuple[str, int, int]] | None = None
) -> AssignmentSummary:
    """The pair's CNS assignment figures; `counts` (from `change_counts`) saves a second comparison."""
    if counts is None:
        counts = change_counts(cursor, pair)
    assigned = next(ccos for kind, _, ccos in counts if kind == "cns_assigned")
    (qualifying, not_qualifying) = cursor.execute(
        f"SELECT count(*) FILTER (WHERE qualifies_for_auto_assignment), "
        f"count(*) FILTER (WHERE NOT qualifies_for_auto_assignment) FROM ({still_missing_sql(pair.newer.file_id)})"
    ).fetchall()[0]
    return AssignmentSummary(assigned, qualifying, not_qualifying)


def still_missing_list_sql(pair: SnapshotPair, qualifying: bool) -> str:
    """Active vínculos of the newer conference without a CNS that do (or do not) qualify, by CCO
    (to be run as ad hoc SQL is, `sibtui.query.adhoc.run_query`: masked in mask mode)."""
    condition = "" if qualifying else "NOT "
    sql = still_missing_sql(pair.newer.file_id)
    return f"SELECT * FROM ({sql}) WHERE {condition}qualifies_for_auto_assignment ORDER BY cco"
