"""Check digits against the identifiers the fact sheet verified (§5, §8) and simple breakages."""

from __future__ import annotations

import pytest

from sibtui.rules import check_digits as cd

VALID = [
    (cd.is_valid_cpf, "48291736537"),
    (cd.is_valid_cpf, "73105826408"),
    (cd.is_valid_cpf, "26481397022"),
    (cd.is_valid_pis, "12034567899"),
    (cd.is_valid_cnpj, "11222333000181"),
    (cd.is_valid_cnpj, "03589068000146"),
    (cd.is_valid_cns, "198765432100003"),
    (cd.is_valid_cns, "207654321090002"),
    (cd.is_valid_cns, "898001234500002"),
    *((cd.is_valid_cco, cco) for cco in ("041036536701", "034302184809", "030776144800", "045550001100")),
    *((cd.is_valid_registro_ans, r) for r in ("000582", "005711", "326305", "312126", "351202", "999997")),
]


@pytest.mark.parametrize("check, value", VALID)
def test_known_identifiers_pass(check, value):
    assert check(value)


@pytest.mark.parametrize("check, value", VALID)
def test_changing_the_last_digit_breaks_them(check, value):
    broken = value[:-1] + str((int(value[-1]) + 1) % 10)
    assert not check(broken)


@pytest.mark.parametrize(
    "check, length",
    [(cd.is_valid_cpf, 11), (cd.is_valid_pis, 11), (cd.is_valid_cnpj, 14), (cd.is_valid_cns, 15), (cd.is_valid_cco, 12)],
)
@pytest.mark.parametrize("digit", "0123456789")
def test_all_equal_digits_are_rejected(check, length, digit):
    assert not check(digit * length)


@pytest.mark.parametrize("value", [None, "", " 48291736537", "48291736537 ", "4829173653", "482917365370", "4829173653a"])
def test_malformed_text_is_rejected_not_raised(value):
    assert not cd.is_valid_cpf(value)


def test_provisional_and_definitive_cns():
    assert cd.is_provisional_cns("898001234500002")
    assert not cd.is_provisional_cns("198765432100003")
    assert not cd.is_valid_cns("398765432100003")  # first digit 3 does not exist


def test_definitive_cns_must_follow_the_generation_rule():
    passes_the_sum_only = "191827364510101"
    assert sum(int(d) * (15 - i) for i, d in enumerate(passes_the_sum_only)) % 11 == 0
    assert not cd.is_valid_cns(passes_the_sum_only)


def test_ibge_check_digit_of_known_municipalities():
    assert [cd.ibge_check_digit(code[:6]) for code in ("3550308", "3304557", "3106200", "5300108", "2304400")] == [
        8, 7, 0, 8, 0
    ]


@pytest.mark.parametrize(
    "build, check, base",
    [
        (cd.with_cpf_digits, cd.is_valid_cpf, "318256407"),
        (cd.with_cnpj_digits, cd.is_valid_cnpj, "475081320001"),
        (cd.with_pis_digit, cd.is_valid_pis, "1304567891"),
        (cd.with_definitive_cns_digits, cd.is_valid_cns, "20918273645"),
        (cd.with_provisional_cns_digits, cd.is_provisional_cns, "7000123456780"),
        (cd.with_cco_digits, cd.is_valid_cco, "0455500011"),
        (cd.with_registro_ans_digit, cd.is_valid_registro_ans, "99999"),
    ],
)
def test_builders_make_valid_identifiers(build, check, base):
    assert check(build(base))


# --- independent reference formulations, written differently from check_digits ------------------
# Each one restates the published rule in its own way (loops from the right, explicit tables,
# "sum including the check digits" identities) so a shared mistake is unlikely; hypothesis
# feeds them random bases and random text.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def digits_of(length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=length, max_size=length)


def reference_mod11_pair(base: str, first_top: int) -> str:
    """Two Receita Federal digits: weights from `first_top` down to 2, then one more for the 2nd digit."""
    out = base
    for top in (first_top, first_top + 1):
        total = 0
        weight = top
        for character in out:
            total += int(character) * weight
            weight -= 1
        remainder = total % 11
        out += "0" if remainder in (0, 1) else str(11 - remainder)
    return out


def reference_cpf(value: str) -> bool:
    return len(set(value)) > 1 and reference_mod11_pair(value[:9], 10) == value


