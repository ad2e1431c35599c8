"""Grids of the edit workflow (UI-free): the pending changes before regenerating, and what
a regenerated file carries against the loaded values. Both read `sibtui.edit`."""

from __future__ import annotations

from sibtui.edit.diff import diff_sql
from sibtui.edit.pending import pending_sql
from sibtui.query.spec import GridSpec

PENDING_LEADING = ("record_key", "field", "original", "current", "reason", "movement", "table_name",
                   "file_id", "record_no")
DIFF_LEADING = ("output_name", "position", "record_key", "field", "original", "corrected", "why", "reason")


def pending_spec() -> GridSpec:
    """Every pending change, old -> new, one row per record and field."""
    return GridSpec(sql=pending_sql(), title="Alterações pendentes", hidden_columns=("edit_id",),
                    leading_columns=PENDING_LEADING)


def diff_spec(regeneration_ids: list[int]) -> GridSpec:
    """Original versus corrected value of every field the regenerated files changed."""
    return GridSpec(sql=diff_sql(regeneration_ids), title="SBX regenerados: original × corrigido",
                    hidden_columns=("regeneration_id", "edit_id"), leading_columns=DIFF_LEADING)
