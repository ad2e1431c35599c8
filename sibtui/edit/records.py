"""Which record an edit targets, and which of its fields may change.

A record is named by `(file_id, record_no)`; the file's kind says the table (SBX ->
`sbx_movements`, CNX -> `cnx_beneficiaries`, a portfolio transfer -> `transfer_beneficiaries`) and, for an SBX, the movement says the element
tree, hence which fields exist in it. Everything here reads the catalogue: a field is
editable when `Field.editable` says so and the record's shape carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import duckdb

from sibtui.catalog import shapes
from sibtui.catalog.fields import FIELDS
from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import CURRENT_VIEW_SUFFIX
from sibtui.errors import SibError

SBX_TABLE = "sbx_movements"
CNX_TABLE = "cnx_beneficiaries"
TRANSFER_TABLE = "transfer_beneficiaries"
# ANS's view of the vínculos: edits of these records become movements keyed by their CCO.
CONFERENCE_TABLES = (CNX_TABLE, TRANSFER_TABLE)
TABLE_BY_KIND = {"SBX": SBX_TABLE, "CNX": CNX_TABLE, "TRF": TRANSFER_TABLE}
_REF_TEXT = re.compile(r"\s*(\d+)\s*:\s*(\d+)\s*")


class EditError(SibError):
    """An edit that cannot be made (unknown record, field not editable, invalid value)."""


@dataclass(frozen=True, order=True)
class RecordRef:
    """One SBX movement or CNX beneficiary: its file and its 1-based position there."""

    file_id: int
    record_no: int

    def __str__(self) -> str:
        return f"{self.file_id}:{self.record_no}"

    @classmethod
    def parse(cls, text: str) -> "RecordRef":
        """`FILE_ID:RECORD_NO`, as the CLI takes it."""
        match = _REF_TEXT.fullmatch(text)
        if match is None:
            raise EditError(f"{text!r}: a record is FILE_ID:RECORD_NO, e.g. 1:5")
        return cls(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class RecordInfo:
    """A resolved record: its table, movement (SBX) and current values."""

    ref: RecordRef
    table: str
    movement: str | None
    values: dict[str, str | None]
    file_name: str = ""

    def where(self, column: str) -> str:
        """`FILE:LINE: <column> registro F:R`, the located form of every message about it."""
        return f"{self.file_name}:{self.values.get('line')}: <{column}> registro {self.ref}"

    @property
    def shape(self) -> Node:
        return record_shape(self.table, self.movement)

    @property
    def key(self) -> str:
        """How the analyst recognises the record: CCO, else the operator's code."""
        return self.values.get("cco") or self.values.get("codigoBeneficiario") or str(self.ref)


def record_shape(table: str, movement: str | None) -> Node:
    if table == CNX_TABLE:
        return shapes.CNX_BENEFICIARIO
    if table == TRANSFER_TABLE:
        return shapes.TRANSFER_BENEFICIARIO
    return shapes.MOVEMENT_SHAPES[Movement(movement)]


@cache
def shape_columns(table: str, movement: str | None) -> frozenset[str]:
    """Columns a record of this table/movement can carry (attributes and leaves)."""
    shape = record_shape(table, movement)
    names = {attribute.field.name for attribute in shape.attributes}
    names.update(node.column_name for node in shape.leaves())
    return frozenset(names)


@cache
def editable_fields(table: str, movement: str | None) -> tuple[str, ...]:
    """Fields the analyst may change in such a record, in document order."""
    shape = record_shape(table, movement)
    ordered = [attribute.field.name for attribute in shape.attributes]
    ordered += [node.column_name for node in shape.leaves()]
    return tuple(name for name in ordered if _may_edit(table, name))


def _may_edit(table: str, column: str) -> bool:
    field = FIELDS.get(column)
    if field is None or not field.editable:
        return False
    # A CNX edit becomes a retificação keyed by this CCO; changing the key would aim it elsewhere.
    return not (table in CONFERENCE_TABLES and column == "cco")


def check_editable(info: RecordInfo, column: str) -> None:
    """Raise `EditError` unless `column` may be edited in this record."""
    field = FIELDS.get(column)
    if field is None:
        raise EditError(f"{info.where(column)}: not a SIB field")
    if column not in shape_columns(info.table, info.movement):
        kind = info.movement or ("transferência" if info.table == TRANSFER_TABLE else "conferência (CNX)")
        raise EditError(f"{info.where(column)}: {field.label} does not exist in a {kind} record")
    if not _may_edit(info.table, column):
        raise EditError(f"{info.where(column)}: {field.label} is not editable here")


def resolve(cursor: duckdb.DuckDBPyConnection, ref: RecordRef) -> RecordInfo:
    """Current values of one record; `EditError` when it does not exist."""
    found = cursor.execute("SELECT kind, name FROM files WHERE file_id = ?", [ref.file_id]).fetchall()
    if not found:
        raise EditError(f"{ref}: no file {ref.file_id} in the workspace")
    kind, name = found[0]
    table = TABLE_BY_KIND.get(kind)
    if table is None:
        raise EditError(f"{name}: file {ref.file_id} is an {kind}; only SBX and CNX records (and those of a transfer) are edited")
    result = cursor.execute(
        f"SELECT * FROM {table}{CURRENT_VIEW_SUFFIX} WHERE file_id = ? AND record_no = ?", [ref.file_id, ref.record_no]
    )
    columns = [column[0] for column in result.description]
    rows = result.fetchall()
    if not rows:
        raise EditError(f"{name}: file {ref.file_id} has no record {ref.record_no}")
    values = dict(zip(columns, rows[0]))
    return RecordInfo(ref, table, values.get("movement") if table == SBX_TABLE else None, values, name)
