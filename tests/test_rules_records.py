"""Record, cross-record, CNS and file rules: each fires on a made-up wrong case and stays quiet on the right one.

The workspace is filled directly (files, SBX movements, CNX vínculos, RPX inclusions) so that
each test states its whole situation in a few lines; every valid identifier below was checked
by hand against §5 (and the check-digit tests).
"""

from __future__ import annotations

import datetime as dt

import pytest
from rules_world import CCO_A, CCO_B, CCO_C, CHILD, OTHER_PLAN_VINCULO, SBX_NAME, TITULAR, TODAY, VINCULO

from sibtui.edit.precritique import run_checks


def test_a_right_family_and_vinculo_have_no_findings(world):
    world.cnx(VINCULO)
    world.sbx(TITULAR, CHILD, {"movement": "cancelamento", "cco": CCO_A, "dataCancelamento": "2026-10-31",
                               "motivoCancelamento": "41"})
    assert world.findings() == set()


# --- identification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, rule",
    [
        ({"cpf": None}, "cpf_required"),
        ({"pisPasep": None, "nomeMae": None}, "pis_or_mae_required"),
        ({"dn": "31415926535"}, "dn_not_allowed"),
        ({"codigoBeneficiarioTitular": "0009"}, "titular_code_not_allowed"),
        ({"numeroPlanoANS": None}, "plan_missing"),
        ({"numeroPlanoOperadora": "ABC123"}, "choice_conflict"),
        ({"ceiEmpresaContratante": "123456789013"}, "choice_conflict"),
        ({"dataContratacao": "1985-07-14"}, "birth_after_contract"),
        ({"cep": "20040002"}, "cep_uf_mismatch"),  # a Rio CEP on a São Paulo address
    ],
)
def test_titular_rule_fires(world, changes, rule):
    world.sbx({**TITULAR, **changes})
    assert rule in world.rules()


def test_titular_rules_stay_quiet_when_the_alternative_is_there(world):
    world.sbx({**TITULAR, "pisPasep": None}, {**TITULAR, "codigoBeneficiario": "0003", "cpf": "26481397022",
                                              "cns": None, "nomeMae": None})
    assert world.rules() == {"cns_missing"}  # PIS or mother's name: one is enough


@pytest.mark.parametrize(
    "changes, rule",
    [
        ({"dataNascimento": "2000-01-01", "relacaoDependencia": "3"}, "cpf_required"),
        ({"codigoBeneficiarioTitular": None}, "titular_code_required"),
        ({"codigoBeneficiarioTitular": "0099"}, "titular_not_found"),
        ({"nomeMae": None, "cns": None}, "minor_identification_required"),
    ],
)
def test_dependent_rule_fires(world, changes, rule):
    world.sbx(TITULAR, {**CHILD, **changes})
    assert rule in world.rules()


def test_dn_is_quiet_for_births_from_2010(world):
    world.sbx(TITULAR, {**CHILD, "dn": "31415926535"})
    assert world.findings() == set()


def test_a_minor_dependent_with_any_identifier_is_enough(world):
    world.sbx(TITULAR, {**CHILD, "nomeMae": None})  # the CNS is there
    assert world.findings() == set()


def test_the_age_split_is_taken_at_the_file_date(world):
    eighteen_after_the_file = {**CHILD, "relacaoDependencia": "4", "dataNascimento": "2008-11-04"}
    world.sbx(TITULAR, eighteen_after_the_file)
    assert "cpf_required" not in world.rules()


def test_titular_found_in_a_loaded_cnx(world):
    world.cnx(VINCULO)
    world.sbx({**CHILD, "codigoBeneficiarioTitular": "0777"})
    assert world.findings() == set()


def test_titular_that_is_a_dependent(world):
    world.cnx(VINCULO, {**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0778", "relacaoDependencia": "3",
                        "ccoBeneficiarioTitular": CCO_A, "cns": None})
    world.sbx({**CHILD, "codigoBeneficiarioTitular": "0778"})
    assert "titular_not_titular" in world.rules()


