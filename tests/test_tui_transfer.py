"""The Transferência and Conformidade screens with Pilot at 80x24, as the acquirer works a
transfer (confirm, change a code, cancel one not made effective) and as the analyst looks at
the months and writes the no-movement file of a missing one."""

from __future__ import annotations

from datetime import date

import pytest
from transfers import families, transfer_file
from tui_helpers import SIZE, grid_lines, make_app, press_settled, sample_workspace, settle

from conftest import query
from sibtui.ingest.loader import load_file
from sibtui.workspace import Workspace


@pytest.fixture
def loaded(tmp_path):
    path = sample_workspace(tmp_path)
    transfer = tmp_path / "TRANSF_ADQ.CNX"
    transfer.write_bytes(transfer_file(families(3, dependents=1, duplicity_every=3)))  # 6 vínculos, 1 duplicity
    with Workspace(path) as workspace:
        load_file(workspace, transfer)
    return path


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def _journal(path) -> list[tuple]:
    with Workspace(path, read_only=True) as workspace:
        return query(workspace, "SELECT table_name, record_no, field, new_value FROM edit_journal ORDER BY edit_id")


async def test_the_acquirer_confirms_recodes_and_cancels(loaded):
    from sibtui.tui.screens.transfer import TransferScreen

    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "transferência: 5 a confirmar (t)" in _text(app, "#cycle-deadline")
        await press_settled(pilot, "t")
        assert isinstance(app.screen, TransferScreen)
        summary = _text(app, "#transfer-summary")
        assert "adquirente · efetiva 01/10/2026" in summary and "6 vínculos, 3 famílias · 1 por duplicidade" in summary
        assert "5 pendentes" in summary
        await press_settled(pilot, "c")  # the titular of the first family
        assert "4 pendentes · 1 confirmados" in _text(app, "#transfer-summary")
        await press_settled(pilot, "down", "m")
        await pilot.press(*"ACQ-77", "enter")  # the value opens selected: typing replaces it
        await settle(pilot)
        await press_settled(pilot, "down", "down", "X")  # the second family's dependent
        assert "2026-10-01 46" in app.screen.query_one("#bulk-assignment").value
        await press_settled(pilot, "enter", "enter")
        summary = _text(app, "#transfer-summary")
        assert "2 pendentes · 1 confirmados · 1 código alterado · 1 a cancelar" in summary
    journal = _journal(loaded)
    assert journal == [("transfer_beneficiaries", 1, "decisao_reenvio", "confirm"),
                       ("transfer_beneficiaries", 2, "codigoBeneficiario", "ACQ-77"),
                       ("transfer_beneficiaries", 4, "dataCancelamento", "2026-10-01"),
                       ("transfer_beneficiaries", 4, "motivoCancelamento", "46")]


def _first_column(app) -> list[str]:
    grid = app.screen.panel.grid
    width = grid.column_layout.widths[0]
    return [line[:width].strip() for line in grid_lines(grid)[:grid.total + 1]]


def work_the_transfer(path) -> None:
    """The first family's titular confirmed, its dependent re-coded, the second's dependent
    cancelled as not made effective (as the acquirer would on the screen)."""
    from sibtui.edit.editor import set_field, set_fields
    from sibtui.edit.records import RecordRef
    from sibtui.edit.transfer import confirm

    with Workspace(path) as workspace:
        cursor = workspace.cursor()
        [(file_id,)] = cursor.execute("SELECT file_id FROM files WHERE kind = 'TRF'").fetchall()
        confirm(cursor, [RecordRef(file_id, 1)], True)
        set_field(cursor, RecordRef(file_id, 2), "codigoBeneficiario", "ACQ-77")
        set_fields(cursor, RecordRef(file_id, 4), {"dataCancelamento": "2026-10-01", "motivoCancelamento": "46"})
        cursor.close()


async def test_states_read_in_words_the_codes_stay_one_key_away_and_filtrado_means_a_filter(loaded):
    work_the_transfer(loaded)
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "t")
        count_line = _text(app, "#transfer-grid .grid-status")
        assert "1–6 de 6 · linha 1" in count_line and "filtrado" not in count_line  # the transfer, not a filter
        assert _first_column(app) == ["Estado", "confirmado", "código alterado", "pendente", "a cancelar",
                                      "duplicidade", "pendente"]
        await press_settled(pilot, "H")  # the column names, and the codes the filter and SQL use
        assert _first_column(app) == ["estado", "confirmado", "codigo_alterado", "pendente", "cancelar",
                                      "duplicidade", "pendente"]
        await press_settled(pilot, "H", "f")
        await pilot.press(*"estado = codigo alterado", "enter")  # the words, accents optional
        await settle(pilot)
        count_line = _text(app, "#transfer-grid .grid-status")
        assert "1–1 de 1 (filtrado)" in count_line and "filtro: estado = codigo alterado" in count_line
        assert grid_lines(app.screen.panel.grid)[1].startswith("código alterado")
        await press_settled(pilot, "f")
        await pilot.press(*"estado = cancelar", "enter")  # the code still works
        await settle(pilot)
        assert "1–1 de 1 (filtrado)" in _text(app, "#transfer-grid .grid-status")
        assert grid_lines(app.screen.panel.grid)[1].startswith("a cancelar")


async def test_the_duplicity_takes_no_action(loaded):
    app = make_app(loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "t", "f")
        await pilot.press(*"estado = duplicidade", "enter")
        await settle(pilot)
        assert "nada a fazer" in _text(app, "#transfer-row")
        await press_settled(pilot, "c")
    assert _journal(loaded) == []


async def test_months_show_the_gap_and_write_the_no_movement_file(loaded, tmp_path):
    from sibtui.tui.screens.months import MonthsScreen
    from sibtui.tui.screens.no_movement import NoMovementScreen

    app = make_app(loaded, today=date(2027, 1, 20))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "sem envio válido: 2026-11, 2026-12" in _text(app, "#cycle-deadline")
        assert "1 correção vencida" in _text(app, "#cycle-deadline")
        await press_settled(pilot, "m")
        assert isinstance(app.screen, MonthsScreen)
        assert [str(row.competencia) for row in app.screen.rows] == ["2026-10", "2026-11", "2026-12", "2027-01"]
        assert [row.situacao for row in app.screen.rows] == ["aceito", "faltando", "faltando", "faltando"]
        await press_settled(pilot, "up", "up", "n")  # 2026-11
        assert isinstance(app.screen, NoMovementScreen) and app.screen.competencia == "2026-11"
        await press_settled(pilot, "enter")  # motivo 62
        folder = app.screen.query_one("#no-movement-folder")
        folder.value = str(tmp_path / "envio")
        await press_settled(pilot, "enter")
        assert "gravado" in _text(app, "#no-movement-hint")
        await press_settled(pilot, "escape")
        assert "gerado " in _text(app, "#months-detail")
    [written] = list((tmp_path / "envio").glob("*.SBX"))
    assert b"<motivoNaoEnvioBeneficiarios>62</motivoNaoEnvioBeneficiarios>" in written.read_bytes()
