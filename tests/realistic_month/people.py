"""Made-up people and the operator's portfolio at ANS before the month (what the CNX shows).

Identifiers are built with their check digits computed here, independently of sibtui's own
check-digit code, so a wrong rule there cannot make the generator agree with it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

REGISTRO = "999997"
FIRST = ("MARIA", "JOSE", "ANA", "JOAO", "ANTONIO", "FRANCISCA", "CARLOS", "PAULO", "LUCIA", "PEDRO", "JULIANA",
         "MARCOS", "LUIZ", "ADRIANA", "RAFAEL", "FERNANDA", "BRUNO", "PATRICIA", "RITA", "GABRIEL")
MIDDLE = ("DA SILVA", "DOS SANTOS", "DE OLIVEIRA", "DE SOUZA", "PEREIRA", "ALVES", "LIMA", "GOMES", "RIBEIRO",
          "DE ASSIS", "MARTINS", "ROCHA", "CARVALHO", "BARBOSA")
LAST = ("COSTA", "FERREIRA", "RODRIGUES", "ARAUJO", "MELO", "CARDOSO", "TEIXEIRA", "MOREIRA", "NUNES", "VIEIRA")
PLANS = ("412345678", "478901234", "455667788", "433221100")  # registered and in use
NEW_PLAN = "466554433"  # registered at ANS (RPS) but no vínculo has it yet
PLACES = (("355030", "01310"), ("330455", "20040"), ("310620", "30130"))  # município (6 digits), CEP prefix


def mod11_digit(digits: str, weights: range | list[int]) -> int:
    total = sum(int(d) * w for d, w in zip(digits, weights))
    rest = total % 11
    return 0 if rest < 2 else 11 - rest


def cpf(base: str) -> str:
    first = mod11_digit(base, range(10, 1, -1))
    second = mod11_digit(base + str(first), range(11, 1, -1))
    return f"{base}{first}{second}"


def cns(base: str) -> str:
    """A definitive CNS (first digit 1 or 2) from an 11-digit base (DATASUS rule, §5.2)."""
    total = sum(int(d) * (15 - i) for i, d in enumerate(base))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        total += 2
        check = 11 - total % 11
        return f"{base}001{check}"
    return f"{base}000{check}"


def cco(number: int) -> str:
    base = f"{number:010d}"
    return base + f"{mod11_digit(base, range(11, 1, -1)):02d}"


def cnpj(base: str) -> str:
    first = mod11_digit(base, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    return base + str(first) + str(mod11_digit(base + str(first), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]))


CONTRACTORS = (cnpj("112223330001"), cnpj("475081320001"), cnpj("607011900001"), None, None)  # None: individual

def cns_is_valid(value: str) -> bool:
    return (len(value) == 15 and value.isdigit() and value[0] in "12789"
            and sum(int(d) * (15 - i) for i, d in enumerate(value)) % 11 == 0)


def cpf_is_valid(value: str) -> bool:
    return len(value) == 11 and value.isdigit() and len(set(value)) > 1 and cpf(value[:9]) == value


@dataclass
class Identities:
    """Fresh, unique identifiers and names, reproducible from a seed."""

    rng: random.Random
    count: int = 0
    used: set[str] = field(default_factory=set)

    def number(self) -> int:
        self.count += 1
        return self.count

    def cpf(self) -> str:
        while True:
            value = cpf(f"{self.rng.randrange(10**8, 10**9):09d}")
            if value not in self.used:
                self.used.add(value)
                return value

    def cns(self) -> str:
        while True:
            value = cns(f"{self.rng.choice('12')}{self.rng.randrange(10**9, 10**10):010d}")
            if value not in self.used and len(value) == 15:
                self.used.add(value)
                return value

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(MIDDLE)} {self.rng.choice(LAST)}"

    def woman(self) -> str:
        return f"{self.rng.choice(('MARIA', 'ANA', 'LUCIA', 'RITA', 'JULIANA', 'ADRIANA'))} {self.rng.choice(MIDDLE)} " \
               f"{self.rng.choice(LAST)}"


def date(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randint(first_year, last_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def person(ids: Identities, born: str, *, with_cpf: bool = True, with_cns: bool = True) -> dict:
    place, cep_prefix = ids.rng.choice(PLACES)
    return {
        "cpf": ids.cpf() if with_cpf else None,
        "cns": ids.cns() if with_cns else None,
        "nome": ids.name(),
        "sexo": ids.rng.choice(("1", "3")),
        "dataNascimento": born,
        "nomeMae": ids.woman(),
        "codigoMunicipio": place,
        "cep": f"{cep_prefix}{ids.rng.randrange(0, 1000):03d}",
        "resideExterior": "0",
    }


@dataclass
class Vinculo:
    """One vínculo at ANS: its CNX values (column -> text), as the conference lists it."""

    values: dict

    def __getitem__(self, key: str):
        return self.values.get(key)

    @property
    def active(self) -> bool:
        return self.values["situacao"] == "ATIVO"

    @property
    def titular(self) -> bool:
        return self.values.get("relacaoDependencia") == "1"


def family(ids: Identities, *, contract: str, plan: str, contractor: str | None, dependents: int) -> list[dict]:
    """A titular and dependents as inclusion values (SBX columns), codes `NNNNNNN00`, `NNNNNNN0k`."""
    number = ids.number()
    titular = {**person(ids, date(ids.rng, 1955, 1998)), "codigoBeneficiario": f"{number:07d}00",
               "relacaoDependencia": "1", "dataContratacao": contract, "numeroPlanoANS": plan,
               "cnpjEmpresaContratante": contractor}
    members = [titular]
    for k in range(1, dependents + 1):
        spouse = k == 1 and ids.rng.random() < 0.6
        born = date(ids.rng, 1960, 1999) if spouse else date(ids.rng, 2009, 2020)
        member = {**person(ids, born, with_cpf=spouse or ids.rng.random() < 0.5),
                  "codigoBeneficiario": f"{number:07d}0{k}", "relacaoDependencia": "3" if spouse else "4",
                  "codigoBeneficiarioTitular": titular["codigoBeneficiario"], "dataContratacao": max(contract, born),
                  "numeroPlanoANS": plan, "cnpjEmpresaContratante": contractor}
        if not spouse:
            member["nomeMae"] = titular["nome"] if titular["sexo"] == "3" else member["nomeMae"]
        members.append(member)
    return members


def portfolio(ids: Identities, families: int) -> list[Vinculo]:
    """ANS's view before the month: families, some cancelled, some cancelled and reactivated."""
    rng = ids.rng
    vinculos: list[Vinculo] = []
    for _ in range(families):
        contract = date(rng, 2008, 2025)
        members = family(ids, contract=contract, plan=rng.choice(PLANS), contractor=rng.choice(CONTRACTORS),
                         dependents=rng.choice((0, 0, 1, 1, 2, 3)))
        state = rng.random()
        titular_cco = None
        for member in members:
            values = {**member, "cco": cco(1_000_000 + ids.number()), "situacao": "ATIVO", "dataAtualizacao": "2026-09-30"}
            values.pop("codigoBeneficiarioTitular", None)
            values["ccoBeneficiarioTitular"] = titular_cco
            titular_cco = titular_cco or values["cco"]
            if state < 0.12:
                values.update(situacao="INATIVO", dataCancelamento=f"2026-0{rng.randint(1, 8)}-15",
                              motivoCancelamento=rng.choice(("41", "42")))
            elif state < 0.18:
                values["dataReativacao"] = f"2026-0{rng.randint(1, 8)}-{rng.randint(10, 28)}"
            vinculos.append(Vinculo(values))
    return vinculos
