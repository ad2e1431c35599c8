"""The console's flows with Textual's Pilot at 80x24: load, filter, search, drill from an
error code to its records, a record, SQL run and cancel, export, help and palette, and
data that looks like markup staying text."""

from __future__ import annotations

import csv

import pytest
from tui_helpers import FINDINGS_SQL, SIZE, grid_lines, make_app, press_settled, sample_workspace, settle

from conftest import SAMPLE_DIR
from sibtui.tui.screens.drill import DrillScreen
from sibtui.tui.screens.export import ExportScreen
from sibtui.tui.screens.help import HelpScreen
from sibtui.tui.screens.record_view import RecordScreen


@pytest.fixture
def loaded(tmp_path):
    return sample_workspace(tmp_path)


def records_grid(app):
    return app.screen.query_one("#records-grid").grid


async def open_records(pilot) -> None:
    """The sample month is several files, so the console opens on the Cycle: go to 1."""
    await settle(pilot)
    await pilot.press("1")
    await settle(pilot)


def status(app, selector: str = ".grid-status") -> str:
    return str(app.screen.query_one(selector).render())


async def test_load_in_a_worker_then_records_with_a_truthful_count(tmp_path):
    app = make_app(tmp_path / "fresh.duckdb", [SAMPLE_DIR])
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        grid = records_grid(app)
        assert grid.total == 27
        assert "1–" in status(app) and "de 27" in status(app)
        assert app.load_state is None and not app.jobs


