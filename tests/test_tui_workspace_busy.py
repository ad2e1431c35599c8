"""The console beside other sibtuis, against real child processes stopped at a crash point
(tests/crash): while a `sibtui load` writes, the console opens read-write through the
load's process, browses, and shows the file once it is loaded; asked `--read-only`, it
says so, browses every screen, and refuses (with a message) what would write."""

from __future__ import annotations

import pytest
from corpus.workspaces import snapshot_file
from crash.harness import start
from tui_helpers import SIZE, make_app, press_settled, settle

from sibfiles import CANCELAMENTO, header, sbx, write
from sibtui.shared_workspace.client import RemoteWorkspace
from sibtui.tui.read_only import READ_ONLY_REFUSAL
from sibtui.tui.screens.edit_field import EditFieldScreen
from sibtui.tui.screens.pending import PendingScreen
from sibtui.tui.screens.regenerate import RegenerateScreen

GUARD_ROUNDS = 1500  # x 20 ms: a hang guard should the console not quit, not a timing assertion


@pytest.fixture
def new_sbx(tmp_path):
    return write(tmp_path, "99999720261201101500.SBX", sbx(CANCELAMENTO * 12, head=header(sequencial="40")))


async def test_while_a_load_writes_the_console_opens_browses_and_then_sees_the_file(analyst, new_sbx, tmp_path):
    """The load's process serves the console; once the load commits, the console shows it
    without being reopened, and keeps working on the successor after the load's process ended."""
    holder = start("after-insert:1", "load", "--db", str(analyst), "--quiet", str(new_sbx), scratch=tmp_path / "c")
    holder.wait()
    app = make_app(analyst)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.workspace, RemoteWorkspace) and not app.read_only
            await press_settled(pilot, "1")
            panel = app.screen.query_one("#records-grid")
            assert panel.grid.total == 27 and error_toasts(app) == []
            await press_settled(pilot, "0")
            assert new_sbx.name not in cycle_names(app)
            assert holder.release() == 0, holder.output()
            for _ in range(GUARD_ROUNDS):
                await pilot.pause(0.02)
                if new_sbx.name in cycle_names(app):
                    break
            assert new_sbx.name in cycle_names(app)
            assert error_toasts(app) == []
    finally:
        holder.release()


async def test_while_a_query_alone_holds_the_file_the_console_says_whom_it_waits_for(analyst, tmp_path):
    """Not read-only, not an error: it waits for the reader, names it, and opens read-write after."""
    reader = start("before-query", "query", "--db", str(analyst), "select 1", scratch=tmp_path / "c")
    reader.wait()
    app = make_app(analyst)
    try:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(GUARD_ROUNDS):
                await pilot.pause(0.02)
                if waiting_toasts(app):
                    break
            (told,) = waiting_toasts(app)
            assert told == f"aguardando sibtui query (process {reader.process.pid}) liberar o workspace… (Esc desiste)"
            assert app.workspace is None
            assert reader.release() == 0, reader.output()
            for _ in range(GUARD_ROUNDS):
                await pilot.pause(0.02)
                if app.workspace is not None:
                    break
            await settle(pilot)
            assert not app.read_only and not isinstance(app.workspace, RemoteWorkspace)
            assert error_toasts(app) == []
    finally:
        reader.release()


def waiting_toasts(app) -> list[str]:
    return [str(toast.message) for toast in app._notifications if toast.title == "workspace em uso"]


def cycle_names(app) -> list[str]:
    return [row.sbx_name for row in app.screen.rows]


def refusals(app) -> int:
    return sum(str(toast.message) == READ_ONLY_REFUSAL for toast in app._notifications)


def error_toasts(app) -> list[str]:
    return [str(toast.message) for toast in app._notifications if toast.severity == "error"]


async def test_asked_read_only_the_console_browses_and_refuses_what_writes(analyst, new_sbx):
    before = snapshot_file(analyst)
    app = make_app(analyst, [new_sbx], read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.read_only and app.screen.query_one("ModeBar").render().plain.startswith(" LEITURA")
        (notice,) = [str(toast.message) for toast in app._notifications if toast.title == "somente leitura"]
        assert notice.startswith("somente leitura (--read-only)")
        assert "os arquivos pedidos não foram carregados" in notice
        for key in "023461":  # every screen reads and shows what it has (SQL at the end)
            await press_settled(pilot, key)
        assert error_toasts(app) == []
        panel = app.screen.query_one("#records-grid")
        assert panel.grid.total == 27  # the SBX given was not loaded
        assert panel.check_action("edit", ()) is None and app.screen.active_bindings["e"].enabled is False
        await press_settled(pilot, "e")
        assert not isinstance(app.screen, EditFieldScreen) and refusals(app) == 1
        await press_settled(pilot, "b", "u", "U")
        assert refusals(app) == 4
        await press_settled(pilot, "4", "c")
        assert refusals(app) == 5
        await press_settled(pilot, "f4")
        assert isinstance(app.screen, PendingScreen) and app.screen.query_one("#pending-grid").grid.total == 1
        await press_settled(pilot, "r")
        assert not isinstance(app.screen, RegenerateScreen) and refusals(app) == 6
        await press_settled(pilot, "escape", "5")
        app.screen.query_one("#sql-editor").text = "select count(*) from files"
        await press_settled(pilot, "f5")
        assert app.screen.query_one("#sql-results").grid.current_row() == {"count_star()": 6}
        assert error_toasts(app) == []
    assert snapshot_file(analyst) == before
