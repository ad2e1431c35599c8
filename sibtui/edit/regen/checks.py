"""Checking each movement before it is written, with the checker's own field rules.

A problem is *fatal* when the file itself would fail the XSD and ANS would refuse it whole
(code 16): a value outside its domain's pattern, size, enumeration or date range, a field
the movement does not have, a required element missing. Such a file is never published.
Any other error (a check digit, an unknown municipality) only makes ANS reject that one
movement again: it is reported, and the file is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from sibtui.catalog.shapes import Node
from sibtui.edit.records import SBX_TABLE
from sibtui.rules.fields import Problem, places, validate_value

SCHEMA_RULES = frozenset(
    {"required_missing", "field_not_allowed", "size_invalid", "pattern_invalid", "name_invalid",
     "domain_invalid", "date_invalid", "date_out_of_range"}
)


@dataclass(frozen=True)
class MovementProblem:
    """A problem of one value of one movement about to be written."""

    problem: Problem
    value: str | None
    fatal: bool


@lru_cache(maxsize=200_000)
def _value_problems(movement: str, column: str, value: str | None, today: dt.date) -> tuple[MovementProblem, ...]:
    found = []
    for problem in validate_value(SBX_TABLE, movement, column, value, today=today):
        if problem.severity != "error":
            continue
        found.append(MovementProblem(problem, value, _fatal(movement, column, value, problem)))
    return tuple(found)


def _fatal(movement: str, column: str, value: str | None, problem: Problem) -> bool:
    if problem.rule in SCHEMA_RULES:
        return True
    pattern = places(SBX_TABLE, movement)[column].domain.pattern
    return value is not None and pattern is not None and re.fullmatch(pattern, value) is None


def movement_problems(shape: Node, values: dict[str, str | None], today: dt.date) -> list[MovementProblem]:
    """Error-severity problems of the values `shape` will carry."""
    found: list[MovementProblem] = []
    for column, value in values.items():
        if value is None and column not in _required(shape):
            continue
        found += _value_problems(shape.tag, column, value, today)
    for choice in shape.required_choices:
        if not any(values.get(leaf.column_name) is not None for leaf in shape.leaves() if leaf.choice == choice):
            missing = Problem("required_missing", "error", f"nenhum dos campos de '{choice}' foi informado", choice)
            found.append(MovementProblem(missing, None, True))
    return found


_REQUIRED: dict[int, frozenset[str]] = {}


def _required(shape: Node) -> frozenset[str]:
    """Required leaves of a shape (cached by identity: hashing a frozen tree walks all of it)."""
    required = _REQUIRED.get(id(shape))
    if required is None:
        required = _REQUIRED[id(shape)] = frozenset(leaf.column_name for leaf in shape.leaves() if leaf.required)
    return required
