"""RPX error-code explanations: the recovered catalogue, and what an unknown code still tells."""

from __future__ import annotations

import re

from conftest import SPEC_DIR, query, spec_file
from sibtui.catalog.error_codes import FILE_REJECTION_FIXES, KNOWN_CODES, explain
from sibtui.catalog.fields import FIELDS


def test_every_code_of_the_criticas_table_is_explained():
    text = spec_file(SPEC_DIR / "criticas.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (\d{4}) \|", text, flags=re.MULTILINE))
    assert listed == set(KNOWN_CODES)


def test_known_codes_name_their_field_by_the_first_two_digits():
    for code, explanation in KNOWN_CODES.items():
        assert explanation.field_name in FIELDS
        assert FIELDS[explanation.field_name].rpx_field_id == code[:2], code
        assert explanation.cause and explanation.fix


def test_an_unknown_code_is_explained_by_its_field_and_the_ans_message():
    explanation = explain("0402", "CPF INVALIDO")
    assert not explanation.known
    assert explanation.field_name == "cpf"
    assert "CPF INVALIDO" in explanation.cause
    assert explain("9999").field_name is None
    assert explain(None).known is False


def test_disputed_field_ids_follow_the_concrete_codes():
    assert explain("3104").field_name == "dataCancelamento"
    assert explain("3299").field_name == "motivoCancelamento"


def test_explanations_are_published_in_the_workspace(workspace):
    rows = query(workspace, "SELECT codigoErro, field_name FROM catalog_error_codes WHERE codigoErro = '1802'")
    assert rows == [("1802", "codigoBeneficiarioTitular")]
    (count,) = query(workspace, "SELECT count(*) FROM catalog_file_rejections")[0]
    assert count == len(FILE_REJECTION_FIXES)
