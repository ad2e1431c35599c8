"""A synthetic operator portfolio: deterministic people, vínculos and a month of movements.

Everything is derived from `(seed, index)` or from one sequential `random.Random(seed)`, so
the CNX before the month, the SBX of movements, the RPX that answers it and the CNX after
it agree with each other, at any size, without holding the portfolio in memory.

Proportions follow what operators see (perf-notes §1 and the sample files): ~10% inactive
vínculos, ~30% dependants, 3% without CNS, 2% with a malformed CNS (14 digits), 1% with a
CPF whose check digits are wrong, accented names in ISO-8859-1 and `&` in one name in 2,000.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from sibtui.catalog.municipalities import load_cep_ranges, load_municipalities
from sibtui.rules.check_digits import (
    with_cco_digits,
    with_cnpj_digits,
    with_cpf_digits,
    with_definitive_cns_digits,
    with_pis_digit,
)

REGISTRO = "999997"
ANS_CNPJ = "03589068000146"
CCO_BASE = 4_555_000_000

FIRST_NAMES = (
    "JOSÉ", "MARIA", "JOÃO", "ANA", "ANTÔNIO", "FRANCISCA", "CARLOS", "ADRIANA", "PAULO", "JULIANA",
    "PEDRO", "MÁRCIA", "LUCAS", "FERNANDA", "LUIZ", "PATRÍCIA", "MARCOS", "ALINE", "LUÍS", "SANDRA",
    "GABRIEL", "CONCEIÇÃO", "RAFAEL", "CAMILA", "DANIEL", "AMANDA", "MARCELO", "BRUNA", "BRUNO", "JÉSSICA",
    "EDUARDO", "LETÍCIA", "FELIPE", "JÚLIA", "RAIMUNDO", "LUCIANA", "RODRIGO", "VANESSA", "SEBASTIÃO", "MÔNICA",
)
SURNAMES = (
    "SILVA", "SANTOS", "OLIVEIRA", "SOUZA", "RODRIGUES", "FERREIRA", "ALVES", "PEREIRA", "LIMA", "GOMES",
    "COSTA", "RIBEIRO", "MARTINS", "CARVALHO", "ALMEIDA", "LOPES", "SOARES", "FERNANDES", "VIEIRA", "BARBOSA",
    "ROCHA", "DIAS", "NASCIMENTO", "ANDRADE", "MOREIRA", "NUNES", "MARQUES", "MACHADO", "MENDES", "FREITAS",
    "CARDOSO", "RAMOS", "GONÇALVES", "SANTANA", "TEIXEIRA", "ARAÚJO", "PINTO", "CONCEIÇÃO", "DO CARMO", "DE JESUS",
)
STREETS = (
    "RUA DAS FLORES", "AVENIDA PAULISTA", "RUA SÃO JOÃO", "AVENIDA BRASIL", "RUA DA CONSOLAÇÃO",
    "TRAVESSA DO COMÉRCIO", "RUA XV DE NOVEMBRO", "AVENIDA GETÚLIO VARGAS", "RUA BARÃO DE MAUÁ", "ALAMEDA SANTOS",
)
BAIRROS = ("CENTRO", "JARDIM AMÉRICA", "VILA NOVA", "SÃO CRISTÓVÃO", "BELA VISTA", "BOA VIAGEM", "LAPA", "MOOCA")
PLANS = ("412345678", "478901234", "412345686", "463728190")
CONTRACTORS = tuple(with_cnpj_digits(base) for base in ("112223330001", "475081320001", "603928170001"))
CANCEL_REASONS = ("41", "42", "43", "44")


def _mix(index: int, salt: int) -> int:
    """A cheap, well-spread integer hash of (index, salt): stable properties without state."""
    value = (index * 0x9E3779B1 + salt * 0x85EBCA77) & 0xFFFFFFFF
    value ^= value >> 15
    value = (value * 0x2C1B3C6D) & 0xFFFFFFFF
    return value ^ (value >> 12)


def cco_of(index: int) -> str:
    return with_cco_digits(f"{CCO_BASE + index:010d}")


def code_of(index: int) -> str:
    return f"{index + 1:010d}"


def is_inactive(index: int, seed: int) -> bool:
    return _mix(index, seed) % 10 == 0


def is_dependant(index: int, seed: int) -> bool:
    return index > 0 and _mix(index, seed + 1) % 10 < 3


@dataclass(frozen=True)
class Places:
    """Municipalities with a CEP inside their UF's range, for plausible addresses."""

    choices: tuple[tuple[str, str], ...]  # (codigoMunicipio, CEP prefix of 5 digits)

    @classmethod
    def load(cls, count: int = 300) -> "Places":
        ranges = {r.uf: r for r in load_cep_ranges()}
        chosen = []
        for municipality in sorted(load_municipalities().values(), key=lambda m: m.codigo_sib)[::17][:count]:
            cep_range = ranges.get(municipality.uf)
            if cep_range is not None:
                chosen.append((municipality.codigo_sib, cep_range.inicio))
        return cls(tuple(chosen))


