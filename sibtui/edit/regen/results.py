"""What a regeneration reports: the files written and what went into them (or why not)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sibtui.edit.regen.plan import SourcePlan
from sibtui.errors import SibError


class RegenerationCancelled(SibError):
    """The analyst cancelled; the files of the plan being written were discarded."""


@dataclass
class WrittenFile:
    path: Path
    part_no: int
    part_count: int
    movement_count: int
    hash: str
    sequencial: int
    moment: dt.datetime
    size_bytes: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Regeneration:
    """One plan carried out: the files written and what went into them."""

    plan: SourcePlan
    regeneration_id: int | None = None
    files: list[WrittenFile] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # (movement, why) -> movements
    edited_movements: int = 0
    edit_count: int = 0
    normalised_values: int = 0
    record_problems: list[str] = field(default_factory=list)  # will likely be rejected again
    record_problem_count: int = 0
    problems: list[str] = field(default_factory=list)  # why nothing was written (the first ones)
    problem_count: int = 0
    superseded: list[str] = field(default_factory=list)  # earlier files this one replaces (do not send them)
    kept: list[str] = field(default_factory=list)  # earlier files still to send, whose movements are not repeated

    @property
    def movement_count(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.files)


@dataclass
class RegenerateResult:
    regenerations: list[Regeneration] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, why nothing was written)
    skipped_plans: list[SourcePlan] = field(default_factory=list)  # their plans, with the notes
    recovered: list[str] = field(default_factory=list)  # what a killed regeneration left, and what was done

    @property
    def failed(self) -> list[Regeneration]:
        return [r for r in self.regenerations if r.problems]
