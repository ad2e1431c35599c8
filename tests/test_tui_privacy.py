"""Mask mode in the console with Pilot at 80x24: F8 hides CPF, CNS and names in every grid,
the record view, copies, the editor, bulk previews and exports, and F8 again shows them;
`--mask` / SIBTUI_MASK=1 start masked. Values checked by hand against the sample month:
record 1:1 is MARIANA COSTA FERREIRA, CPF 28374615044 (valid check digits), CNS
209182736450006, mother REGINA COSTA FERREIRA."""

from __future__ import annotations

import csv
import stat

import pytest
from tui_helpers import FINDINGS_SQL, SIZE, grid_lines, make_app, press_settled, sample_workspace, settle

from sibtui import privacy
from sibtui.tui.screens.bulk import BulkScreen
from sibtui.tui.screens.edit_field import EditFieldScreen
from sibtui.tui.screens.export import ExportScreen
from sibtui.tui.screens.record_view import RecordScreen

NAME, NAME_MASKED = "MARIANA COSTA FERREIRA", "M. C. F."
CPF, CPF_MASKED = "28374615044", "*********44"
CNS, CNS_MASKED = "209182736450006", "*************06"


@pytest.fixture(autouse=True)
def mask_mode_off():
    """Each test starts with mask mode unset and leaves it so (it is process-wide)."""
    privacy.set_masking(None)
    yield
    privacy.set_masking(None)


@pytest.fixture
def loaded(tmp_path):
    return sample_workspace(tmp_path, FINDINGS_SQL)


def records_grid(app):
    return app.screen.query_one("#records-grid").grid


def bar(app) -> str:
    return app.screen.query_one("ModeBar").render().plain


class Clipboard:
    """Stands in for `App.copy_to_clipboard` (the OSC 52 write): what would be copied."""

    def __init__(self, app):
        self.copied: list[str] = []
        app.copy_to_clipboard = self.copied.append


async def open_records(pilot) -> None:
    await settle(pilot)
    await press_settled(pilot, "1")


