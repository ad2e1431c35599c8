"""The checks of one value against its XSD domain, in the order both validators apply them.

This module is the single description of value rules: `sibtui.rules.fields` runs it in
Python on one value (as the analyst types), and `sibtui.rules.field_sql` turns the same
decisions into vectorised SQL over the workspace. A value gets at most one problem: the
first check it fails, so the analyst sees the root cause and never a cascade.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sibtui.catalog.domains import Base, Domain
from sibtui.catalog.municipalities import load_municipalities, uf_for_cep
from sibtui.rules import check_digits as cd
from sibtui.rules.catalog import RULES

# xsd:integer and xsd:date collapse these (§1.5); string types keep them.
XSD_WHITESPACE = " \t\r\n"
DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")

# Domains whose check digit ANS enforces: any bad value is `<check>_invalid`, an error.
STRICT_CHECKS = {"cpf": "cpf_invalid", "cns": "cns_invalid", "cnpj": "cnpj_invalid", "pis": "pis_invalid"}
# ANS-assigned or unsettled identifiers: the pattern is the XSD's (error), the digit a warning.
LENIENT_CHECKS = {"cco": "cco_invalid", "registro_ans": "registro_ans_invalid", "cei": "cei_invalid",
                  "caepf": "caepf_invalid"}
CHECK_FUNCTIONS: dict[str, Callable[[str | None], bool]] = {
    "cpf": cd.is_valid_cpf, "cns": cd.is_valid_cns, "cnpj": cd.is_valid_cnpj, "pis": cd.is_valid_pis,
    "cco": cd.is_valid_cco, "registro_ans": cd.is_valid_registro_ans, "cei": cd.is_valid_cei,
    "caepf": cd.is_valid_caepf,
}
REMOVED_MOTIVO_CANCELAMENTO = "45"  # transferência de carteira: in 2011 lists, not in the XSD


@dataclass(frozen=True)
class Verdict:
    """Why a value fails: the rule and the pt-BR reason (the label is added by the caller)."""

    rule: str
    reason: str

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity.value


# --- reasons, shared word for word with the SQL side ----------------------------------------


def digits_reason(count: int) -> str:
    return f"deve ter {count} dígitos, só números"


REASON_ALL_EQUAL = "todos os dígitos iguais"
REASON_CHECK_DIGIT = "dígito verificador não confere"
REASON_CNS_FIRST_DIGIT = "o primeiro dígito deve ser 1 ou 2 (definitivo) ou 7, 8 ou 9 (provisório)"
REASON_CNS_PROVISIONAL = "provisório; peça o definitivo ao beneficiário (app ConecteSUS)"
REASON_DATE_FORMAT = "data inválida (use AAAA-MM-DD com uma data que exista)"
REASON_DATE_FUTURE = "data no futuro"
REASON_NAME = "só letras, os acentos permitidos, apóstrofo e espaço"
REASON_MUNICIPIO = "município inexistente na tabela do IBGE"
REASON_CEP = "fora das faixas dos Correios"
REASON_MOTIVO_45 = "45 (transferência de carteira) não existe mais no XSD"


def date_minimum_reason(minimum: str) -> str:
    return f"anterior a {minimum}, o mínimo do XSD"


def size_reason(domain: Domain) -> str:
    low, high = domain.min_length, domain.max_length
    if high is None:
        return f"deve ter ao menos {low} caractere(s)"
    if not low:
        return f"deve ter no máximo {high} caracteres"
    return f"deve ter de {low} a {high} caracteres"


def domain_reason(domain: Domain) -> str:
    choices = ", ".join(f"{code} ({label})" for code, label in domain.values.items())
    return f"fora do domínio; valores aceitos: {choices}"


def pattern_digits(domain: Domain) -> int | None:
    """N of a `[0-9]{N}` pattern, the form of every numeric SIB domain."""
    match = re.fullmatch(r"\[0-9\]\{([0-9]+)\}", domain.pattern or "")
    return int(match.group(1)) if match else None


# --- the checks ---------------------------------------------------------------------------


def check_family(domain: Domain) -> str:
    """Which checks a domain takes, decided once for both readings: here in Python and, the
    same checks as SQL, in `sibtui.rules.field_sql.domain_checks`."""
    if domain.values:
        return "enum"
    if domain.base is Base.DATE:
        return "date"
    if domain.check in STRICT_CHECKS:
        return "strict"
    if domain.check in LENIENT_CHECKS:
        return "lenient"
    if domain.name == "st_no_pessoa":
        return "name"
    return "pattern" if domain.pattern else "size"


def check_value(domain: Domain, value: str, today: dt.date) -> Verdict | None:
    """The first rule `value` (present, as stored) breaks in `domain`, or None."""
    family = check_family(domain)
    if family == "date":
        return _check_date(domain, value, today)
    return _CHECKS[family](domain, value)


def _check_enum(domain: Domain, value: str) -> Verdict | None:
    if domain.base is Base.INTEGER:
        text = value.strip(XSD_WHITESPACE)
        key = str(int(text)) if INTEGER_TEXT.fullmatch(text) else None
    else:
        key = value
    if key in domain.values:
        return None
    if domain.name == "st_cd_motivo_cancelamento" and key == REMOVED_MOTIVO_CANCELAMENTO:
        return Verdict("domain_invalid", REASON_MOTIVO_45)
    return Verdict("domain_invalid", domain_reason(domain))


def parse_date(value: str) -> dt.date | None:
    """The date of an xsd:date text (whitespace collapsed, timezone ignored), or None."""
    match = DATE_TEXT.fullmatch(value.strip(XSD_WHITESPACE))
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _check_date(domain: Domain, value: str, today: dt.date) -> Verdict | None:
    parsed = parse_date(value)
    if parsed is None:
        return Verdict("date_invalid", REASON_DATE_FORMAT)
    if domain.min_date and parsed < dt.date.fromisoformat(domain.min_date):
        return Verdict("date_out_of_range", date_minimum_reason(domain.min_date))
    if parsed > today:
        return Verdict("date_future", REASON_DATE_FUTURE)
    return None


def _check_strict(domain: Domain, value: str) -> Verdict | None:
    rule = STRICT_CHECKS[domain.check]  # type: ignore[index]
    count = pattern_digits(domain)
    if not re.fullmatch(domain.pattern or "", value):
        return Verdict(rule, digits_reason(count or 0))
    if len(set(value)) == 1:
        return Verdict(rule, REASON_ALL_EQUAL)
    if domain.check == "cns" and value[0] not in "12789":
        return Verdict(rule, REASON_CNS_FIRST_DIGIT)
    if not CHECK_FUNCTIONS[domain.check](value):  # type: ignore[index]
        return Verdict(rule, REASON_CHECK_DIGIT)
    if domain.check == "cns" and cd.is_provisional_cns(value):
        return Verdict("cns_provisional", REASON_CNS_PROVISIONAL)
    return None


def _check_lenient(domain: Domain, value: str) -> Verdict | None:
    if not re.fullmatch(domain.pattern or "", value):
        return Verdict("pattern_invalid", digits_reason(pattern_digits(domain) or 0))
    if len(set(value)) == 1:
        return Verdict(LENIENT_CHECKS[domain.check], REASON_ALL_EQUAL)  # type: ignore[index]
    if not CHECK_FUNCTIONS[domain.check](value):  # type: ignore[index]
        return Verdict(LENIENT_CHECKS[domain.check], REASON_CHECK_DIGIT)  # type: ignore[index]
    return None


def _check_name(domain: Domain, value: str) -> Verdict | None:
    size = _check_size(domain, value)
    if size is not None:
        return size
    if not re.fullmatch(domain.pattern or "", value):
        return Verdict("name_invalid", REASON_NAME)
    return None


def _check_pattern(domain: Domain, value: str) -> Verdict | None:
    if not re.fullmatch(domain.pattern or "", value):
        return Verdict("pattern_invalid", digits_reason(pattern_digits(domain) or 0))
    if domain.check == "ibge" and value not in load_municipalities():
        return Verdict("municipio_unknown", REASON_MUNICIPIO)
    if domain.name == "st_nr_cep" and uf_for_cep(value) is None:
        return Verdict("cep_invalid", REASON_CEP)
    return None


def _check_size(domain: Domain, value: str) -> Verdict | None:
    too_short = domain.min_length is not None and len(value) < domain.min_length
    too_long = domain.max_length is not None and len(value) > domain.max_length
    return Verdict("size_invalid", size_reason(domain)) if too_short or too_long else None


_CHECKS: dict[str, Callable[[Domain, str], Verdict | None]] = {
    "enum": _check_enum, "strict": _check_strict, "lenient": _check_lenient, "name": _check_name,
    "pattern": _check_pattern, "size": _check_size,
}