def test_duplicate_titular_cpf_in_the_file_and_in_the_cnx(world):
    world.sbx(TITULAR, {**TITULAR, "codigoBeneficiario": "0005", "cns": "207654321090002"})
    assert "cpf_duplicate_titular" in world.rules()


def test_duplicate_titular_cpf_against_an_active_vinculo_with_the_same_plan(world, workspace):
    world.cnx({**VINCULO, "cpf": TITULAR["cpf"], "cns": None, "cnpjEmpresaContratante": "11222333000181"})
    world.sbx({**TITULAR, "cns": "207654321090002"})
    assert "cpf_duplicate_titular" in world.rules()


def test_same_cpf_in_another_plan_is_not_a_duplicate(world):
    world.cnx({**VINCULO, "cpf": TITULAR["cpf"], "numeroPlanoANS": "478901234"}, OTHER_PLAN_VINCULO)
    world.sbx({**TITULAR, "cns": "207654321090002"})
    assert world.findings() == set()


# --- the vínculo's state at ANS ----------------------------------------------------------


def test_cco_not_in_the_cnx(world):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_B, "nome": "CARLOS PEREIRA FILHO"})
    assert world.rules() == {"cco_not_in_cnx"}


def test_cco_known_from_an_earlier_rpx_is_not_missing(world):
    world.cnx(VINCULO)
    world.sbx({**TITULAR, "cns": "207654321090002", "cpf": "26481397022"}, name="99999720261015101500.SBX",
              when="2026-10-15T10:15:00")
    world.rpx("99999720261015101500.SBX", {"0001": CCO_B}, when="2026-10-16T03:00:00")
    world.sbx({"movement": "retificacao", "cco": CCO_B, "nome": "MARIA DA SILVA SANTOS"})
    assert world.findings() == set()


def test_no_cnx_loaded_means_no_cco_checks(world):
    world.sbx({"movement": "cancelamento", "cco": CCO_B, "dataCancelamento": "2026-10-31",
               "motivoCancelamento": "41"})
    assert world.findings() == set()


@pytest.mark.parametrize(
    "situacao, movement, rule",
    [
        ("INATIVO", {"movement": "cancelamento", "dataCancelamento": "2026-10-31", "motivoCancelamento": "41"},
         "cco_inactive"),
        ("INATIVO", {"movement": "mudancaContratual", "relacaoDependencia": "1", "dataContratacao": "2026-10-01",
                     "numeroPlanoANS": "412345686"}, "cco_inactive"),
        ("ATIVO", {"movement": "reativacao", "dataReativacao": "2026-10-20"}, "cco_already_active"),
    ],
)
def test_state_rules(world, situacao, movement, rule):
    world.cnx({**VINCULO, "situacao": situacao, "dataCancelamento": "2026-06-30" if situacao == "INATIVO" else None},
              {**OTHER_PLAN_VINCULO, "numeroPlanoANS": "412345686"})
    world.sbx({**movement, "cco": CCO_A})
    assert world.rules() == {rule}


def test_state_is_not_judged_by_a_cnx_made_after_the_sbx(world):
    world.cnx({**VINCULO, "situacao": "INATIVO"}, when="2026-11-10T08:00:00")
    world.sbx({"movement": "cancelamento", "cco": CCO_A, "dataCancelamento": "2026-10-31",
               "motivoCancelamento": "41"})
    assert world.findings() == set()


def test_reactivation_dates(world):
    world.cnx({**VINCULO, "situacao": "INATIVO", "dataCancelamento": "2026-06-30"})
    world.sbx({"movement": "reativacao", "cco": CCO_A, "dataReativacao": "2026-06-29"})
    assert world.rules() == {"reactivation_before_cancel"}


def test_reactivation_after_the_cancellation_is_quiet(world):
    world.cnx({**VINCULO, "situacao": "INATIVO", "dataCancelamento": "2026-06-30"})
    world.sbx({"movement": "reativacao", "cco": CCO_A, "dataReativacao": "2026-06-30"})
    assert world.findings() == set()


def test_cancellation_before_the_cnx_contract_date(world):
    world.cnx(VINCULO)
    world.sbx({"movement": "cancelamento", "cco": CCO_A, "dataCancelamento": "2019-04-30",
               "motivoCancelamento": "41"})
    assert world.rules() == {"cancel_before_contract"}


