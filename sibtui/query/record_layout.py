"""In which order the record view lists a record's fields (UI-free).

A cancellation carries three elements; listing the thirty others it cannot have, as "ausente",
before its date and motive hides what matters. So a record's fields come in three parts:

1. its own: the elements of this movement (or of a CNX `beneficiario`) in schema order, the
   present ones and the required ones even when absent (an absent required field is the error);
2. foreign: values the record holds that its movement does not carry (the XSD refuses them);
3. absent: optional elements of the movement that are not there, collapsed by the view.

Elements a movement cannot carry and that are absent are not listed at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import CNX_BENEFICIARIO, MOVEMENT_SHAPES, TRANSFER_BENEFICIARIO

OWN, FOREIGN, ABSENT = "own", "foreign", "absent"
ALWAYS_FIRST = ("movement",)  # the kind of movement leads, before its elements


class HasNameAndValue(Protocol):
    name: str
    value: str | None


@dataclass(frozen=True)
class Placed:
    """A field with its part (`OWN`, `FOREIGN`, `ABSENT`) and whether its element is required."""

    field: HasNameAndValue
    part: str
    required: bool = False


@cache
def shape_columns(table: str, movement: str | None) -> tuple[tuple[str, bool], ...]:
    """(column, required) of the record's elements in schema order; () when unknown.

    Required means required in the record: the leaf and every container above it."""
    if table == "cnx_beneficiaries":
        shape = CNX_BENEFICIARIO
    elif table == "transfer_beneficiaries":
        shape = TRANSFER_BENEFICIARIO
    else:
        try:
            shape = MOVEMENT_SHAPES[Movement(movement)]
        except ValueError:
            return ()
    attributes = tuple((attribute.field.name, attribute.required) for attribute in shape.attributes)
    return attributes + tuple(_leaves(shape.children, True))


def _leaves(nodes, required_above: bool) -> Iterator[tuple[str, bool]]:
    for node in nodes:
        if node.is_leaf:
            yield node.column_name, required_above and node.required
        else:
            yield from _leaves(node.children, required_above and node.required)


def arrange(table: str, movement: str | None, fields: Sequence[HasNameAndValue],
            flagged: Collection[str] = ()) -> list[Placed]:
    """`fields` in the record view's order: own, then foreign, then absent (see the module).

    A `flagged` field (an RPX error or a finding on it: a CPF missing) is never collapsed."""
    by_name = {field.name: field for field in fields}
    shape = shape_columns(table, movement)
    if not shape:  # a movement we do not know: everything, as stored
        return [Placed(field, OWN if field.value is not None else ABSENT) for field in fields]
    own, absent = [], []
    for name in ALWAYS_FIRST:
        if name in by_name:
            own.append(Placed(by_name[name], OWN, True))
    for name, required in shape:
        field = by_name.get(name)
        if field is None or name in ALWAYS_FIRST:
            continue
        if field.value is not None or required or name in flagged:
            own.append(Placed(field, OWN, required))
        else:
            absent.append(Placed(field, ABSENT))
    placed = {item.field.name for item in own + absent}
    foreign = [Placed(field, FOREIGN) for field in fields
               if field.name not in placed and (field.value is not None or field.name in flagged)]
    return own + foreign + absent
