"""The value rules of `sibtui.rules.values` as SQL: one scan per column over a whole table.

For each domain this module writes the same ordered list of checks `values.check_value`
applies, as (SQL condition, rule, reason) triples; a CASE over them gives each value its
first failing rule. Everything is generated from the catalogue (element trees for where a
column is required or allowed, domains for what it may hold), so the Python validator and
the SQL checker cannot drift apart without a test noticing (`tests/test_rules_parity.py`).

Two ways to run the same checks over a table (a test holds them equal on random corpora):

- `column_select` judges every row: the reference, simple and used on small tables.
- `distinct_column_select` judges each *distinct* value once and joins the verdicts back
  to the rows; the checks that depend on the record (required or allowed in its
  movement) stay per row. Dates, codes, CEPs and municipalities repeat a lot (a million
  birth dates are some 30,000 values), so their checks run on a fraction of the rows;
  identifiers are mostly distinct, where the DISTINCT costs ~5% more than judging rows,
  and a file that repeats one CPF or CNS costs nothing. The engine uses this one.

Values the checks of a domain share or that cost the most (the parsed date, an identifier's
check-digit arithmetic, the integer of a code, a CEP's prefix) are computed once per value
as derived columns (`DERIVED`), which the conditions name: inside a CASE they would be
recomputed per branch, and DuckDB neither shares subexpressions across the lazily evaluated
branches of a CASE nor evaluates arithmetic there as fast (2x for the CNS).
The verdicts are a MATERIALIZED CTE: otherwise the optimiser pushes the "has a finding"
filter below the CASE, inlining the whole CASE (and the derived columns) a second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial

from sibtui.catalog.domains import Base, Domain
from sibtui.catalog.kinds import Movement
from sibtui.catalog.municipalities import load_cep_ranges
from sibtui.db.identifiers import quote
from sibtui.rules import sql_digits, values
from sibtui.rules.fields import (
    REASON_CCO_IN_INCLUSION,
    REASON_NOT_ALLOWED,
    REASON_REQUIRED,
    Place,
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
    """The number an xsd:integer text stands for (`' 01 '` is 1), NULL when it is not one.

    Plain digits are cast directly; only other text pays for the whitespace collapse.
    """
    text = collapsed(value)
    general = f"CASE WHEN {matches(text, values.INTEGER_TEXT.pattern)} THEN TRY_CAST({text} AS HUGEINT) END"
    return f"(CASE WHEN {matches(value, '[0-9]+')} THEN TRY_CAST({value} AS HUGEINT) ELSE {general} END)"


PLAIN_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"  # what nearly every date looks like


def parsed_date(value: str) -> str:
    """DATE of an xsd:date text, NULL when it is not one (same answers as `values.parse_date`).

    A plain `AAAA-MM-DD` (no blanks to collapse, no timezone) is cast directly; only other
    text pays for the whitespace collapse, which costs twice the rest (a trim of a set).
    """
    text = collapsed(value)
    general = (
        f"CASE WHEN {matches(text, values.DATE_TEXT.pattern)} AND substr({text}, 1, 4) <> '0000' "
        f"THEN TRY_CAST(substr({text}, 1, 10) AS DATE) END"
    )
    return (
        f"(CASE WHEN {matches(value, PLAIN_DATE)} THEN (CASE WHEN {value} NOT LIKE '0000%' "
        f"THEN TRY_CAST({value} AS DATE) END) ELSE {general} END)"
    )


def cep_in_some_range(value: str, prefix: str | None = None) -> str:
    """`value` (8 digits) is in some CEP range; `prefix` is its first 5 digits when already computed."""
    prefix = prefix or f"substr({value}, 1, 5)"
    ranges = " OR ".join(f"{prefix} BETWEEN '{r.inicio}' AND '{r.fim}'" for r in load_cep_ranges())
    return f"({ranges})"


def cep_uf(value: str) -> str:
    """UF of a CEP by its range (`municipalities.uf_for_cep`), NULL when none holds it."""
    prefix = f"substr({value}, 1, 5)"
    branches = " ".join(f"WHEN {prefix} BETWEEN '{r.inicio}' AND '{r.fim}' THEN '{r.uf}'" for r in load_cep_ranges())
    return f"(CASE WHEN {matches(value, '[0-9]{8}')} THEN (CASE {branches} END) END)"


# Values several checks of a domain use, computed once per value; conditions name the alias.
DATE_ALIAS = "__date"  # the parsed date
INTEGER_ALIAS = "__integer"  # the number an xsd:integer code stands for
CEP_PREFIX_ALIAS = "__cep5"  # the 5 digits CEP ranges are written in


def check_digits_alias(check: str) -> str:
    """Whether an identifier's check digits agree (meaningful once its text is known to be digits)."""
    return f"__check_digits_{check}"