def test_a_retificacao_of_the_birth_date_is_held_against_the_cnx_contract(world):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, "dataNascimento": "2019-05-02"})
    assert world.rules() == {"birth_after_contract"}


def test_future_dates_depend_on_today_and_the_competencia(world):
    world.sbx({**TITULAR, "dataContratacao": "2026-12-02"})  # the file of 2026-11-03 closes October
    assert world.rules(today=dt.date(2026, 12, 1)) == {"date_future"}
    assert world.rules(today=dt.date(2026, 12, 2)) == {"contract_after_competencia"}


# --- CNS gaps ------------------------------------------------------------------------------


def _gaps(world) -> list[tuple]:
    return world.cursor.execute(
        "SELECT file_id, record_no, source_table, category, cns, cnx_cns, cco, nome, qualifies_for_auto_assignment "
        "FROM cns_gaps ORDER BY ALL"
    ).fetchall()


def test_missing_cns_says_whether_ans_can_assign_it(world):
    file_id = world.sbx({**TITULAR, "cns": None}, {**TITULAR, "codigoBeneficiario": "0009", "cns": None,
                                                   "cpf": "48291736538"})
    assert world.findings() == {(file_id, 1, "cns_missing"), (file_id, 2, "cns_missing"),
                                (file_id, 2, "cpf_invalid")}
    messages = dict(world.cursor.execute("SELECT record_no, message FROM findings WHERE rule = 'cns_missing'").fetchall())
    assert "a ANS deve atribuir" in messages[1] and "ConecteSUS" in messages[2]
    assert [(row[1], row[3], row[8]) for row in _gaps(world)] == [(1, "cns_missing", True), (2, "cns_missing", False)]


def test_a_retificacao_without_cns_does_not_lack_one(world):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, "nome": "CARLOS PEREIRA NETO"})
    assert world.findings() == set()


def test_cns_shared_with_an_active_vinculo_and_inside_the_file(world):
    world.cnx({**VINCULO, "cns": "207654321090002"})
    file_id = world.sbx(TITULAR, {**CHILD, "cns": "207654321090002"},
                        {**TITULAR, "codigoBeneficiario": "0003", "cpf": "26481397022"})
    found = world.findings()
    assert {(f, r, rule) for f, r, rule in found if rule == "cns_duplicate"} == {
        (file_id, 1, "cns_duplicate"), (file_id, 2, "cns_duplicate"), (file_id, 3, "cns_duplicate")}


def test_a_retificacao_sending_the_cns_ans_already_has_is_no_duplicate(world):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, "cns": VINCULO["cns"]})
    assert world.rules() == {"retification_unchanged"}  # a no-op, but not a duplicate


