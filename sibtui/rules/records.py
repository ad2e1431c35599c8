"""Record and cross-record rules of SBX movements, as SQL over the check context.

Each rule is one SELECT over the check's `moves` (see `sibtui.rules.context`) yielding
`(file_id, record_no, field, rule, message, value)`. They pre-empt what ANS criticises about
a record as a whole (§6.2-§6.5, `criticas.md`): identification required by age and
relation, the titular of a dependent, the vínculo's state at ANS, dates that contradict
each other. A rule that needs a CNX stays quiet when none is loaded. Duplicates are in
`sibtui.rules.duplicates`, the vínculo's record at ANS in `sibtui.rules.ans_state`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sibtui.catalog.shapes import MOVEMENT_SHAPES
from sibtui.rules.context import CheckContext
from sibtui.rules.field_sql import cep_uf, literal, matches, parsed_date
from sibtui.rules.fields import field_label

ADULT = "m.birth IS NOT NULL AND m.birth + INTERVAL 18 YEAR <= m.reference_date"
MINOR = "m.birth IS NOT NULL AND m.birth + INTERVAL 18 YEAR > m.reference_date"
DN_FIRST_BIRTH = "2010-01-01"


@dataclass(frozen=True)
class RecordRule:
    """One SELECT: `where` picks the records at fault; `message` and `value` are SQL expressions."""

    rule: str
    field: str
    where: str
    message: str
    value: str = "NULL"
    joins: str = ""
    only: str = ""  # a cheap filter of `moves` applied before the joins (the movements it can be about)

    def select(self, ctx: CheckContext) -> str:
        source = f"(SELECT * FROM {ctx.moves} WHERE {self.only})" if self.only else ctx.moves
        return (
            f"SELECT m.file_id, m.record_no, {literal(self.field)} AS field, {literal(self.rule)} AS rule, "
            f"{self.message} AS message, {self.value} AS value FROM {source} m {self.joins} WHERE {self.where}"
        )


def text(field: str, reason: str) -> str:
    """A fixed finding message: `<label>: <reason>`."""
    return literal(f"{field_label(field)}: {reason}")


def plan_movements() -> str:
    return ", ".join(literal(m.value) for m, shape in MOVEMENT_SHAPES.items() if "plano" in shape.required_choices)


def identification_rules() -> list[RecordRule]:
    inclusion = "m.movement = 'inclusao'"
    return [
        RecordRule("cpf_required", "cpf", f"{inclusion} AND m.cpf IS NULL AND m.relacao = 1",
                   text("cpf", "obrigatório para o titular")),
        RecordRule("cpf_required", "cpf", f"{inclusion} AND m.cpf IS NULL AND m.relacao <> 1 AND {ADULT}",
                   text("cpf", "obrigatório para dependente com 18 anos ou mais")),
        RecordRule("pis_or_mae_required", "nomeMae",
                   f"{inclusion} AND m.pisPasep IS NULL AND m.nomeMae IS NULL AND (m.relacao = 1 OR {ADULT})",
                   text("nomeMae", "informe o nome da mãe ou o PIS/PASEP (um dos dois é obrigatório)")),
        RecordRule("minor_identification_required", "nomeMae",
                   f"{inclusion} AND m.relacao <> 1 AND {MINOR} AND m.cpf IS NULL AND m.nomeMae IS NULL "
                   "AND m.cns IS NULL AND m.pisPasep IS NULL",
                   text("nomeMae", "dependente menor sem CPF, nome da mãe, CNS ou PIS/PASEP: envie um deles")),
        RecordRule("dn_not_allowed", "dn", f"m.dn IS NOT NULL AND m.birth < DATE '{DN_FIRST_BIRTH}'",
                   text("dn", f"só existe para nascidos a partir de {DN_FIRST_BIRTH}"), "m.dn"),
    ]


def titular_rules(ctx: CheckContext) -> list[RecordRule]:
    """1801-1803: the titular of a dependent must be at ANS (active) or included before it in
    the same file: ANS processes a file in order (criticas.md 1802)."""
    code = "m.codigoBeneficiarioTitular"
    joins = (
        f"LEFT JOIN {ctx.file_codes} fc ON fc.file_id = m.file_id AND fc.code = m.codigoBeneficiarioTitular "
        f"LEFT JOIN {ctx.ans_code_facts} a ON a.sbx_file_id = m.file_id AND a.code = m.codigoBeneficiarioTitular"
    )
    in_file = "coalesce(fc.first_record_no < m.record_no, false)"
    at_ans = "coalesce(a.titular_usable, false)"
    dependent = f"{code} IS NOT NULL AND coalesce(m.relacao, 0) <> 1"
    label = field_label("codigoBeneficiarioTitular")
    not_found = (
        f"CASE WHEN a.inactive THEN '{label}: o titular está inativo na ANS (CNX); reative-o antes' "
        f"WHEN fc.first_record_no IS NOT NULL THEN '{label}: o titular só é incluído depois, no registro ' "
        "|| fc.first_record_no || '; inclua o titular antes do dependente' "
        f"ELSE '{label}: titular não está ativo na ANS (CNX, RPX anteriores) nem incluído neste arquivo' END"
    )
    is_titular = f"({in_file} AND coalesce(fc.titular, false) OR {at_ans} AND coalesce(a.titular, true))"
    dependent_moves = "m.movement IN ('inclusao', 'mudancaContratual')"
    return [
        RecordRule("titular_code_required", "codigoBeneficiarioTitular",
                   f"m.movement = 'inclusao' AND m.relacao <> 1 AND {code} IS NULL",
                   text("codigoBeneficiarioTitular", "obrigatório para dependente")),
        RecordRule("titular_code_not_allowed", "codigoBeneficiarioTitular",
                   f"{dependent_moves} AND m.relacao = 1 AND {code} IS NOT NULL",
                   text("codigoBeneficiarioTitular", "não se informa para o titular (relação 1)"), code),
        RecordRule("titular_not_found", "codigoBeneficiarioTitular",
                   f"{dependent} AND NOT {in_file} AND NOT {at_ans}", not_found, code, joins),
        RecordRule("titular_not_titular", "codigoBeneficiarioTitular",
                   f"{dependent} AND ({in_file} OR {at_ans}) AND NOT {is_titular}",
                   text("codigoBeneficiarioTitular", "o código aponta para um dependente, não para um titular"),
                   code, joins),
    ]


def contract_rules() -> list[RecordRule]:
    operadora, ans, portabilidade = "m.numeroPlanoOperadora", "m.numeroPlanoANS", "m.numeroPlanoPortabilidade"
    contractors = ("m.cnpjEmpresaContratante", "m.ceiEmpresaContratante", "m.caepfEmpresaContratante")
    contractor_count = " + ".join(f"({c} IS NOT NULL)::INTEGER" for c in contractors)
    return [
        RecordRule("plan_missing", "numeroPlanoANS",
                   f"m.movement IN ({plan_movements()}) AND {ans} IS NULL AND {operadora} IS NULL",
                   text("numeroPlanoANS", "informe o plano: RPS (numeroPlanoANS) ou SCPA (numeroPlanoOperadora)")),
        RecordRule("choice_conflict", "numeroPlanoOperadora",
                   f"{operadora} IS NOT NULL AND ({ans} IS NOT NULL OR {portabilidade} IS NOT NULL)",
                   text("numeroPlanoOperadora", "SCPA junto com RPS: envie um só"), operadora),
        RecordRule("choice_conflict", "cnpjEmpresaContratante", f"{contractor_count} > 1",
                   text("cnpjEmpresaContratante", "mais de um contratante (CNPJ, CEI, CAEPF): envie um só"),
                   "m.cnpjEmpresaContratante"),
    ]


def state_rules() -> list[RecordRule]:
    """The vínculo's state at ANS, when a CNX is loaded (state itself only from a CNX made before)."""
    not_inclusion = "m.movement <> 'inclusao' AND m.cco IS NOT NULL"
    return [
        RecordRule("cco_not_in_cnx", "cco", f"{not_inclusion} AND m.ref_cnx IS NOT NULL AND NOT m.known_cco",
                   text("cco", "não está na conferência (CNX) da operadora"), "m.cco"),
        RecordRule("cco_inactive", "cco",
                   "m.movement IN ('cancelamento', 'mudancaContratual') AND m.ref_predates "
                   "AND m.known_situacao = 'INATIVO'",
                   text("cco", "o vínculo já está inativo na ANS"), "m.cco"),
        RecordRule("cco_already_active", "cco",
                   "m.movement = 'reativacao' AND m.ref_predates AND m.known_situacao = 'ATIVO'",
                   text("cco", "o vínculo já está ativo na ANS"), "m.cco"),
    ]