def reference_cnpj(value: str) -> bool:
    """CNPJ weights are 2..9 repeating from the right."""
    if len(set(value)) == 1:
        return False
    body = value[:12]
    for _ in range(2):
        total = sum(int(c) * (2 + position % 8) for position, c in enumerate(reversed(body)))
        remainder = total % 11
        body += "0" if remainder < 2 else str(11 - remainder)
    return body == value


def reference_pis(value: str) -> bool:
    total = sum(int(c) * int(w) for c, w in zip(value, "3298765432"))
    digit = (11 - total % 11) % 11
    return len(set(value)) > 1 and (0 if digit == 10 else digit) == int(value[10])


def reference_cns(value: str) -> bool:
    """DATASUS routine, written as its generation steps for 1/2 and the sum test for 7/8/9."""
    if len(set(value)) == 1 or value[0] not in "12789":
        return False
    if sum(int(c) * (15 - i) for i, c in enumerate(value)) % 11:
        return False
    if value[0] in "789":
        return True
    pis_part = value[:11]
    total = sum(int(c) * (15 - i) for i, c in enumerate(pis_part))
    remainder = total % 11
    dv = 0 if remainder == 0 else 11 - remainder
    if dv == 10:
        return value == pis_part + "001" + str(11 - (total + 2) % 11)
    return value == pis_part + "000" + str(dv)


def reference_cco(value: str) -> bool:
    total = sum(int(c) * (11 - i) for i, c in enumerate(value[:10]))
    remainder = total % 11
    return len(set(value)) > 1 and value[10:] == "0" + ("0" if remainder < 2 else str(11 - remainder))


REFERENCES = [
    (cd.is_valid_cpf, reference_cpf, 11),
    (cd.is_valid_cnpj, reference_cnpj, 14),
    (cd.is_valid_pis, reference_pis, 11),
    (cd.is_valid_cns, reference_cns, 15),
    (cd.is_valid_cco, reference_cco, 12),
]


@pytest.mark.parametrize("check, reference, length", REFERENCES, ids=lambda x: getattr(x, "__name__", str(x)))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_random_digit_strings_agree_with_the_reference(check, reference, length, data):
    value = data.draw(digits_of(length))
    assert check(value) == reference(value)


@settings(max_examples=300, deadline=None)
@given(base=digits_of(9))
def test_built_cpfs_pass_the_reference(base):
    value = cd.with_cpf_digits(base)
    assert reference_cpf(value) == (len(set(value)) > 1)


@settings(max_examples=300, deadline=None)
@given(base=digits_of(12))
def test_built_cnpjs_pass_the_reference(base):
    value = cd.with_cnpj_digits(base)
    assert reference_cnpj(value) == (len(set(value)) > 1)


@settings(max_examples=300, deadline=None)
@given(base=digits_of(10))
def test_built_pis_pass_the_reference(base):
    value = cd.with_pis_digit(base)
    assert reference_pis(value) == (len(set(value)) > 1)


@settings(max_examples=300, deadline=None)
@given(first=st.sampled_from("12"), rest=digits_of(10))
def test_built_definitive_cns_pass_the_reference(first, rest):
    value = cd.with_definitive_cns_digits(first + rest)
    assert reference_cns(value) and cd.is_valid_cns(value) and not cd.is_provisional_cns(value)


@settings(max_examples=300, deadline=None)
@given(first=st.sampled_from("789"), rest=digits_of(12))
def test_built_provisional_cns_pass_the_reference_when_a_tail_exists(first, rest):
    value = cd.with_provisional_cns_digits(first + rest)
    assert cd.is_valid_cns(value) == reference_cns(value)
    if cd.is_valid_cns(value):
        assert cd.is_provisional_cns(value)


@settings(max_examples=300, deadline=None)
@given(base=digits_of(10))
def test_built_ccos_pass_the_reference(base):
    value = cd.with_cco_digits(base)
    assert reference_cco(value) == (len(set(value)) > 1)


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=16))
def test_any_text_is_answered_never_raised(value):
    for check in (cd.is_valid_cpf, cd.is_valid_cnpj, cd.is_valid_pis, cd.is_valid_cns, cd.is_valid_cco,
                  cd.is_valid_registro_ans, cd.is_valid_cei, cd.is_valid_caepf, cd.is_provisional_cns):
        assert check(value) in (True, False)


def test_a_single_wrong_digit_is_always_caught_by_cpf():
    """CPF's two digits catch every single-digit substitution (a property of mod 11)."""
    value = "48291736537"
    for position in range(11):
        for replacement in "0123456789":
            if replacement != value[position]:
                changed = value[:position] + replacement + value[position + 1:]
                assert not cd.is_valid_cpf(changed), changed
