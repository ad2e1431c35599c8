"""Quitting the console while a worker still runs a query: the workspace closes after it.

`on_unmount` used to close the workspace under a worker that still held a cursor: DuckDB
refused (a ResourceInUse error in the worker and at exit), seen under CPU load. Now the app
interrupts the workers' queries, waits until every cursor handed out is closed, then closes.
"""

from __future__ import annotations

import time

import duckdb
import pytest
from tui_helpers import SIZE, make_app, sample_workspace, settle

NEVER_ENDS = "select sum(a.range * b.range) from range(2000000) a, range(2000000) b"


@pytest.fixture
def loaded(tmp_path):
    return sample_workspace(tmp_path)


async def test_quitting_during_a_query_closes_the_workspace_after_the_worker(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#sql-editor").text = NEVER_ENDS
        await pilot.press("f5")
        for _ in range(300):
            await pilot.pause(0.01)
            if screen.running and app.workspace.busy_cursors():
                break
        assert screen.running and app.workspace.busy_cursors() == 1
        workspace = app.workspace
        started = time.monotonic()
        app.exit()
    assert time.monotonic() - started < 10  # interrupted, not waited out
    assert workspace.busy_cursors() == 0
    with pytest.raises(duckdb.ConnectionException):
        workspace.connection.execute("SELECT 1")  # closed, cleanly
