"""The Cycle and Changes screens with Pilot at 80x24: the Cycle is home when several files
are loaded (and not with one), Enter on a card opens that RPX's errors, the Changes screen
counts what `sibtui diff` counts, lists the CCOs of a kind, opens the record with the two
conferences side by side, and says why when there is nothing to compare."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, make_app, press_settled, sample_workspace, settle

from conftest import SAMPLE_DIR
from sibtui.tui.modes import MODES
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.picker import PickScreen
from sibtui.tui.screens.record_view import RecordScreen
from sibtui.tui.widgets.mode_bar import ModeBar, mode_spans

OLD_CNX = "ArqConf9999970920261001.CNX"


@pytest.fixture
def loaded(tmp_path):
    return sample_workspace(tmp_path)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_cycle_is_home_with_the_next_deadline_and_one_card_per_sbx(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == "cycle"
        top = text_of(app, "#cycle-deadline")
        # today 01/12/2026: day 1-5 still closes November, so the deadline is 05/12, 4 days away
        assert "Próximo prazo de envio 05/12/2026 · faltam 4 dias" in top
        assert "2 SBX · 13 movimentos a reenviar" in top  # 11 rejected + the 2 of the rejected file
        assert [row.sbx_name for row in app.screen.rows] == ["99999720261103101500.SBX", "99999720261104160000.SBX"]
        cards = app.screen.query_one("#cycle-files")
        assert cards.option_count == 2  # separators are not options
        first = str(cards.get_option_at_index(0).prompt)
        assert "11 rejeitados de 25" in first and "11 a reenviar até 05/12/2026" in first


async def test_one_file_opens_on_the_records(tmp_path):
    app = make_app(tmp_path / "one.duckdb", [SAMPLE_DIR / "99999720261103101500.SBX"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == "records"
        assert app.screen.query_one("#records-grid").grid.total == 25


async def test_enter_on_a_card_opens_the_errors_of_that_rpx(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "errors"
        assert app.screen.rpx_list[app.screen.rpx_index].name == "99999720261105031244.RPX"
        assert app.screen.groups[0].code == "0701"
        await press_settled(pilot, "0", "down", "enter")  # the file ANS rejected whole
        await settle(pilot)
        assert app.screen.rpx_list[app.screen.rpx_index].name == "99999720261105031530.RPX"
        assert "REJEITADO INTEIRO" in text_of(app, "#rpx-summary") and app.screen.groups == []


async def test_a_card_without_an_answer_opens_the_movements_of_that_sbx(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.rows[0].rpx_file_id = None  # as if its RPX had not come yet
        screen.query_one("#cycle-files").action_select()
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        grid = app.screen.query_one("#drill-grid").grid
        assert grid.total == 25 and "Movimentos do 99999720261103101500.SBX" in grid.spec.title
        count_line = text_of(app, "#drill-grid .grid-status")
        assert "1–" in count_line and "de 25" in count_line and "filtrado" not in count_line  # the SBX, no filter


async def test_changes_counts_are_those_of_sibtui_diff(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        counts = {count.kind: (count.rows, count.ccos) for count in app.screen.overview.counts}
        # read by hand from `sibtui diff` over the samples: 18 -> 25 vínculos
        assert counts["appeared"] == (8, 8) and counts["disappeared"] == (1, 1)
        assert counts["cancelled"] == (2, 2) and counts["field_changed"] == (14, 6)
        assert counts["cns_assigned"] == (1, 1) and counts["cns_removed"] == (0, 0)
        pair = text_of(app, "#changes-pair")
        assert OLD_CNX in pair and "01/10/2026" in pair and "10/11/2026" in pair
        assert "anterior: 1" in text_of(app, "#changes-detail")


async def test_enter_lists_a_kind_and_opens_old_and_new_side_by_side(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "6", "down", "down", "enter")  # cancelled
        await settle(pilot)
        grid = app.screen.query_one("#drill-grid").grid
        assert grid.total == 2
        assert grid.current_row()["cco"] == "455500017005"
        assert "field" not in grid.view.column_names  # always situacao for this kind
        await pilot.press("enter")
        await settle(pilot)
        record = app.screen
        assert isinstance(record, RecordScreen) and record.key[1:] == (6, 11)
        table = record.query_one("#record-conference")
        marked = {str(key.value) for key, row in table.rows.items() if table.get_row(key)[0].plain == "●"}
        # the diff reports these three for this CCO; dataAtualizacao moves too but is not a change
        assert marked == {"situacao", "motivoCancelamento", "dataCancelamento"}
        assert record.query_one("#record-tabs").active == "conference"


async def test_a_vinculo_that_disappeared_opens_the_older_conference(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "6", "down", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.key == ("cnx_beneficiaries", 5, 18)
        assert "sumiu" in text_of(app, "#record-conference-title")


async def test_nothing_to_compare_says_why(tmp_path):
    path = sample_workspace(tmp_path, f"DELETE FROM files WHERE name = '{OLD_CNX}'")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert app.screen.overview is None
        assert "need two CNX conferences to compare; the workspace holds 1" in text_of(app, "#changes-pair")
        assert not app.screen.query_one("#change-kinds").display


async def test_choosing_another_pair_orders_it_older_first(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "6", "p")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await press_settled(pilot, "down", "enter")  # the newer first...
        await settle(pilot)
        await pilot.press("enter")  # ...then the only other one
        await settle(pilot)
        assert app.screen.wanted == (5, 6) and app.screen.overview.pair.older.name == OLD_CNX


async def test_every_mode_has_a_key_on_the_bar_and_in_the_palette(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(ModeBar)
        assert bar.render().cell_len <= SIZE[0]
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        for mode in MODES:
            assert commands[mode.title] == f"tecla {mode.key}"
        start, _, name = mode_spans()[-1]
        await pilot.click(ModeBar, offset=(start + 1, 0))
        await settle(pilot)
        assert name == "changes" and app.current_mode == "changes"
