"""Explanations of RPX error codes (`codigoErro`) and whole-file rejection codes.

ANS's own table of críticas is not public in readable form (`criticas.md` §0): the 37 codes
below were recovered from an operator's pre-critique code [M]. They are **hints**: the RPX's
own `mensagemErro` and `descricaoCampo` are always shown as written, beside these.

A code is two digits of field id plus two of error number (§4.1), so a code we have never
seen still names its field; `explain()` falls back to that, and to what a loaded RPX's
`consolidadoErroProcessamento` says, so new codes are learnt from the files themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sibtui.catalog.fields import FIELD_BY_RPX_ID, FIELDS


@dataclass(frozen=True)
class ErrorExplanation:
    """What an RPX error code means, as far as we know, and how to fix the record."""

    code: str
    field_name: str | None  # SBX element the code is about, when the field id is mapped
    cause: str  # likely cause, in Portuguese
    fix: str  # how to correct the record, in Portuguese
    operations: str = ""  # movements where the source saw it (INC, RET, MUD, CAN, REA)
    confidence: str = "M"  # H, M or L (criticas.md)
    known: bool = True  # False when only the field id is known

    @property
    def field_id(self) -> str:
        return self.code[:2]

    @property
    def field_label(self) -> str | None:
        field = FIELDS.get(self.field_name) if self.field_name else None
        return field.label if field else None


def _e(code: str, field_name: str | None, cause: str, fix: str, operations: str) -> ErrorExplanation:
    return ErrorExplanation(code, field_name, cause, fix, operations)


# criticas.md §2, in the words of our analysts (not ANS's wording).
KNOWN_CODES: dict[str, ErrorExplanation] = {
    e.code: e
    for e in (
        _e("0101", "nome", "Nome do beneficiário vazio.", "Envie o nome completo.", "INC, RET"),
        _e("0102", "nome", "Nome abreviado (palavra de uma letra), com dígito ou com símbolo.",
           "Escreva o nome por extenso, só letras e espaços.", "INC, RET"),
        _e("0204", "dataNascimento", "Data de nascimento posterior ao mês da competência do arquivo.",
           "Corrija a data de nascimento.", "INC, RET"),
        _e("0401", "cpf", "Titular enviado sem CPF.", "Envie o CPF de todo titular.", "INC"),
        _e("0403", "cpf", "Dependente com 18 anos ou mais sem CPF.", "Envie o CPF do dependente.", "INC, RET"),
        _e("0408", "cpf", "Dependente menor sem CPF, nome da mãe, CNS ou PIS/PASEP.",
           "Envie ao menos um desses dados.", "INC, RET"),
        _e("0410", "cpf", "Já existe vínculo ativo na ANS com o mesmo CPF (ou CNS, PIS, nome da mãe), plano e "
           "contratante.", "Não inclua de novo: retifique ou reative o CCO existente, ou cancele o vínculo antigo "
           "antes.", "INC"),
        _e("0501", "pisPasep", "PIS/PASEP vazio, sem 11 dígitos, com letras ou com dígito verificador errado.",
           "Corrija o número ou omita a tag.", "INC, RET"),
        _e("0601", "nomeMae", "Nome da mãe ausente, genérico (NAO DECLARADO, IGNORADO...), de uma palavra, "
           "abreviado ou com símbolos.", "Envie o nome completo e real da mãe.", "INC, RET"),
        _e("0701", "cns", "CNS presente mas inválido (tamanho, caracteres ou regra do DATASUS). A ANS não critica "
           "CNS em branco.", "Corrija o CNS ou omita a tag; a ANS atribui o CNS a quem tem CPF, nome e nascimento "
           "válidos.", "INC, RET"),
        _e("0802", "codigoBeneficiario", "Código do beneficiário já existe na ANS para outro vínculo.",
           "Use um código novo, ou retifique o CCO existente em vez de incluir.", "INC, RET"),
        _e("0905", "numeroPlanoANS", "Mudança contratual para o plano que já está no cadastro.",
           "Envie o plano novo, ou não envie a mudança.", "MUD"),
        _e("0906", "numeroPlanoANS", "Retificação que muda plano e data de contratação: isso é mudança contratual.",
           "Envie como mudança contratual.", "RET"),
        _e("1205", "dataContratacao", "Data de contratação posterior à competência do arquivo.",
           "Envie o movimento na competência certa ou corrija a data.", "INC, RET, MUD"),
        _e("1213", "dataContratacao", "Plano e data de contratação diferentes dos do cadastro numa retificação: "
           "isso é mudança contratual.", "Envie como mudança contratual.", "RET"),
        _e("1214", "dataContratacao", "Data de contratação posterior a uma data já registrada na ANS "
           "(cancelamento, reativação, inclusão).", "Corrija a data de contratação.", "INC, RET, MUD"),
        _e("1218", "dataContratacao", "Data de contratação anterior ao nascimento.",
           "Corrija uma das duas datas.", "INC, RET, MUD"),
        _e("1220", "dataContratacao", "Cancelamento com data anterior à contratação.",
           "Use data de cancelamento igual ou posterior à contratação registrada na ANS (veja a CNX).", "CAN"),
        _e("1602", "cnpjEmpresaContratante", "Plano coletivo sem CNPJ (ou CAEPF/CEI) da contratante.",
           "Envie o CNPJ da contratante (ou o CAEPF).", "INC, MUD, REA"),
        _e("1604", "cnpjEmpresaContratante", "CNPJ da contratante com dígito verificador errado.",
           "Corrija o CNPJ.", "INC"),
        _e("1801", "codigoBeneficiarioTitular", "Dependente sem o código do titular.",
           "Envie o codigoBeneficiario do titular.", "INC"),
        _e("1802", "codigoBeneficiarioTitular", "O titular não é beneficiário conhecido na ANS: ainda não foi "
           "enviado, foi rejeitado ou vem depois no arquivo.", "Inclua o titular antes (em arquivo anterior ou "
           "antes no mesmo arquivo) e confira o código.", "INC, RET"),
        _e("1803", "codigoBeneficiarioTitular", "O código aponta para alguém registrado como dependente.",
           "Aponte para o titular verdadeiro.", "INC, RET"),
        _e("2004", "dataReativacao", "Reativação anterior à data de cancelamento na ANS.",
           "Corrija a data de reativação.", "REA"),
        _e("2009", "dataReativacao", "Retificação com data de reativação posterior ao cancelamento ou à última "
           "reativação.", "Corrija a data de reativação.", "RET"),
        _e("2010", "dataReativacao", "Retificação de data de reativação num vínculo que nunca foi reativado.",
           "Retire dataReativacao da retificação.", "RET"),
        _e("2013", "dataReativacao", "Reativação anterior à data de contratação.",
           "Corrija a data de reativação.", "REA"),
        _e("2101", "tipoEndereco", "Tipo de endereço ausente ou diferente de 1 e 2.",
           "Envie 1 (profissional) ou 2 (residencial).", "INC"),
        _e("3001", "cco", "Movimento sem CCO.", "Envie o CCO do RPX da inclusão ou da CNX.", "RET, MUD, CAN, REA"),
        _e("3004", "cco", "CCO não pertence à operadora (não existe na ANS para este registro).",
           "Pegue o CCO na CNX.", "RET, MUD, CAN, REA"),
        _e("3005", "cco", "Cancelamento de vínculo que já está inativo na ANS.",
           "Não envie o cancelamento.", "CAN"),
        _e("3010", "cco", "Retificação de dados de cancelamento num vínculo sem cancelamento.",
           "Retire os campos de cancelamento da retificação.", "RET"),
        _e("3011", "cco", "Retificação que não muda nada em relação ao cadastro da ANS.",
           "Não envie retificações sem mudança.", "RET"),
        _e("3101", "dataCancelamento", "Cancelamento sem data.", "Envie a data de cancelamento.", "CAN"),
        _e("3104", "dataCancelamento", "Cancelamento com data anterior à contratação.",
           "Use uma data igual ou posterior à dataContratacao da CNX.", "CAN"),
        _e("3105", "dataCancelamento", "Cancelamento com data anterior à última reativação.",
           "Corrija a data de cancelamento.", "CAN"),
        _e("3114", "dataCancelamento", "Retificação com data de cancelamento para vínculo ativo na ANS.",
           "Cancele com um movimento de cancelamento, não com retificação.", "RET"),
    )
}

def field_for_id(field_id: str) -> str | None:
    """The SBX element an RPX field id (`codigoCampo`) most likely names.

    Ids 31/32 are disputed (criticas.md §1.2); the catalogue follows the concrete codes
    above (31 = dataCancelamento). Screens show the RPX's `descricaoCampo` beside it.
    """
    field = FIELD_BY_RPX_ID.get(field_id)
    return field.name if field else None


def explain(code: str | None, ans_message: str | None = None) -> ErrorExplanation:
    """Our explanation of `code`; for a code we do not know, what its field id tells."""
    code = (code or "").strip()
    known = KNOWN_CODES.get(code)
    if known is not None:
        return known
    field_name = field_for_id(code[:2]) if len(code) == 4 and code.isdigit() else None
    label = FIELDS[field_name].label if field_name else None
    said = f" A ANS diz: {ans_message.strip()}." if ans_message and ans_message.strip() else ""
    where = f" Campo {code[:2]}: {label}." if label else ""
    return ErrorExplanation(
        code, field_name, f"Código fora do nosso catálogo.{said}{where}", "Leia a mensagem da ANS e corrija o campo indicado.", confidence="L",
        known=False,
    )


# Whole-file rejections (`arquivoRejeitado/codigoMotivoRejeicao`, §4.3): what to do next.
FILE_REJECTION_FIXES: dict[str, str] = {
    "16": "O arquivo não passa no XSD da ANS: valide-o com o schema oficial, corrija e reenvie tudo.",
    "17": "Preencha cabecalho/origem/registroANS com o registro da operadora (6 dígitos).",
    "18": "O registro ANS do cabeçalho não bate com a operadora ou com o nome do arquivo.",
    "19": "O registro da operadora está inativo na ANS: fale com a ANS antes de reenviar.",
    "20": "O hash do epílogo não confere: regenere o arquivo (o sibtui recalcula o hash) e reenvie.",
    "21": "Mais de 100.000 movimentos: divida em vários arquivos.",
    "22": "Preencha cabecalho/destino/cnpj com 03589068000146.",
    "23": "cabecalho/destino/cnpj deve ser 03589068000146 (CNPJ da ANS).",
    "24": "versaoPadrao deve ser a versão vigente (1.1).",
    "26": "Nome do arquivo fora do padrão RRRRRRAAAAMMDDHHMMSS.SBX, ou repetido.",
}
