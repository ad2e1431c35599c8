"""Check digits of the identifiers SIB files carry (`sib-format.md` §5), as pure functions.

Each `is_valid_*` takes the text exactly as stored and answers True or False; it never
raises and never trims (a value with spaces is wrong in the file, so it is wrong here).
The `with_*_digits` functions build valid identifiers from a base; the sample-file and
benchmark generators use them, and the tests use them against independent formulations.
All-equal digit strings (`00000000000`, `11111111111`...) pass several of these formulas
by accident and are always rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

DEFINITIVE_CNS_FIRST_DIGITS = frozenset("12")
PROVISIONAL_CNS_FIRST_DIGITS = frozenset("789")


def _digits(value: str | None, length: int) -> list[int] | None:
    """The digits of `value` when it is exactly `length` ASCII digits, not all equal."""
    if value is None or len(value) != length or not value.isascii() or not value.isdigit():
        return None
    if len(set(value)) == 1:
        return None
    return [int(character) for character in value]


def _weighted_sum(digits: Iterable[int], weights: Iterable[int]) -> int:
    return sum(digit * weight for digit, weight in zip(digits, weights))


def _mod11_digit(digits: Sequence[int], weights: Sequence[int]) -> int:
    """The usual Receita Federal digit: remainder below 2 gives 0, else 11 - remainder."""
    remainder = _weighted_sum(digits, weights) % 11
    return 0 if remainder < 2 else 11 - remainder


# --- CPF (§5.3) ---------------------------------------------------------------------------


def _cpf_digits(base: Sequence[int]) -> tuple[int, int]:
    first = _mod11_digit(base, range(10, 1, -1))
    second = _mod11_digit([*base, first], range(11, 1, -1))
    return first, second


def _valid(base: int, length: int, check: Callable[[Sequence[int]], tuple[int, ...]], value: str | None) -> bool:
    """`value` is `length` digits, those after the first `base` being what `check` computes from those."""
    digits = _digits(value, length)
    return digits is not None and check(digits[:base]) == tuple(digits[base:])


def _completed(check: Callable[[Sequence[int]], tuple[int, ...]], base: str) -> str:
    """`base` followed by the digits `check` computes from it (to build valid test values)."""
    return base + "".join(map(str, check([int(c) for c in base])))


def _named(name: str, function: partial) -> Callable:
    """`function` under its public name (a bare partial shows only its address in reports)."""

    def named(*arguments):
        return function(*arguments)

    named.__name__ = named.__qualname__ = name
    return named


is_valid_cpf = _named("is_valid_cpf", partial(_valid, 9, 11, _cpf_digits))
with_cpf_digits = _named("with_cpf_digits", partial(_completed, _cpf_digits))  # from the first 9 digits


# --- CNPJ (§5.4) --------------------------------------------------------------------------

_CNPJ_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def _cnpj_digits(base: Sequence[int]) -> tuple[int, int]:
    first = _mod11_digit(base, _CNPJ_WEIGHTS_1)
    second = _mod11_digit([*base, first], _CNPJ_WEIGHTS_2)
    return first, second


is_valid_cnpj = _named("is_valid_cnpj", partial(_valid, 12, 14, _cnpj_digits))
with_cnpj_digits = _named("with_cnpj_digits", partial(_completed, _cnpj_digits))  # from the first 12 digits


# --- PIS/PASEP/NIT (§5.5) -----------------------------------------------------------------

_PIS_WEIGHTS = (3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def _pis_digit(base: Sequence[int]) -> tuple[int]:
    digit = 11 - _weighted_sum(base, _PIS_WEIGHTS) % 11
    return (0 if digit >= 10 else digit,)


is_valid_pis = _named("is_valid_pis", partial(_valid, 10, 11, _pis_digit))
with_pis_digit = _named("with_pis_digit", partial(_completed, _pis_digit))  # from the first 10 digits


# --- CNS (§5.2) ---------------------------------------------------------------------------


def _cns_sum(digits: Sequence[int]) -> int:
    return _weighted_sum(digits, range(15, 0, -1))


def is_valid_cns(value: str | None) -> bool:
    """DATASUS rule: first digit 1, 2, 7, 8 or 9 and Σ dᵢ·(15-i) divisible by 11.

    Definitive numbers (1, 2) are also held to the generation rule: positions 12-14 are
    `000`, or `001` when the plain digit would have been 10.
    """
    digits = _digits(value, 15)
    if digits is None or value is None or value[0] not in DEFINITIVE_CNS_FIRST_DIGITS | PROVISIONAL_CNS_FIRST_DIGITS:
        return False
    if _cns_sum(digits) % 11 != 0:
        return False
    if value[0] in DEFINITIVE_CNS_FIRST_DIGITS:
        return value == with_definitive_cns_digits(value[:11])
    return True


def is_provisional_cns(value: str | None) -> bool:
    """A valid CNS issued as provisional (first digit 7, 8 or 9)."""
    return is_valid_cns(value) and value[0] in PROVISIONAL_CNS_FIRST_DIGITS  # type: ignore[index]


def with_definitive_cns_digits(base: str) -> str:
    """A definitive CNS from its 11-digit base (which starts with 1 or 2)."""
    digits = [int(c) for c in base]
    total = _weighted_sum(digits, range(15, 4, -1))
    digit = 11 - total % 11
    if digit == 11:
        digit = 0
    if digit == 10:
        digit = 11 - (total + 2) % 11
        return f"{base}001{digit}"
    return f"{base}000{digit}"


def with_provisional_cns_digits(base: str) -> str:
    """A provisional CNS from its first 13 digits (starting with 7, 8 or 9).

    The last two digits are chosen so the weighted sum (weights 2 and 1) is divisible by
    11; when no pair does, the caller must change the base (returned value is then invalid).
    """
    total = _cns_sum([*(int(c) for c in base), 0, 0])
    for tail in range(100):
        if (total + 2 * (tail // 10) + tail % 10) % 11 == 0:
            return f"{base}{tail:02d}"
    return f"{base}00"


# --- CCO (§5.1) and registro ANS (§5.7): derived rules, warning only ------------------------


def _cco_digit(base: Sequence[int]) -> int:
    return _mod11_digit(base, range(11, 1, -1))


def is_valid_cco(value: str | None) -> bool:
    digits = _digits(value, 12)
    return digits is not None and digits[10] == 0 and digits[11] == _cco_digit(digits[:10])


def with_cco_digits(base: str) -> str:
    """A CCO from its 10-digit sequence: the check is written as two digits `0d`."""
    return f"{base}0{_cco_digit([int(c) for c in base])}"


def _registro_ans_digit(base: Sequence[int]) -> tuple[int]:
    return (_mod11_digit(base, (6, 5, 4, 3, 2)),)


is_valid_registro_ans = _named("is_valid_registro_ans", partial(_valid, 5, 6, _registro_ans_digit))
with_registro_ans_digit = _named("with_registro_ans_digit", partial(_completed, _registro_ans_digit))  # from the first 5 digits


# --- CEI and CAEPF (§5.6): unsettled public algorithms, warning only ------------------------

_CEI_WEIGHTS = (7, 4, 1, 8, 5, 2, 1, 6, 3, 7, 4)


def is_valid_cei(value: str | None) -> bool:
    digits = _digits(value, 12)
    if digits is None:
        return False
    total = _weighted_sum(digits[:11], _CEI_WEIGHTS)
    folded = total // 10 % 10 + total % 10
    return digits[11] == (10 - folded % 10) % 10


def _caepf_remainder_digit(digits: Sequence[int]) -> int:
    """Variant (a): weights 9..2 repeating from the right, the remainder itself (10 -> 0)."""
    weights = [9 - (position % 8) for position in range(len(digits))]
    return _weighted_sum(reversed(digits), weights) % 11 % 10


def _caepf_mod11_digit(digits: Sequence[int]) -> int:
    """Variant (b): the usual 11 - remainder digit, weights 2..9 from the right."""
    weights = [2 + position % 8 for position in range(len(digits))]
    remainder = _weighted_sum(reversed(digits), weights) % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_caepf(value: str | None) -> bool:
    """True when either published CAEPF variant accepts the value (§5.6 cannot settle it)."""
    digits = _digits(value, 14)
    if digits is None:
        return False
    for digit in (_caepf_remainder_digit, _caepf_mod11_digit):
        first = digit(digits[:12])
        second = digit([*digits[:12], first])
        if (first * 10 + second + 12) % 100 == digits[12] * 10 + digits[13]:
            return True
    return False


# --- IBGE municipality (§5.8): for building 7-digit codes; validation is by table lookup ----


def ibge_check_digit(six_digits: str) -> int:
    total = 0
    for position, character in enumerate(six_digits):
        product = int(character) * (1 if position % 2 == 0 else 2)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10
