"""Property: every check-digit rule, in Python and in the SQL `sibtui check` runs, agrees with
an independent formulation, on numbers that are valid, one digit off, or random.

`test_check_digits` restates CPF, CNPJ, PIS, CNS and CCO; here registro ANS, CEI, CAEPF and
the IBGE digit are restated from `sib-format.md` §5.6-§5.8 in words of their own, and all of
them are held against both implementations. Random digit strings are almost never valid,
so values are drawn around valid ones: built by the reference, then kept, changed in one
digit, or two neighbours swapped (the typing errors check digits exist to catch).
"""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_check_digits import reference_cco, reference_cnpj, reference_cns, reference_cpf, reference_pis

from sibtui.rules import check_digits as cd
from sibtui.rules import sql_digits
from sibtui.rules.values import CHECK_FUNCTIONS


def _mod11(total: int) -> int:
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def reference_registro_ans(value: str) -> bool:
    """§5.7: weights 6,5,4,3,2 over the first five; r < 2 gives 0, else 11 - r."""
    total = sum(int(value[i]) * (6 - i) for i in range(5))
    return len(set(value)) > 1 and int(value[5]) == _mod11(total)


def reference_cei(value: str) -> bool:
    """§5.6: weights 7,4,1,8,5,2,1,6,3,7,4; tens plus units of the sum; 10 minus its units."""
    total = sum(int(c) * w for c, w in zip(value, [7, 4, 1, 8, 5, 2, 1, 6, 3, 7, 4]))
    folded = (total % 100) // 10 + total % 10
    return len(set(value)) > 1 and int(value[11]) == (10 - folded % 10) % 10


def _caepf_digits(body: str, variant: str) -> int:
    weights = [9, 8, 7, 6, 5, 4, 3, 2] if variant == "remainder" else [2, 3, 4, 5, 6, 7, 8, 9]
    total = 0
    for index, character in enumerate(reversed(body)):
        weight = weights[index % 8]
        total += int(character) * weight
    if variant == "remainder":
        return total % 11 % 10
    return _mod11(total)


def reference_caepf(value: str) -> bool:
    """§5.6: either published variant, then (d1*10 + d2 + 12) mod 100 as the last two digits."""
    if len(set(value)) == 1:
        return False
    for variant in ("remainder", "mod11"):
        first = _caepf_digits(value[:12], variant)
        second = _caepf_digits(value[:12] + str(first), variant)
        if (first * 10 + second + 12) % 100 == int(value[12:]):
            return True
    return False


def reference_ibge(six: str) -> int:
    """§5.8: weights 1,2,1,2,1,2; a product above 9 counts as the sum of its digits."""
    total = 0
    for index, character in enumerate(six):
        product = int(character) * (2 if index % 2 else 1)
        total += product if product < 10 else product - 9
    return (10 - total % 10) % 10


def _complete(name: str, base: str) -> str:
    """A valid number of `name` from its base, built by trying every ending against the reference."""
    length, reference = RULES[name]
    ending = length - len(base)
    for tail in range(10 ** ending):
        candidate = base + f"{tail:0{ending}d}"
        if reference(candidate):
            return candidate
    return base + "0" * ending  # no valid ending (all-equal bases): any invalid value will do


RULES = {
    "cpf": (11, reference_cpf),
    "cnpj": (14, reference_cnpj),
    "pis": (11, reference_pis),
    "cns": (15, reference_cns),
    "cco": (12, reference_cco),
    "registro_ans": (6, reference_registro_ans),
    "cei": (12, reference_cei),
    "caepf": (14, reference_caepf),
}
BASES = {"cpf": 9, "cnpj": 12, "pis": 10, "cns": 11, "cco": 10, "registro_ans": 5, "cei": 11, "caepf": 12}
FIRST_DIGITS = {"cns": "12789"}  # no other CNS exists


@st.composite
def near_valid(draw, name: str) -> str:
    length, _ = RULES[name]
    first = draw(st.sampled_from(FIRST_DIGITS.get(name, "0123456789")))
    rest = draw(st.text(alphabet="0123456789", min_size=BASES[name] - 1, max_size=BASES[name] - 1))
    value = _complete(name, first + rest)
    change = draw(st.sampled_from(["keep", "keep", "digit", "swap", "random"]))
    if change == "digit":
        position = draw(st.integers(0, length - 1))
        value = value[:position] + draw(st.sampled_from("0123456789")) + value[position + 1 :]
    elif change == "swap":
        position = draw(st.integers(0, length - 2))
        value = value[:position] + value[position + 1] + value[position] + value[position + 2 :]
    elif change == "random":
        value = draw(st.text(alphabet="0123456789", min_size=length, max_size=length))
    return value


@pytest.fixture(scope="module")
def connection():
    db = duckdb.connect()
    yield db
    db.close()


@pytest.mark.parametrize("name", sorted(RULES))
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_python_and_sql_agree_with_the_reference(name, data, connection):
    values = data.draw(st.lists(near_valid(name), min_size=20, max_size=40))
    _, reference = RULES[name]
    expected = [reference(value) for value in values]
    assert [CHECK_FUNCTIONS[name](value) for value in values] == expected
    sql = f"SELECT {sql_digits.CHECKS[name]('v')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, n) ORDER BY n"
    assert [row[0] for row in connection.execute(sql, [values]).fetchall()] == expected


@settings(max_examples=200, deadline=None)
@given(six=st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_ibge_check_digit_agrees_with_the_reference(six):
    assert cd.ibge_check_digit(six) == reference_ibge(six)


def test_the_near_valid_values_do_reach_both_sides():
    """Guard against a strategy that only ever draws invalid (or only valid) numbers."""
    for name in RULES:
        _, reference = RULES[name]
        built = [_complete(name, str(seed)[: BASES[name]]) for seed in (12345678901234, 29876543210987)]
        assert all(reference(value) for value in built), name