DERIVED: dict[str, Callable[[str], str]] = {
    DATE_ALIAS: parsed_date,
    INTEGER_ALIAS: integer_value,
    CEP_PREFIX_ALIAS: lambda value: f"substr({value}, 1, 5)",
    **{check_digits_alias(name): partial(sql_digits.arithmetic, name) for name in sql_digits.ARITHMETIC},
}


def derived_columns(checks: list[Check], value: str) -> str:
    """`, <expr> AS <alias>` for every derived value the checks' conditions name."""
    used = [alias for alias in DERIVED if any(alias in condition for condition, _, _ in checks)]
    return "".join(f", {DERIVED[alias](value)} AS {alias}" for alias in used)


def domain_checks(domain: Domain, value: str, today: dt.date) -> list[Check]:
    """The ordered checks of `values.check_value`, as SQL conditions on `value`.

    Conditions may name the derived values of `DERIVED`: run them where
    `derived_columns` adds those (as `column_select` and `distinct_column_select` do).
    """
    family = values.check_family(domain)
    if family == "date":
        return _date_checks(domain, value, today)
    return _CHECKS[family](domain, value)


def _name_checks(domain: Domain, value: str) -> list[Check]:
    return _size_checks(domain, value) + [(f"NOT {matches(value, domain.pattern or '')}", "name_invalid",
                                            values.REASON_NAME)]


def _enum_checks(domain: Domain, value: str) -> list[Check]:
    if domain.base is not Base.INTEGER:
        codes = ", ".join(literal(code) for code in domain.values)
        return [(f"{value} NOT IN ({codes})", "domain_invalid", values.domain_reason(domain))]
    number = INTEGER_ALIAS
    codes = ", ".join(domain.values)
    checks: list[Check] = []
    if domain.name == "st_cd_motivo_cancelamento":
        removed = values.REMOVED_MOTIVO_CANCELAMENTO
        checks.append((f"coalesce({number} = {removed}, false)", "domain_invalid", values.REASON_MOTIVO_45))
    checks.append((f"NOT coalesce({number} IN ({codes}), false)", "domain_invalid", values.domain_reason(domain)))
    return checks




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
    checks.append((f"NOT {_check_digits_agree(domain)}", rule, values.REASON_CHECK_DIGIT))
    if domain.check == "cns":
        checks.append((f"substr({value}, 1, 1) IN ('7', '8', '9')", "cns_provisional", values.REASON_CNS_PROVISIONAL))
    return checks


def _lenient_checks(domain: Domain, value: str) -> list[Check]:
    rule = LENIENT_CHECKS[domain.check]  # type: ignore[index]
    count = values.pattern_digits(domain) or 0
    return [
        (f"NOT {matches(value, domain.pattern or '')}", "pattern_invalid", values.digits_reason(count)),
        (f"{value} = repeat(substr({value}, 1, 1), {count})", rule, values.REASON_ALL_EQUAL),
        (f"NOT {_check_digits_agree(domain)}", rule, values.REASON_CHECK_DIGIT),
    ]


def _check_digits_agree(domain: Domain) -> str:
    """The check-digit arithmetic, a derived column: the checks before it made sure the value
    is the right count of digits, not all equal (`sql_digits.arithmetic`)."""
    return f"coalesce({check_digits_alias(domain.check or '')}, false)"


