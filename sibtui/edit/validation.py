"""Checking a new value with the checker's own field rules, as the analyst types it.

There is one copy of the rules (`sibtui.rules.fields.validate_value`); this module only
decides which record type a value is checked as. A CNX edit is sent to ANS as a
retificação, so it must pass both the conference's rules and the retificação's (where
names are `st_no_pessoa`, stricter than the CNX's plain strings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sibtui.catalog.kinds import Movement
from sibtui.edit.records import CNX_TABLE, CONFERENCE_TABLES, SBX_TABLE
from sibtui.rules.fields import Problem, validate_value


@dataclass(frozen=True)
class ValueCheck:
    """Problems of one proposed value; `errors` refuse the edit unless forced."""

    value: str | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "error")

    @property
    def ok(self) -> bool:
        return not self.errors

    def message(self) -> str:
        """The rules' messages, for a refusal or a status line."""
        return "; ".join(p.message for p in self.problems)


def normalise_input(value: str | None) -> str | None:
    """An empty entry removes the element: empty optional elements are never sent (§1.5)."""
    return None if value is None or value == "" else value


def check_value(
    table: str, movement: str | None, column: str, value: str | None, today: dt.date | None = None
) -> ValueCheck:
    """Validate `value` for `column` of a record of `table` (and SBX `movement`)."""
    value = normalise_input(value)
    # A transfer's record has the conference's types (§1.3): judged as a CNX record.
    judged_as = CNX_TABLE if table in CONFERENCE_TABLES else table
    problems = list(validate_value(judged_as, movement, column, value, today=today))
    if table in CONFERENCE_TABLES:
        seen = {p.message for p in problems}
        for extra in validate_value(SBX_TABLE, Movement.RETIFICACAO.value, column, value, today=today):
            if extra.message not in seen:
                problems.append(extra)
    return ValueCheck(value, tuple(problems))
