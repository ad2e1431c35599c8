"""Checking each movement before it is written: the schema's facets, and the field rules.

Two levels, because they cost and mean different things:

- **Schema facets** (fatal): what the catalogue records of each XSD simple type — pattern,
  length, enumeration, date form and minimum — plus required elements. A value breaking
  one makes ANS refuse the whole file (code 16), so such a file is never published. These
  are compiled per column and run on every value (fractions of a microsecond each).
- **Field rules** (`sibtui.rules.fields.validate_value`, the checker's own): run on the
  values the analyst changed (edits and normalisations) and on every value of a
  `rejected` plan, so the report can say what ANS will likely reject again. They do not
  stop the file; the full pre-critique is `sibtui check`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from sibtui.catalog.domains import Base, Domain
from sibtui.catalog.shapes import Node
from sibtui.edit.records import SBX_TABLE
from sibtui.hashing import XML_WHITESPACE
from sibtui.rules import values as reasons
from sibtui.rules.fields import Problem, field_label, validate_value

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_INTEGER = re.compile(r"[+-]?[0-9]+")
FacetCheck = Callable[[str], "tuple[str, str] | None"]  # value -> (catalogue rule, pt-BR reason)


@dataclass(frozen=True)
class MovementProblem:
    """A problem of one value of one movement about to be written."""

    problem: Problem
    value: str | None
    fatal: bool


def facet_check(domain: Domain) -> FacetCheck:
    """A function giving (rule, pt-BR reason) when a value breaks `domain`'s XSD facets, else None."""
    if domain.values:
        return _enum_check(domain)
    if domain.base is Base.DATE:
        return _date_check(domain)
    pattern = re.compile(domain.pattern) if domain.pattern else None
    low, high = domain.min_length, domain.max_length

    def check(value: str) -> tuple[str, str] | None:
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            return "size_invalid", reasons.size_reason(domain)
        if pattern is not None and pattern.fullmatch(value) is None:
            digits = reasons.pattern_digits(domain)
            if digits:
                return "pattern_invalid", reasons.digits_reason(digits)
            return "name_invalid", reasons.REASON_NAME
        return None

    return check


def _enum_check(domain: Domain) -> FacetCheck:
    accepted = frozenset(domain.values)

    def check(value: str) -> tuple[str, str] | None:
        key = value
        if domain.base is Base.INTEGER:
            text = value.strip(XML_WHITESPACE)
            key = str(int(text)) if _INTEGER.fullmatch(text) else text
        return None if key in accepted else ("domain_invalid", reasons.domain_reason(domain))

    return check


def _date_check(domain: Domain) -> FacetCheck:
    minimum = dt.date.fromisoformat(domain.min_date) if domain.min_date else None

    def check(value: str) -> tuple[str, str] | None:
        match = _DATE.fullmatch(value)
        try:
            parsed = dt.date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            parsed = None
        if parsed is None:
            return "date_invalid", reasons.REASON_DATE_FORMAT
        if minimum is not None and parsed < minimum:
            return "date_out_of_range", reasons.date_minimum_reason(domain.min_date or "")
        return None

    return check


_PASSED_LIMIT = 1_024  # values remembered as passing, per leaf: codes, dates and plans repeat


@dataclass(frozen=True)
class _Compiled:
    leaves: tuple[tuple[str, bool, FacetCheck, set[str]], ...]  # column, required, check, values that passed
    choices: tuple[tuple[str, tuple[str, ...]], ...]  # required choice -> its columns


_COMPILED: dict[int, _Compiled] = {}


def _compiled(shape: Node) -> _Compiled:
    """Compiled facet checks of a shape (cached by identity: hashing a tree walks all of it)."""
    compiled = _COMPILED.get(id(shape))
    if compiled is None:
        leaves = tuple((node.column_name, node.required, facet_check(node.value_domain), set[str]())
                       for node in shape.leaves())
        choices = tuple((choice, tuple(n.column_name for n in shape.leaves() if n.choice == choice))
                        for choice in shape.required_choices)
        compiled = _COMPILED[id(shape)] = _Compiled(leaves, choices)
    return compiled


def movement_problems(
    shape: Node, values: dict[str, str | None], today: dt.date, rule_columns: Iterable[str] = ()
) -> list[MovementProblem]:
    """Schema problems of the values `shape` will carry, then field-rule errors of `rule_columns`.

    A facet check depends on the value alone, so the values a leaf saw pass are remembered
    (up to `_PASSED_LIMIT`): most of a file repeats its dates, codes and plans.
    """
    found: list[MovementProblem] = []
    compiled = _compiled(shape)
    for column, required, check, passed in compiled.leaves:
        value = values.get(column)
        if value is None:
            if required:
                found.append(_fatal("required_missing", column, None, "obrigatório neste movimento"))
            continue
        if value in passed:
            continue
        broken = check(value)
        if broken is not None:
            found.append(_fatal(broken[0], column, value, broken[1]))
        elif len(passed) < _PASSED_LIMIT:
            passed.add(value)
    for choice, columns in compiled.choices:
        if all(values.get(column) is None for column in columns):
            found.append(_fatal("required_missing", choice, None, f"nenhum dos campos de '{choice}' foi informado"))
    if not found:
        for column in rule_columns:
            found += _rule_problems(shape.tag, column, values.get(column), today)
    return found


def _fatal(rule: str, column: str, value: str | None, reason: str) -> MovementProblem:
    message = f"{field_label(column)}: {reason} (o XSD rejeita o arquivo inteiro)"
    return MovementProblem(Problem(rule, "error", message, column), value, True)


@lru_cache(maxsize=100_000)
def _rule_problems(movement: str, column: str, value: str | None, today: dt.date) -> tuple[MovementProblem, ...]:
    return tuple(
        MovementProblem(problem, value, False)
        for problem in validate_value(SBX_TABLE, movement, column, value, today=today)
        if problem.severity == "error"
    )