def _pattern_checks(domain: Domain, value: str) -> list[Check]:
    count = values.pattern_digits(domain) or 0
    checks: list[Check] = [(f"NOT {matches(value, domain.pattern or '')}", "pattern_invalid",
                            values.digits_reason(count))]
    if domain.check == "ibge":
        checks.append((f"{value} NOT IN (SELECT codigo_sib FROM {MUNICIPALITIES_TABLE})", "municipio_unknown",
                       values.REASON_MUNICIPIO))
    if domain.name == "st_nr_cep":
        checks.append((f"NOT {cep_in_some_range(value, CEP_PREFIX_ALIAS)}", "cep_invalid", values.REASON_CEP))
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
    return sbx_row_checks(column) + sbx_value_checks(column, today)


def _sbx_places(column: str) -> dict[str, Place | None]:
    return {m.value: places("sbx_movements", m.value).get(column) for m in Movement}


def sbx_row_checks(column: str) -> list[Check]:
    """The checks of an SBX column that depend on the record: required or allowed in its movement.

    The last one lets only present values of movements that allow the column through to
    the value checks (`sbx_value_checks`), which depend on the value alone.
    """
    v = quote(column)
    by_movement = _sbx_places(column)
    allowed = [m for m, place in by_movement.items() if place is not None]
    required = [m for m, place in by_movement.items() if place is not None and place.required]
    checks: list[Check] = []
    if required:
        checks.append((f"{v} IS NULL AND movement IN ({_list(required)})", "required_missing", REASON_REQUIRED))
    checks.append((f"{v} IS NULL", "", ""))  # absent and not required: nothing more to say
    if column == "cco":
        checks.append(("movement = 'inclusao'", "field_not_allowed", REASON_CCO_IN_INCLUSION))
    checks.append((f"movement NOT IN ({_list(allowed)})", "field_not_allowed", REASON_NOT_ALLOWED))
    return checks


def sbx_value_checks(column: str, today: dt.date) -> list[Check]:
    """The domain checks of an SBX column (one domain in every movement that allows it)."""
    domains = {place.domain.name: place.domain for place in _sbx_places(column).values() if place is not None}
    assert len(domains) <= 1, f"{column} has different domains per movement"
    return domain_checks(next(iter(domains.values())), quote(column), today) if domains else []


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

    Every row is judged on its own: the reference evaluation. `field` names the finding's
    field when it is not the column (a header column); `keep` filters the findings further
    (it may use `rule` and the source's columns).
    """
    field = field or column
    kept = [check for check in checks if check[0]]
    rules, messages = _texts(kept, field)
    return (
        f"SELECT file_id, __record_no AS record_no, {literal(field)} AS field, rule, {messages} AS message, "
        f"__value AS value FROM (SELECT *, {rules} AS rule FROM ("
        f"SELECT *, {_check_index(kept)} AS __check FROM ("
        f"SELECT *, {record_no} AS __record_no, {quote(column)} AS __value{derived_columns(kept, quote(column))} "
        f"FROM {source} WHERE {where}))) WHERE rule <> '' AND ({keep})"
    )


def _texts(checks: list[Check], field: str) -> tuple[str, str]:
    """The rule and the message of each check, as SQL lists indexed by `__check`."""
    label = field_label(field)
    rules = _pick([rule for _, rule, _ in checks], "__check")
    messages = _pick([f"{label}: {reason}" for _, _, reason in checks], "__check")
    return rules, messages


def distinct_column_select(
    source: str,
    column: str,
    row_checks: list[Check],
    value_checks: list[Check],
    where: str = "TRUE",
    *,
    keep: str = "TRUE",
) -> str:
    """The findings of `column_select(source, column, row_checks + value_checks, where, keep=keep)`,
    with the value checks judged once per distinct value (see the module docstring).

    `row_checks` may use the record's columns; the last one must stop absent values (a
    check with rule '' stops without a finding). `value_checks` use only the value.
    """
    v = quote(column)
    rows = [check for check in row_checks if check[0]]
    values_ = [check for check in value_checks if check[0]]
    rules, messages = _texts(rows + values_, column)
    branches = " ".join(
        f"WHEN {condition} THEN {number if rule else 'NULL'}" for number, (condition, rule, _) in enumerate(rows, 1)
    )
    verdicts, join, otherwise = "", "", ""
    if values_:
        name = quote(f"__verdicts${column}")
        verdicts = (
            f"WITH {name} AS MATERIALIZED (SELECT {v} AS __verdict_value, {_check_index(values_)} AS __verdict "
            f"FROM (SELECT {v}{derived_columns(values_, v)} FROM (SELECT DISTINCT {v} FROM {source} "
            f"WHERE {v} IS NOT NULL AND ({where})))) "
        )
        join = f"LEFT JOIN (SELECT * FROM {name} WHERE __verdict IS NOT NULL) AS __bad ON __bad.__verdict_value = s.{v}"
        otherwise = f"ELSE {len(rows)} + __bad.__verdict"
    return (
        f"{verdicts}SELECT file_id, record_no, {literal(column)} AS field, rule, {messages} AS message, "
        f"{v} AS value FROM (SELECT *, {rules} AS rule FROM ("
        f"SELECT s.*, CASE {branches} {otherwise} END AS __check FROM {source} AS s {join} WHERE {where})) "
        f"WHERE rule IS NOT NULL AND ({keep})"
    )


def sbx_columns_with_something_to_say(cursor, source: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns whose checks can find anything in `source`: those holding some value, and
    those absent where a movement requires them. A column absent from every movement that
    may carry it has nothing to check (a month's SBX leaves many optional columns empty), and
    one pass of plain counts per movement says so for every column at once."""
    counted = cursor.execute(
        f"SELECT movement, count(*), {', '.join(f'count({quote(c)})' for c in columns)} FROM {source} GROUP BY movement"
    ).fetchall()
    kept = []
    for index, column in enumerate(columns, start=2):
        places_ = _sbx_places(column)
        present = sum(row[index] for row in counted)
        missing = sum(row[1] - row[index] for row in counted
                      if places_.get(row[0]) is not None and places_[row[0]].required)  # type: ignore[union-attr]
        if present or missing:
            kept.append(column)
    return tuple(kept)


