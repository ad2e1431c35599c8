"""Read models over the sample month: RPX errors by code, record detail, findings, CNS.

Expected numbers were read by hand from sample_files (the RPX lists 12 erro elements on
11 rejected records, 10 distinct codes; record 5 of the SBX has both 0401 and 0701)."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_DIR
from sibtui.ingest.loader import load_files
from sibtui.query.cns_overview import category_spec, cns_categories
from sibtui.query.errors_by_code import affected_records_spec, error_groups, format_percent, rpx_files
from sibtui.query.findings_overview import finding_groups, group_records_spec
from sibtui.query.paging import open_view
from sibtui.query.records import CNX, SBX, record_detail, resolve_record

SBX_NAME = "99999720261103101500.SBX"


@pytest.fixture
def cursor(workspace):
    outcomes = list(load_files(workspace, [SAMPLE_DIR]))
    assert all(outcome.report for outcome in outcomes)
    opened = workspace.cursor()
    yield opened
    opened.close()


def sbx_file_id(cursor) -> int:
    return cursor.execute("SELECT file_id FROM files WHERE name = ?", [SBX_NAME]).fetchall()[0][0]


def test_rpx_files_show_protocol_totals_and_the_whole_file_rejection(cursor):
    processed, rejected = rpx_files(cursor)
    assert processed.protocol == "202611000417362" and processed.sbx_name == SBX_NAME
    assert not processed.rejected_whole
    total = processed.grand_total
    assert (total.records, total.processed, total.rejected, format_percent(total.percent)) == (25, 14, 11, "56,00%")
    assert rejected.rejected_whole
    assert (rejected.rejection_code, rejected.rejection_reason) == ("20", "ERRO_EPILOGO_HASH_INVALIDO")
    assert rejected.rejection_label == "Hash do epílogo inválido"
    assert "hash" in rejected.rejection_fix.lower()


def test_error_groups_count_each_code_with_ans_words_and_ours(cursor):
    processed, rejected = rpx_files(cursor)
    groups = {group.code: group for group in error_groups(cursor, processed)}
    assert len(groups) == 10
    assert sum(group.occurrences for group in groups.values()) == 12
    cns = groups["0701"]
    assert (cns.records, cns.occurrences, cns.movements) == (2, 2, ("inclusao",))
    assert cns.ans_messages == ("CNS INVALIDO",)
    assert cns.share == pytest.approx(2 / 25)
    assert cns.explanation.field_name == "cns" and cns.explanation.known
    assert groups["3005"].movements == ("cancelamento",)
    assert error_groups(cursor, rejected) == []


def test_enter_on_a_code_lists_exactly_the_affected_records(cursor):
    processed = rpx_files(cursor)[0]
    groups = {group.code: group for group in error_groups(cursor, processed)}
    view = open_view(cursor, affected_records_spec(processed, groups["0701"]))
    names = view.column_names
    rows = view.window(cursor, 0, 10)
    assert sorted(row[names.index("record_no")] for row in rows) == [5, 6]
    assert {row[names.index("codigoBeneficiario")] for row in rows} == {"0000200005", "0000200006"}
    assert view.spec.narrowed


def test_record_detail_of_a_rejected_inclusion(cursor):
    detail = record_detail(cursor, SBX, sbx_file_id(cursor), 5)
    assert detail.file_name == SBX_NAME
    labels = {field.name: field for field in detail.fields}
    assert labels["cns"].label.startswith("CNS")
    assert labels["movement"].value_label == "Inclusão"
    assert sorted(rejection.code for rejection in detail.rejections) == ["0401", "0701"]
    by_code = {rejection.code: rejection for rejection in detail.rejections}
    assert by_code["0701"].ans_message == "CNS INVALIDO" and by_code["0701"].field_name == "cns"
    sides = {line.name: line for line in detail.comparison}
    assert sides["cns"].rpx == "0701"


def test_record_detail_of_a_cnx_record_finds_its_movement(cursor):
    rows = cursor.execute("SELECT file_id, record_no FROM cnx_beneficiaries WHERE cco = '455500010004' "
                          "ORDER BY file_id DESC LIMIT 1").fetchall()
    detail = record_detail(cursor, CNX, *rows[0])
    assert detail.sbx_source == f"{SBX_NAME} registro 17"  # the retificação of that CCO
    assert detail.cnx_source.endswith(f"registro {rows[0][1]}")
    assert any(line.name == "situacao" and line.cnx == "ATIVO" for line in detail.comparison)


def test_a_movement_whose_cco_the_cnx_does_not_hold_has_no_cnx_side(cursor):
    orphan = record_detail(cursor, SBX, sbx_file_id(cursor), 19)  # the 3004 retificação
    assert orphan.cnx_source is None
    assert [rejection.code for rejection in orphan.rejections] == ["3004"]


def test_resolve_record_from_any_grid_row(cursor):
    file_id = sbx_file_id(cursor)
    assert resolve_record(cursor, {"sbx_file_id": file_id, "sbx_record_no": 5}) == (SBX, file_id, 5)
    assert resolve_record(cursor, {"source_table": CNX, "file_id": 9, "record_no": 2}) == (CNX, 9, 2)
    assert resolve_record(cursor, {"file_id": file_id, "record_no": 3}) == (SBX, file_id, 3)
    assert resolve_record(cursor, {"count": 3}) is None


def _insert_findings(cursor) -> None:
    file_id = sbx_file_id(cursor)
    cursor.execute(
        """INSERT INTO findings VALUES
        (?, 5, 'sbx_movements', 'cns', 'cns_invalid', 'error', 'CNS inválido', '123'),
        (?, 6, 'sbx_movements', 'cns', 'cns_invalid', 'error', 'CNS inválido', '456'),
        (?, 6, 'sbx_movements', 'nome', 'name_invalid', 'error', 'Nome [/b] com dígito', '[SILVA]'),
        (?, 2, 'sbx_movements', 'cns', 'cns_missing', 'warning', 'Sem CNS', NULL),
        (?, NULL, 'files', NULL, 'hash_mismatch', 'error', 'Hash não confere', NULL)""",
        [file_id] * 5,
    )


def test_no_findings_no_groups(cursor):
    assert finding_groups(cursor) == []
    # only the follow-up across conferences, which reads the conferences, not the findings
    assert [(c.category, c.records) for c in cns_categories(cursor)] == [("divergencia_receita", 1)]


def test_findings_group_by_rule_and_drill_to_their_records(cursor):
    _insert_findings(cursor)
    groups = {group.rule: group for group in finding_groups(cursor)}
    assert set(groups) == {"cns_invalid", "name_invalid", "cns_missing", "hash_mismatch"}
    invalid = groups["cns_invalid"]
    assert (invalid.records, invalid.occurrences, invalid.severity) == (2, 2, "error")
    assert invalid.description and invalid.fix  # from sibtui.rules.catalog
    view = open_view(cursor, group_records_spec(invalid))
    assert sorted(row[view.column_names.index("record_no")] for row in view.window(cursor, 0, 10)) == [5, 6]
    file_level = open_view(cursor, group_records_spec(groups["hash_mismatch"]))
    assert file_level.total == 1 and "rule" in file_level.column_names


def test_cns_categories_list_records_with_the_cnx_value_beside_ours(cursor):
    _insert_findings(cursor)
    categories = {category.category: category for category in cns_categories(cursor)}
    assert {name: category.records for name, category in categories.items()} == {
        "cns_invalid": 2, "cns_missing": 1, "divergencia_receita": 1}
    assert categories["cns_invalid"].description  # from the rules catalogue
    view = open_view(cursor, category_spec(categories["cns_invalid"]))
    assert view.total == 2
    assert view.column_names[:4] == ["record_no", "cns", "cnx_cns", "qualifies_for_auto_assignment"]  # cco: ∅ here
    assert sorted(row[view.column_names.index("record_no")] for row in view.window(cursor, 0, 5)) == [5, 6]
