"""Rules that judge a movement against what ANS holds, the competência, duplicates, the titular
cascade and quality warnings: each fires on a made-up wrong case and stays quiet on the right one."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest
from rules_world import CCO_A, CCO_B, CHILD, OTHER_PLAN_VINCULO, TITULAR, VINCULO

from sibtui.catalog.calendar import competencia_of
from sibtui.rules.check_digits import with_cpf_digits, with_definitive_cns_digits
from sibtui.rules.context import competencia_end_sql
from sibtui.rules.same_as_ans import COMPARED_COLUMNS, is_unchanged, unchanged_sql

OTHER_CPF = with_cpf_digits("318274650")
NEW_PLAN_VINCULO = {**OTHER_PLAN_VINCULO, "numeroPlanoANS": "412345686"}  # so that the CNX knows the new plan
OTHER_CNS = with_definitive_cns_digits("20987654321")


def _by_record(world, rule: str, today: dt.date | None = None) -> set[int]:
    findings = world.findings(today) if today else world.findings()
    return {record_no for _, record_no, found in findings if found == rule}


def _message(world, rule: str) -> str:
    return world.cursor.execute("SELECT message FROM findings WHERE rule = ?", [rule]).fetchall()[0][0]


# --- 0802: the beneficiary code is already taken -------------------------------------------


def test_inclusion_with_a_code_a_cnx_vinculo_has(world):
    world.cnx(VINCULO)
    world.sbx({**TITULAR, "codigoBeneficiario": VINCULO["codigoBeneficiario"]})
    assert world.rules() == {"codigo_already_at_ans"}
    assert CCO_A in _message(world, "codigo_already_at_ans")


def test_only_the_later_inclusion_of_a_repeated_code_is_refused(world):
    world.cnx(VINCULO)
    world.sbx(TITULAR, {**TITULAR, "cpf": OTHER_CPF, "cns": OTHER_CNS})
    assert _by_record(world, "codigo_already_at_ans") == {2}


def test_a_code_included_by_an_earlier_file_still_unanswered(world):
    world.cnx(VINCULO)
    earlier = "99999720261015101500.SBX"
    world.sbx(TITULAR, name=earlier, when="2026-10-15T10:15:00")
    later = world.sbx({**TITULAR, "cpf": OTHER_CPF, "cns": OTHER_CNS})
    assert (later, 1, "codigo_already_at_ans") in world.findings()
    assert earlier in _message(world, "codigo_already_at_ans")


def test_an_earlier_file_answered_without_the_inclusion_frees_the_code(world):
    world.cnx(VINCULO)
    earlier = "99999720261015101500.SBX"
    world.sbx(TITULAR, name=earlier, when="2026-10-15T10:15:00")
    world.rpx(earlier, {}, when="2026-10-16T03:00:00")  # ANS rejected it
    world.sbx(TITULAR)
    assert "codigo_already_at_ans" not in world.rules()


def test_a_code_an_earlier_rpx_accepted(world):
    world.cnx(VINCULO)
    world.rpx("99999720261015101500.SBX", {"0001": CCO_B}, when="2026-10-16T03:00:00")
    world.sbx(TITULAR)
    assert world.rules() == {"codigo_already_at_ans"}


def test_a_cnx_made_after_the_sbx_holds_its_own_inclusion(world):
    world.cnx({**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0001", "cpf": TITULAR["cpf"]},
              when="2026-11-10T08:00:00")
    world.sbx(TITULAR)
    assert "codigo_already_at_ans" not in world.rules()


def test_a_retificacao_moving_a_vinculo_to_another_ones_code(world):
    world.cnx(VINCULO, OTHER_PLAN_VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, "codigoBeneficiario": OTHER_PLAN_VINCULO["codigoBeneficiario"]},
              {"movement": "retificacao", "cco": CCO_A, "codigoBeneficiario": "NOVO0777"})
    assert _by_record(world, "codigo_already_at_ans") == {1}


# --- 3011: a retificação identical to ANS's record ----------------------------------------


@pytest.mark.parametrize("sent", [
    {"nome": VINCULO["nome"]},
    {"sexo": "01", "nome": VINCULO["nome"] + " "},  # integer codes by value, text trimmed
    {"numeroPlanoANS": "412.345/67-8"},  # plan numbers by their digits
    {},  # nothing at all
])
def test_a_retificacao_that_changes_nothing(world, sent):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, **sent})
    assert "retification_unchanged" in world.rules()


@pytest.mark.parametrize("sent", [
    {"nome": "CARLOS PEREIRA NETO"},
    {"nome": VINCULO["nome"], "cep": "01310930"},  # one field is enough
    {"codigoBeneficiarioTitular": "0777"},  # the CNX cannot tell: never called identical
])
def test_a_retificacao_that_changes_something(world, sent):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, **sent})
    assert "retification_unchanged" not in world.rules()


def test_a_retificacao_sending_the_titular_ans_links(world):
    titular = {**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0555"}
    world.cnx(titular, {**VINCULO, "relacaoDependencia": "4", "ccoBeneficiarioTitular": CCO_B})
    world.sbx({"movement": "retificacao", "cco": CCO_A, "codigoBeneficiarioTitular": "0555"},
              {"movement": "retificacao", "cco": CCO_A, "codigoBeneficiarioTitular": "0777"})
    assert _by_record(world, "retification_unchanged") == {1}


def test_identical_only_against_a_cnx_made_before(world):
    world.cnx(VINCULO, when="2026-11-10T08:00:00")
    world.sbx({"movement": "retificacao", "cco": CCO_A, "nome": VINCULO["nome"]})
    assert "retification_unchanged" not in world.rules()


POOL = {
    "codigoBeneficiarioTitular": [None, "0555", "0556"],
    "nome": [None, "ANA", " ANA", "ANA ", "", "BIA"],
    "sexo": [None, "1", "01", "+1", " 3", "3", "x", ""],
    "numeroPlanoANS": [None, "412345678", "412.345/67-8", " 412345678", "412345686", ""],
    "cep": [None, "01310930", "20040002", " 01310930"],
    "relacaoDependencia": [None, "1", "001", "4", "1.0"],
}


def test_python_and_sql_agree_on_identical(world):
    """`is_unchanged` (regeneration's face) and `unchanged_sql` (the check's) on random pairs."""
    generator = random.Random(19)
    pairs = []
    for _ in range(400):
        sent = {c: generator.choice(values) for c, values in POOL.items()}
        held = {c: generator.choice(values) for c, values in POOL.items() if c != "codigoBeneficiarioTitular"}
        held["titular"] = generator.choice(POOL["codigoBeneficiarioTitular"])  # the code of ANS's titular
        pairs.append((sent, held))
    columns = list(COMPARED_COLUMNS) + ["codigoBeneficiarioTitular", "codigoProcedimentoAdministrativo", "titular"]
    connection = duckdb.connect()
    for side in ("m", "c"):
        definition = ", ".join(f'"{column}" VARCHAR' for column in columns)
        connection.execute(f"CREATE TABLE {side} (pair INTEGER, {definition})")
    for number, (sent, held) in enumerate(pairs):
        for side, row in (("m", sent), ("c", held)):
            connection.execute(f"INSERT INTO {side} (pair, {', '.join(row)}) VALUES (?, {', '.join('?' for _ in row)})",
                               [number, *row.values()])
    verdicts = dict(connection.execute(
        f"SELECT m.pair, {unchanged_sql('m', 'c', 'c.titular')} FROM m JOIN c USING (pair)").fetchall())
    expected = [is_unchanged(sent, held, held["titular"]) for sent, held in pairs]
    assert [verdicts[n] for n in range(len(pairs))] == expected
    assert 0 < sum(verdicts.values()) < len(pairs)


# --- plans and contract dates -------------------------------------------------------------


def test_a_mudanca_contratual_to_the_plan_ans_holds(world):
    world.cnx(VINCULO, NEW_PLAN_VINCULO)
    change = {"movement": "mudancaContratual", "cco": CCO_A, "relacaoDependencia": "1", "dataContratacao": "2026-10-01"}
    world.sbx({**change, "numeroPlanoANS": VINCULO["numeroPlanoANS"]}, {**change, "numeroPlanoANS": "412345686"})
    assert _by_record(world, "contract_change_same_plan") == {1}
    assert world.rules() == {"contract_change_same_plan"}


@pytest.mark.parametrize("sent, rule", [
    ({"numeroPlanoANS": "412345686", "dataContratacao": "2026-10-01"}, "retification_is_contract_change"),
    ({"numeroPlanoANS": "412345686"}, "retification_changes_contract"),
    ({"dataContratacao": "2019-06-01"}, "retification_changes_contract"),
])
def test_a_retificacao_of_plan_and_contract_date(world, sent, rule):
    world.cnx(VINCULO, NEW_PLAN_VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, **sent})
    assert world.rules() == {rule}


# --- cancellation and reactivation dates against ANS --------------------------------------


def test_a_retificacao_of_a_reactivation_that_never_was(world):
    world.cnx(VINCULO, {**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0778", "dataReativacao": "2026-03-01"})
    world.sbx({"movement": "retificacao", "cco": CCO_A, "dataReativacao": "2026-03-02"},
              {"movement": "retificacao", "cco": CCO_B, "dataReativacao": "2026-03-02"})
    assert _by_record(world, "retification_reactivation_data") == {1}


def test_a_retificacao_of_the_contract_after_the_cancellation(world):
    world.cnx({**VINCULO, "situacao": "INATIVO", "dataCancelamento": "2026-06-30", "motivoCancelamento": "41"})
    world.sbx({"movement": "retificacao", "cco": CCO_A, "dataContratacao": "2026-07-01"},
              {"movement": "retificacao", "cco": CCO_A, "dataContratacao": "2019-05-02"})
    assert _by_record(world, "contract_after_ans_dates") == {1}


def test_a_second_cancelamento_in_the_same_file(world):
    world.cnx(VINCULO)
    cancel = {"movement": "cancelamento", "cco": CCO_A, "dataCancelamento": "2026-10-31", "motivoCancelamento": "41"}
    world.sbx(cancel, cancel)
    assert _by_record(world, "cco_inactive") == {2}


@pytest.mark.parametrize("held, fires", [
    ({"situacao": "ATIVO"}, True),  # 3114
    ({"situacao": "INATIVO", "dataCancelamento": None}, True),  # 3010
    ({"situacao": "INATIVO", "dataCancelamento": "2026-06-30", "motivoCancelamento": "41"}, False),
])
def test_a_retificacao_carrying_cancellation_data(world, held, fires):
    world.cnx({**VINCULO, **held})
    world.sbx({"movement": "retificacao", "cco": CCO_A, "dataCancelamento": "2026-07-31"})
    assert ("retification_cancel_data" in world.rules()) is fires


def test_reactivation_before_the_contract(world):
    world.cnx({**VINCULO, "situacao": "INATIVO", "dataCancelamento": "2026-06-30"})
    world.sbx({"movement": "reativacao", "cco": CCO_A, "dataReativacao": "2019-04-30"},
              {"movement": "reativacao", "cco": CCO_A, "dataReativacao": "2026-07-01"})
    assert _by_record(world, "reactivation_before_contract") == {1}


def test_cancellation_before_the_last_reactivation(world):
    world.cnx({**VINCULO, "dataReativacao": "2026-08-01"})
    cancel = {"movement": "cancelamento", "cco": CCO_A, "motivoCancelamento": "41"}
    world.sbx({**cancel, "dataCancelamento": "2026-07-31"}, {**cancel, "dataCancelamento": "2026-08-01"})
    assert _by_record(world, "cancel_before_reactivation") == {1}


# --- 0204 / 1205: dates after the competência ---------------------------------------------


def test_a_contract_after_the_competencia_of_a_file_sent_on_day_3(world):
    world.sbx({**TITULAR, "dataContratacao": "2026-11-02"})  # made 2026-11-03: competência October
    assert world.rules() == {"contract_after_competencia"}
    assert "31/10/2026" in _message(world, "contract_after_competencia")


def test_the_same_contract_in_a_file_of_the_competencia_itself(world):
    world.sbx({**TITULAR, "dataContratacao": "2026-11-02"}, name="99999720261110101500.SBX",
              when="2026-11-10T10:15:00")
    assert world.rules() == set()


def test_a_birth_after_the_competencia(world):
    world.sbx(TITULAR, {**CHILD, "dataNascimento": "2026-11-01", "dataContratacao": "2026-11-01"})
    assert {"birth_after_competencia", "contract_after_competencia"} <= world.rules()


def test_the_competencia_in_sql_is_the_calendars():
    connection = duckdb.connect()
    days = [dt.datetime(2024, 1, 1, 12) + dt.timedelta(days=n) for n in range(0, 800, 3)]
    for moment in days:
        stamp = f"TIMESTAMP '{moment:%Y-%m-%d %H:%M:%S}'"
        (end,) = connection.execute(f"SELECT {competencia_end_sql(stamp)}").fetchone()
        competencia = competencia_of(moment.date())
        assert (end.year, end.month) == (competencia.year, competencia.month)
        assert (end + dt.timedelta(days=1)).day == 1


# --- 1802: the titular at ANS, and the cascade ---------------------------------------------


def test_a_titular_inactive_at_ans(world):
    world.cnx({**VINCULO, "situacao": "INATIVO", "dataCancelamento": "2026-06-30"})
    world.sbx({**CHILD, "codigoBeneficiarioTitular": VINCULO["codigoBeneficiario"]})
    assert world.rules() == {"titular_not_found"}
    assert "inativo" in _message(world, "titular_not_found")


def test_a_titular_included_after_its_dependent(world):
    world.sbx(CHILD, TITULAR)
    assert _by_record(world, "titular_not_found") == {1}
    assert "registro 2" in _message(world, "titular_not_found")


def test_a_titular_included_by_an_earlier_unanswered_file(world):
    world.sbx(TITULAR, name="99999720261015101500.SBX", when="2026-10-15T10:15:00")
    world.sbx(CHILD)
    assert "titular_not_found" not in world.rules()


def test_a_dependent_whose_titular_has_an_error_in_the_file(world):
    world.sbx({**TITULAR, "cpf": "48291736538"}, CHILD, {**CHILD, "codigoBeneficiario": "0003"})
    assert _by_record(world, "titular_has_error") == {2, 3}
    message = _message(world, "titular_has_error")
    assert "registro 1" in message and "cpf_invalid" in message


def test_no_cascade_from_warnings_or_from_a_titular_ans_already_has(world):
    world.sbx({**TITULAR, "cns": "898001234500002"}, CHILD)  # a provisional CNS: a warning only
    assert "titular_has_error" not in world.rules()


def test_no_cascade_when_the_titular_is_active_at_ans(world):
    world.cnx({**VINCULO, "codigoBeneficiario": "0001", "cpf": TITULAR["cpf"]})
    world.sbx(TITULAR, CHILD)  # the titular's inclusion is refused (0802), but ANS has the titular
    assert "codigo_already_at_ans" in world.rules() and "titular_has_error" not in world.rules()


# --- 0410: duplicates of any vínculo ---------------------------------------------------------

DEPENDENT_ADULT = {**CHILD, "cpf": OTHER_CPF, "dataNascimento": "1990-02-03", "relacaoDependencia": "3",
                   "codigoBeneficiario": "0004"}
HELD_DEPENDENT = {**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0888", "cpf": OTHER_CPF, "cns": None,
                  "relacaoDependencia": "3", "ccoBeneficiarioTitular": CCO_A,
                  "cnpjEmpresaContratante": TITULAR["cnpjEmpresaContratante"]}


def test_a_dependent_duplicating_an_active_vinculo_by_cpf(world):
    world.cnx(VINCULO, HELD_DEPENDENT)
    world.sbx(TITULAR, DEPENDENT_ADULT)
    assert _by_record(world, "duplicate_active_vinculo") == {2}


@pytest.mark.parametrize("held", [
    {"cnpjEmpresaContratante": "47508132000195"},  # another contractor
    {"numeroPlanoANS": "412345686"},  # another plan
    {"situacao": "INATIVO"},
])
def test_no_duplicate_in_another_contract_or_when_inactive(world, held):
    world.cnx(VINCULO, {**HELD_DEPENDENT, **held}, OTHER_PLAN_VINCULO)
    world.sbx(TITULAR, DEPENDENT_ADULT)
    assert "duplicate_active_vinculo" not in world.rules()


def test_ans_records_without_a_contractor_match_any(world):
    world.cnx(VINCULO, {**HELD_DEPENDENT, "cnpjEmpresaContratante": None})
    world.sbx(TITULAR, DEPENDENT_ADULT)
    assert "duplicate_active_vinculo" in world.rules()


def test_without_cpf_the_cns_identifies_the_person(world):
    world.cnx(VINCULO, {**HELD_DEPENDENT, "cpf": None, "cns": CHILD["cns"]})
    world.sbx(TITULAR, CHILD)
    world.findings()
    assert ("cns", 2) in set(world.cursor.execute(
        "SELECT field, record_no FROM findings WHERE rule = 'duplicate_active_vinculo'").fetchall())


def test_the_mother_name_alone_is_a_warning(world):
    world.cnx(VINCULO, {**HELD_DEPENDENT, "cpf": None, "nomeMae": "maria  da silva"})
    world.sbx(TITULAR, {**CHILD, "cns": None})
    assert "duplicate_by_mother_name" in world.rules()


def test_inside_the_file_only_the_second_dependent_is_a_duplicate(world):
    world.sbx(TITULAR, DEPENDENT_ADULT, {**DEPENDENT_ADULT, "codigoBeneficiario": "0005"})
    assert _by_record(world, "duplicate_active_vinculo") == {3}


# --- quality ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mother, fires", [
    ("NAO DECLARADO", True), ("Ignorada", True), ("MARIA", True), ("CLIENTE PENDENTE", True),
    ("ANA DA SILVA", False), ("JOSEFA  DE ASSIS", False),
])
def test_placeholder_mothers_names(world, mother, fires):
    world.sbx({**TITULAR, "nomeMae": mother})
    assert ("mother_name_placeholder" in world.rules()) is fires


@pytest.mark.parametrize("name, fires", [
    ("FRANCISCO C DIAS", True), ("ANA B", True), ("MARIA E SILVA", False), ("ANA DA SILVA", False),
])
def test_abbreviated_names(world, name, fires):
    world.sbx({**TITULAR, "nome": name})
    assert ("name_abbreviated" in world.rules()) is fires


def test_a_plan_no_loaded_cnx_knows(world):
    world.cnx(VINCULO)
    world.sbx({**TITULAR, "numeroPlanoANS": "499999999"}, {**TITULAR, "codigoBeneficiario": "0002",
                                                          "cpf": OTHER_CPF, "cns": OTHER_CNS})
    assert _by_record(world, "plan_not_in_cnx") == {1}


def test_no_cnx_no_plan_warning(world):
    world.sbx({**TITULAR, "numeroPlanoANS": "499999999"})
    assert world.rules() == set()


def test_the_future_of_a_file_starts_on_the_day_it_was_made(world):
    """Checked before the file's own date (a file made ahead), its dates up to that day are not future."""
    world.cnx(VINCULO)
    cancel = {"movement": "cancelamento", "cco": CCO_A, "motivoCancelamento": "41"}
    world.sbx({**cancel, "dataCancelamento": "2026-11-02"}, {**cancel, "dataCancelamento": "2026-11-04"})
    assert _by_record(world, "date_future", today=dt.date(2026, 11, 1)) == {2}