async def test_filter_bar_keeps_only_matching_records(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("f")
        await pilot.press(*"movement = cancelamento", "enter")
        await settle(pilot)
        grid = records_grid(app)
        assert grid.total == 5  # 4 in the first SBX, 1 in the rejected one (grep <cancelamento>)
        assert {row[2] for row in grid.view.window(app.new_cursor(), 0, 10)} == {"cancelamento"}
        assert "(filtrado)" in status(app) and "filtro: movement = cancelamento" in status(app)
        await pilot.press("f", "ctrl+u", "enter")  # an empty filter clears it
        await settle(pilot)
        assert records_grid(app).total == 27


async def test_bad_filter_says_why_and_keeps_the_grid(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("f", *"idade = 3", "enter")
        await settle(pilot)
        assert records_grid(app).total == 27
        assert any("não há coluna" in str(toast.message) for toast in app._notifications)


async def test_search_next_and_previous(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("slash", *"inclusao", "enter")
        await settle(pilot)
        grid = records_grid(app)
        assert grid.cursor_row == 1
        await pilot.press("n")
        await settle(pilot)
        assert grid.cursor_row == 2
        await pilot.press("N", "N")
        await settle(pilot)
        assert grid.cursor_row == 0


async def test_sort_by_the_cursor_column(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("right", "right", "s")  # movement
        await settle(pilot)
        grid = records_grid(app)
        movements = [row[2] for row in grid.view.window(app.new_cursor(), 0, 30)]
        assert movements == sorted(movements)
        assert "ordem: movement ▲" in status(app)


async def test_grid_scrolls_to_the_end_and_back(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        grid = records_grid(app)
        await pilot.press("end")
        await settle(pilot)
        assert grid.cursor_row == 26 and grid.current_row()["record_no"] == 2
        await pilot.press("home")
        await settle(pilot)
        assert grid.cursor_row == 0 and grid.current_row()["record_no"] == 1


MORE_MOVEMENTS = (
    "INSERT INTO sbx_movements SELECT s.* REPLACE (s.record_no + 100 * k AS record_no) "
    "FROM sbx_movements AS s, range(1, 9) AS t(k)"  # 243 rows: the last screenful spans two pages
)


async def test_a_sorted_grid_jumps_to_the_end_in_one_small_fetch(tmp_path):
    """Sorted rows are read by rowid (~1 ms a row at 10M): pages of 25, the page below the
    screen read ahead, and the visible pages that are missing in one window, each row where
    `view.window` puts it."""
    app = make_app(sample_workspace(tmp_path, MORE_MOVEMENTS))
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        grid = records_grid(app)
        await press_settled(pilot, "right", "right", "s")
        assert grid.total == 27 * 9 and grid.view.page_rows == 25
        assert set(grid._cache._pages) == {0, 1}  # the screen's page, and the one below read ahead
        fetched = []
        original = grid._fetch
        grid._fetch = lambda token, view, page, pages=1: (fetched.append((page, pages)), original(token, view, page, pages))
        await pilot.press("end")
        await settle(pilot)
        height = grid.page_height
        first = grid.total - height
        assert fetched == [(first // 25, 2)] and (grid.total - 1) // 25 == first // 25 + 1
        expected = grid.view.window(app.new_cursor(), first, height)
        assert [grid._row(position) for position in range(first, grid.total)] == expected
        assert all(len(rows) <= 25 for rows in grid._cache._pages.values())


async def test_drill_from_an_error_code_to_exactly_its_records(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert [group.code for group in app.screen.groups][0] == "0701"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        grid = app.screen.query_one("#drill-grid").grid
        rows = grid.view.window(app.new_cursor(), 0, 10)
        assert sorted(row[grid.view.column_names.index("record_no")] for row in rows) == [5, 6]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert {r.code for r in app.screen.detail.rejections} == {"0401", "0701"}
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ErrorsScreen"


async def test_whole_file_rejection_is_shown_with_its_reason(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "r")
        await settle(pilot)
        summary = status(app, "#rpx-summary")
        assert "REJEITADO INTEIRO" in summary and "ERRO_EPILOGO_HASH_INVALIDO" in summary
        assert app.screen.groups == []


async def test_sql_runs_the_count(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        editor = app.screen.query_one("#sql-editor")
        editor.text = "select count(*) from cnx_beneficiaries"
        await pilot.press("f5")
        await settle(pilot)
        grid = app.screen.query_one("#sql-results").grid
        assert grid.current_row() == {"count_star()": 47}  # 20 + 27 vínculos in the two sample CNX
        assert "1 linha em" in status(app, "#sql-status")
        assert app.history.entries()[-1].sql == "select count(*) from cnx_beneficiaries"
        await pilot.press("ctrl+r")  # the other run key
        await settle(pilot)
        assert grid.total == 1


async def test_typing_in_the_sql_editor_replaces_the_example(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        editor = app.screen.query_one("#sql-editor")
        assert editor.text.strip()  # an example is there to start from
        await pilot.press(*"select 42")
        assert editor.text == "select 42"
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.query_one("#sql-results").grid.current_row() == {"42": 42}


async def test_sql_cancel_interrupts_duckdb(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#sql-editor").text = "select sum(a.range * b.range) from range(200000) a, range(200000) b"
        await pilot.press("f5")
        for _ in range(200):
            await pilot.pause(0.01)
            if screen.running:
                break
        assert screen.running
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.running
        assert "cancelada" in status(app, "#sql-status")


async def test_sql_editor_takes_digits_and_refuses_writes(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        editor = app.screen.query_one("#sql-editor")
        editor.text = ""
        await pilot.press(*"delete from files where 1=1")
        assert editor.text == "delete from files where 1=1"  # "1" typed, not a screen switch
        await pilot.press("f5")
        await settle(pilot)
        assert "DELETE recusado: o SQL avulso só lê" in status(app, "#sql-status")


async def test_export_a_grid_for_a_brazilian_spreadsheet(loaded, tmp_path):
    app = make_app(loaded)
    target = tmp_path / "registros.csv"
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    rows = list(csv.reader(target.read_text(encoding="latin-1").splitlines(), delimiter=";"))
    assert len(rows) == 28 and rows[0][:3] == ["file_id", "record_no", "movement"]


async def test_help_and_palette_come_from_the_live_bindings(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        for title in ("Filtrar", "Buscar", "Exportar", "Ordenar", "Registros", "Erros RPX", "SQL", "Ajuda"):
            assert title in commands, title
        assert commands["Filtrar"] == "tecla f"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {description for _, description, _ in app.screen._rows}
        assert {"Filtrar", "SBX/CNX", "Abrir", "Erros RPX"} <= described
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_names_that_look_like_markup_stay_text(tmp_path):
    path = sample_workspace(
        tmp_path,
        "UPDATE cnx_beneficiaries SET nome = '[SILVA]', nomeMae = '[/b] MARIA [red]' WHERE record_no = 1",
    )
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(pilot)
        await pilot.press("t")
        await settle(pilot)
        grid = records_grid(app)
        assert any("[SILVA]" in line for line in grid_lines(grid))
        await pilot.press("enter")
        await settle(pilot)
        fields = app.screen.query_one("#record-fields")
        values = {str(row.key.value): fields.get_row(row.key)[1].plain for row in fields.rows.values()}
        assert values["nome"] == "[SILVA]" and values["nomeMae"] == "[/b] MARIA [red]"


async def test_findings_and_cns_screens_drill_to_records(tmp_path):
    app = make_app(sample_workspace(tmp_path, FINDINGS_SQL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert [group.rule for group in app.screen.groups] == ["cns_invalid", "name_invalid", "cns_missing"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#drill-grid").grid.total == 1
        await pilot.press("escape", "3")
        await settle(pilot)
        assert {c.category: c.records for c in app.screen.categories} == {"cns_invalid": 1, "cns_missing": 1,
                                                                          "divergencia_receita": 1}
        await pilot.press("enter")
        await settle(pilot)
        grid = app.screen.query_one("#drill-grid").grid
        assert grid.total == 1 and "cnx_cns" in grid.view.column_names


async def test_no_color_is_respected(loaded, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.no_color


async def test_a_drill_count_line_names_its_restriction_once(tmp_path):
    """The title already says which rule: repeating it pushed "linha N" off 80 columns."""
    app = make_app(sample_workspace(tmp_path, FINDINGS_SQL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "4", "enter")
        assert status(app) == "Achados: regra cns_invalid  1–1 de 1 (filtrado) · linha 1"