def sbx_field_selects(source: str, columns: tuple[str, ...], today: dt.date, *, per_value: bool = True,
                      future_from: str | None = None) -> Iterator[str]:
    """The field findings of SBX columns; `per_value` False judges every row (the reference).

    `future_from` (SQL over the source's row) moves "the future" of a record past `today`
    when its file was made later: ANS judges a file on the day it is sent.
    """
    for column in columns:
        rows, value_checks = sbx_row_checks(column), sbx_value_checks(column, today)
        keep = "TRUE"
        if future_from and any(rule == "date_future" for _, rule, _ in value_checks):
            keep = f"rule <> 'date_future' OR {parsed_date(quote(column))} > {future_from}"
        if not per_value:
            yield column_select(source, column, rows + value_checks, keep=keep)
        else:
            yield distinct_column_select(source, column, rows, value_checks, keep=keep)


def cnx_field_selects(
    source: str, columns: tuple[str, ...], today: dt.date, where: str, *, per_value: bool = True
) -> Iterator[str]:
    """Identifier and date checks of CNX columns (ANS's own data: only what concerns the operator)."""
    cnx_places = places("cnx_beneficiaries", None)
    for column in columns:
        place = cnx_places.get(column)
        if place is None or not (place.domain.check in STRICT_CHECKS or place.domain.base is Base.DATE):
            continue
        rows = [(f"{quote(column)} IS NULL", "", "")]
        value_checks = domain_checks(place.domain, quote(column), today)
        # A provisional CNS is a gap only on an active vínculo.
        keep = "rule <> 'cns_provisional' OR situacao = 'ATIVO'" if column == "cns" else "TRUE"
        if not per_value:
            yield column_select(source, column, rows + value_checks, where, keep=keep)
        else:
            yield distinct_column_select(source, column, rows, value_checks, where, keep=keep)


_CHECKS: dict[str, Callable[[Domain, str], list[Check]]] = {
    "enum": _enum_checks, "strict": _strict_checks, "lenient": _lenient_checks, "name": _name_checks,
    "pattern": _pattern_checks, "size": _size_checks,
}
