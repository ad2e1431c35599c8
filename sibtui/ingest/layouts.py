"""Where each tracked element sits and which table each record fills, per file kind.

Built once at import: the depth of every tracked element (to know which element a finished
one follows) and the compiled record plans. A conference's `beneficiario` fills
`cnx_beneficiaries`; a transfer's (same tag, under `transferencia`), `transfer_beneficiaries`.
"""

from __future__ import annotations

from sibtui.catalog import shapes, tables
from sibtui.catalog.document import PLACEMENTS, TRANSFER_PLACEMENTS, Placement
from sibtui.catalog.kinds import FileKind
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import Table
from sibtui.ingest.records import RecordPlan, compile_plan

Layout = tuple[dict[str, Placement], dict[str, int], dict[str, RecordPlan]]
TRACKED_TAGS: tuple[str, ...] = tuple({**PLACEMENTS, **TRANSFER_PLACEMENTS})


def _depths(placements: dict[str, Placement]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for tag, placement in placements.items():
        depth, parent = 0, placement.parent
        while parent is not None:
            depth += 1
            parent = placements[parent].parent
        depths[tag] = depth
    return depths


def _plans(conference: tuple[Node, Table]) -> dict[str, RecordPlan]:
    return {
        shape.tag: compile_plan(shape, table, constant)
        for shape, table, constant in (
            *((shape, tables.SBX_MOVEMENTS, movement.value) for movement, shape in shapes.MOVEMENT_SHAPES.items()),
            (*conference, None),
            (shapes.RPX_INCLUIDO, tables.RPX_INCLUSIONS, None),
        )
    }


# A conference's `beneficiario` fills `cnx_beneficiaries`; a transfer's, `transfer_beneficiaries`.
_LAYOUTS: dict[bool, Layout] = {
    transfer: (placements, _depths(placements), _plans(conference))
    for transfer, placements, conference in (
        (False, PLACEMENTS, (shapes.CNX_BENEFICIARIO, tables.CNX_BENEFICIARIES)),
        (True, TRANSFER_PLACEMENTS, (shapes.TRANSFER_BENEFICIARIO, tables.TRANSFER_BENEFICIARIES)),
    )
}




def layout_for(kind: FileKind) -> Layout:
    """(placements, depths, record plans) of a file of `kind`."""
    return _LAYOUTS[kind is FileKind.TRF]
