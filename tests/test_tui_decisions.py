"""Resend decisions in the console at 80x24, keyboard only: triage by error code, decide one
record and a whole code, F4 says what goes and what stays out, regenerate (the report
scrolls from the keyboard), and the Cycle card counts each movement once."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, make_app, press_settled, sample_workspace, settle

from sibtui.tui.screens.decide import DecisionScreen
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.pending import PendingScreen
from sibtui.tui.screens.record_view import RecordScreen
from sibtui.tui.screens.regenerate import RegenerateScreen


@pytest.fixture
def loaded(tmp_path):
    return sample_workspace(tmp_path)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def states(app) -> dict[int, tuple[str, str | None]]:
    from sibtui.edit.resend import state_rows

    cursor = app.new_cursor()
    try:
        return {row["record_no"]: (row["state"], row["reason"]) for row in state_rows(cursor, 1)}
    finally:
        cursor.close()


async def choose(pilot, option: int, reason: str | None) -> None:
    """In the decision dialog: the option (0 hold, 1 resend, 2 pendente), then the reason."""
    await pilot.press(*(["down"] * option), "enter")
    await settle(pilot)
    if reason is not None:
        await pilot.press(*reason, "enter")
    await settle(pilot)


async def test_a_cascade_is_linked_both_ways_and_a_record_decided_with_d(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "down", "enter")  # code 1802: the cascade and another dependent
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        line = text_of(drill, "#drill-resend")
        assert "1:4 Reenvio: vai com o titular (registro 3)" in line and "D decide os 2 listados" in line
        await press_settled(pilot, "enter")
        record = app.screen
        assert isinstance(record, RecordScreen) and record.key == ("sbx_movements", 1, 4)
        assert "titular: registro 3 (THIAGO BATISTA LOPES)" in text_of(record, "#record-resend")
        await press_settled(pilot, "a")
        assert "o titular, registro 3 (THIAGO BATISTA LOPES), foi rejeitado neste mesmo arquivo" in text_of(
            record, "#record-problems")  # the real cause of its 1802, not "titular unknown"
        await press_settled(pilot, "escape", "down", "d")
        assert isinstance(app.screen, DecisionScreen)
        await choose(pilot, 0, "titular inexistente; sai do plano")
        assert app.screen is drill
        assert states(app)[8] == ("nao_reenviar", "titular inexistente; sai do plano")
        await press_settled(pilot, "up")
        await press_settled(pilot, "enter")
        await press_settled(pilot, "escape", "up")  # back on 1:4; its titular's record shows the link back
        cursor = app.new_cursor()
        try:
            from sibtui.query.resend_view import resend_info

            titular = resend_info(cursor, 1, 3)
        finally:
            cursor.close()
        assert [d.record_no for d in titular.dependents] == [4]
        await press_settled(pilot, "u")  # the decision is an action like any edit: asked, then undone
        hint = str(app.screen.query_one("#undo-steps").render())
        assert "Decisão de reenvio" in hint and "não reenviar → pendente" in hint
        await press_settled(pilot, "enter")
        assert states(app)[8] == ("pendente", None)


async def test_a_whole_code_decided_then_f4_regenerate_and_the_cycle(loaded, tmp_path):
    out = tmp_path / "out"
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2")
        codes = app.screen.query_one("#error-codes")
        code = next(index for index, group in enumerate(app.screen.groups) if group.code == "1218")
        codes.move_cursor(row=code)
        await settle(pilot)
        assert "Reenvio: 1 pendente" in text_of(app.screen, "#error-detail")
        await press_settled(pilot, "D")
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("escape")  # nothing decided by leaving
        await settle(pilot)
        assert states(app)[10] == ("pendente", None)
        await press_settled(pilot, "D")
        await choose(pilot, 1, "data conferida com a ANS")
        assert states(app)[10] == ("como_esta", "data conferida com a ANS")
        assert app.screen.groups[app.screen.query_one("#error-codes").cursor_row].code == "1218"  # place kept
        await press_settled(pilot, "f4")
        pending = app.screen
        assert isinstance(pending, PendingScreen)
        summary = text_of(pending, "#pending-resend")
        assert "1 reenviar como está" in summary or "3 reenviar como está" in summary
        assert "9 sem decisão ficam fora do próximo SBX (tela 2: Enter lista, d decide)" in summary
        grid = pending.query_one("#pending-grid").grid
        assert grid.current_row()["field"] == "decisao_reenvio"
        await press_settled(pilot, "r")
        dialog = app.screen
        assert isinstance(dialog, RegenerateScreen)
        dialog.query_one("#regenerate-folder").value = str(out)
        await press_settled(pilot, "enter")
        report = text_of(dialog, "#regenerate-report")
        assert "9 sem decisão ficaram de fora" in report
        assert sorted(path.name for path in out.glob("*.SBX")) and all(n in report for n in
                                                                     (p.name for p in out.glob("*.SBX")))
        scroll = dialog.query_one("#regenerate-report-scroll")
        assert scroll.has_focus and scroll.max_scroll_y > 0  # a long report, and the keys reach it
        await press_settled(pilot, "pagedown")
        assert scroll.scroll_y > 0
        buttons = dialog.query_one("#regenerate-buttons").region
        assert buttons.bottom < SIZE[1]
        await press_settled(pilot, "escape", "escape", "0")
        card = str(app.screen.query_one("#cycle-files").get_option_at_index(0).prompt)
        assert "9 pendentes (sem decisão)" in card and "1 gerado em" in card