async def test_f8_masks_the_records_grid_and_f8_again_shows_it(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await press_settled(pilot, *["right"] * 6)  # to the cpf column: name and CPF on screen
        shown = "\n".join(grid_lines(records_grid(app)))
        assert NAME in shown and CPF in shown and bar(app).startswith(" sibtui ")
        await press_settled(pilot, "f8")
        shown = "\n".join(grid_lines(records_grid(app)))
        assert NAME not in shown and CPF not in shown
        assert NAME_MASKED in shown and CPF_MASKED in shown
        assert records_grid(app).shown_row()["cns"] == CNS_MASKED  # off screen to the right at 80 columns
        assert records_grid(app).shown_row()["movement"] == "inclusao" and "0000200001" in shown  # not personal
        assert bar(app).startswith(" MÁSCARA") and app.masked and privacy.masking_enabled()
        await press_settled(pilot, "f8")
        shown = "\n".join(grid_lines(records_grid(app)))
        assert NAME in shown and CPF in shown and NAME_MASKED not in shown
        assert bar(app).startswith(" sibtui ") and not privacy.masking_enabled()


async def test_mask_mode_set_before_the_console_starts_it_masked(loaded, monkeypatch):
    """`SIBTUI_MASK=1`; `sibtui --mask` sets the same switch (privacy.set_masking) before the app."""
    monkeypatch.setenv(privacy.MASK_ENV, "1")
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        assert app.masked and bar(app).startswith(" MÁSCARA")
        shown = "\n".join(grid_lines(records_grid(app)))
        assert NAME_MASKED in shown and NAME not in shown
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert commands["Mascarar"] == "tecla f8"  # the palette entry


async def test_copies_follow_mask_mode(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        clipboard = Clipboard(app)
        await open_records(pilot)
        await press_settled(pilot, *["right"] * 6, "y", "Y")
        assert clipboard.copied[0] == CPF and NAME in clipboard.copied[1].split("\t")
        await press_settled(pilot, "f8", "y", "Y")
        assert clipboard.copied[2] == CPF_MASKED
        row = clipboard.copied[3].split("\t")
        assert NAME_MASKED in row and CPF_MASKED in row and NAME not in row and CPF not in clipboard.copied[3]
        assert "inclusao" in row
        assert "cpf copiado · mascarado" in [str(toast.message) for toast in app._notifications]


async def test_a_findings_value_is_masked_only_where_its_field_is_personal(tmp_path):
    sql = FINDINGS_SQL + """;
    INSERT INTO findings SELECT file_id, 7, 'sbx_movements', 'sexo', 'sexo_invalid', 'error', 'Sexo inválido', '9'
    FROM files WHERE name LIKE '%101500.SBX'"""
    app = make_app(sample_workspace(tmp_path, sql))
    async with app.run_test(size=SIZE) as pilot:
        clipboard = Clipboard(app)
        await settle(pilot)
        await press_settled(pilot, "5", "f8")
        app.screen.query_one("#sql-editor").text = "select field, value from findings order by record_no"
        await press_settled(pilot, "f5")
        grid = app.screen.query_one("#sql-results").grid
        assert grid.view.total == 4  # cns_missing (record 2, NULL), cns (5), nome (6), sexo (7)
        grid.focus()
        await press_settled(pilot, "right")
        values = []
        for _ in range(4):
            await press_settled(pilot, "y", "down")
            values.append(clipboard.copied[-1])
        assert values == ["", "****", "[.", "9"]  # NULL stays empty; 1234 (cns), [SILVA] (nome); sexo as is


async def test_sql_results_masked_by_content_and_by_column_name(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5", "f8")
        app.screen.query_one("#sql-editor").text = (
            "select cpf as x, upper(nome), codigoBeneficiario as y from sbx_movements where file_id = 1 and record_no = 1"
        )
        await press_settled(pilot, "f5")
        grid = app.screen.query_one("#sql-results").grid
        # masked at the source: even the rows the grid holds never saw the person
        assert grid.current_row() == {"x": CPF_MASKED, "upper(nome)": NAME_MASKED, "y": "0000200001"}
        assert grid.shown_row() == {"x": CPF_MASKED, "upper(nome)": NAME_MASKED, "y": "0000200001"}
        lines = "\n".join(grid_lines(grid))
        assert CPF_MASKED in lines and NAME not in lines and CPF not in lines


async def test_sql_result_read_unmasked_is_dropped_when_mask_mode_comes_on(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5")
        app.screen.query_one("#sql-editor").text = "select cpf as x, nome as y from sbx_movements"
        await press_settled(pilot, "f5")
        grid = app.screen.query_one("#sql-results").grid
        assert grid.current_row() is not None
        await press_settled(pilot, "f8")
        assert grid.current_row() is None and "F5 executa de novo" in grid.message
        await press_settled(pilot, "f5")
        assert grid.current_row()["x"] != CPF and CPF not in "\n".join(grid_lines(grid))


async def test_record_view_masks_values_labels_and_copies_and_redraws_on_f8(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        clipboard = Clipboard(app)
        await open_records(pilot)
        await press_settled(pilot, "f8", "enter")
        record = app.screen
        assert isinstance(record, RecordScreen)
        fields = record.query_one("#record-fields")

        def values() -> dict[str, str]:
            return {str(row.key.value): fields.get_row(row.key)[1].plain for row in fields.rows.values()}

        assert values()["cpf"] == CPF_MASKED and values()["nome"] == NAME_MASKED
        assert values()["nomeMae"] == "R. C. F." and values()["dataNascimento"] == "****-**-**"
        assert values()["sexo"] == "3  Feminino" and "complemento" not in values()  # absent: collapsed
        sides = record.query_one("#record-sides")
        side_text = " ".join(cell.plain for key in sides.rows for cell in sides.get_row(key))
        assert CPF not in side_text and NAME not in side_text
        assert record.select_field("cpf")
        await press_settled(pilot, "y", "Y")
        assert clipboard.copied[0] == CPF_MASKED
        assert f"nome={NAME_MASKED}" in clipboard.copied[1].splitlines() and CPF not in clipboard.copied[1]
        await press_settled(pilot, "f8")
        assert values()["cpf"] == CPF and values()["nome"] == NAME


async def test_editor_masks_the_current_value_and_hides_the_input(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await press_settled(pilot, *["right"] * 5, "e")  # nome of 1:1, mask mode off
        dialog = app.screen
        assert isinstance(dialog, EditFieldScreen) and dialog.column == "nome"
        assert str(dialog.query_one("#edit-current").render()) == f"atual: {NAME}"
        assert not dialog.query_one("#edit-value").password
        await press_settled(pilot, "escape", "f8", "e")
        dialog = app.screen
        assert str(dialog.query_one("#edit-current").render()) == f"atual: {NAME_MASKED}"
        field = dialog.query_one("#edit-value")
        assert field.password and field.value == NAME  # there to edit, not on screen
        assert "valor oculto pela máscara" in str(dialog.query_one("#edit-hint").render())


async def test_bulk_preview_shows_old_and_new_masked(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("f", *"cpf = " + CPF, "enter")
        await settle(pilot)
        assert records_grid(app).total == 1
        await press_settled(pilot, "f8")
        status = str(app.screen.query_one(".grid-status").render())
        assert f"filtro: cpf = {CPF_MASKED}" in status and CPF not in status
        await press_settled(pilot, "b")
        assert isinstance(app.screen, BulkScreen)
        await press_settled(pilot, "enter")  # "Definir um campo"
        await pilot.press(*"nome = FULANO DE TAL", "enter")
        await settle(pilot)
        preview = str(app.screen.query_one("#bulk-preview").render())
        assert "nome: M. C. F. → F. D. T." in preview and "FULANO" not in preview and NAME not in preview


async def test_export_in_mask_mode_writes_a_masked_owner_only_file(loaded, tmp_path):
    app = make_app(loaded)
    target = tmp_path / "mascarado.csv"
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await press_settled(pilot, "f8", "x")
        assert isinstance(app.screen, ExportScreen)
        assert "dados pessoais mascarados" in str(app.screen.query_one("#export-title").render())
        app.screen.query_one("#export-path").value = str(target)
        await press_settled(pilot, "enter")
    rows = list(csv.DictReader(target.read_text(encoding="latin-1").splitlines(), delimiter=";"))
    first = next(row for row in rows if row["file_id"] == "1" and row["record_no"] == "1")
    assert first["nome"] == NAME_MASKED and first["cpf"] == CPF_MASKED and first["cns"] == CNS_MASKED
    assert first["movement"] == "inclusao" and len(rows) == 27
    assert NAME not in target.read_text(encoding="latin-1")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_drill_pending_and_cns_grids_are_masked(tmp_path):
    from datetime import date

    from sibtui.edit import editor
    from sibtui.edit.records import RecordRef
    from sibtui.workspace import Workspace

    path = sample_workspace(tmp_path, FINDINGS_SQL)
    with Workspace(path) as workspace:
        cursor = workspace.cursor()
        editor.set_fields(cursor, RecordRef(1, 1), {"nome": "MARIANA COSTA FERREIRA SOUZA"}, force=True,
                          today=date(2026, 12, 1))
        cursor.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "f8", "f4")
        grid = app.screen.query_one("#pending-grid").grid
        row = grid.shown_row()
        assert row["field"] == "nome" and row["original"] == NAME_MASKED and row["current"] == "M. C. F. S."
        assert "SOUZA" not in "\n".join(grid_lines(grid))
        await press_settled(pilot, "escape", "3", "down", "enter")  # CNS: cns_invalid, our CNS beside the CNX's
        grid = app.screen.query_one("#drill-grid").grid
        stored, shown = grid.current_row(), grid.shown_row()
        assert stored["record_no"] == shown["record_no"] == 5 and "cnx_cns" in stored
        assert shown["cns"] == "*************07" and shown["nome"] != stored["nome"]
        assert stored["cnx_cns"] is None or shown["cnx_cns"] != stored["cnx_cns"]


async def test_a_change_of_one_kind_masks_its_values_as_that_field(loaded):
    """The Changes drill hides `field` when every row has the same one: a cancellation still
    reads ATIVO → INATIVO masked, a CNS assigned keeps its last two digits."""
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "6", "f8", "down", "down", "enter")  # Cancelado (ATIVO → INATIVO)
        grid = app.screen.query_one("#drill-grid").grid
        assert "field" not in grid.view.column_names
        shown, stored = grid.shown_row(), grid.current_row()
        assert (shown["old_value"], shown["new_value"]) == ("ATIVO", "INATIVO")
        assert shown["nome"] != stored["nome"] and shown["nome"].endswith(".")
        await press_settled(pilot, "escape", "down", "down", "enter")  # CNS atribuído (vazio → valor)
        grid = app.screen.query_one("#drill-grid").grid
        shown, stored = grid.shown_row(), grid.current_row()
        assert stored["old_value"] is None and len(stored["new_value"]) == 15
        assert shown["old_value"] is None and shown["new_value"] == "*" * 13 + stored["new_value"][-2:]
