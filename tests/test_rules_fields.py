"""validate_value: every value rule fires on a wrong value and stays quiet on a right one."""

from __future__ import annotations

import datetime as dt

import pytest

from sibtui.catalog.fields import FIELDS
from sibtui.rules.catalog import RULES, Scope
from sibtui.rules.fields import validate_value

TODAY = dt.date(2026, 11, 20)
INC, RET, CAN, REA, MUD = "inclusao", "retificacao", "cancelamento", "reativacao", "mudancaContratual"
SBX, CNX = "sbx_movements", "cnx_beneficiaries"

# (rule, table, movement, column, wrong value, right value); values checked by hand against §1.4/§5.
CASES = [
    ("required_missing", SBX, INC, "nome", None, "MARIA DA SILVA"),
    ("required_missing", SBX, INC, "codigoMunicipio", None, "355030"),
    ("required_missing", SBX, CAN, "cco", None, "041036536701"),
    ("required_missing", SBX, REA, "dataReativacao", None, "2026-10-20"),
    ("required_missing", CNX, None, "situacao", None, "ATIVO"),
    ("field_not_allowed", SBX, INC, "cco", "041036536701", None),
    ("field_not_allowed", SBX, CAN, "nome", "MARIA", None),
    ("size_invalid", SBX, INC, "codigoBeneficiario", "", "0001"),
    ("size_invalid", SBX, INC, "codigoBeneficiario", "1" * 31, "1" * 30),
    ("size_invalid", SBX, INC, "nome", "AN", "ANA"),
    ("size_invalid", SBX, INC, "numero", "123456", "S/N"),
    ("size_invalid", SBX, INC, "complemento", "A" * 16, ""),
    ("pattern_invalid", SBX, INC, "dn", "3141592653", "31415926535"),
    ("pattern_invalid", SBX, INC, "numeroPlanoANS", "456.521/07-5", "456521075"),
    ("pattern_invalid", SBX, RET, "cco", "04103653670", "041036536701"),
    ("pattern_invalid", SBX, INC, "cep", " 01310930", "01310930"),
    ("pattern_invalid", SBX, INC, "codigoMunicipio", "3550308", "355030"),
    ("name_invalid", SBX, INC, "nome", "JOSE-CARLOS", "JOSÉ D'ÁVILA"),
    ("name_invalid", SBX, INC, "nomeMae", "MARIA 2", "MARIA"),
    ("name_invalid", SBX, INC, "nome", "JOÃO BAPTISTÙ", "JOÃO BAPTISTÚ"),  # Ù is outside st_no_pessoa
    ("domain_invalid", SBX, INC, "sexo", "2", " 3 "),
    ("domain_invalid", SBX, INC, "sexo", "M", "01"),
    ("domain_invalid", SBX, INC, "relacaoDependencia", "2", "10"),
    ("domain_invalid", SBX, CAN, "motivoCancelamento", "45", "041"),
    ("domain_invalid", SBX, INC, "tipoEndereco", " 1", "1"),  # a string enum: compared literally
    ("domain_invalid", SBX, INC, "resideExterior", "2", "+1"),
    ("domain_invalid", SBX, INC, "coberturaParcialTemporaria", "S", "0"),
    ("domain_invalid", CNX, None, "situacao", "ativo", "INATIVO"),
    ("date_invalid", SBX, INC, "dataNascimento", "2020-02-30", "2020-02-29"),
    ("date_invalid", SBX, INC, "dataContratacao", "01/10/2026", "2026-10-01"),
    ("date_invalid", SBX, CAN, "dataCancelamento", "2026-10-1", "2026-10-01Z"),
    ("date_out_of_range", SBX, INC, "dataNascimento", "1889-12-31", "1890-01-01"),
    ("date_out_of_range", SBX, INC, "dataContratacao", "1939-12-31", "1940-01-01"),
    ("date_future", SBX, INC, "dataNascimento", "2026-11-21", "2026-11-20"),
    ("date_future", SBX, REA, "dataReativacao", "2027-01-01", "2026-10-20"),
    ("cpf_invalid", SBX, INC, "cpf", "48291736538", "48291736537"),
    ("cpf_invalid", SBX, INC, "cpf", "00000000000", "26481397022"),
    ("cpf_invalid", SBX, INC, "cpf", "482.917.365-37", "73105826408"),
    ("cns_invalid", SBX, INC, "cns", "198765432100004", "198765432100003"),
    ("cns_invalid", SBX, INC, "cns", "398765432100003", "207654321090002"),
    ("cns_invalid", SBX, INC, "cns", "191827364510101", "198765432100003"),  # sum ok, generation rule not
    ("cns_invalid", SBX, INC, "cns", "", "198765432100003"),
    ("cnpj_invalid", SBX, INC, "cnpjEmpresaContratante", "11222333000199", "11222333000181"),
    ("cnpj_invalid", SBX, MUD, "cnpjEmpresaContratante", "1122233300018", "03589068000146"),
    ("pis_invalid", SBX, INC, "pisPasep", "12034567890", "12034567899"),
    ("cns_provisional", SBX, INC, "cns", "898001234500002", "198765432100003"),
    ("cco_invalid", SBX, CAN, "cco", "041036536702", "041036536701"),
    ("cco_invalid", SBX, CAN, "cco", "000000000000", "034302184809"),
    ("municipio_unknown", SBX, INC, "codigoMunicipio", "000000", "355030"),
    ("municipio_unknown", SBX, INC, "codigoMunicipioResidencia", "359999", "330455"),
    ("cep_invalid", SBX, INC, "cep", "00000000", "20040002"),
]
# Contractor digits are below; registroANS is a header value, checked on the `files` table.
CASES_ELSEWHERE = {"cei_invalid", "caepf_invalid", "registro_ans_invalid"}


