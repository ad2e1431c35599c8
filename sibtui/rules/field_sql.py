"""The value rules of `sibtui.rules.values` as SQL: one scan per column over a whole table.

For each domain this module writes the same ordered list of checks `values.check_value`
applies, as (SQL condition, rule, reason) triples; a CASE over them gives each value its
first failing rule. Everything is generated from the catalogue (element trees for where a
column is required or allowed, domains for what it may hold), so the Python validator and
the SQL checker cannot drift apart without a test noticing (`tests/test_rules_parity.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sibtui.catalog.domains import Base, Domain
from sibtui.catalog.kinds import Movement
from sibtui.catalog.municipalities import load_cep_ranges
from sibtui.db.identifiers import quote
from sibtui.rules import sql_digits, values
from sibtui.rules.fields import (
    REASON_CCO_IN_INCLUSION,
    REASON_NOT_ALLOWED,
    REASON_REQUIRED,
    field_label,
    places,
)
from sibtui.rules.values import LENIENT_CHECKS, STRICT_CHECKS

MUNICIPALITIES_TABLE = "__rule_municipalities"  # registered by the engine: codigo_sib, uf
Check = tuple[str, str, str]  # (SQL condition, rule id, pt-BR reason)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def collapsed(value: str) -> str:
    """xsd:integer/xsd:date whitespace collapse (§1.5), as `values.XSD_WHITESPACE`."""
    return f"trim({value}, ' ' || chr(9) || chr(13) || chr(10))"


def matches(value: str, pattern: str) -> str:
    return f"coalesce(regexp_full_match({value}, {literal(pattern)}), false)"


def integer_value(value: str) -> str:
    """The number an xsd:integer text stands for (`' 01 '` is 1), NULL when it is not one."""
    text = collapsed(value)
    return f"(CASE WHEN {matches(text, values.INTEGER_TEXT.pattern)} THEN TRY_CAST({text} AS HUGEINT) END)"


def parsed_date(value: str) -> str:
    """DATE of an xsd:date text, NULL when it is not one (same answers as `values.parse_date`)."""
    text = collapsed(value)
    return (
        f"(CASE WHEN {matches(text, values.DATE_TEXT.pattern)} AND substr({text}, 1, 4) <> '0000' "
        f"THEN TRY_CAST(substr({text}, 1, 10) AS DATE) END)"
    )


def cep_in_some_range(value: str) -> str:
    prefix = f"substr({value}, 1, 5)"
    ranges = " OR ".join(f"{prefix} BETWEEN '{r.inicio}' AND '{r.fim}'" for r in load_cep_ranges())
    return f"({ranges})"


def cep_uf(value: str) -> str:
    """UF of a CEP by its range (`municipalities.uf_for_cep`), NULL when none holds it."""
    prefix = f"substr({value}, 1, 5)"
    branches = " ".join(f"WHEN {prefix} BETWEEN '{r.inicio}' AND '{r.fim}' THEN '{r.uf}'" for r in load_cep_ranges())
    return f"(CASE WHEN {matches(value, '[0-9]{8}')} THEN (CASE {branches} END) END)"


def domain_checks(domain: Domain, value: str, today: dt.date) -> list[Check]:
    """The ordered checks of `values.check_value`, as SQL conditions on `value`."""
    if domain.values:
        return _enum_checks(domain, value)
    if domain.base is Base.DATE:
        return _date_checks(domain, value, today)
    if domain.check in STRICT_CHECKS:
        return _strict_checks(domain, value)
    if domain.check in LENIENT_CHECKS:
        return _lenient_checks(domain, value)
    if domain.name == "st_no_pessoa":
        return _size_checks(domain, value) + [(f"NOT {matches(value, domain.pattern or '')}", "name_invalid",
                                                values.REASON_NAME)]
    if domain.pattern:
        return _pattern_checks(domain, value)
    return _size_checks(domain, value)


def _enum_checks(domain: Domain, value: str) -> list[Check]:
    if domain.base is not Base.INTEGER:
        codes = ", ".join(literal(code) for code in domain.values)
        return [(f"{value} NOT IN ({codes})", "domain_invalid", values.domain_reason(domain))]
    number = integer_value(value)
    codes = ", ".join(domain.values)
    checks: list[Check] = []
    if domain.name == "st_cd_motivo_cancelamento":
        removed = values.REMOVED_MOTIVO_CANCELAMENTO
        checks.append((f"coalesce({number} = {removed}, false)", "domain_invalid", values.REASON_MOTIVO_45))
    checks.append((f"NOT coalesce({number} IN ({codes}), false)", "domain_invalid", values.domain_reason(domain)))
    return checks


DATE_ALIAS = "__date"  # the parsed date, computed once per row by `column_select`


def _date_checks(domain: Domain, value: str, today: dt.date) -> list[Check]:
    checks: list[Check] = [(f"{DATE_ALIAS} IS NULL", "date_invalid", values.REASON_DATE_FORMAT)]
    if domain.min_date:
        checks.append((f"{DATE_ALIAS} < DATE '{domain.min_date}'", "date_out_of_range",
                       values.date_minimum_reason(domain.min_date)))
    checks.append((f"{DATE_ALIAS} > DATE '{today.isoformat()}'", "date_future", values.REASON_DATE_FUTURE))
    return checks


def _strict_checks(domain: Domain, value: str) -> list[Check]:
    rule = STRICT_CHECKS[domain.check]  # type: ignore[index]
    count = values.pattern_digits(domain) or 0
    checks: list[Check] = [
        (f"NOT {matches(value, domain.pattern or '')}", rule, values.digits_reason(count)),
        (f"{value} = repeat(substr({value}, 1, 1), {count})", rule, values.REASON_ALL_EQUAL),
    ]
    if domain.check == "cns":
        checks.append((f"substr({value}, 1, 1) NOT IN ('1', '2', '7', '8', '9')", rule, values.REASON_CNS_FIRST_DIGIT))
    checks.append((f"NOT {sql_digits.CHECKS[domain.check](value)}", rule, values.REASON_CHECK_DIGIT))  # type: ignore[index]
    if domain.check == "cns":
        checks.append((f"substr({value}, 1, 1) IN ('7', '8', '9')", "cns_provisional", values.REASON_CNS_PROVISIONAL))
    return checks


def _lenient_checks(domain: Domain, value: str) -> list[Check]:
    rule = LENIENT_CHECKS[domain.check]  # type: ignore[index]
    count = values.pattern_digits(domain) or 0
    return [
        (f"NOT {matches(value, domain.pattern or '')}", "pattern_invalid", values.digits_reason(count)),
        (f"{value} = repeat(substr({value}, 1, 1), {count})", rule, values.REASON_ALL_EQUAL),
        (f"NOT {sql_digits.CHECKS[domain.check](value)}", rule, values.REASON_CHECK_DIGIT),  # type: ignore[index]
    ]


def _pattern_checks(domain: Domain, value: str) -> list[Check]:
    count = values.pattern_digits(domain) or 0
    checks: list[Check] = [(f"NOT {matches(value, domain.pattern or '')}", "pattern_invalid",
                            values.digits_reason(count))]
    if domain.check == "ibge":
        checks.append((f"{value} NOT IN (SELECT codigo_sib FROM {MUNICIPALITIES_TABLE})", "municipio_unknown",
                       values.REASON_MUNICIPIO))
    if domain.name == "st_nr_cep":
        checks.append((f"NOT {cep_in_some_range(value)}", "cep_invalid", values.REASON_CEP))
    return checks


def _size_checks(domain: Domain, value: str) -> list[Check]:
    bounds = []
    if domain.min_length is not None:
        bounds.append(f"length({value}) < {domain.min_length}")
    if domain.max_length is not None:
        bounds.append(f"length({value}) > {domain.max_length}")
    return [(" OR ".join(bounds), "size_invalid", values.size_reason(domain))] if bounds else []


# --- per-column SELECTs over a table -------------------------------------------------------


def _check_index(checks: list[Check]) -> str:
    """CASE giving the 1-based number of the first check that fails (each condition written once)."""
    branches = " ".join(f"WHEN {condition} THEN {number}" for number, (condition, _, _) in enumerate(checks, 1))
    return f"CASE {branches} END"


def _pick(texts: list[str], index: str) -> str:
    """`texts[index]` as SQL: a constant list indexed by the check number."""
    return f"[{', '.join(literal(text) for text in texts)}][{index}]"


def sbx_column_checks(column: str, today: dt.date) -> list[Check]:
    """Checks of one SBX column: required/allowed by movement, then its domain."""
    v = quote(column)
    by_movement = {m.value: places("sbx_movements", m.value).get(column) for m in Movement}
    allowed = [m for m, place in by_movement.items() if place is not None]
    required = [m for m, place in by_movement.items() if place is not None and place.required]
    domains = {place.domain.name: place.domain for place in by_movement.values() if place is not None}
    assert len(domains) <= 1, f"{column} has different domains per movement"
    checks: list[Check] = []
    if required:
        checks.append((f"{v} IS NULL AND movement IN ({_list(required)})", "required_missing", REASON_REQUIRED))
    checks.append((f"{v} IS NULL", "", ""))  # absent and not required: nothing more to say
    if column == "cco":
        checks.append(("movement = 'inclusao'", "field_not_allowed", REASON_CCO_IN_INCLUSION))
    checks.append((f"movement NOT IN ({_list(allowed)})", "field_not_allowed", REASON_NOT_ALLOWED))
    if domains:
        checks += domain_checks(next(iter(domains.values())), v, today)
    return checks


def _list(movements: list[str]) -> str:
    return ", ".join(literal(m) for m in movements)


def column_select(
    source: str,
    column: str,
    checks: list[Check],
    where: str = "TRUE",
    *,
    field: str | None = None,
    record_no: str = "record_no",
    keep: str = "TRUE",
) -> str:
    """SELECT of the findings one column yields: (file_id, record_no, field, rule, message, value).

    `field` names the finding's field when it is not the column (a header column); `keep`
    filters the findings further (it may use `rule` and the source's columns).
    """
    field = field or column
    kept = [check for check in checks if check[0]]
    label = field_label(field)
    rules = _pick([rule for _, rule, _ in kept], "__check")
    messages = _pick([f"{label}: {reason}" for _, _, reason in kept], "__check")
    return (
        f"SELECT file_id, __record_no AS record_no, {literal(field)} AS field, rule, {messages} AS message, "
        f"__value AS value FROM (SELECT *, {rules} AS rule FROM ("
        f"SELECT *, {_check_index(kept)} AS __check FROM ("
        f"SELECT *, {record_no} AS __record_no, {quote(column)} AS __value{_derived(kept, column)} "
        f"FROM {source} WHERE {where}))) WHERE rule <> '' AND ({keep})"
    )


def _derived(checks: list[Check], column: str) -> str:
    """Values the checks share, computed once per row (a CASE would recompute them per branch)."""
    uses_date = any(DATE_ALIAS in condition for condition, _, _ in checks)
    return f", {parsed_date(quote(column))} AS {DATE_ALIAS}" if uses_date else ""


def sbx_field_selects(source: str, columns: tuple[str, ...], today: dt.date) -> Iterator[str]:
    for column in columns:
        checks = sbx_column_checks(column, today)
        if len(checks) > 1:
            yield column_select(source, column, checks)


def cnx_field_selects(source: str, columns: tuple[str, ...], today: dt.date, where: str) -> Iterator[str]:
    """Identifier and date checks of CNX columns (ANS's own data: only what concerns the operator)."""
    cnx_places = places("cnx_beneficiaries", None)
    for column in columns:
        place = cnx_places.get(column)
        if place is None or not (place.domain.check in STRICT_CHECKS or place.domain.base is Base.DATE):
            continue
        checks = [(f"{quote(column)} IS NULL", "", "")] + domain_checks(place.domain, quote(column), today)
        # A provisional CNS is a gap only on an active vínculo.
        keep = "rule <> 'cns_provisional' OR situacao = 'ATIVO'" if column == "cns" else "TRUE"
        yield column_select(source, column, checks, where, keep=keep)
