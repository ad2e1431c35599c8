"""The catalogue is the one source of truth: check it is whole and consistent."""

from __future__ import annotations

import re

from sibtui.catalog import shapes, tables
from sibtui.catalog.document import PLACEMENTS, Role
from sibtui.catalog.domains import ALL_DOMAINS, Base
from sibtui.catalog.fields import ALL_FIELDS, FIELD_BY_RPX_ID, FIELDS
from sibtui.catalog.kinds import Movement
from sibtui.catalog.schema import catalog_paths


def test_every_leaf_names_a_declared_field_and_a_table_column():
    for shape in (*shapes.MOVEMENT_SHAPES.values(), shapes.CNX_BENEFICIARIO, shapes.RPX_INCLUIDO):
        table = {shapes.CNX_BENEFICIARIO.tag: tables.CNX_BENEFICIARIES, shapes.RPX_INCLUIDO.tag: tables.RPX_INCLUSIONS}.get(
            shape.tag, tables.SBX_MOVEMENTS
        )
        for leaf in shape.leaves():
            assert leaf.field is FIELDS[leaf.field.name]
            assert leaf.column_name in table.columns, (shape.tag, leaf.tag)


def test_column_names_are_unique_per_table_and_spelled_as_ans():
    for table in tables.RECORD_TABLES:
        assert len(set(table.columns)) == len(table.columns), table.name
    assert {"codigoBeneficiario", "cns", "dataNascimento"} <= set(tables.SBX_MOVEMENTS.columns)


def test_sbx_columns_cover_every_movement_field():
    stored = set(tables.SBX_MOVEMENTS.value_columns)
    for shape in shapes.MOVEMENT_SHAPES.values():
        assert {leaf.column_name for leaf in shape.leaves()} <= stored


def test_rpx_field_ids_are_unique_two_digit_codes():
    ids = [field.rpx_field_id for field in ALL_FIELDS if field.rpx_field_id]
    assert len(ids) == len(set(ids)) == len(FIELD_BY_RPX_ID)
    assert all(re.fullmatch(r"[0-9]{2}", value) for value in ids)
    assert FIELD_BY_RPX_ID["04"].name == "cpf" and FIELD_BY_RPX_ID["41"].name == "dn"


def test_domain_patterns_compile_and_enumerations_have_labels():
    for domain in ALL_DOMAINS:
        if domain.pattern:
            re.compile(domain.pattern)
        assert all(label for label in domain.values.values())
    assert FIELDS["relacaoDependencia"].domain.label_for(" 04 ") == "Filho/filha"
    assert FIELDS["tipoEndereco"].domain.label_for("01") is None  # a string enum compares literally
    assert "45" not in FIELDS["motivoCancelamento"].domain.values
    assert FIELDS["sexo"].domain.base is Base.INTEGER


def test_name_pattern_follows_the_xsd_repertoire():
    pattern = re.compile(FIELDS["nome"].domain.pattern)
    assert pattern.fullmatch("JOSÉ D'ÁVILA CONCEIÇÃO")
    assert not pattern.fullmatch("JOSE 2")
    assert not pattern.fullmatch("JOSÙ")  # Ú passes, Ù does not (§1.7)


def test_movements_have_codes_in_submission_order():
    assert [m.code for m in Movement] == [1, 2, 3, 4, 5]
    assert Movement.from_code(" 04 ") is Movement.CANCELAMENTO
    assert Movement.from_code("x") is None


def test_placements_form_one_tree_rooted_at_mensagem_sib():
    roots = [tag for tag, placement in PLACEMENTS.items() if placement.parent is None]
    assert roots == ["mensagemSIB"]
    for placement in PLACEMENTS.values():
        assert placement.parent is None or PLACEMENTS[placement.parent].role is Role.CONTAINER
        if placement.role is not Role.CONTAINER:
            assert placement.shape is not None and placement.shape.tag == placement.tag


def test_catalog_paths_give_the_xml_path_of_every_stored_column():
    paths = list(catalog_paths())
    cns_paths = {(table, path) for table, _, path, column, _ in paths if column == "cns"}
    assert ("sbx_movements", "inclusao/identificacao/cns") in cns_paths
    assert ("cnx_beneficiaries", "beneficiario/identificacao/cns") in cns_paths
    required = {(record, column) for _, record, _, column, needed in paths if needed}
    assert ("cancelamento", "motivoCancelamento") in required
    assert ("retificacao", "nome") not in required