def test_movements_planned_elsewhere_are_judged_as_they_will_be(world):
    """A relation with the SBX movement columns (say, what a regeneration plans) is judged instead of the loaded one."""
    from sibtui.rules.engine import run_checks

    world.cnx(VINCULO)
    file_id = world.sbx({"movement": "retificacao", "cco": CCO_A, "nome": "CARLOS PEREIRA NETO"})
    world.cursor.execute("CREATE TABLE planned AS SELECT * REPLACE ('CARLOS PEREIRA' AS nome) FROM sbx_movements")
    assert world.rules() == set()
    run_checks(world.workspace, today=dt.date(2026, 12, 1), movements="planned")
    assert world.cursor.execute("SELECT file_id, record_no, rule FROM findings").fetchall() == [
        (file_id, 1, "retification_unchanged")]


def test_a_cnx_listing_a_vinculo_twice_counts_it_once_the_first_way(world):
    world.cnx({**VINCULO, "situacao": "INATIVO", "dataCancelamento": "2026-06-30"}, VINCULO)
    world.sbx({"movement": "cancelamento", "cco": CCO_A, "dataCancelamento": "2026-10-31", "motivoCancelamento": "41"})
    world.findings()
    assert world.cursor.execute("SELECT rule FROM findings").fetchall() == [("cco_inactive",)]


def test_the_cascade_stands_when_cnx_edits_are_judged_too(world):
    """CNX edits are judged last, as the movements they will be (a `__moves` of their own): the
    SBX's cascade is decided before that."""
    from sibtui.edit import editor
    from sibtui.edit.records import RecordRef

    cnx_id = world.cnx(VINCULO)
    sbx_id = world.sbx({**TITULAR, "cpf": "48291736538"}, CHILD)
    editor.set_field(world.cursor, RecordRef(cnx_id, 1), "cpf", "48291736538", force=True)
    found = world.findings()
    assert (sbx_id, 2, "titular_has_error") in found
    assert (cnx_id, 1, "cpf_invalid") in found  # the edit, judged as the retificação it will be