class Portfolio:
    """The vínculos of one operator, as ANS's CNX lists them, generated in order."""

    def __init__(self, seed: int):
        self.seed = seed
        self.places = Places.load()

    def people(self, count: int, start: int = 0) -> Iterator[dict[str, str | None]]:
        """CNX values of vínculos `start .. start+count-1` (same seed, same values)."""
        rng = random.Random(self.seed * 7919 + start)
        for index in range(start, start + count):
            yield self.person(index, rng)

    def person(self, index: int, rng: random.Random) -> dict[str, str | None]:
        seed = self.seed
        r = rng.random
        sexo = "1" if r() < 0.48 else "3"
        nome = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        if _mix(index, seed + 2) % 2000 == 0:
            nome = f"{nome} & FILHOS"
        year = 1940 + int(r() * 80)
        nascimento = f"{year}-{1 + int(r() * 12):02d}-{1 + int(r() * 28):02d}"
        dependant = is_dependant(index, seed)
        titular = index - 1 - int(r() * min(index, 3)) if dependant else None
        values: dict[str, str | None] = {
            "cco": cco_of(index),
            "situacao": "ATIVO",
            "dataAtualizacao": f"2026-{1 + int(r() * 10):02d}-{1 + int(r() * 28):02d}",
            "cpf": self._cpf(index, r),
            "pisPasep": with_pis_digit(f"1{int(r() * 1e9):09d}") if r() < 0.3 else None,
            "cns": self._cns(index, r),
            "nome": nome,
            "sexo": sexo,
            "dataNascimento": nascimento,
            "nomeMae": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" if r() < 0.9 else None,
            **self._address(r, rng),
            "codigoBeneficiario": code_of(index),
            "relacaoDependencia": ("3", "4", "8")[int(r() * 3)] if dependant else "1",
            "ccoBeneficiarioTitular": cco_of(titular) if titular is not None else None,
            "dataPrimeiraContratacao": None,
            "dataContratacao": f"{2000 + int(r() * 26)}-{1 + int(r() * 12):02d}-01",
            "numeroPlanoANS": rng.choice(PLANS),
            "cnpjEmpresaContratante": rng.choice(CONTRACTORS) if r() < 0.7 else None,
        }
        if r() < 0.2:
            values["dataPrimeiraContratacao"] = f"{1995 + int(r() * 5)}-0{1 + int(r() * 9)}-01"
        if is_inactive(index, seed):
            values["situacao"] = "INATIVO"
            values["dataCancelamento"] = f"{2020 + int(r() * 6)}-{1 + int(r() * 12):02d}-28"
            values["motivoCancelamento"] = rng.choice(CANCEL_REASONS)
        return values

    def _cpf(self, index: int, r) -> str | None:
        if is_dependant(index, self.seed) and r() < 0.4:
            return None  # minors often have no CPF
        cpf = with_cpf_digits(f"{int(r() * 1e9):09d}")
        if _mix(index, self.seed + 3) % 100 == 0:
            cpf = cpf[:9] + f"{(int(cpf[9:]) + 1) % 100:02d}"  # wrong check digits
        return cpf

    def _cns(self, index: int, r) -> str | None:
        bucket = _mix(index, self.seed + 4) % 100
        if bucket < 3:
            return None
        cns = with_definitive_cns_digits(f"{1 + int(r() * 2)}{int(r() * 1e10):010d}")
        return cns[:14] if bucket < 5 else cns  # 2% malformed: 14 digits

    def _address(self, r, rng: random.Random) -> dict[str, str | None]:
        municipio, cep_prefix = rng.choice(self.places.choices)
        full = r() < 0.8
        return {
            "logradouro": rng.choice(STREETS) if full else None,
            "numero": str(1 + int(r() * 3000)) if full else None,
            "complemento": f"APTO {1 + int(r() * 200)}" if full and r() < 0.3 else None,
            "bairro": rng.choice(BAIRROS) if full else None,
            "codigoMunicipio": municipio,
            "codigoMunicipioResidencia": None,
            "cep": f"{cep_prefix}{int(r() * 1000):03d}",
            "tipoEndereco": "2" if full else None,
            "resideExterior": "0",
        }
