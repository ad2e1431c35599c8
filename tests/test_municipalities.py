"""The bundled IBGE municipality and CEP-range tables hold real, checkable facts (§5.8, §5.9)."""

from __future__ import annotations

import pytest

from sibtui.catalog.municipalities import (
    UF_CODES,
    CepRange,
    Municipality,
    load_cep_ranges,
    load_municipalities,
    uf_for_cep,
)

# §5.8: the nine real municipalities whose official check digit breaks the rule.
DV_EXCEPTIONS = {
    "2201919", "2201988", "2202251", "2611533", "3117836",
    "3152131", "4305871", "5203939", "5203962",
}  # fmt: skip


def ibge_check_digit(first_six: str) -> int:
    total = 0
    for position, char in enumerate(first_six):
        product = int(char) * (1 if position % 2 == 0 else 2)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


@pytest.mark.parametrize(
    ("codigo_sib", "codigo_ibge", "nome", "uf"),
    [
        ("355030", "3550308", "São Paulo", "SP"),
        ("330455", "3304557", "Rio de Janeiro", "RJ"),
        ("530010", "5300108", "Brasília", "DF"),
        ("310620", "3106200", "Belo Horizonte", "MG"),
        ("230440", "2304400", "Fortaleza", "CE"),
        ("510183", "5101837", "Boa Esperança do Norte", "MT"),  # installed 2025-01-01
    ],
)
def test_known_municipalities(codigo_sib: str, codigo_ibge: str, nome: str, uf: str) -> None:
    assert load_municipalities()[codigo_sib] == Municipality(codigo_ibge, codigo_sib, nome, uf)


def test_count_is_ibges() -> None:
    assert 5560 <= len(load_municipalities()) <= 5580


def test_codes_are_consistent_with_their_uf() -> None:
    for codigo_sib, municipality in load_municipalities().items():
        assert len(codigo_sib) == 6 and codigo_sib.isdigit()
        assert municipality.codigo_sib == codigo_sib
        assert municipality.codigo_ibge[:6] == codigo_sib and len(municipality.codigo_ibge) == 7
        assert UF_CODES[codigo_sib[:2]] == municipality.uf
        assert municipality.nome and municipality.nome == municipality.nome.strip()


def test_every_uf_has_municipalities() -> None:
    assert {m.uf for m in load_municipalities().values()} == set(UF_CODES.values())
    assert len(UF_CODES) == 27


def test_check_digit_holds_except_the_nine_known() -> None:
    broken = {
        m.codigo_ibge
        for m in load_municipalities().values()
        if ibge_check_digit(m.codigo_sib) != int(m.codigo_ibge[6])
    }
    assert broken == DV_EXCEPTIONS


def test_cached() -> None:
    assert load_municipalities() is load_municipalities()


@pytest.mark.parametrize(
    ("cep", "uf"),
    [
        ("01310930", "SP"),
        ("20040002", "RJ"),
        ("70040010", "DF"),
        ("73000000", "DF"),  # DF's second range
        ("72800000", "GO"),  # GO's first range, between DF's two
        ("69300000", "RR"),  # between AM's two ranges
        ("69400000", "AM"),
        ("99999999", "RS"),
        ("00000000", None),
        ("00999999", None),
        ("0131093", None),  # 7 digits
        ("01310-930", None),  # SIB writes 8 digits, no hyphen
        ("", None),
    ],
)
def test_uf_for_cep(cep: str, uf: str | None) -> None:
    assert uf_for_cep(cep) == uf


def test_every_uf_has_a_cep_range() -> None:
    ranges = load_cep_ranges()
    assert {r.uf for r in ranges} == set(UF_CODES.values())
    assert len(ranges) == 30  # AM, DF and GO have two ranges each


def test_cep_ranges_are_well_formed_and_disjoint() -> None:
    ranges = sorted(load_cep_ranges(), key=lambda r: r.inicio)
    for cep_range in ranges:
        assert isinstance(cep_range, CepRange)
        assert len(cep_range.inicio) == len(cep_range.fim) == 5
        assert cep_range.inicio.isdigit() and cep_range.fim.isdigit()
        assert cep_range.inicio <= cep_range.fim
    for before, after in zip(ranges, ranges[1:]):
        assert before.fim < after.inicio
