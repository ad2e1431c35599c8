"""The check digits of `check_digits` as plain SQL expressions, for vectorised checks.

A million CPFs checked one Python call at a time take seconds; the same arithmetic written
as SQL runs inside DuckDB's vectorised engine in milliseconds. Each function of `CHECKS`
takes an SQL expression (usually a quoted column) and returns a boolean SQL expression that
is TRUE exactly when the Python function of the same name answers True (a test holds them
equal on random values). The expressions assume nothing: they check the length and digits
first. Written out digit by digit (no lambdas or macros) so that views can inline them too.

How the arithmetic is written matters tenfold at a million values (`bench/check_speed.py`):

- Digits come from the value read once as a BIGINT (`n // 10^k % 10`), not from characters
  (`ascii(substr(...))`): integer division is a few machine operations, a substring a string
  function call per digit. Every identifier here has at most 15 digits, well inside BIGINT.
- No CASE, AND or OR is in or around the arithmetic. DuckDB evaluates their operands
  lazily, lazily evaluated operands are left out of common-subexpression elimination, and
  every digit would re-read the number (3-5x slower). So check digits are written as
  remainders (`(11 - r) % 11 % 10` is "below 2 gives 0, else 11 - r"), two digits are
  compared as one two-digit number, and conditions are combined as 0/1 integers.
- `arithmetic()` is the unguarded arithmetic, for callers that have already checked the text:
  `sibtui.rules.field_sql` computes it once per value as a column, before its CASE.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial


@dataclass(frozen=True)
class Digits:
    """An identifier of `count` digits read as a number: the SQL of each digit by position.

    `number` is the SQL of the value as a BIGINT: `TRY_CAST(text AS BIGINT)` by default (NULL
    for text that is not a number, so nothing can fail), or a column that already holds it.
    """

    count: int
    number: str

    @classmethod
    def of(cls, value: str, count: int) -> "Digits":
        return cls(count, f"TRY_CAST({value} AS BIGINT)")

    def __call__(self, position: int) -> str:
        """The digit at 1-based `position` (from the left) as an integer."""
        power = self.count - position
        return f"({self.number} // {10 ** power} % 10)" if power else f"({self.number} % 10)"

    def tail(self, count: int) -> str:
        """The last `count` digits as one integer (`0018` is 18)."""
        return f"({self.number} % {10 ** count})"


def weighted_sum(digits: Digits, positions: Sequence[int], weights: Sequence[int]) -> str:
    return "(" + " + ".join(f"{digits(p)} * {w}" for p, w in zip(positions, weights)) + ")"


def mod11_digit(total: str) -> str:
    """The Receita Federal digit of a weighted sum: remainder below 2 gives 0, else 11 - remainder.

    (11 - r) % 11 is 0 for r = 0 and 10 for r = 1; the last % 10 turns that 10 into 0.
    """
    return f"((11 - {total} % 11) % 11 % 10)"


def all_digits(value: str, count: int) -> str:
    """`value` is `count` ASCII digits, not all equal (all-equal strings pass several formulas)."""
    return f"(regexp_full_match({value}, '[0-9]{{{count}}}') AND {value} <> repeat(substr({value}, 1, 1), {count}))"


def _two_digits(first: str, second: str, digits: Digits) -> str:
    """The last two digits are `first` then `second` (each 0-9), compared as one number."""
    return f"({first} * 10 + {second} = {digits.tail(2)})"


# --- the arithmetic, on a text already known to be `count` digits, not all equal --------------


def cpf_arithmetic(d: Digits) -> str:
    first = mod11_digit(weighted_sum(d, range(1, 10), range(10, 1, -1)))
    second = mod11_digit(weighted_sum(d, range(1, 11), range(11, 1, -1)))
    return _two_digits(first, second, d)


_CNPJ_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def cnpj_arithmetic(d: Digits) -> str:
    first = mod11_digit(weighted_sum(d, range(1, 13), _CNPJ_WEIGHTS_1))
    second = mod11_digit(weighted_sum(d, range(1, 14), _CNPJ_WEIGHTS_2))
    return _two_digits(first, second, d)


def pis_arithmetic(d: Digits) -> str:
    # 11 - r, or 0 when that is 10 or 11: the same remainder form as mod11_digit.
    return f"({mod11_digit(weighted_sum(d, range(1, 11), (3, 2, 9, 8, 7, 6, 5, 4, 3, 2)))} = {d(11)})"


def cns_arithmetic(d: Digits) -> str:
    """DATASUS: first digit 1, 2, 7, 8, 9; Σ dᵢ·(15-i) ≡ 0 (mod 11); definitive ones by the generation rule.

    A definitive CNS is its 11-digit base, then `000` and the digit 11 - r of the base's
    weighted sum (0 when r = 0), or, when that digit would be 10 (r = 1), `001` and
    11 - (sum + 2) % 11, which is always 8: so its last four digits read as r = 1 ? 18 : (11 - r) % 11.
    """
    universal = f"({weighted_sum(d, range(1, 16), range(15, 0, -1))} % 11 = 0)"
    remainder = f"({weighted_sum(d, range(1, 12), range(15, 4, -1))} % 11)"
    definitive_tail = f"((11 - {remainder}) % 11 + 8 * ({remainder} = 1)::INTEGER)"
    first = d(1)
    provisional = f"({first} BETWEEN 7 AND 9)::INTEGER"
    definitive = f"({first} BETWEEN 1 AND 2)::INTEGER * ({d.tail(4)} = {definitive_tail})::INTEGER"
    # universal AND (provisional OR definitive), in arithmetic (see the module docstring).
    return f"(({universal})::INTEGER * ({provisional} + {definitive}) = 1)"


def cco_arithmetic(d: Digits) -> str:
    expected = mod11_digit(weighted_sum(d, range(1, 11), range(11, 1, -1)))
    return _two_digits("0", expected, d)


def registro_ans_arithmetic(d: Digits) -> str:
    return f"({d(6)} = {mod11_digit(weighted_sum(d, range(1, 6), (6, 5, 4, 3, 2)))})"


def cei_arithmetic(d: Digits) -> str:
    total = weighted_sum(d, range(1, 12), (7, 4, 1, 8, 5, 2, 1, 6, 3, 7, 4))
    folded = f"({total} // 10 % 10 + {total} % 10)"
    return f"({d(12)} = (10 - {folded} % 10) % 10)"


def _caepf_sum(d: Digits, first_digit: str | None, count: int, weight_of) -> str:
    """Σ over the first `count` digits (plus a computed digit appended) with weights from the right."""
    terms = [d(p) for p in range(1, count + 1)] + ([first_digit] if first_digit else [])
    weighted = [f"{term} * {weight_of(len(terms) - 1 - index)}" for index, term in enumerate(terms)]
    return "(" + " + ".join(weighted) + ")"


def _caepf_variant(d: Digits, digit_of, weight_of) -> str:
    first = digit_of(_caepf_sum(d, None, 12, weight_of))
    second = digit_of(_caepf_sum(d, first, 12, weight_of))
    return f"(({first} * 10 + {second} + 12) % 100 = {d.tail(2)})"


def caepf_arithmetic(d: Digits) -> str:
    """Either published CAEPF variant (§5.6), as `check_digits.is_valid_caepf`."""
    remainder = _caepf_variant(d, lambda total: f"({total} % 11 % 10)", lambda position: 9 - position % 8)
    mod11 = _caepf_variant(d, mod11_digit, lambda position: 2 + position % 8)
    return f"(({remainder})::INTEGER + ({mod11})::INTEGER > 0)"  # either, in arithmetic


# (digits, arithmetic) per check: the unguarded form, for text already known to be digits.
ARITHMETIC: dict[str, tuple[int, Callable[[Digits], str]]] = {
    "cpf": (11, cpf_arithmetic),
    "cnpj": (14, cnpj_arithmetic),
    "pis": (11, pis_arithmetic),
    "cns": (15, cns_arithmetic),
    "cco": (12, cco_arithmetic),
    "registro_ans": (6, registro_ans_arithmetic),
    "cei": (12, cei_arithmetic),
    "caepf": (14, caepf_arithmetic),
}


def arithmetic(name: str, value: str) -> str:
    """The check digits of `name` agree, for a `value` already known to be its digits, not all
    equal (NULL, or an arbitrary answer, for any other text: callers check the text first)."""
    count, formula = ARITHMETIC[name]
    return formula(Digits.of(value, count))


# --- the self-contained checks ------------------------------------------------------------


def guarded(name: str, value: str) -> str:
    """`value` is the digits `name` needs and its check digits agree (FALSE for NULL or other text).

    The guard and the arithmetic are added, not ANDed, so the arithmetic is not lazy (see the
    module docstring); on text that is not a number it yields NULL and the sum is NULL.
    """
    count, _ = ARITHMETIC[name]
    return f"coalesce(({all_digits(value, count)})::INTEGER + ({arithmetic(name, value)})::INTEGER = 2, false)"


cpf_ok = partial(guarded, "cpf")
cnpj_ok = partial(guarded, "cnpj")
pis_ok = partial(guarded, "pis")
cns_ok = partial(guarded, "cns")


def cns_provisional(value: str) -> str:
    return f"({cns_ok(value)} AND substr({value}, 1, 1) IN ('7', '8', '9'))"


cco_ok = partial(guarded, "cco")
registro_ans_ok = partial(guarded, "registro_ans")
cei_ok = partial(guarded, "cei")
caepf_ok = partial(guarded, "caepf")


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