def date_rules() -> list[RecordRule]:
    cancel = parsed_date("m.dataCancelamento")
    reactivation = parsed_date("m.dataReativacao")
    return [
        RecordRule("birth_after_contract", "dataContratacao",
                   "m.movement IN ('inclusao', 'retificacao', 'mudancaContratual') "
                   "AND (m.dataContratacao IS NOT NULL OR m.dataNascimento IS NOT NULL) AND m.birth > m.contract",
                   "'Data de contratação: ' || strftime(m.contract, '%Y-%m-%d') || ' é anterior ao nascimento ('"
                   " || strftime(m.birth, '%Y-%m-%d') || ')'",
                   "coalesce(m.dataContratacao, m.dataNascimento)"),
        RecordRule("cancel_before_contract", "dataCancelamento",
                   f"m.movement IN ('cancelamento', 'retificacao') AND {cancel} < m.contract",
                   "'Data de cancelamento: anterior à contratação (' || strftime(m.contract, '%Y-%m-%d') || ')'",
                   "m.dataCancelamento"),
        RecordRule("reactivation_before_cancel", "dataReativacao",
                   f"m.movement = 'reativacao' AND m.ref_predates AND {reactivation} < m.known_cancel",
                   "'Data de reativação: anterior ao cancelamento na ANS (' || strftime(m.known_cancel, '%Y-%m-%d')"
                   " || ')'", "m.dataReativacao"),
    ]


def address_rules(ctx: CheckContext) -> list[RecordRule]:
    joins = f"JOIN {ctx.municipalities} mu ON mu.codigo_sib = m.municipio"
    return [
        RecordRule("cep_uf_mismatch", "cep",
                   f"m.cep IS NOT NULL AND {matches('m.cep', '[0-9]{8}')} AND {cep_uf('m.cep')} <> mu.uf",
                   f"'CEP: é de ' || {cep_uf('m.cep')} || ', o município é de ' || mu.uf", "m.cep", joins),
    ]


def record_rules(ctx: CheckContext) -> list[RecordRule]:
    return [
        *identification_rules(),
        *titular_rules(ctx),
        *contract_rules(),
        *state_rules(),
        *date_rules(),
        *address_rules(ctx),
    ]


def record_selects(ctx: CheckContext) -> list[str]:
    return [rule.select(ctx) for rule in record_rules(ctx)]
