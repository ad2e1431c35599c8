"""What the Cycle screen opens from a card (UI-free): the movements of an SBX that has no
answer yet. An SBX with an RPX opens the errors-by-code read model instead."""

from __future__ import annotations

from sibtui.query.spec import GridSpec, Restriction, leading_for

SBX_RELATION = "sbx_movements_current"


def movements_spec(sbx_name: str, sbx_file_id: int) -> GridSpec:
    """Every movement of one SBX, with the journal applied."""
    return GridSpec(
        relation=SBX_RELATION,
        title=f"Movimentos do {sbx_name}",
        restriction=Restriction(f"arquivo {sbx_name}", "s.file_id = ?", (sbx_file_id,), subject=True),
        leading_columns=leading_for(SBX_RELATION),
    )
