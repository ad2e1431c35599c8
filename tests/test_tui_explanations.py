"""The console under ANS's message: our hint labelled when ANS says otherwise, the team's explanation
written with `w` on the errors screen and shown there and in the record view (Pilot, 80x24)."""

from __future__ import annotations

from tui_helpers import SIZE, make_app, press_settled, sample_workspace, settle

from conftest import query
from sibtui.tui.hints import DIFFERS
from sibtui.tui.screens.explain_code import ExplainCodeScreen
from sibtui.tui.screens.record_view import RecordScreen
from sibtui.workspace import Workspace

# ANS's RPX says "required" where our catalogue explains 0701 as "invalid, a blank CNS is fine".
MISMATCH_SQL = "UPDATE rpx_rejections SET mensagemErro = 'CNS OBRIGATORIO PARA O TITULAR' WHERE codigoErro = '0701'"


def detail(app) -> str:
    return str(app.screen.query_one("#error-detail").render())


async def test_a_hint_ans_contradicts_is_labelled_then_the_team_writes_its_own(tmp_path):
    path = sample_workspace(tmp_path, MISMATCH_SQL)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2")
        assert app.screen.groups[0].code == "0701"
        shown = detail(app)
        assert DIFFERS in shown and "CNS OBRIGATORIO" in shown
        assert "omita a tag" not in shown  # the catalogue's fix would get the record rejected again
        other = next(index for index, group in enumerate(app.screen.groups) if group.code == "1802")
        app.screen.query_one("#error-codes").move_cursor(row=other)
        await settle(pilot)
        assert DIFFERS not in detail(app) and "Causa provável" in detail(app)
        app.screen.query_one("#error-codes").move_cursor(row=0)
        await press_settled(pilot, "w")
        assert isinstance(app.screen, ExplainCodeScreen)
        await pilot.press(*"CNS do titular exigido", "enter", *"Envie o CNS do cartao", "enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ErrorsScreen"
        shown = detail(app)
        assert "Explicação da equipe" in shown and "CNS do titular exigido" in shown and DIFFERS not in shown
        assert app.screen.groups[app.screen.query_one("#error-codes").cursor_row].code == "0701"
        await press_settled(pilot, "enter", "enter")
        assert isinstance(app.screen, RecordScreen)
        [rejection] = [r for r in app.screen.detail.rejections if r.code == "0701"]
        assert rejection.team is not None and rejection.hint_differs
    with Workspace(path) as workspace:
        assert query(workspace, "SELECT codigoErro, cause, fix, source FROM code_explanations") == [
            ("0701", "CNS do titular exigido", "Envie o CNS do cartao", "analyst")]


async def test_escape_leaves_the_team_explanation_as_it_was(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "w")
        await pilot.press(*"rascunho", "escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ErrorsScreen"
        assert "Explicação da equipe" not in detail(app)
