"""An analyst's day at 80x24 with Pilot: where you are (the top bar, number keys), what a key
does (undo asks first, Portuguese words, feedback for `c`), what a drill-down and a record
show first, sort and headers, the export to XLSX, unambiguous toggles and the file picker."""

from __future__ import annotations

import openpyxl
from tui_helpers import SIZE, grid_lines, make_app, press_settled, sample_workspace, settle

from conftest import SAMPLE_DIR
from sibtui.ingest.loader import load_files
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.export import ExportScreen
from sibtui.tui.screens.open_file import OpenFileScreen
from sibtui.tui.screens.pending import PendingScreen
from sibtui.tui.screens.record_view import RecordScreen
from sibtui.tui.screens.undo_confirm import UndoConfirmScreen
from sibtui.tui.widgets.mode_bar import ModeBar
from sibtui.workspace import Workspace

LEADING_ZERO_CPF = "UPDATE sbx_movements SET cpf = '01234567890' WHERE record_no = 1"


def bar_text(app) -> str:
    return app.screen.query_one(ModeBar).render().plain


def drill_grid(app):
    return app.screen.query_one("#drill-grid").grid


async def test_the_top_bar_marks_the_screen_and_number_keys_always_reach_theirs(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2")
        assert "[2 Erros RPX]" in bar_text(app) and "[0 Ciclo]" not in bar_text(app)
        await press_settled(pilot, "enter", "enter", "f4")  # drill, record, pending: stacked
        assert isinstance(app.screen, PendingScreen)
        await press_settled(pilot, "1")
        assert app.current_mode == "records" and "[1 Registros]" in bar_text(app)
        await press_settled(pilot, "2")  # Erros RPX itself, not what was stacked on it
        assert app.current_mode == "errors" and len(app.screen_stack) == 1
        assert type(app.screen).__name__ == "ErrorsScreen"


async def test_an_error_drill_shows_key_field_ans_value_and_message_at_80_columns(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "enter")  # the first code: 0701, CNS
        assert isinstance(app.screen, DrillScreen)
        header, first = grid_lines(drill_grid(app))[:2]
        assert header.split()[:4] == ["Registro", "Cód.", "benef.", "CNS"]  # the field in error, ours now
        assert "Valor (ANS)" in header and "Mensagem ANS" in header
        assert first.count("209182736450007") == 2 and "CNS INVALIDO" in first


async def test_sort_keeps_its_column_and_h_shows_the_column_names(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "1", "right", "right", "s")
        grid = app.screen.query_one("#records-grid").grid
        assert grid.current_column == "movement" and grid.spec.sort[0].column == "movement"
        await press_settled(pilot, "s")  # the same column again: descending, not file_id
        assert grid.spec.sort[0].column == "movement" and grid.spec.sort[0].descending
        assert "Movimento" in grid_lines(grid)[0]
        await press_settled(pilot, "H")
        assert "movement" in grid_lines(grid)[0] and "Movimento" not in grid_lines(grid)[0]


async def test_the_record_view_leads_with_the_movements_own_fields_and_refreshes_after_an_edit(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "1")
        grid = app.screen.query_one("#records-grid").grid
        cancellation = next(position for position in range(grid.total)
                            if grid._row(position)[grid.view.column_names.index("movement")] == "cancelamento")
        grid.move_to(cancellation)
        await press_settled(pilot, "enter")
        record = app.screen
        assert isinstance(record, RecordScreen)
        fields = record.fields_table
        keys = [str(row.key.value) for row in fields.rows.values()]
        assert keys == ["movement", "cco", "dataCancelamento", "motivoCancelamento"]  # not 30 "ausente"
        await press_settled(pilot, "G")
        assert fields.cursor_row == fields.row_count - 1
        await press_settled(pilot, "g")
        assert fields.cursor_row == 0
        record.select_field("dataCancelamento")
        await press_settled(pilot, "e", "ctrl+u", *"2026-10-21", "enter")
        assert isinstance(app.screen, RecordScreen)
        value = fields.get_row("dataCancelamento")[1].plain
        assert value.startswith("✎ 2026-10-21  era ")  # shown at once, without reopening


async def test_undo_names_what_it_undoes_and_a_stray_key_keeps_the_edit(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "1", *["right"] * 5, "e", "ctrl+u", *"MARIA TESTE", "enter")
        assert app.pending == (1, 1)
        await press_settled(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, UndoConfirmScreen)
        said = str(dialog.query_one("#undo-steps").render())
        assert "registro 1" in said and "Nome" in said and "MARIA TESTE →" in said
        await press_settled(pilot, "x")  # a letter typed by mistake closes it: nothing undone
        assert not isinstance(app.screen, UndoConfirmScreen) and app.pending == (1, 1)
        await press_settled(pilot, "u", "enter")
        assert app.pending == (0, 0)


async def test_portuguese_palette_and_quit_hint(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Próximo elemento" in titles and "Focus Next" not in titles and "Quit" not in titles
        await press_settled(pilot, "ctrl+p")
        assert app.screen.query_one("Input").placeholder == "Buscar ações…"
        said = []
        original = app.notify
        app.notify = lambda message, *args, **kwargs: (said.append(str(message)), original(message, *args, **kwargs))
        await press_settled(pilot, "escape", "ctrl+c")
        assert any("q sai do sibtui" in message for message in said)


async def test_c_says_it_runs_and_what_it_found(tmp_path):
    app = make_app(sample_workspace(tmp_path), today=None)
    said = []
    original = app.notify
    app.notify = lambda message, *args, **kwargs: (said.append(str(message)), original(message, *args, **kwargs))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "4", "c")
        messages = said  # every toast, however short-lived (a slow machine outlasts them)
        assert any(message.startswith("pré-crítica rodando") for message in messages)
        assert any(message.startswith("pré-crítica: ") and "achados de erro" in message for message in messages)
        summary = str(app.screen.query_one("#findings-summary").render())
        assert summary.startswith("Erros: ") and " achados em " in summary and " registros" in summary


async def test_export_to_xlsx_keeps_cpf_leading_zeros_and_toggles_read_without_colour(tmp_path):
    app = make_app(sample_workspace(tmp_path, LEADING_ZERO_CPF))
    target = tmp_path / "registros.xlsx"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "1", "x")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert str(dialog.query_one("#format-xlsx").render()).startswith("(•) XLSX")
        assert str(dialog.query_one("#format-csv").render()).startswith("( ) CSV")
        assert str(dialog.query_one("#export-brazilian").render()).startswith("[x] ")
        dialog.query_one("#export-path").value = str(target)
        await press_settled(pilot, "ctrl+o")
    sheet = openpyxl.load_workbook(target).active
    header, first, *_ = list(sheet.iter_rows(values_only=True))
    assert first[header.index("cpf")] == "01234567890"


async def test_the_file_picker_loads_a_file_from_the_console(tmp_path):
    path = tmp_path / "w.duckdb"
    with Workspace(path) as workspace:
        assert all(outcome.report for outcome in load_files(workspace, [SAMPLE_DIR / "99999720261103101500.SBX"]))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")  # the folder tree reads folders in a worker that lives with it: no settle here
        await pilot.pause(0.2)
        picker = app.screen
        assert isinstance(picker, OpenFileScreen)
        picker.query_one("#open-path").value = str(SAMPLE_DIR / "99999720261105031244.RPX")
        picker.query_one("#open-path").focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        await settle(pilot)
        assert not isinstance(app.screen, OpenFileScreen)
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        kinds = sorted(row[0] for row in cursor.execute("SELECT kind FROM files").fetchall())
        cursor.close()
    assert kinds == ["RPX", "SBX"]
