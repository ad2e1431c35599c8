"""What a drill-down leads with, and how the filter bar and search compare text (UI-free):
the key, the field in error, ANS's valorCampo and message, our current value; columns empty
on every row left out; accents, case and domain labels folded the way analysts type them."""

from __future__ import annotations

import datetime as dt

import pytest
from tui_helpers import sample_workspace

from sibtui.edit.editor import set_field
from sibtui.edit.precritique import run_checks
from sibtui.edit.records import RecordRef
from sibtui.query.errors_by_code import affected_records_spec, error_groups, rpx_files
from sibtui.query.findings_overview import finding_groups, group_records_spec
from sibtui.query.paging import open_view
from sibtui.query.spec import GridSpec, parse_filters
from sibtui.workspace import Workspace

ACCENTED = "UPDATE sbx_movements SET nome = 'MARIA DA CONCEIÇÃO GUIMARÃES' WHERE record_no = 7"


@pytest.fixture
def workspace(tmp_path):
    with Workspace(sample_workspace(tmp_path, ACCENTED)) as opened:
        run_checks(opened, today=dt.date(2026, 12, 1))
        yield opened


@pytest.fixture
def cursor(workspace):
    opened = workspace.cursor()
    yield opened
    opened.close()


def drill(cursor, code: str):
    rpx = next(rpx for rpx in rpx_files(cursor) if not rpx.rejected_whole)
    group = next(group for group in error_groups(cursor, rpx) if group.code == code)
    return open_view(cursor, affected_records_spec(rpx, group))


def rows_of(cursor, view) -> list[dict]:
    return [dict(zip(view.column_names, row)) for row in view.window(cursor, 0, view.total)]


def test_an_error_drill_leads_with_key_field_ans_value_message_and_ours(cursor):
    view = drill(cursor, "0402")  # CPF inválido
    assert view.column_names[:6] == ["record_no", "codigoBeneficiario", "cpf", "valorCampo", "mensagemErro",
                                     "descricaoCampo"]
    assert view.column_names[-1] == "file_id"  # the same on every row of one RPX: last
    assert "cco" not in view.column_names and "cco" in view.empty_columns  # inclusions carry no CCO
    [row] = rows_of(cursor, view)
    assert (row["record_no"], row["valorCampo"], row["cpf"], row["mensagemErro"]) == (
        3, "39485716203", "39485716203", "CPF INVALIDO")


def test_the_current_value_follows_an_edit_and_ans_value_stays(workspace, cursor):
    set_field(cursor, RecordRef(1, 3), "cpf", "39485716273")
    [row] = rows_of(cursor, drill(cursor, "0402"))
    assert (row["valorCampo"], row["cpf"]) == ("39485716203", "39485716273")


def test_the_field_in_error_shows_even_when_it_is_absent_everywhere(cursor):
    view = drill(cursor, "0401")  # CPF obrigatório: the CPF is what is missing
    assert view.column_names[:5] == ["record_no", "codigoBeneficiario", "cpf", "valorCampo", "mensagemErro"]
    assert all(row["cpf"] is None for row in rows_of(cursor, view))


def test_a_finding_drill_leads_with_the_field_the_value_judged_and_our_message(cursor):
    group = next(group for group in finding_groups(cursor) if group.rule == "cpf_invalid")
    view = open_view(cursor, group_records_spec(group))
    names = view.column_names
    assert names.index("cpf") < names.index("valor") < names.index("mensagem") < names.index("campo") < 8
    assert all(row["campo"] == "cpf" and row["valor"] == row["cpf"] for row in rows_of(cursor, view))


def filtered(cursor, text: str, relation: str = "sbx_movements_current") -> list[dict]:
    spec = GridSpec(relation=relation)
    view = open_view(cursor, spec)
    view = open_view(cursor, spec.with_filters(parse_filters(text, view.column_names)))
    return rows_of(cursor, view)


def test_filters_fold_accents_and_case(cursor):
    assert [row["record_no"] for row in filtered(cursor, "nome ~ conceicao")] == [7]
    assert [row["record_no"] for row in filtered(cursor, "nome = maria da conceicao guimaraes")] == [7]
    assert len(filtered(cursor, "nome != Maria da Conceição Guimarães")) == 26


def test_domain_fields_take_their_labels(cursor):
    inclusions = filtered(cursor, "movement = inclusão")
    assert len(inclusions) == 16 and {row["movement"] for row in inclusions} == {"inclusao"}
    assert {row["sexo"] for row in filtered(cursor, "sexo = feminino")} == {"3"}
    assert {row["situacao"] for row in filtered(cursor, "situacao = ativo", "cnx_beneficiaries_current")} == {"ATIVO"}


def test_digits_compare_exactly_as_stored(cursor):
    assert [row["record_no"] for row in filtered(cursor, "cpf = 39485716203")] == [3]
    assert filtered(cursor, "cpf = 3948571620") == []


def test_search_folds_accents_and_case(cursor):
    view = open_view(cursor, GridSpec(relation="sbx_movements_current"))
    assert view.find(cursor, "guimaraes", 0) == 6  # record 7, position 6
    assert view.find(cursor, "CONCEICAO", 0) == 6
