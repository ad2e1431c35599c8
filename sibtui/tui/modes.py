"""The console's modes as data: key, name, title and where the screen lives.

The app, the top bar and the palette read this one table. Screens are named by module and
class, not imported, so a mode's module (and what it pulls in: DataTable, TextArea, DuckDB
read models) loads the first time the analyst opens it, never before the first frame.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class Mode:
    key: str
    name: str
    title: str
    module: str  # under sibtui.tui.screens
    screen_class: str

    def make_screen(self) -> Screen:
        module = importlib.import_module(f"sibtui.tui.screens.{self.module}")
        return getattr(module, self.screen_class)()


MODES: tuple[Mode, ...] = (
    Mode("0", "cycle", "Ciclo", "cycle", "CycleScreen"),
    Mode("1", "records", "Registros", "records", "RecordsScreen"),
    Mode("2", "errors", "Erros RPX", "errors", "ErrorsScreen"),
    Mode("3", "cns", "CNS", "cns", "CnsScreen"),
    Mode("4", "findings", "Achados", "findings", "FindingsScreen"),
    Mode("5", "sql", "SQL", "sql", "SqlScreen"),
    Mode("6", "changes", "Mudanças", "changes", "ChangesScreen"),
)
MODES_BY_NAME: dict[str, Mode] = {mode.name: mode for mode in MODES}
