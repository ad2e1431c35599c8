"""The pre-critique of what will be sent: the loaded movements, edits applied, and the
movements the edits of CNX and transfer records will become (`sibtui.edit.regen.cnx_plan`).

`sibtui.rules.engine` judges any relation of movements and knows nothing of edits; this
adds the planned ones, so `sibtui check`, the console and scripts judge the same things.
"""

from __future__ import annotations

import datetime as dt

from sibtui.edit.records import CNX_TABLE, TRANSFER_TABLE
from sibtui.edit.regen.cnx_plan import planned_sql
from sibtui.rules import engine
from sibtui.rules.engine import Cancel, CheckReport, Planned, Progress

_SOURCES = (("CNX", CNX_TABLE), ("transferência", TRANSFER_TABLE))

__all__ = ["CheckReport", "run_checks"]


def run_checks(workspace, progress: Progress | None = None, cancel: Cancel | None = None,
               today: dt.date | None = None) -> CheckReport:
    """`sibtui.rules.engine.run_checks` over the loaded movements and those the edits of CNX and
    transfer records will become (each judged as the movements they will be)."""
    planned = tuple(Planned(label, table, f"SELECT * FROM ({planned_sql()}) WHERE source_table = '{table}'")
                    for label, table in _SOURCES)
    return engine.run_checks(workspace, progress, cancel, today, planned=planned)
