"""Values as they go out: trimmed, integers in canonical form, empty optional elements left out.

The loaded text stays evidence in the workspace; only the file written is normalised
(§1.5: writers trim, emit canonical integers and omit empty optional elements, because the
hash covers the literal text). Each normalisation is reported, so the diff shows that a
trailing space went, not just that a value "changed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sibtui.catalog.domains import Base
from sibtui.catalog.shapes import Node
from sibtui.hashing import XML_WHITESPACE

_INTEGER = re.compile(r"[+-]?[0-9]+")
_NON_CANONICAL_START = frozenset("+-0")  # an integer's text differs from str(int(text)) only then
TRIMMED = "trim"
INTEGER_FORM = "integer-form"
EMPTY_OMITTED = "empty-omitted"


@dataclass(frozen=True)
class Normalised:
    """One value the file carries differently from the record: why, and before/after."""

    column: str
    before: str | None
    after: str | None
    why: str


@dataclass(frozen=True)
class LeafSpec:
    column: str
    integer: bool
    required: bool


_SPECS: dict[int, tuple[LeafSpec, ...]] = {}


def leaf_specs(shape: Node) -> tuple[LeafSpec, ...]:
    """The leaves (and attributes) of a record's element tree, in document order.

    Cached by identity: hashing a frozen element tree would walk all of it on every call.
    """
    specs = _SPECS.get(id(shape))
    if specs is None:
        found = [LeafSpec(a.field.name, a.field.domain.base is Base.INTEGER, a.required) for a in shape.attributes]
        found += [LeafSpec(n.column_name, n.value_domain.base is Base.INTEGER, n.required) for n in shape.leaves()]
        specs = _SPECS[id(shape)] = tuple(found)
    return specs


def normalise_value(spec: LeafSpec, value: str | None) -> tuple[str | None, str | None]:
    """(value to write, why it differs) for one leaf; None means the element is left out."""
    if value is None:
        return None, None
    trimmed = value.strip(XML_WHITESPACE)
    if trimmed == "":
        return (None, EMPTY_OMITTED) if not spec.required else (trimmed, TRIMMED if trimmed != value else None)
    if spec.integer and _INTEGER.fullmatch(trimmed):
        canonical = str(int(trimmed))
        if canonical != trimmed:
            return canonical, INTEGER_FORM
    return trimmed, (TRIMMED if trimmed != value else None)


def normalise_row(shape: Node, row: dict) -> tuple[dict[str, str | None], list[Normalised]]:
    """The values of `shape` taken from `row` as they will be written, and what changed.

    The same decisions as `normalise_value`, inlined for the common cases (a value already
    trimmed, an integer without sign or leading zero): a regeneration runs this on every
    leaf of every movement.
    """
    values: dict[str, str | None] = {}
    changes: list[Normalised] = []
    for spec in leaf_specs(shape):
        column = spec.column
        before = row.get(column)
        if before is None:
            values[column] = None
            continue
        after = before.strip(XML_WHITESPACE)
        if after and not (spec.integer and after[0] in _NON_CANONICAL_START):
            values[column] = after
            if after != before:
                changes.append(Normalised(column, before, after, TRIMMED))
            continue
        after, why = normalise_value(spec, before)
        values[column] = after
        if why is not None:
            changes.append(Normalised(column, before, after, why))
    return values, changes
