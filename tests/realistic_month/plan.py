"""The SBX of a realistic month: clean movements, and every fault issue 19 lists injected a few times.

Each planned movement says which fault it carries (None: clean) and the pre-critique rule that
should flag it, so a test can check each fault is flagged as the expected rule. Whether ANS
rejects it is not decided here: `ans.py` decides that on its own, from the regulation.
The SBX follows ANS's order (inclusões, retificações, mudanças, cancelamentos, reativações;
titulares before their dependents), except where a fault breaks it on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from realistic_month.people import CONTRACTORS, NEW_PLAN, PLANS, Identities, Vinculo, family, person

ORDER = ("inclusao", "retificacao", "mudancaContratual", "cancelamento", "reativacao")
MISSING_PLAN = "499999999"  # registered nowhere: ANS rejects it


@dataclass
class Planned:
    values: dict  # SBX columns, `movement` included
    fault: str | None = None  # the fault injected (None: a clean movement)
    rule: str | None = None  # the pre-critique rule expected to flag it

    @property
    def movement(self) -> str:
        return self.values["movement"]


def _inclusion(values: dict, fault: str | None = None, rule: str | None = None) -> Planned:
    return Planned({"movement": "inclusao", **values}, fault, rule)


def _days(day: str, delta: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=delta)).isoformat()


class MonthPlanner:
    """Picks vínculos from the portfolio (each touched once) and writes the month's movements."""

    def __init__(self, ids: Identities, vinculos: list[Vinculo]):
        self.ids, self.rng = ids, ids.rng
        pool = list(vinculos)
        self.rng.shuffle(pool)
        self.active_titulares = [v for v in pool if v.active and v.titular]
        self.active_dependents = [v for v in pool if v.active and not v.titular]
        self.inactive = [v for v in pool if not v.active]
        self.reactivated = [v for v in pool if v.active and v["dataReativacao"]]
        self.untouched = {v["cco"] for v in pool}
        self.by_cco = {v["cco"]: v for v in pool}
        self.planned: list[Planned] = []

    def take(self, candidates: list[Vinculo], where=lambda v: True) -> Vinculo:
        for index, vinculo in enumerate(candidates):
            if vinculo["cco"] in self.untouched and where(vinculo):
                self.untouched.discard(vinculo["cco"])
                return candidates.pop(index)
        raise LookupError("the portfolio is too small for this month")

    def october(self) -> str:
        return f"2026-10-{self.rng.randint(1, 28):02d}"

    def new_family(self, dependents: int | None = None) -> list[dict]:
        return family(self.ids, contract=self.october(), plan=self.rng.choice(PLANS),
                      contractor=self.rng.choice(CONTRACTORS),
                      dependents=self.rng.choice((0, 1, 2)) if dependents is None else dependents)

    def new_code(self) -> str:
        return f"{self.ids.number():07d}09"

    def add(self, *planned: Planned) -> None:
        self.planned.extend(planned)

    # --- clean movements ------------------------------------------------------------------

    def clean(self, scale: int) -> None:
        for _ in range(25 * scale):
            self.add(*(_inclusion(member) for member in self.new_family()))
        for _ in range(35 * scale):
            self.add(Planned({"movement": "retificacao", **self._correction(self.take(self.active_titulares))}))
        for _ in range(10 * scale):
            self.add(Planned({"movement": "retificacao", **self._correction(self.take(self.active_dependents))}))
        for _ in range(10 * scale):
            vinculo = self.take(self.active_titulares)
            plan = self.rng.choice([p for p in PLANS if p != vinculo["numeroPlanoANS"]])
            self.add(Planned({"movement": "mudancaContratual", "cco": vinculo["cco"], "relacaoDependencia": "1",
                              "dataContratacao": self.october(), "numeroPlanoANS": plan,
                              "cnpjEmpresaContratante": vinculo["cnpjEmpresaContratante"]}))
        for _ in range(18 * scale):
            vinculo = self.take(self.active_titulares + self.active_dependents)
            self.add(Planned({"movement": "cancelamento", "cco": vinculo["cco"], "dataCancelamento": self.october(),
                              "motivoCancelamento": self.rng.choice(("41", "42", "43"))}))
        for _ in range(7 * scale):
            vinculo = self.take(self.inactive)
            self.add(Planned({"movement": "reativacao", "cco": vinculo["cco"], "dataReativacao": self.october()}))

    def _correction(self, vinculo: Vinculo) -> dict:
        """A retificação that really changes something: name, mother's name, CEP or CNS."""
        field = self.rng.choice(("nome", "nomeMae", "cep", "cns"))
        new = {"nome": self.ids.name, "nomeMae": self.ids.woman, "cns": self.ids.cns,
               "cep": lambda: (vinculo["cep"] or "01310000")[:5] + f"{self.rng.randrange(1000):03d}"}[field]
        value = new()
        while value == vinculo[field]:
            value = new()
        return {"cco": vinculo["cco"], field: value}

    # --- faults ---------------------------------------------------------------------------

    def faults(self, times: int) -> None:
        for _ in range(times):
            for inject in (self._codes, self._dates, self._titulares, self._duplicates, self._identification,
                           self._retifications, self._contract_and_state, self._quality):
                inject()

    def _codes(self) -> None:
        taken = self.take(self.active_titulares + self.inactive)
        stranger = self.new_family(0)[0]
        self.add(_inclusion({**stranger, "codigoBeneficiario": taken["codigoBeneficiario"]}, "0802 code at ANS",
                            "codigo_already_at_ans"))
        first, second = self.new_family(0)[0], self.new_family(0)[0]
        self.add(_inclusion(first), _inclusion({**second, "codigoBeneficiario": first["codigoBeneficiario"]},
                                               "0802 repeated in the file", "codigo_already_at_ans"))

    def _dates(self) -> None:
        titular = self.take(self.active_titulares)
        baby = {**person(self.ids, "2026-11-01", with_cpf=False), "codigoBeneficiario": self.new_code(),
                "relacaoDependencia": "4", "codigoBeneficiarioTitular": titular["codigoBeneficiario"],
                "dataContratacao": "2026-11-01", "numeroPlanoANS": titular["numeroPlanoANS"],
                "cnpjEmpresaContratante": titular["cnpjEmpresaContratante"]}
        self.add(_inclusion(baby, "0204 birth after the competência", "birth_after_competencia"))
        late = self.new_family(0)[0]
        self.add(_inclusion({**late, "dataContratacao": "2026-11-02"}, "1205 contract after the competência",
                            "contract_after_competencia"))

    def _titulares(self) -> None:
        inactive = self.take(self.inactive, lambda v: v.titular)
        child = self.new_family(1)[1]
        self.add(_inclusion({**child, "codigoBeneficiario": self.new_code(),
                             "codigoBeneficiarioTitular": inactive["codigoBeneficiario"],
                             "numeroPlanoANS": inactive["numeroPlanoANS"],
                             "cnpjEmpresaContratante": inactive["cnpjEmpresaContratante"]},
                            "1802 titular inactive at ANS", "titular_not_found"))
        orphan = self.new_family(1)[1]
        self.add(_inclusion({**orphan, "codigoBeneficiarioTitular": "9" + orphan["codigoBeneficiarioTitular"][1:]},
                            "1802 titular unknown", "titular_not_found"))
        titular, dependent = self.new_family(1)
        self.add(_inclusion(dependent, "1802 dependent before its titular", "titular_not_found"), _inclusion(titular))
        titular, *dependents = self.new_family(2)
        bad_cpf = titular["cpf"][:-1] + str((int(titular["cpf"][-1]) + 1) % 10)
        self.add(_inclusion({**titular, "cpf": bad_cpf}, "CPF invalid (titular of a family)", "cpf_invalid"),
                 *(_inclusion(d, "1802 titular rejected in the same file", "titular_has_error") for d in dependents))

    def _duplicates(self) -> None:
        held = self.take(self.active_dependents, lambda v: bool(v["cpf"]))
        titular = self.by_cco[held["ccoBeneficiarioTitular"]]
        self.untouched.discard(titular["cco"])
        copy = {key: held[key] for key in ("cpf", "cns", "nome", "sexo", "dataNascimento", "nomeMae", "codigoMunicipio",
                                           "cep", "resideExterior", "relacaoDependencia", "numeroPlanoANS",
                                           "cnpjEmpresaContratante")}
        self.add(_inclusion({**copy, "codigoBeneficiario": self.new_code(),
                             "codigoBeneficiarioTitular": titular["codigoBeneficiario"],
                             "dataContratacao": self.october()}, "0410 dependent by CPF", "duplicate_active_vinculo"))
        held = self.take(self.active_dependents, lambda v: not v["cpf"] and v["cns"])
        titular = self.by_cco[held["ccoBeneficiarioTitular"]]
        self.untouched.discard(titular["cco"])
        self.add(_inclusion({**{key: held[key] for key in copy if key != "cpf"},
                             "codigoBeneficiario": self.new_code(),
                             "codigoBeneficiarioTitular": titular["codigoBeneficiario"],
                             "dataContratacao": self.october()}, "0410 dependent by CNS", "duplicate_active_vinculo"))

    def _identification(self) -> None:
        self.add(_inclusion({**self.new_family(0)[0], "cpf": None}, "0401 titular without CPF", "cpf_required"))
        member = self.new_family(0)[0]
        self.add(_inclusion({**member, "cns": member["cns"][:-1] + str((int(member["cns"][-1]) + 1) % 10)},
                            "0701 CNS invalid", "cns_invalid"))
        titular, spouse = self.new_family(1)
        spouse.update(relacaoDependencia="3", dataNascimento="1988-05-05", cpf=None)
        self.add(_inclusion(titular), _inclusion(spouse, "0403 adult dependent without CPF", "cpf_required"))
        late_born = self.new_family(0)[0]
        self.add(_inclusion({**late_born, "dataNascimento": "2026-10-20", "dataContratacao": "2026-10-10"},
                            "1218 contract before birth", "birth_after_contract"))

    def _retifications(self) -> None:
        vinculo = self.take(self.active_titulares)
        self.add(Planned({"movement": "retificacao", "cco": vinculo["cco"], "nome": vinculo["nome"]},
                         "3011 identical retificação", "retification_unchanged"))
        vinculo = self.take(self.active_titulares)
        plan = self.rng.choice([p for p in PLANS if p != vinculo["numeroPlanoANS"]])
        self.add(Planned({"movement": "retificacao", "cco": vinculo["cco"], "numeroPlanoANS": plan,
                          "dataContratacao": self.october()}, "0906/1213 retificação is a plan change",
                         "retification_is_contract_change"))
        vinculo = self.take(self.active_titulares + self.active_dependents)
        self.add(Planned({"movement": "retificacao", "cco": vinculo["cco"], "dataCancelamento": self.october(),
                          "motivoCancelamento": "41"}, "3114 cancellation in a retificação", "retification_cancel_data"))
        self.add(Planned({"movement": "retificacao", "cco": f"{self.rng.randrange(10**11, 10**12)}",
                          "nome": self.ids.name()}, "3004 CCO unknown", "cco_not_in_cnx"))

    def _contract_and_state(self) -> None:
        vinculo = self.take(self.active_titulares)
        self.add(Planned({"movement": "mudancaContratual", "cco": vinculo["cco"], "relacaoDependencia": "1",
                          "dataContratacao": self.october(), "numeroPlanoANS": vinculo["numeroPlanoANS"],
                          "cnpjEmpresaContratante": vinculo["cnpjEmpresaContratante"]}, "0905 same plan",
                         "contract_change_same_plan"))
        vinculo = self.take(self.reactivated)
        self.add(Planned({"movement": "cancelamento", "cco": vinculo["cco"],
                          "dataCancelamento": _days(vinculo["dataReativacao"], -5), "motivoCancelamento": "41"},
                         "3105 cancellation before the reactivation", "cancel_before_reactivation"))
        vinculo = self.take(self.active_titulares + self.active_dependents)
        self.add(Planned({"movement": "cancelamento", "cco": vinculo["cco"],
                          "dataCancelamento": _days(vinculo["dataContratacao"], -30), "motivoCancelamento": "41"},
                         "3104 cancellation before the contract", "cancel_before_contract"))
        vinculo = self.take(self.inactive)
        self.add(Planned({"movement": "cancelamento", "cco": vinculo["cco"], "dataCancelamento": self.october(),
                          "motivoCancelamento": "41"}, "3005 already inactive", "cco_inactive"))
        vinculo = self.take(self.inactive)
        self.add(Planned({"movement": "reativacao", "cco": vinculo["cco"],
                          "dataReativacao": _days(vinculo["dataContratacao"], -10)},
                         "2013 reactivation before the contract", "reactivation_before_contract"))

    def _quality(self) -> None:
        member = self.new_family(0)[0]
        self.add(_inclusion({**member, "nomeMae": self.rng.choice(("NAO DECLARADO", "IGNORADA", "MARIA"))},
                            "placeholder mother's name", "mother_name_placeholder"))
        member = self.new_family(0)[0]
        first, *rest = member["nome"].split(" ")
        self.add(_inclusion({**member, "nome": f"{first} {rest[0][0]} {rest[-1]}"}, "abbreviated name",
                            "name_abbreviated"))
        self.add(_inclusion({**self.new_family(0)[0], "numeroPlanoANS": NEW_PLAN}, "plan new to the CNX",
                            "plan_not_in_cnx"))
        self.add(_inclusion({**self.new_family(0)[0], "numeroPlanoANS": MISSING_PLAN}, "plan not in the RPS",
                            "plan_not_in_cnx"))

    # --- the file ---------------------------------------------------------------------------

    def in_ans_order(self) -> list[Planned]:
        """Movements grouped by kind in ANS's order, keeping the order they were planned in."""
        return sorted(self.planned, key=lambda planned: ORDER.index(planned.movement))


def plan_month(ids: Identities, vinculos: list[Vinculo], scale: int = 1, faults: int = 6) -> list[Planned]:
    """The month's movements in file order: `scale` sets the clean volume, `faults` how often each fault recurs."""
    planner = MonthPlanner(ids, vinculos)
    planner.clean(scale)
    planner.faults(faults)
    return planner.in_ans_order()