def test_duplicate_cns_among_active_vinculos_of_the_newest_cnx(world):
    world.cnx(VINCULO, {**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0778", "cpf": "26481397022"},
              when="2026-09-01T07:00:00")
    newest = world.cnx(VINCULO, {**VINCULO, "cco": CCO_B, "codigoBeneficiario": "0778", "cpf": "26481397022"},
                       {**VINCULO, "cco": CCO_C, "codigoBeneficiario": "0779", "cpf": "48291736537",
                        "situacao": "INATIVO"})
    assert world.findings() == {(newest, 1, "cns_duplicate"), (newest, 2, "cns_duplicate")}


def test_cnx_gaps_only_on_active_vinculos_of_the_newest_cnx(world):
    old = world.cnx({**VINCULO, "cns": None}, when="2026-09-01T07:00:00")
    newest = world.cnx({**VINCULO, "cns": "898001234500002"}, {**VINCULO, "cco": CCO_B, "cns": None,
                                                                "codigoBeneficiario": "0778", "situacao": "INATIVO"},
                       {**VINCULO, "cco": CCO_C, "cns": None, "codigoBeneficiario": "0779", "cpf": "26481397022"})
    found = world.findings()
    assert found == {(newest, 1, "cns_provisional"), (newest, 3, "cns_missing")}
    assert old not in {f for f, _, _ in found}
    gaps = _gaps(world)
    assert [(row[3], row[4], row[6], row[8]) for row in gaps] == [
        ("cns_provisional", "898001234500002", CCO_A, True), ("cns_missing", None, CCO_C, True)]


def test_cns_that_ans_assigned_differs_from_what_we_sent(world):
    world.cnx(VINCULO)
    sbx = world.sbx({**TITULAR, "cns": None}, {**TITULAR, "codigoBeneficiario": "0003", "cpf": "26481397022",
                                                "cns": "207654321090002"})
    world.rpx(SBX_NAME, {"0001": CCO_B, "0003": CCO_C})
    world.cnx(VINCULO, {**VINCULO, "cco": CCO_B, "cns": "898001234500002", "cpf": TITULAR["cpf"]},
              {**VINCULO, "cco": CCO_C, "cns": "207654321090002", "cpf": "26481397022"}, when="2026-11-10T08:00:00")
    found = world.findings()
    assert (sbx, 1, "cns_differs_from_cnx") in found
    assert (sbx, 2, "cns_differs_from_cnx") not in found
    row = [g for g in _gaps(world) if g[3] == "cns_differs_from_cnx"]
    assert [(g[4], g[5], g[6]) for g in row] == [(None, "898001234500002", CCO_B)]


def test_a_retificacao_is_compared_only_with_a_cnx_made_after_it(world):
    world.cnx(VINCULO)
    world.sbx({"movement": "retificacao", "cco": CCO_A, "cns": "207654321090002"})
    assert world.findings() == set()  # the CNX predates the correction: nothing to compare yet


# --- whole files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, rule",
    [
        ({"hash_ok": False, "hash_declared": "ABC"}, "hash_mismatch"),
        ({"origem_registroANS": None}, "registro_ans_missing"),
        ({"origem_registroANS": "999998"}, "registro_ans_invalid"),
        ({"origem_registroANS": "99999"}, "pattern_invalid"),
        ({"origem_registroANS": "000582"}, "registro_ans_name_mismatch"),
        ({"name": "9999972026110310150.SBX"}, "file_name_invalid"),
        ({"name": "99999720261303101500.SBX"}, "file_name_invalid"),  # month 13
        ({"destino_cnpj": None}, "destino_cnpj_invalid"),
        ({"destino_cnpj": "03589068000147"}, "destino_cnpj_invalid"),
        ({"versaoPadrao": "1.0"}, "versao_padrao_invalid"),
        ({"versaoPadrao": "1.2"}, "versao_padrao_unconfirmed"),
        ({"record_count": 100_001}, "too_many_movements"),
    ],
)
def test_file_rule_fires(world, header, rule):
    file_id = world.sbx(TITULAR, **header)
    assert (file_id, None, rule) in world.findings()


def test_file_rules_are_quiet_on_a_right_file_and_ignore_ans_files(world):
    world.sbx(TITULAR, name="99999720261103101500.sbx")
    world.cnx(VINCULO)  # ANS's files carry no origem/registroANS and another name: not judged
    world.rpx(SBX_NAME, {})
    assert world.findings() == set()


def test_findings_are_replaced_not_added(world):
    world.sbx({**TITULAR, "cpf": "48291736538"})
    assert world.findings() == world.findings()
    count = world.cursor.execute("SELECT count(*) FROM findings").fetchall()[0][0]
    assert count == 1


def test_progress_is_told_and_a_cancelled_check_keeps_the_old_findings(world):
    world.sbx({**TITULAR, "cpf": "48291736538"})
    steps = []
    report = run_checks(world.workspace, progress=lambda done, total, what: steps.append((done, total, what)),
                        today=TODAY)
    assert report.counts == {("cpf_invalid", "error"): 1} and not report.cancelled
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]
    world.cursor.execute("UPDATE sbx_movements SET cpf = '48291736537'")
    calls = iter([False, False, True])
    cancelled = run_checks(world.workspace, cancel=lambda: next(calls, True), today=TODAY)
    assert cancelled.cancelled
    assert world.cursor.execute("SELECT rule FROM findings").fetchall() == [("cpf_invalid",)]
    assert run_checks(world.workspace, today=TODAY).counts == {}