@pytest.mark.parametrize("rule, table, movement, column, wrong, right", CASES)
def test_rule_fires_on_the_wrong_value(rule, table, movement, column, wrong, right):
    problems = validate_value(table, movement, column, wrong, today=TODAY)
    assert [p.rule for p in problems] == [rule]
    assert problems[0].field == column
    assert problems[0].severity == RULES[rule].severity.value
    assert problems[0].message.startswith(FIELDS[column].label + ": ")


@pytest.mark.parametrize("rule, table, movement, column, wrong, right", CASES)
def test_rule_is_quiet_on_the_right_value(rule, table, movement, column, wrong, right):
    assert validate_value(table, movement, column, right, today=TODAY) == []


def test_every_value_rule_has_a_case():
    value_rules = {r.id for r in RULES.values() if r.scope is Scope.VALUE}
    assert value_rules - {case[0] for case in CASES} == CASES_ELSEWHERE


@pytest.mark.parametrize(
    "column, wrong, right, rule",
    [
        ("ceiEmpresaContratante", "123456789013", None, "cei_invalid"),
        ("caepfEmpresaContratante", "11111111111111", None, "caepf_invalid"),
    ],
)
def test_contractor_warnings(column, wrong, right, rule):
    problems = validate_value(SBX, INC, column, wrong, today=TODAY)
    assert [(p.rule, p.severity) for p in problems] == [(rule, "warning")]


def test_a_retificacao_sends_only_what_changes():
    assert validate_value(SBX, RET, "nome", None) == []
    assert validate_value(SBX, RET, "codigoMunicipio", None) == []


def test_messages_are_portuguese_and_name_the_field():
    [problem] = validate_value(SBX, INC, "cco", "041036536701")
    assert problem.message == "CCO: não se envia na inclusão: a ANS atribui o CCO"
    [problem] = validate_value(SBX, INC, "cpf", "48291736538")
    assert problem.message == "CPF: dígito verificador não confere"


def test_cnx_names_are_plain_strings():
    assert validate_value(CNX, None, "nome", "JOSE-1") == []


def test_keys_and_unknown_columns_have_no_rules():
    assert validate_value(SBX, INC, "movement", "inclusao") == []
    assert validate_value(SBX, INC, "record_no", "x") == []


def test_bad_arguments_are_programming_errors():
    with pytest.raises(ValueError):
        validate_value("rpx_rejections", None, "cco", "1")
    with pytest.raises(ValueError):
        validate_value(SBX, None, "cco", "1")
