"""The check digits of `check_digits` as plain SQL expressions, for vectorised checks.

A million CPFs checked one Python call at a time take seconds; the same arithmetic written
as SQL runs inside DuckDB's vectorised engine in milliseconds. Each function takes an SQL
expression (usually a quoted column) and returns a boolean SQL expression that is TRUE
exactly when the Python function of the same name answers True (a test holds them equal on
random values). The expressions assume nothing: they check the length and digits first.
Written out digit by digit (no lambdas or macros) so that views can inline them too.
"""

from __future__ import annotations

from collections.abc import Sequence


def digit(value: str, position: int) -> str:
    """The digit at 1-based `position` of `value` as an integer (valid when the text is digits)."""
    return f"(ascii(substr({value}, {position}, 1)) - 48)"


def weighted_sum(value: str, positions: Sequence[int], weights: Sequence[int]) -> str:
    return "(" + " + ".join(f"{digit(value, p)} * {w}" for p, w in zip(positions, weights)) + ")"


def mod11_digit(total: str) -> str:
    """The Receita Federal digit of a weighted sum: remainder below 2 gives 0, else 11 - remainder."""
    return f"(CASE WHEN {total} % 11 < 2 THEN 0 ELSE 11 - {total} % 11 END)"


def all_digits(value: str, count: int) -> str:
    """`value` is `count` ASCII digits, not all equal (all-equal strings pass several formulas)."""
    return f"(regexp_full_match({value}, '[0-9]{{{count}}}') AND {value} <> repeat(substr({value}, 1, 1), {count}))"


def _guarded(value: str, count: int, condition: str) -> str:
    # CASE, not AND: the arithmetic must never run on text that is not digits.
    return f"(CASE WHEN {all_digits(value, count)} THEN {condition} ELSE false END)"


def cpf_ok(value: str) -> str:
    first = mod11_digit(weighted_sum(value, range(1, 10), range(10, 1, -1)))
    second = mod11_digit(weighted_sum(value, range(1, 11), range(11, 1, -1)))
    return _guarded(value, 11, f"({first} = {digit(value, 10)} AND {second} = {digit(value, 11)})")


_CNPJ_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def cnpj_ok(value: str) -> str:
    first = mod11_digit(weighted_sum(value, range(1, 13), _CNPJ_WEIGHTS_1))
    second = mod11_digit(weighted_sum(value, range(1, 14), _CNPJ_WEIGHTS_2))
    return _guarded(value, 14, f"({first} = {digit(value, 13)} AND {second} = {digit(value, 14)})")


def pis_ok(value: str) -> str:
    total = weighted_sum(value, range(1, 11), (3, 2, 9, 8, 7, 6, 5, 4, 3, 2))
    expected = f"(CASE WHEN 11 - {total} % 11 >= 10 THEN 0 ELSE 11 - {total} % 11 END)"
    return _guarded(value, 11, f"({expected} = {digit(value, 11)})")


def cns_ok(value: str) -> str:
    """DATASUS: first digit 1, 2, 7, 8, 9; Σ dᵢ·(15-i) ≡ 0 (mod 11); definitive ones by the generation rule."""
    universal = f"({weighted_sum(value, range(1, 16), range(15, 0, -1))} % 11 = 0)"
    base = weighted_sum(value, range(1, 12), range(15, 4, -1))
    plain = f"(CASE WHEN {base} % 11 = 0 THEN 0 ELSE 11 - {base} % 11 END)"
    definitive = (
        f"(CASE WHEN 11 - {base} % 11 = 10 "
        f"THEN substr({value}, 12, 3) = '001' AND {digit(value, 15)} = 11 - ({base} + 2) % 11 "
        f"ELSE substr({value}, 12, 3) = '000' AND {digit(value, 15)} = {plain} END)"
    )
    first = f"substr({value}, 1, 1)"
    rule = f"({first} IN ('7', '8', '9') AND {universal} OR {first} IN ('1', '2') AND {universal} AND {definitive})"
    return _guarded(value, 15, rule)


def cns_provisional(value: str) -> str:
    return f"({cns_ok(value)} AND substr({value}, 1, 1) IN ('7', '8', '9'))"


def cco_ok(value: str) -> str:
    expected = mod11_digit(weighted_sum(value, range(1, 11), range(11, 1, -1)))
    return _guarded(value, 12, f"({digit(value, 11)} = 0 AND {digit(value, 12)} = {expected})")


def registro_ans_ok(value: str) -> str:
    expected = mod11_digit(weighted_sum(value, range(1, 6), (6, 5, 4, 3, 2)))
    return _guarded(value, 6, f"({digit(value, 6)} = {expected})")


def cei_ok(value: str) -> str:
    total = weighted_sum(value, range(1, 12), (7, 4, 1, 8, 5, 2, 1, 6, 3, 7, 4))
    folded = f"({total} // 10 % 10 + {total} % 10)"
    return _guarded(value, 12, f"({digit(value, 12)} = (10 - {folded} % 10) % 10)")


def _caepf_sum(value: str, first_digit: str | None, count: int, weight_of) -> str:
    """Σ over the first `count` digits (plus a computed digit appended) with weights from the right."""
    terms = [digit(value, p) for p in range(1, count + 1)] + ([first_digit] if first_digit else [])
    weighted = [f"{term} * {weight_of(len(terms) - 1 - index)}" for index, term in enumerate(terms)]
    return "(" + " + ".join(weighted) + ")"


def _caepf_variant(value: str, digit_of, weight_of) -> str:
    first = digit_of(_caepf_sum(value, None, 12, weight_of))
    second = digit_of(_caepf_sum(value, first, 12, weight_of))
    return f"(({first} * 10 + {second} + 12) % 100 = {digit(value, 13)} * 10 + {digit(value, 14)})"


def caepf_ok(value: str) -> str:
    """Either published CAEPF variant (§5.6), as `check_digits.is_valid_caepf`."""
    remainder = _caepf_variant(value, lambda total: f"({total} % 11 % 10)", lambda position: 9 - position % 8)
    mod11 = _caepf_variant(value, mod11_digit, lambda position: 2 + position % 8)
    return _guarded(value, 14, f"({remainder} OR {mod11})")


CHECKS = {
    "cpf": cpf_ok,
    "cnpj": cnpj_ok,
    "pis": pis_ok,
    "cns": cns_ok,
    "cco": cco_ok,
    "registro_ans": registro_ans_ok,
    "cei": cei_ok,
    "caepf": caepf_ok,
}
