"""Editing in the console with Pilot at 80x24: a field checked as it is typed, refused when
invalid unless forced, marked once saved; undo and redo keys; a bulk action previewed then
written as one action; the pending changes; regeneration with its report and diff."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, make_app, press_settled, sample_workspace, settle

from sibtui.edit.editor import history
from sibtui.tui.screens.bulk import BulkScreen
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.edit_field import EditFieldScreen
from sibtui.tui.screens.pending import PendingScreen
from sibtui.tui.screens.record_view import RecordScreen
from sibtui.tui.screens.regenerate import RegenerateScreen

VALID_CNS = "209182736460001"  # base 20918273646 + 000 + 1: sum of digit x weight (15..1) is 0 mod 11
INVALID_CNS = "209182736450007"  # record 5 of the first SBX carries it (ANS error 0701)


@pytest.fixture
def loaded(tmp_path):
    return sample_workspace(tmp_path)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def open_cns_of_record_5(pilot):
    """Errors (2), code 0701, its first record (1:5), the CNS line of its fields."""
    app = pilot.app
    await settle(pilot)
    await press_settled(pilot, "2", "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    record = app.screen
    assert isinstance(record, RecordScreen) and record.key == ("sbx_movements", 1, 5)
    assert record.select_field("cns")
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, EditFieldScreen)
    return record


async def type_value(pilot, value: str) -> None:
    await pilot.press("ctrl+u", *value)
    await settle(pilot)


def journal(app):
    cursor = app.new_cursor()
    try:
        return history(cursor)
    finally:
        cursor.close()


def cns_findings(app, record_no: int) -> int:
    cursor = app.new_cursor()
    try:
        return cursor.execute("SELECT count(*) FROM findings WHERE file_id = 1 AND record_no = ? AND field = 'cns'",
                              [record_no]).fetchall()[0][0]
    finally:
        cursor.close()


async def test_a_field_is_checked_as_typed_saved_marked_and_findings_follow(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        record = await open_cns_of_record_5(pilot)
        dialog = app.screen
        assert "dígito verificador não confere" in text_of(dialog, "#edit-check")  # the value ANS refused
        await type_value(pilot, VALID_CNS)
        assert "✓ válido" in text_of(dialog, "#edit-check")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is record and app.pending == (1, 1)
        assert record.edited == {"cns": INVALID_CNS}
        fields = record.query_one("#record-fields")
        assert fields.get_row("cns")[1].plain.startswith(f"✎ {VALID_CNS}  era {INVALID_CNS}")
        assert [action.action for action in journal(app)] == ["set"]
        assert cns_findings(app, 5) == 0  # the checks ran again after the edit
        await press_settled(pilot, "u", "enter")
        assert app.pending == (0, 0) and cns_findings(app, 5) == 1  # undone: the finding is back
        await press_settled(pilot, "U", "enter")
        assert app.pending == (1, 1) and cns_findings(app, 5) == 0


async def test_an_invalid_value_is_refused_until_forced_with_a_deliberate_key(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_cns_of_record_5(pilot)
        dialog = app.screen
        await type_value(pilot, "12345")
        await press_settled(pilot, "enter")
        assert app.screen is dialog and journal(app) == []
        assert "Ctrl+F grava assim mesmo" in text_of(dialog, "#edit-check")
        await press_settled(pilot, "enter")  # a reflexive second Enter never forces
        assert app.screen is dialog and journal(app) == []
        await press_settled(pilot, "ctrl+f")
        assert not isinstance(app.screen, EditFieldScreen)
        assert len(journal(app)) == 1
        cursor = app.new_cursor()
        try:
            saved = cursor.execute("SELECT new_value, forced FROM edit_journal").fetchall()
        finally:
            cursor.close()
        assert saved == [("12345", True)]  # the journal says it was saved against the rules


async def test_the_value_opens_selected_and_punctuation_leaves_digit_fields(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        record = await open_cns_of_record_5(pilot)
        field = app.screen.query_one("#edit-value")
        assert field.selected_text == INVALID_CNS  # typing replaces the value
        await press_settled(pilot, "escape")
        record.select_field("cpf")
        await press_settled(pilot, "e")
        dialog = app.screen
        await press_settled(pilot, *"309.067.648-66")  # typed (or pasted) over the selected value
        assert dialog.query_one("#edit-value").value == "30906764866"
        assert "✓ válido" in text_of(dialog, "#edit-check")


async def test_a_domain_field_offers_its_codes_at_once(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        record = await open_cns_of_record_5(pilot)
        await press_settled(pilot, "escape")
        record.select_field("sexo")
        await press_settled(pilot, "e")
        choices = app.screen.query_one("#edit-choices")
        assert choices.display and choices.option_count == 2
        assert "Feminino" in str(choices.get_option_at_index(1).prompt)
        await press_settled(pilot, "tab", "down", "enter")
        assert app.screen.query_one("#edit-value").value == "3"


async def test_editing_a_grid_cell_marks_exactly_that_cell(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        grid = app.screen.query_one("#records-grid").grid
        grid.move_to(4)  # record 1:5
        grid.cursor_column = grid.view.column_names.index("cns")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditFieldScreen) and app.screen.current == INVALID_CNS
        await type_value(pilot, VALID_CNS)
        await pilot.press("enter")
        await settle(pilot)
        assert grid.cursor_row == 4  # the grid came back where it was
        assert grid.current_row()["cns"] == VALID_CNS
        assert grid.is_marked(4, "cns") and not grid.is_marked(4, "nome") and not grid.is_marked(5, "cns")
        assert "✎ 1 alteração (F4)" in text_of(app.screen, ".grid-status")


async def test_bulk_set_is_previewed_then_written_as_one_action(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "enter")  # the records ANS rejected with 0701 (1:5 and 1:6)
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        await pilot.press("b")
        await settle(pilot)
        bulk = app.screen
        assert isinstance(bulk, BulkScreen) and bulk.total == 2
        await pilot.press("enter")  # "Definir um campo"
        await pilot.press(*f"cns = {VALID_CNS}", "enter")
        await settle(pilot)
        assert bulk.preview is not None and bulk.preview.changed_records == 2 and journal(app) == []
        assert "2 registros mudam (2 campos)" in text_of(bulk, "#bulk-preview")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, BulkScreen)
        (action,) = journal(app)
        assert action.action == "bulk-set" and app.pending == (2, 2)


async def test_a_bulk_value_the_rules_refuse_is_left_out(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "enter", "b", "enter")
        await pilot.press(*"cns = 12345", "enter")
        await settle(pilot)
        bulk = app.screen
        assert bulk.preview.changes == [] and len(bulk.preview.refused) == 2
        assert "✗ 1:5 cns = 12345" in text_of(bulk, "#bulk-preview")
        await pilot.press("enter")  # nothing to write: Enter does nothing
        await settle(pilot)
        assert app.screen is bulk and journal(app) == []


async def test_pending_changes_then_regenerate_with_report_and_diff(loaded, tmp_path):
    app = make_app(loaded)
    out = tmp_path / "out"
    async with app.run_test(size=SIZE) as pilot:
        await open_cns_of_record_5(pilot)
        await type_value(pilot, VALID_CNS)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, PendingScreen)
        grid = app.screen.query_one("#pending-grid").grid
        assert grid.total == 1
        row = grid.current_row()
        assert (row["field"], row["original"], row["current"]) == ("cns", INVALID_CNS, VALID_CNS)
        assert "1 campo alterado em 1 registro" in text_of(app.screen, "#pending-summary")
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RegenerateScreen)
        dialog.query_one("#regenerate-folder").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        report = text_of(dialog, "#regenerate-report")
        written = sorted(path.name for path in out.glob("*.SBX"))
        assert len(written) == 2 and all(name in report for name in written)
        assert "1 edições em 1 movimentos" in report
        buttons = dialog.query_one("#regenerate-buttons").region
        assert buttons.height == 3 and buttons.bottom < SIZE[1]  # a long report scrolls; Fechar stays on screen
        await pilot.press("d")
        await settle(pilot)
        diff = app.screen.query_one("#drill-grid").grid
        rows = diff.view.window(app.new_cursor(), 0, 50)
        names = diff.view.column_names
        edited = [r for r in rows if r[names.index("why")] == "edit"]
        assert [(r[names.index("field")], r[names.index("corrected")]) for r in edited] == [("cns", VALID_CNS)]
        await press_settled(pilot, "escape", "escape", "escape", "0")  # the Cycle follows the movements
        await settle(pilot)
        first_card = str(app.screen.query_one("#cycle-files").get_option_at_index(0).prompt)
        assert f"1 gerado em {written[0]}" in first_card


async def test_a_field_that_cannot_change_says_so_and_takes_no_value(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await press_settled(pilot, "2", "enter", "enter")
        record = app.screen
        record.query_one("#record-fields").move_cursor(row=0)  # movement: the element itself, not a value
        await press_settled(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, EditFieldScreen) and dialog.query_one("#edit-value").disabled
        assert "não se edita aqui" in text_of(dialog, "#edit-hint")
        await press_settled(pilot, "escape")
        assert app.screen is record and journal(app) == []
