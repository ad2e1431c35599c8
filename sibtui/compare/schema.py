"""What comparing conferences publishes: `cnx_snapshots`, `cnx_changes` (the two latest of
each operator), `cnx_changes_between(from, to)` (any two) and `sbx_cns_pending` (our CNS
work against the newest conference)."""

from __future__ import annotations

from sibtui.compare.changes import changes_between_sql, changes_view_sql
from sibtui.compare.pending import SBX_CNS_PENDING_SQL
from sibtui.compare.snapshots import SNAPSHOTS_VIEW_SQL
from sibtui.db.schema import Relation


def relations() -> tuple[Relation, ...]:
    return (
        Relation("cnx_snapshots", (SNAPSHOTS_VIEW_SQL,), ("files", "file_moments")),
        Relation("cnx_changes", (changes_view_sql(),), ("cnx_snapshots", "cnx_beneficiaries")),
        Relation("cnx_changes_between", (changes_between_sql(),), ("files", "cnx_beneficiaries")),
        Relation("sbx_cns_pending", (SBX_CNS_PENDING_SQL,),
                 ("newest_cnx", "cnx_beneficiaries", "rpx_inclusion_ccos", "sbx_movements_current", "file_moments")),
    )
