"""Field rules on one value: what the edit journal and the editor ask as the analyst types.

`validate_value` is pure (no database): the column's place in the record's element tree
(`sibtui.catalog.shapes`) says whether it is required or allowed in that movement, and its
domain says what the text may be (`sibtui.rules.values`). The workspace-wide check applies
the very same decisions in SQL (`sibtui.rules.field_sql`), and a test keeps them equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from sibtui.catalog import shapes
from sibtui.catalog.domains import Domain
from sibtui.catalog.fields import FIELDS
from sibtui.catalog.kinds import Movement
from sibtui.catalog.tables import TABLES_BY_NAME
from sibtui.rules.catalog import RULES
from sibtui.rules.values import check_value

SBX_TABLE = "sbx_movements"
CNX_TABLE = "cnx_beneficiaries"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: a catalogue rule, its severity, a pt-BR message, the field."""

    rule: str
    severity: str  # 'error' | 'warning'
    message: str
    field: str


@dataclass(frozen=True)
class Place:
    """Where a column sits in one kind of record: its domain there and whether it is required."""

    column: str
    domain: Domain
    required: bool


@cache
def places(table: str, movement: str | None) -> dict[str, Place]:
    """Every column a record of `table` (and SBX `movement`) may carry, by column name."""
    if table == SBX_TABLE:
        if movement is None:
            raise ValueError("an SBX movement needs its movement type (inclusao, retificacao, ...)")
        shape = shapes.MOVEMENT_SHAPES[Movement(movement)]
    elif table == CNX_TABLE:
        shape = shapes.CNX_BENEFICIARIO
    else:
        raise ValueError(f"{table}: only sbx_movements and cnx_beneficiaries are validated")
    found = {a.field.name: Place(a.field.name, a.field.domain, a.required) for a in shape.attributes}
    for node in shape.leaves():
        found[node.column_name] = Place(node.column_name, node.value_domain, node.required)
    return found


def field_label(column: str) -> str:
    field = FIELDS.get(column)
    return field.label if field else column


def problem(rule: str, column: str, reason: str) -> Problem:
    return Problem(rule, RULES[rule].severity.value, f"{field_label(column)}: {reason}", column)


REASON_REQUIRED = "obrigatório neste movimento"
REASON_NOT_ALLOWED = "não existe neste movimento"
REASON_CCO_IN_INCLUSION = "não se envia na inclusão: a ANS atribui o CCO"


def not_allowed_reason(movement: str | None, column: str) -> str:
    if movement == Movement.INCLUSAO.value and column == "cco":
        return REASON_CCO_IN_INCLUSION
    return REASON_NOT_ALLOWED


def validate_value(
    table: str,
    movement: str | None,
    column: str,
    value: str | None,
    *,
    today: dt.date | None = None,
) -> list[Problem]:
    """Problems of `value` as the `column` of a `table` record (an SBX `movement`, or None for CNX).

    `value` is the text as it would be written (None = element absent). At most one problem
    comes back: the first rule the value breaks. Columns that are not SIB fields (keys,
    `movement`) have no rules. `today` decides what "future" means (default: today).
    """
    known = places(table, movement)
    if column not in FIELDS or column not in TABLES_BY_NAME[table].value_columns:
        return []
    place = known.get(column)
    if place is None:
        return [] if value is None else [problem("field_not_allowed", column, not_allowed_reason(movement, column))]
    if value is None:
        return [problem("required_missing", column, REASON_REQUIRED)] if place.required else []
    verdict = check_value(place.domain, value, today or dt.date.today())
    return [] if verdict is None else [problem(verdict.rule, column, verdict.reason)]
