"""A realistic month of SIB files for judging the pre-critique: CNX before, SBX, and ANS's RPX.

`build_month(folder, seed)` writes the three files and returns what was planned: every
movement with the fault it carries and the rule expected to flag it, and ANS's verdict on
it. The RPX comes from `ans.Ans`, a model of ANS's processing written from the regulation
and `criticas.md`, sharing no code with sibtui's rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from realistic_month.ans import Ans, Outcome
from realistic_month.files import write_cnx, write_rpx, write_sbx
from realistic_month.people import Identities, portfolio
from realistic_month.plan import Planned, plan_month

CNX_NAME = "ArqConf9999970920261001.CNX"
SBX_NAME = "99999720261103101500.SBX"
RPX_NAME = "99999720261105031244.RPX"


@dataclass
class Month:
    cnx: Path
    sbx: Path
    rpx: Path
    movements: list[Planned]  # in SBX order: record_no = index + 1
    outcomes: list[Outcome]  # ANS's verdict on each movement, same order


def build_month(folder: Path, seed: int = 19, *, families: int = 900, scale: int = 1, faults: int = 6,
                messages: dict[str, tuple[str, str]] | None = None) -> Month:
    """Write the month under `folder`. `messages` overrides ANS's (field label, message) per code."""
    ids = Identities(random.Random(seed))
    vinculos = portfolio(ids, families)
    movements = plan_month(ids, vinculos, scale, faults)
    outcomes = Ans(vinculos).process([planned.values for planned in movements])
    folder.mkdir(parents=True, exist_ok=True)
    month = Month(folder / CNX_NAME, folder / SBX_NAME, folder / RPX_NAME, movements, outcomes)
    write_cnx(month.cnx, vinculos)
    write_sbx(month.sbx, movements)
    write_rpx(month.rpx, SBX_NAME, movements, outcomes, messages or {})
    return month
