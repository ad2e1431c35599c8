"""The outer structure of a SIB document, as the streaming loader sees it.

The loader does not look at every element one by one (that would double the parse cost,
`perf-notes.md` §2). It asks lxml for the *end* of a small set of elements: containers,
sections (small subtrees read whole, like the header) and records (one movement, one CNX
beneficiary, one RPX rejected record). This table says, for each of those, what role it
plays, where it may sit, and which file kind it implies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sibtui.catalog import shapes
from sibtui.catalog.kinds import FileKind
from sibtui.catalog.shapes import Node

ROOT_TAG = "mensagemSIB"


class Role(Enum):
    CONTAINER = "container"  # holds other tracked elements; has no data of its own
    SECTION = "section"  # a small subtree read as a whole (header, protocol, totals...)
    RECORD = "record"  # one row (or a few rows) of a record table


@dataclass(frozen=True)
class Placement:
    tag: str
    role: Role
    parent: str | None
    kind: FileKind | None = None  # the file kind this element implies, if any
    shape: Node | None = None  # the element tree of a section or record
    required: bool = False  # must appear once under its parent


def _container(tag: str, parent: str | None, kind: FileKind | None = None, required: bool = False) -> Placement:
    return Placement(tag, Role.CONTAINER, parent, kind, required=required)


def _section(shape: Node, parent: str, kind: FileKind | None = None, required: bool = False) -> Placement:
    return Placement(shape.tag, Role.SECTION, parent, kind, shape, required)


def _record(shape: Node, parent: str, kind: FileKind) -> Placement:
    return Placement(shape.tag, Role.RECORD, parent, kind, shape)


_ENVELOPE = (
    _container(ROOT_TAG, None, required=True),
    _section(shapes.CABECALHO, ROOT_TAG, required=True),
    _container("mensagem", ROOT_TAG, required=True),
    # SBX
    _container("operadoraParaANS", "mensagem", FileKind.SBX),
    _container("beneficiarios", "operadoraParaANS", FileKind.SBX),
    *(_record(shape, "beneficiarios", FileKind.SBX) for shape in shapes.MOVEMENT_SHAPES.values()),
    _section(shapes.NAO_ENVIO, "operadoraParaANS", FileKind.SBX),
    # ANS -> operator
    _container("ansParaOperadora", "mensagem"),
    # RPX
    _container("resultadoProcessamento", "ansParaOperadora", FileKind.RPX),
    _container("arquivoProcessado", "resultadoProcessamento", FileKind.RPX),
    _section(shapes.PROTOCOLO, "arquivoProcessado", FileKind.RPX, required=True),
    _container("registrosRejeitados", "arquivoProcessado", FileKind.RPX),
    _record(shapes.RPX_REJEITADO, "registrosRejeitados", FileKind.RPX),
    _container("registrosIncluidos", "arquivoProcessado", FileKind.RPX),
    _record(shapes.RPX_INCLUIDO, "registrosIncluidos", FileKind.RPX),
    _section(shapes.CONSOLIDADO, "arquivoProcessado", FileKind.RPX),
    _section(shapes.ARQUIVO_REJEITADO, "resultadoProcessamento", FileKind.RPX),
    _section(shapes.EPILOGO, ROOT_TAG, required=True),
    # Portfolio transfer: its own elements (a transfer inside another kind is refused by kind)
    _container("transferencia", "ansParaOperadora", FileKind.TRF),
    _section(shapes.TAB, "transferencia", FileKind.TRF, required=True),
)
# A conference's `conferencia/beneficiario` sits under `ansParaOperadora` in a CNX and under
# `transferencia` in a transfer, with other attributes: the same tags, placed by file kind.
_CONFERENCE = (
    _container("conferencia", "ansParaOperadora", FileKind.CNX),
    _record(shapes.CNX_BENEFICIARIO, "conferencia", FileKind.CNX),
)
_TRANSFER_CONFERENCE = (
    _container("conferencia", "transferencia", FileKind.TRF, required=True),
    _record(shapes.TRANSFER_BENEFICIARIO, "conferencia", FileKind.TRF),
)

PLACEMENTS: dict[str, Placement] = {placement.tag: placement for placement in (*_ENVELOPE, *_CONFERENCE)}
TRANSFER_PLACEMENTS: dict[str, Placement] = {
    placement.tag: placement for placement in (*_ENVELOPE, *_TRANSFER_CONFERENCE)
}


def placements_for(kind: FileKind) -> dict[str, Placement]:
    """Where each tracked element may sit in a file of `kind` (the sniffed kind)."""
    return TRANSFER_PLACEMENTS if kind is FileKind.TRF else PLACEMENTS


# Children of ansParaOperadora / operadoraParaANS that decide the file kind (used by sniffing).
KIND_MARKERS: dict[str, FileKind] = {
    "beneficiarios": FileKind.SBX,
    "naoEnvioBeneficiarios": FileKind.SBX,
    "resultadoProcessamento": FileKind.RPX,
    "conferencia": FileKind.CNX,
    "transferencia": FileKind.TRF,
}

# Known in the XSD but not loaded (none today; the portfolio transfer loads since issue 23).
UNSUPPORTED_MESSAGES: dict[str, str] = {}

TRACKED_TAGS: tuple[str, ...] = tuple(PLACEMENTS)
