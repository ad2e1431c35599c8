"""Small things an analyst noticed at 80x24, with Pilot: the SQL screen says the read-only
guard's refusals in Portuguese; the record view never cuts a rule id or a field name in two;
Ctrl+L (or F9) empties the SQL editor, and F2/F3 replace its text, undoably; the record view's
footer fits 80 columns; DuckDB's own errors lead with a Portuguese line, masked with F8."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from tui_helpers import SIZE, make_app, press_settled, sample_workspace, settle

from sibtui import privacy
from sibtui.query.examples import EXAMPLES
from sibtui.tui.screens.help import binding_rows
from sibtui.tui.screens.record_view import RecordScreen


def sql_status(app) -> str:
    return str(app.screen.query_one("#sql-status").render())


async def test_the_sql_screen_says_each_refusal_in_portuguese(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5")
        editor = app.screen.query_one("#sql-editor")
        for sql, said in [
            ("delete from findings", "DELETE recusado: o SQL avulso só lê"),
            ("attach 'x.db'", "ATTACH recusado: o SQL não abre outros bancos nem arquivos"),
            ("pragma threads = 4", "PRAGMA threads recusado: o SQL avulso não muda as configurações"),
            ("set threads=1", "SET threads recusado: o SQL avulso não muda as configurações"),
            ("with u as (update findings set rule = 'x' returning *) select * from u",
             "UPDATE dentro da consulta recusado"),
        ]:
            editor.text = sql
            await press_settled(pilot, "f5")
            shown = sql_status(app)
            assert shown.startswith(said) and "refused" not in shown, shown
        assert app.history.entries()[-1].error.startswith("UPDATE inside a query refused")  # the guard's own line


TITULAR_FINDING = """
INSERT INTO findings SELECT file_id, 4, 'sbx_movements', 'codigoBeneficiarioTitular', 'titular_has_error', 'error',
    'O titular, incluído neste arquivo, tem erro', '0000200003' FROM files WHERE name LIKE '%101500.SBX'
"""


def table_lines(table) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


async def test_the_record_view_never_cuts_a_rule_id_or_a_field_name_in_two(tmp_path):
    """Record 4 has ANS's 1802 and our `titular_has_error` on its titular's code: both whole."""
    app = make_app(sample_workspace(tmp_path, TITULAR_FINDING))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "down", "enter", "enter")  # error 1802, its first record
        record = app.screen
        assert isinstance(record, RecordScreen) and record.key[2] == 4
        fields = record.fields_table
        record.select_field("codigoBeneficiarioTitular")
        await settle(pilot)
        lines = table_lines(fields)
        assert any(line.endswith("1802") for line in lines)
        assert any(line.endswith("titular_has_error") for line in lines), lines  # on a line of its own
        await press_settled(pilot, "i")  # the internal names: the longest here is 25 characters
        record.select_field("codigoBeneficiarioTitular")
        await settle(pilot)
        lines = table_lines(fields)
        assert any(line.split()[:2] == ["codigoBeneficiarioTitular", "0000200003"] for line in lines if line), lines
        assert any(line.endswith("titular_has_error") for line in lines), lines


async def test_ctrl_l_empties_the_sql_editor_as_one_step_ctrl_z_undoes(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5")
        screen = app.screen
        editor = screen.query_one("#sql-editor")
        assert ("^l", "Limpar", "tela") in binding_rows(screen)  # F1 lists it, the footer shows it
        await pilot.press(*"select 42")
        await press_settled(pilot, "ctrl+l")
        assert editor.text == "" and app.focused is editor
        await press_settled(pilot, "ctrl+z")  # the clearing alone: the typing before it stays
        assert editor.text == "select 42"
        await press_settled(pilot, "f5", "tab")  # from the results grid, F9 (a tmux may keep Ctrl+L)
        assert app.focused is not editor
        await press_settled(pilot, "f9")
        assert editor.text == "" and app.focused is editor
        await pilot.press(*"select 7", "f5")
        await settle(pilot)
        assert screen.query_one("#sql-results").grid.current_row() == {"7": 7}


async def test_an_example_or_a_history_entry_replaces_the_query_as_one_step_ctrl_z_undoes(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5")
        editor = app.screen.query_one("#sql-editor")
        await pilot.press(*"select 42", "f5")
        await settle(pilot)
        await pilot.press(*" + 1")
        await press_settled(pilot, "f2", "down", "enter")  # the second example
        assert editor.text == EXAMPLES[1].sql and app.focused is editor
        await press_settled(pilot, "ctrl+z")
        assert editor.text == "select 42 + 1"
        await press_settled(pilot, "f3", "enter")  # the newest history entry
        assert editor.text == "select 42"
        await press_settled(pilot, "ctrl+z")
        assert editor.text == "select 42 + 1"


async def test_the_record_views_footer_fits_80_columns_and_f1_still_lists_copying(tmp_path):
    """A rejected movement shows the most keys (z, Esc, e, d, F1, F8): none cut at 80 columns."""
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "2", "enter", "enter")  # an RPX error, its first rejected record
        record = app.screen
        assert isinstance(record, RecordScreen) and record.resend is not None
        keys = {key.key_display: key for key in record.query_one(Footer).query(FooterKey)}
        assert {"esc", "e", "d", "z", "f1", "f8"} <= set(keys), set(keys)
        palette = keys.pop("^p")
        assert all(key.region.right <= palette.region.x for key in keys.values()), \
            [(name, key.region) for name, key in keys.items()]
        helped = {(keys_, said) for keys_, said, _ in binding_rows(record)}
        assert {("y", "Copiar valor"), ("Y", "Copiar registro"), ("d", "Decidir")} <= helped, helped


@pytest.fixture
def mask_switch_reset():
    """F8 sets the process-wide mask switch: later tests in this worker must start unmasked."""
    privacy.set_masking(None)
    yield
    privacy.set_masking(None)


async def test_the_sql_screen_leads_duckdbs_own_errors_with_portuguese_and_masks_quoted_values(
        tmp_path, mask_switch_reset):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5")
        editor = app.screen.query_one("#sql-editor")
        for sql, lead, duckdb_says in [
            ("selec 1", 'Erro de sintaxe perto de "selec"', 'syntax error at or near "selec"'),
            ("select nome_x from cnx_beneficiaries", 'Coluna "nome_x" não existe', 'column "nome_x" not found'),
            ("select * from beneficiarios", "Tabela beneficiarios não existe", "beneficiarios does not exist"),
        ]:
            editor.text = sql
            await press_settled(pilot, "f5")
            shown = sql_status(app)
            assert shown.startswith(lead + "\n") and duckdb_says in shown, shown
        await press_settled(pilot, "f8")
        assert app.masked
        for sql in ["select cast(cpf || 'x' as integer) from cnx_beneficiaries where cpf is not null",
                    "select cast(cpf as date) from cnx_beneficiaries where cpf is not null"]:
            editor.text = sql
            await press_settled(pilot, "f5")
            shown = sql_status(app)
            assert shown.startswith("Valor '…' não "), shown
            assert not re.search(r"[0-9]{5}", shown), shown  # no CPF, nor a part of one
