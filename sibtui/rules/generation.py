"""Which check wrote the findings: a counter every check's transaction moves by one.

Consoles that share a workspace notice others' changes by a fingerprint they read every
second (`sibtui.shared_workspace.version`). A count of the findings misses a check that ends
with as many findings as before but other ones (an edit fixed one record and broke another,
`--today` moved a deadline); a hash of their content would cost a scan of every finding each
second in every console. So `findings` carries a generation instead: one row, one number,
bumped inside the transaction that replaces the findings (`sibtui.rules.engine`), so a
reader sees the new findings and the new generation together, or neither.
"""

from __future__ import annotations

from sibtui.db.schema import Relation

TABLE = "findings_generation"
BUMP_SQL = f"UPDATE {TABLE} SET generation = generation + 1"
READ_SQL = f"SELECT coalesce(max(generation), 0) FROM {TABLE}"


def relation() -> Relation:
    return Relation(TABLE, (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (generation BIGINT NOT NULL)",
        f"INSERT INTO {TABLE} SELECT 0 WHERE NOT EXISTS (SELECT * FROM {TABLE})",
    ))
