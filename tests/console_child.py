"""A console in a process of its own, driven line by line: one side of the multi-process tests.

`python tests/console_child.py WORKSPACE` runs the real `SibApp` under Pilot at 80x24 and
answers JSON commands read from stdin, one JSON line each on stdout:

- `{"op": "ready"}`: the workspace is open (says whether this console owns it);
- `{"op": "edit", "row": 4, "column": "cns", "value": "..."}`: `e` on that grid cell, the
  value typed, Enter (a confirmed edit); `"confirm": false` leaves the dialog open mid-edit;
- `{"op": "wait_cell", "row": 4, "column": "cns", "value": "...", "limit": 10}`: until the
  grid shows that value (the seconds it took) or the limit passes (the value it shows);
- `{"op": "wait_file", "name": "...", "limit": 10}`: until the cycle screen lists that SBX;
- `{"op": "quit"}`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui_helpers import SIZE, make_app, settle  # noqa: E402


def answer(**fields) -> None:
    print(json.dumps(fields), flush=True)


async def drive(path: Path) -> None:
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                return
            command = json.loads(line)
            operation = command.pop("op")
            if operation == "quit":
                answer(ok=True)
                return
            await OPERATIONS[operation](pilot, **command)


async def ready(pilot) -> None:
    app = pilot.app
    while app.workspace is None:
        await pilot.pause(0.05)
    await settle(pilot)
    await pilot.press("1")
    await settle(pilot)
    answer(ok=True, owner=type(app.workspace).__name__ == "Workspace", read_only=app.read_only)


def grid(pilot):
    return pilot.app.screen.query_one("#records-grid").grid


async def edit(pilot, row: int, column: str, value: str, confirm: bool = True) -> None:
    from sibtui.tui.screens.edit_field import EditFieldScreen

    await show_cell(pilot, row, column)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EditFieldScreen)
    await pilot.press("ctrl+u", *value)
    await settle(pilot)
    if confirm:
        await pilot.press("enter")
        await settle(pilot)
    answer(ok=True, pending=list(pilot.app.pending))


async def show_cell(pilot, row: int, column: str):
    table = grid(pilot)
    table.move_to(row)
    table.cursor_column = table.view.column_names.index(column)
    await pilot.pause()
    return table.current_row()[column]


async def wait_cell(pilot, row: int, column: str, value: str, limit: float) -> None:
    started = time.monotonic()
    shown = None
    while time.monotonic() - started < limit:
        await pilot.pause(0.05)
        if grid(pilot).preparing:
            continue
        shown = await show_cell(pilot, row, column)
        if shown == value:
            answer(seconds=round(time.monotonic() - started, 2))
            return
    answer(seconds=None, shown=shown)


async def wait_file(pilot, name: str, limit: float) -> None:
    app = pilot.app
    app.open_mode("cycle")
    started = time.monotonic()
    names: list[str] = []
    while time.monotonic() - started < limit:
        await pilot.pause(0.05)
        names = [row.sbx_name for row in getattr(app.screen, "rows", [])]
        if name in names:
            break
    seconds = round(time.monotonic() - started, 2) if name in names else None
    app.open_mode("records")
    await settle(pilot)
    answer(seconds=seconds, names=names)


OPERATIONS = {"ready": ready, "edit": edit, "wait_cell": wait_cell, "wait_file": wait_file}

if __name__ == "__main__":
    asyncio.run(drive(Path(sys.argv[1])))
