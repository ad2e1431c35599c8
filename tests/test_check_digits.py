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
