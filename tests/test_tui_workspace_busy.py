"""The console when another sibtui holds the workspace, against real child processes
stopped at a crash point (tests/crash): while a `sibtui load` writes, the console quits
with one error line and exit 1, no traceback; while a `sibtui query` reads, it opens
read-only, says so, browses every screen, and refuses (with a message) what would write."""

from __future__ import annotations

import pytest
from corpus.workspaces import snapshot_file
from crash.harness import start
from tui_helpers import SIZE, make_app, press_settled, settle

from sibfiles import CANCELAMENTO, header, sbx, write
from sibtui import cli
from sibtui.errors import WorkspaceBusy
from sibtui.tui.app import SibApp
from sibtui.tui.read_only import READ_ONLY_REFUSAL
from sibtui.tui.screens.edit_field import EditFieldScreen
from sibtui.tui.screens.pending import PendingScreen
from sibtui.tui.screens.regenerate import RegenerateScreen

GUARD_ROUNDS = 1500  # x 20 ms: a hang guard should the console not quit, not a timing assertion


@pytest.fixture
def new_sbx(tmp_path):
    return write(tmp_path, "99999720261201101500.SBX", sbx(CANCELAMENTO * 12, head=header(sequencial="40")))


def test_while_another_sibtui_changes_it_the_console_quits_with_one_line(analyst, new_sbx, tmp_path, monkeypatch,
                                                                        capsys):
    """Through the command line, as `sibtui --db W` runs it (headless: no terminal in a test)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # `sibtui` remembers the last workspace
    apps: list[SibApp] = []
    original_run = SibApp.run

    async def guard(pilot) -> None:
        for _ in range(GUARD_ROUNDS):
            if pilot.app.exit_error is not None or pilot.app.workspace is not None:
                return
            await pilot.pause(0.02)

    def headless_run(self, **options):
        apps.append(self)
        return original_run(self, headless=True, size=SIZE, auto_pilot=guard)

    monkeypatch.setattr(SibApp, "run", headless_run)
    import sys

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)  # as on an analyst's terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    holder = start("after-insert:1", "load", "--db", str(analyst), "--quiet", str(new_sbx), scratch=tmp_path / "c")
    holder.wait()
    try:
        assert cli.main(["--db", str(analyst)]) == 1
    finally:
        assert holder.release() == 0, holder.output()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    assert lines[0].startswith(f"sibtui: error: {analyst}: workspace is in use by another sibtui")
    assert f"process {holder.process.pid}, sibtui load" in lines[0] and "wait for that one to end" in lines[0]
    (app,) = apps
    assert isinstance(app.exit_error, WorkspaceBusy) and app.exit_error.holder_writes and app.workspace is None


def refusals(app) -> int:
    return sum(str(toast.message) == READ_ONLY_REFUSAL for toast in app._notifications)


def error_toasts(app) -> list[str]:
    return [str(toast.message) for toast in app._notifications if toast.severity == "error"]


async def test_while_another_sibtui_reads_it_the_console_browses_read_only(analyst, new_sbx, tmp_path):
    before = snapshot_file(analyst)
    reader = start("before-query", "query", "--db", str(analyst), "select 1", scratch=tmp_path / "c")
    reader.wait()
    try:
        app = make_app(analyst, [new_sbx])
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.read_only and app.screen.query_one("ModeBar").render().plain.startswith(" LEITURA")
            (notice,) = [str(toast.message) for toast in app._notifications if toast.title == "somente leitura"]
            assert notice.startswith("somente leitura") and f"processo {reader.process.pid}, sibtui query" in notice
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
    finally:
        assert reader.release() == 0, reader.output()
    assert snapshot_file(analyst) == before
