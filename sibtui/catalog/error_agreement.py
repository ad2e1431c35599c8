"""Does ANS's own message for a code say what our catalogue says about it?

Our explanations of RPX codes come from one operator's code [M] (`criticas.md`), and ANS may
use a code for another field or another meaning. Before the console shows our hint under
ANS's `mensagemErro`, it asks whether the two agree: the field ANS names (`codigoCampo`,
`descricaoCampo`, the message itself) must be one the code is about, and what the message
says went wrong (required, invalid, duplicate, not found, date order, identical...) must be
one of the things the code means. When they clearly differ, the hint is labelled "dica do
catálogo — a mensagem da ANS difere; pode não se aplicar"; when the message says nothing we
can read, the hint stands.

The same regular expressions run in Python (`disagreement`) and in SQL
(`disagreement_sql`, for `error_code_catalog`), over the upper-cased, accent-free text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# What a message can say went wrong. RE2 syntax (DuckDB), no look-around.
KINDS: dict[str, str] = {
    "obrigatório": r"OBRIGATORI|NAO INFORMAD|NAO DECLARAD|AUSENTE|DEVE SER INFORMAD|NAO PREENCHID|EM BRANCO|VAZI[OA]",
    "inválido": r"INVALID|DIGITO VERIFICADOR|FORMATO|CARACTERE|ABREVIA|TAMANHO|DOMINIO|VALORES",
    "já existe": r"JA EXISTE|DUPLICID|DUPLICAD|REPETID|JA CADASTRAD|JA POSSUI|JA UTILIZAD",
    "não encontrado": r"NAO PERTENCE|NAO ENCONTRAD|INEXISTENTE|NAO EXISTE|NAO LOCALIZAD|NAO CADASTRAD",
    "ordem de datas": r"ANTERIOR|POSTERIOR|MAIOR|MENOR|FUTUR|COMPETENCIA",
    "idêntico": r"IDENTIC|SEM ALTERACAO|NAO HOUVE ALTERACAO",
    "mesmo valor": r"O MESMO|A MESMA|MESMO EXISTENTE|IGUAL",
    "mudança contratual": r"MUDANCA CONTRATUAL",
    "inativo": r"INATIV|CANCELAD|BLOQUEAD",
    "ativo": r"(^|[^N])ATIV[OA]S?\b",
}
# How a message or a field description names a field (the mother's name is read first and
# taken out, so that "NOME DA MAE" is not also the beneficiary's name).
MOTHER = r"NOME DA MAE|NOME MAE|\bMAE\b"
FIELD_TERMS: dict[str, str] = {
    "nomeMae": MOTHER,
    "nome": r"\bNOME\b",
    "cpf": r"\bCPF\b",
    "cns": r"\bCNS\b|CARTAO NACIONAL",
    "pisPasep": r"\bPIS\b|PASEP|\bNIT\b",
    "dn": r"\bDN\b|NASCIDO VIVO",
    "dataNascimento": r"NASCIMENTO",
    "sexo": r"\bSEXO\b",
    "codigoBeneficiarioTitular": r"TITULAR",
    "codigoBeneficiario": r"CODIGO (DE IDENTIFICACAO )?DO BENEFICIARIO|MATRICULA",
    "relacaoDependencia": r"DEPENDENCIA|PARENTESCO",
    "dataContratacao": r"CONTRATACAO|ADESAO",
    "dataReativacao": r"REATIVACAO",
    "dataCancelamento": r"CANCELAMENTO|BLOQUEIO|EXCLUSAO",
    "numeroPlanoANS": r"PLANO|\bRPS\b|\bSCPA\b",
    "cnpjEmpresaContratante": r"\bCNPJ\b|\bCEI\b|CAEPF|CONTRATANTE",
    "cco": r"\bCCO\b",
    "codigoMunicipio": r"MUNICIPIO|\bCEP\b|ENDERECO|LOGRADOURO|BAIRRO",
}


@dataclass(frozen=True)
class Meaning:
    """What a code is about (its fields) and what it says went wrong (its kinds)."""

    fields: frozenset[str]
    kinds: frozenset[str]


def _m(fields: str, kinds: str) -> Meaning:
    return Meaning(frozenset(fields.split()), frozenset(k.strip() for k in kinds.split(",")))


DATES = "ordem de datas"
# criticas.md §2, as meanings: the fields a message about the code may name, and its kinds.
MEANINGS: dict[str, Meaning] = {
    "0101": _m("nome", "obrigatório"),
    "0102": _m("nome", "inválido"),
    "0204": _m("dataNascimento", DATES),
    "0401": _m("cpf codigoBeneficiarioTitular", "obrigatório"),
    "0403": _m("cpf codigoBeneficiarioTitular relacaoDependencia", "obrigatório"),
    "0408": _m("cpf nomeMae cns pisPasep", "obrigatório"),
    "0410": _m("cpf cns pisPasep nomeMae numeroPlanoANS cnpjEmpresaContratante", "já existe, mesmo valor"),
    "0501": _m("pisPasep", "inválido"),
    "0601": _m("nomeMae", "obrigatório, inválido"),
    "0701": _m("cns", "inválido"),
    "0802": _m("codigoBeneficiario", "já existe"),
    "0905": _m("numeroPlanoANS", "mesmo valor, mudança contratual"),
    "0906": _m("numeroPlanoANS dataContratacao", "mudança contratual"),
    "1205": _m("dataContratacao", DATES),
    "1213": _m("numeroPlanoANS dataContratacao", "mudança contratual"),
    "1214": _m("dataContratacao dataCancelamento dataReativacao", DATES),
    "1218": _m("dataContratacao dataNascimento", DATES),
    "1220": _m("dataContratacao dataCancelamento dataReativacao", DATES),
    "1602": _m("cnpjEmpresaContratante numeroPlanoANS", "obrigatório"),
    "1604": _m("cnpjEmpresaContratante", "inválido"),
    "1801": _m("codigoBeneficiarioTitular", "obrigatório"),
    "1802": _m("codigoBeneficiarioTitular", "não encontrado, inativo"),
    "1803": _m("codigoBeneficiarioTitular", "não encontrado"),
    "2004": _m("dataReativacao dataCancelamento", DATES),
    "2009": _m("dataReativacao dataCancelamento", DATES),
    "2010": _m("dataReativacao", "não encontrado"),
    "2013": _m("dataReativacao dataContratacao dataCancelamento", DATES),
    "2101": _m("codigoMunicipio", "obrigatório, inválido"),
    "3001": _m("cco", "obrigatório"),
    "3004": _m("cco", "não encontrado"),
    "3005": _m("cco", "inativo"),
    "3010": _m("cco dataCancelamento", "não encontrado"),
    "3011": _m("cco", "idêntico, mesmo valor"),
    "3101": _m("dataCancelamento", "obrigatório"),
    "3104": _m("dataCancelamento dataContratacao", DATES),
    "3105": _m("dataCancelamento dataReativacao", DATES),
    "3114": _m("dataCancelamento", "ativo"),
}


def normalized(text: str | None) -> str:
    """Upper case without accents (DuckDB's `upper(strip_accents(...))`)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def kinds_of(text: str | None) -> set[str]:
    said = normalized(text)
    return {kind for kind, pattern in KINDS.items() if re.search(pattern, said)}


def fields_of(text: str | None) -> set[str]:
    said = normalized(text)
    found = {"nomeMae"} if re.search(MOTHER, said) else set()
    rest = re.sub(MOTHER, " ", said)
    found |= {name for name, pattern in FIELD_TERMS.items() if name != "nomeMae" and re.search(pattern, rest)}
    return found


def disagreement(code: str | None, message: str | None, field_id: str | None = None,
                 field_description: str | None = None) -> str | None:
    """Why ANS's message for `code` is not what our catalogue explains (pt-BR), or None.

    None also when the code is not catalogued or the message names nothing we can read.
    """
    code = (code or "").strip()
    meaning = MEANINGS.get(code)
    if meaning is None:
        return None
    campo = (field_id or "").strip()
    if campo.isdigit() and campo.rjust(2, "0")[:2] != code[:2]:  # as SQL's lpad(campo, 2, '0')
        return f"a ANS aponta o campo {campo.rjust(2, '0')[:2]}, e o código {code} é do campo {code[:2]}"
    named = fields_of(field_description) | fields_of(message)
    if named and not named & meaning.fields:
        return "a ANS fala de outro campo"
    said = kinds_of(message)
    if said and not said & meaning.kinds:
        return f"a ANS diz {', '.join(sorted(said))}; o catálogo fala de {', '.join(sorted(meaning.kinds))}"
    return None


# --- the same decision in SQL ---------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _list_sql(patterns: dict[str, str], text: str) -> str:
    items = ", ".join(f"CASE WHEN regexp_matches({text}, {_literal(p)}) THEN {_literal(k)} END" for k, p in patterns.items())
    return f"list_filter([{items}], lambda x: x IS NOT NULL)"


def kinds_sql(message: str) -> str:
    return _list_sql(KINDS, f"upper(strip_accents(coalesce({message}, '')))")


def fields_sql(text: str) -> str:
    said = f"upper(strip_accents(coalesce({text}, '')))"
    mother = f"CASE WHEN regexp_matches({said}, {_literal(MOTHER)}) THEN ['nomeMae'] ELSE [] END"
    others = {name: pattern for name, pattern in FIELD_TERMS.items() if name != "nomeMae"}
    rest = f"regexp_replace({said}, {_literal(MOTHER)}, ' ', 'g')"
    return f"list_concat({mother}, {_list_sql(others, rest)})"


def disagreement_sql(code: str, message: str, field_id: str, field_description: str, meanings: str) -> str:
    """SQL boolean: ANS's message disagrees with the catalogue (`disagreement` is not None).

    `meanings` is a relation alias with `fields` and `kinds` (VARCHAR[]) of the code, NULL
    when the code is not catalogued (`catalog_error_codes`).
    """
    campo = f"trim({field_id})"
    named = f"list_distinct(list_concat({fields_sql(field_description)}, {fields_sql(message)}))"
    said = kinds_sql(message)
    return (
        f"({meanings}.fields IS NOT NULL AND ("
        f"coalesce(regexp_full_match({campo}, '[0-9]+') AND lpad({campo}, 2, '0') <> left(trim({code}), 2), false) "
        f"OR (len({named}) > 0 AND NOT list_has_any({named}, {meanings}.fields)) "
        f"OR (len({said}) > 0 AND NOT list_has_any({said}, {meanings}.kinds))))"
    )
