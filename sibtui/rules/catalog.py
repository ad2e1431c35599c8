"""Every rule of the local pre-critique, as data: id, severity, scope, pt-BR text, fix hint.

Rule ids are stable: findings, the console, scripts and the README name rules by them, so an
id is never renamed or reused. Severity follows one principle: `error` is what ANS rejects
(or what fails the XSD); `warning` is a quality issue ANS accepts, or a fact the fact sheet
marks [L] (`sib-format.md` §0.1), or an ANS-assigned identifier whose check rule we derived
ourselves. The catalogue is published in the workspace as `catalog_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Scope(str, Enum):
    """Where a rule looks: one value, one record (with its neighbours), or a whole file."""

    VALUE = "value"  # a single value (also checked as the analyst types)
    RECORD = "record"  # a record, possibly against the same file, the CNX or the RPX
    FILE = "file"  # the file's header, name, size or hash


@dataclass(frozen=True)
class Rule:
    """One check: what it says to the analyst and how to fix what it finds."""

    id: str
    severity: Severity
    scope: Scope
    field: str | None  # the column it concerns; None when it depends on the value's column
    description: str  # pt-BR, what is wrong
    fix: str  # pt-BR, how to correct it
    # What ANS would answer instead: RPX `codigoErro` (4 digits; `NNxx` is "an error of field NN"
    # whose number is unknown) and whole-file `codigoMotivoRejeicao` (2 digits), comma-separated.
    ans_codes: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code.strip() for code in self.ans_codes.split(",") if code.strip())

    def pre_empts(self, code: str | None) -> bool:
        """True when ANS answering `code` for a record is what this rule foresaw."""
        code = (code or "").strip()
        return any(code == known or (known.endswith("xx") and len(code) == 4 and code[:2] == known[:2])
                   for known in self.codes)


E, W = Severity.ERROR, Severity.WARNING
V, R, F = Scope.VALUE, Scope.RECORD, Scope.FILE

RULES_LIST: tuple[Rule, ...] = (
    # --- single values (sibtui.rules.fields, and the same checks in SQL) ---------------------
    Rule("required_missing", E, V, None, "Campo obrigatório neste tipo de movimento não foi informado.",
         "Informe o campo (veja os obrigatórios por operação, §6.4).", "0101, 3001, 3101"),
    Rule("field_not_allowed", E, V, None, "Campo que não existe neste tipo de movimento (o XSD rejeita).",
         "Retire o campo deste movimento; na inclusão o CCO é atribuído pela ANS.", "16"),
    Rule("size_invalid", E, V, None, "Tamanho fora do permitido pelo XSD.",
         "Ajuste o valor ao tamanho do campo (sem espaços nas pontas).", "16"),
    Rule("pattern_invalid", E, V, None, "Formato inválido (quantidade de dígitos ou caracteres não numéricos).",
         "Escreva só os dígitos, na quantidade exigida, sem espaços nem pontuação.", "16"),
    Rule("name_invalid", E, V, None, "Nome com caractere fora do repertório do XSD (dígito, hífen, ponto...).",
         "Use só letras, os acentos permitidos, apóstrofo e espaço.", "0102"),
    Rule("domain_invalid", E, V, None, "Valor fora do domínio do campo.",
         "Use um dos códigos do domínio (veja catalog_domain_values).", "16, 2101"),
    Rule("date_invalid", E, V, None, "Data inválida (o formato é AAAA-MM-DD e a data precisa existir).",
         "Corrija a data no formato AAAA-MM-DD.", "16"),
    Rule("date_out_of_range", E, V, None, "Data anterior ao mínimo do XSD (nascimento 1890-01-01, demais 1940-01-01).",
         "Corrija a data.", "16"),
    Rule("date_future", E, V, None, "Data no futuro.", "Corrija a data; movimentos futuros vão no mês deles.",
         "0204, 1205"),
    Rule("cpf_invalid", E, V, "cpf", "CPF inválido (formato ou dígito verificador).",
         "Confira o CPF no documento do próprio beneficiário.", "04xx"),
    Rule("cns_invalid", E, V, "cns", "CNS inválido (formato, primeiro dígito ou dígito verificador).",
         "Confira o cartão no app ConecteSUS, ou omita o CNS: a ANS não rejeita CNS em branco.", "0701"),
    Rule("cnpj_invalid", E, V, None, "CNPJ inválido (formato ou dígito verificador).",
         "Confira o CNPJ da empresa contratante no contrato.", "1604"),
    Rule("pis_invalid", E, V, "pisPasep", "PIS/PASEP/NIT inválido (formato ou dígito verificador).",
         "Confira o número ou omita o campo.", "0501"),
    Rule("cns_provisional", W, V, "cns", "CNS provisório (começa com 7, 8 ou 9).",
         "Peça ao beneficiário o CNS definitivo (app ConecteSUS) e envie uma retificação."),
    Rule("cco_invalid", W, V, None, "CCO com dígito verificador que não confere (regra derivada, §5.1).",
         "Copie o CCO do RPX da inclusão ou da conferência (CNX)."),
    Rule("registro_ans_invalid", W, V, "registroANS", "Registro ANS com dígito verificador que não confere (§5.7).",
         "Confira o registro da operadora, com o dígito."),
    Rule("cei_invalid", W, V, "ceiEmpresaContratante", "CEI com dígito verificador que não confere (regra incerta).",
         "Confira o CEI; o CEI foi substituído pelo CAEPF."),
    Rule("caepf_invalid", W, V, "caepfEmpresaContratante",
         "CAEPF com dígito verificador que não confere (há duas regras públicas; §5.6).", "Confira o CAEPF."),
    Rule("municipio_unknown", E, V, None, "Código de município que não existe na tabela do IBGE (6 primeiros dígitos).",
         "Use os 6 primeiros dígitos do código IBGE do município (sem o dígito verificador).", "26xx"),
    Rule("cep_invalid", W, V, "cep", "CEP fora de todas as faixas dos Correios (00000000 incluído).",
         "Confira o CEP do endereço."),
    # --- records, against the same file, the CNX and the RPX (sibtui.rules.records) ---------
    Rule("cep_uf_mismatch", W, R, "cep", "CEP de outra UF que a do município.", "Confira o CEP ou o município."),
    Rule("cpf_required", E, R, "cpf", "CPF obrigatório para titular e para dependente com 18 anos ou mais.",
         "Envie o CPF do próprio beneficiário.", "0401, 0403"),
    Rule("pis_or_mae_required", E, R, "nomeMae",
         "Titular ou dependente adulto sem PIS/PASEP e sem nome da mãe: um dos dois é obrigatório.",
         "Envie o nome da mãe (ou o PIS/PASEP).", "0601"),
    Rule("minor_identification_required", E, R, "nomeMae",
         "Dependente menor de idade sem CPF, nome da mãe, CNS ou PIS/PASEP: um deles é obrigatório.",
         "Envie ao menos um desses dados.", "0408"),
    Rule("dn_not_allowed", E, R, "dn", "DN informada para nascido antes de 2010-01-01.",
         "Retire a DN: ela só existe para nascidos a partir de 2010.", "41xx"),
    Rule("titular_code_required", E, R, "codigoBeneficiarioTitular",
         "Dependente sem o código do beneficiário titular.", "Informe o codigoBeneficiario do titular.", "1801"),
    Rule("titular_code_not_allowed", E, R, "codigoBeneficiarioTitular",
         "Titular (relação 1) com código de beneficiário titular preenchido.", "Retire o campo do titular.",
         "18xx"),
    Rule("titular_not_found", E, R, "codigoBeneficiarioTitular",
         "Titular não encontrado: não está ativo na ANS (CNX, RPX anteriores) nem incluído antes do dependente "
         "neste arquivo.",
         "Inclua o titular antes do dependente (ou reative-o), ou corrija o código do titular.", "1802"),
    Rule("titular_has_error", E, R, "codigoBeneficiarioTitular",
         "O titular, incluído neste arquivo, tem erro: a ANS o rejeitará e então rejeitará o dependente.",
         "Corrija o titular; o dependente vai junto quando o titular for aceito.", "1802"),
    Rule("titular_not_titular", E, R, "codigoBeneficiarioTitular",
         "O código do titular aponta para um beneficiário que é dependente.",
         "Aponte para o titular verdadeiro.", "1803"),
    Rule("plan_missing", E, R, "numeroPlanoANS", "Sem plano: informe o RPS (numeroPlanoANS) ou o SCPA.",
         "Informe o plano do vínculo.", "16"),
    Rule("choice_conflict", E, R, None, "Campos mutuamente exclusivos preenchidos juntos (o XSD rejeita).",
         "Envie um só: RPS ou SCPA; CNPJ, CEI ou CAEPF.", "16"),
    Rule("cco_not_in_cnx", E, R, "cco", "CCO que não está na conferência (CNX) da operadora.",
         "Copie o CCO da conferência (CNX); se o vínculo não existe, envie uma inclusão.", "3004"),
    Rule("cco_inactive", E, R, "cco", "Movimento para vínculo que já está inativo na ANS, ou cancelado antes no "
         "mesmo arquivo.",
         "Não envie o cancelamento; para mudar o vínculo, reative-o antes.", "3005"),
    Rule("cco_already_active", E, R, "cco", "Reativação de vínculo que está ativo na ANS.",
         "Não envie a reativação.", "20xx, 30xx"),
    Rule("birth_after_contract", E, R, "dataContratacao", "Data de contratação anterior ao nascimento.",
         "Corrija a data de nascimento ou a de contratação.", "1218"),
    Rule("cancel_before_contract", E, R, "dataCancelamento", "Data de cancelamento anterior à contratação.",
         "Use uma data de cancelamento igual ou posterior à contratação (a da CNX).", "1220, 3104"),
    Rule("reactivation_before_cancel", E, R, "dataReativacao", "Reativação anterior ao cancelamento na ANS.",
         "Corrija a data de reativação.", "2004"),
    Rule("cpf_duplicate_titular", E, R, "cpf",
         "CPF de titular repetido: inclusão anterior do arquivo, ou vínculo ativo na CNX com o mesmo plano e "
         "contratante.", "Não inclua de novo: retifique ou reative o CCO existente.", "0410"),
    Rule("duplicate_active_vinculo", E, R, "cpf",
         "Vínculo ativo repetido: dependente com o mesmo CPF, ou beneficiário sem CPF com o mesmo CNS ou PIS, "
         "plano e contratante de uma inclusão anterior do arquivo ou de um vínculo ativo na CNX.",
         "Não inclua de novo: retifique ou reative o CCO existente, ou cancele o vínculo antigo antes.", "0410"),
    Rule("duplicate_by_mother_name", W, R, "nomeMae",
         "Sem CPF, CNS e PIS, e há vínculo ativo com o mesmo nome da mãe, plano e contratante: a ANS pode "
         "recusar como duplicado [M] (irmãos também coincidem).",
         "Confira se é a mesma pessoa; envie CPF ou CNS para distinguir irmãos.", "0410"),
    # --- the vínculo at ANS: codes, plans, dates (sibtui.rules.ans_state) -------------------
    Rule("codigo_already_at_ans", E, R, "codigoBeneficiario",
         "Código do beneficiário já usado: vínculo na ANS (CNX ou RPX anterior), inclusão anterior deste arquivo "
         "ou de um arquivo ainda sem resposta.",
         "Use um código novo; se é o mesmo vínculo, retifique ou reative o CCO em vez de incluir.", "0802"),
    Rule("retification_unchanged", E, R, "cco",
         "Retificação idêntica ao que a ANS tem (CNX): não muda nenhum campo.",
         "Não envie a retificação; se falta corrigir algo, confira o campo e o valor.", "3011"),
    Rule("contract_change_same_plan", E, R, "numeroPlanoANS",
         "Mudança contratual para o plano que o vínculo já tem na ANS.",
         "Informe o plano novo; se o plano não mudou, não envie a mudança contratual.", "0905"),
    Rule("retification_is_contract_change", E, R, "numeroPlanoANS",
         "Retificação que muda o plano e a data de contratação: para a ANS é mudança contratual.",
         "Envie uma mudança contratual (plano novo e data da mudança), não uma retificação.", "0906, 1213"),
    Rule("retification_changes_contract", W, R, "numeroPlanoANS",
         "Retificação que muda só o plano ou só a data de contratação: a ANS aceita como correção; se foi troca "
         "de plano, é mudança contratual [M].",
         "Se corrige um erro de cadastro, envie; se o plano mudou, envie mudança contratual.", "0906, 1213"),
    Rule("retification_cancel_data", E, R, "dataCancelamento",
         "Retificação com dados de cancelamento para vínculo ativo na ANS, ou que não tem cancelamento a retificar.",
         "Para cancelar, envie um cancelamento; retire dataCancelamento e motivoCancelamento da retificação.",
         "3114, 3010"),
    Rule("retification_reactivation_data", E, R, "dataReativacao",
         "Retificação de data de reativação num vínculo que a ANS nunca reativou.",
         "Retire dataReativacao da retificação; para reativar, envie uma reativação.", "2010"),
    Rule("contract_after_ans_dates", E, R, "dataContratacao",
         "Retificação com data de contratação posterior ao cancelamento ou à reativação que a ANS tem.",
         "Corrija a data de contratação: ela vem antes das demais datas do vínculo.", "1214"),
    Rule("reactivation_before_contract", E, R, "dataReativacao",
         "Reativação anterior à data de contratação na ANS.", "Corrija a data de reativação.", "2013"),
    Rule("cancel_before_reactivation", E, R, "dataCancelamento",
         "Cancelamento anterior à última reativação na ANS.",
         "Use uma data de cancelamento igual ou posterior à reativação (a da CNX).", "3105"),
    Rule("birth_after_competencia", E, R, "dataNascimento",
         "Data de nascimento depois do último dia da competência do arquivo (arquivo dos dias 1 a 5: mês anterior).",
         "Corrija a data de nascimento; quem nasceu depois entra no arquivo da competência seguinte.", "0204"),
    Rule("contract_after_competencia", E, R, "dataContratacao",
         "Data de contratação depois do último dia da competência do arquivo (arquivo dos dias 1 a 5: mês "
         "anterior).", "Envie o movimento no arquivo da competência dele, ou corrija a data.", "1205"),
    # --- quality the ANS measures but accepts (sibtui.rules.quality) ------------------------
    Rule("mother_name_placeholder", W, R, "nomeMae",
         "Nome da mãe genérico (NAO DECLARADO, IGNORADA...) ou de uma palavra só: conta contra a qualidade "
         "cadastral.", "Envie o nome completo e real da mãe (ou omita o campo e envie o PIS/PASEP).", "0601"),
    Rule("name_abbreviated", W, R, "nome",
         "Nome com palavra de uma letra (abreviado, como FRANCISCO C DIAS).",
         "Escreva o nome por extenso, como no documento.", "0102"),
    Rule("plan_not_in_cnx", W, R, "numeroPlanoANS",
         "Plano que não aparece em nenhuma conferência (CNX) carregada da operadora: confira se está registrado "
         "no RPS.", "Confira o número do plano (RPS) no registro de produtos da ANS.", "09xx"),
    # --- CNS gaps (sibtui.rules.cns) --------------------------------------------------------
    Rule("cns_missing", W, R, "cns", "Sem CNS (indicador de qualidade da ANS).",
         "Com CPF válido, nome e nascimento a ANS atribui o CNS sozinha (aguarde a próxima CNX); "
         "senão, peça o CNS ao beneficiário (app ConecteSUS)."),
    Rule("cns_duplicate", W, R, "cns", "CNS repetido em mais de um vínculo ativo.",
         "Confira de quem é o CNS e retifique o vínculo errado."),
    Rule("cns_differs_from_cnx", W, R, "cns", "CNS diferente do que a ANS tem na conferência (CNX) mais recente.",
         "Confira qual está certo; se for o da ANS, atualize o seu cadastro."),
    # --- whole files (sibtui.rules.files) -----------------------------------------------------
    Rule("hash_mismatch", E, F, "hash", "Hash do epílogo declarado não confere com o conteúdo.",
         "Gere o arquivo de novo (o hash é MD5 de todos os valores, §2).", "20"),
    Rule("registro_ans_missing", E, F, "registroANS", "Cabeçalho sem origem/registroANS.",
         "Informe o registro ANS da operadora na origem.", "17"),
    Rule("registro_ans_name_mismatch", E, F, "registroANS",
         "Registro ANS do nome do arquivo diferente do cabeçalho.", "Renomeie o arquivo ou corrija o cabeçalho.",
         "18"),
    Rule("file_name_invalid", E, F, "name", "Nome de arquivo fora do padrão XXXXXXAAAAMMDDHHMMSS.SBX.",
         "Nomeie o arquivo com o registro ANS e a data/hora de geração.", "26"),
    Rule("destino_cnpj_invalid", E, F, "cnpj", "destino/cnpj ausente ou diferente do CNPJ da ANS (03589068000146).",
         "Informe 03589068000146 em destino/cnpj.", "22, 23"),
    Rule("versao_padrao_invalid", E, F, "versaoPadrao", "Versão do padrão não aceita.", "Use 1.1.", "24"),
    Rule("versao_padrao_unconfirmed", W, F, "versaoPadrao",
         "Versão 1.2 só aparece numa cópia do XSD de 2026; não se sabe se a ANS aceita [L].", "Prefira 1.1."),
    Rule("too_many_movements", E, F, None, "Mais de 100.000 movimentos no arquivo.",
         "Divida os movimentos em mais de um arquivo.", "21"),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in RULES_LIST}
assert len(RULES) == len(RULES_LIST), "a rule id is declared twice"


def rule(rule_id: str) -> Rule:
    """The rule of an id; a KeyError names a rule that the catalogue does not declare."""
    return RULES[rule_id]


def catalog_rows() -> list[tuple[str, str, str, str | None, str, str, str]]:
    """Rows of the `catalog_rules` table: (rule, severity, scope, field, description, fix, ans_codes)."""
    return [
        (r.id, r.severity.value, r.scope.value, r.field, r.description, r.fix, r.ans_codes) for r in RULES_LIST
    ]
