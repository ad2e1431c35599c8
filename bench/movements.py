"""A month of movements against a `Portfolio`, the RPX that answers it, the CNX after it.

The plan is a dict {portfolio index: movement} for the existing vínculos touched plus a
count of inclusions (new indexes after the portfolio), so the SBX, the RPX and the next CNX
are written from the same decisions. About 5% of movements are rejected by "ANS" with real
error codes from the catalogue; the rest are applied to the next conference.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.population import Portfolio, cco_of, code_of, is_inactive
from sibtui.catalog.error_codes import KNOWN_CODES
from sibtui.catalog.fields import FIELDS
from sibtui.catalog.kinds import Movement
from sibtui.rules.check_digits import with_definitive_cns_digits

_SHARES = {  # of the movements that touch existing vínculos
    Movement.RETIFICACAO: 0.50,
    Movement.MUDANCA_CONTRATUAL: 0.15,
    Movement.CANCELAMENTO: 0.30,
}
INCLUSION_SHARE = 0.40
REJECTED_SHARE = 0.05
_OPERATION_CODES = {
    Movement.INCLUSAO: "INC",
    Movement.RETIFICACAO: "RET",
    Movement.MUDANCA_CONTRATUAL: "MUD",
    Movement.CANCELAMENTO: "CAN",
    Movement.REATIVACAO: "REA",
}


@dataclass
class MonthPlan:
    """Which vínculo gets which movement, which movements ANS rejects and why."""

    portfolio_size: int
    inclusions: int
    touched: dict[int, Movement] = field(default_factory=dict)
    rejected: dict[tuple[Movement, int], list[str]] = field(default_factory=dict)  # -> error codes

    @property
    def movement_count(self) -> int:
        return self.inclusions + len(self.touched)


def plan_month(portfolio_size: int, movements: int, seed: int) -> MonthPlan:
    rng = random.Random(seed * 31 + 5)
    inclusions = int(movements * INCLUSION_SHARE)
    existing = min(movements - inclusions, portfolio_size)
    plan = MonthPlan(portfolio_size, movements - existing)
    kinds, weights = zip(*_SHARES.items())
    for index in sorted(rng.sample(range(portfolio_size), existing)):
        if is_inactive(index, seed):
            plan.touched[index] = Movement.REATIVACAO
        else:
            plan.touched[index] = rng.choices(kinds, weights)[0]
    codes = _codes_by_operation()
    keys = [(Movement.INCLUSAO, k) for k in range(plan.inclusions)] + [(m, i) for i, m in plan.touched.items()]
    for key in keys:
        if rng.random() < REJECTED_SHARE and codes[key[0]]:
            plan.rejected[key] = rng.sample(codes[key[0]], 1 + (rng.random() < 0.3))
    return plan


def _codes_by_operation() -> dict[Movement, list[str]]:
    return {
        movement: sorted(code for code, e in KNOWN_CODES.items() if op in e.operations and e.field_name in FIELDS)
        for movement, op in _OPERATION_CODES.items()
    }


def _sbx_inclusion(values: dict, titular_code: str | None) -> dict:
    """An inclusion as the operator sends it: schema-valid (ANS's critique, not the XSD, flags the
    wrong check digits), so a regeneration of the whole file passes the schema facets."""
    sbx = {k: v for k, v in values.items() if k not in {"cco", "situacao", "dataAtualizacao", "ccoBeneficiarioTitular"}}
    if sbx.get("cns") and len(sbx["cns"]) != 15:
        sbx["cns"] = with_definitive_cns_digits(sbx["cns"][:11])
    sbx["nome"] = sbx["nome"].replace(" & ", " E ")
    sbx["codigoBeneficiarioTitular"] = titular_code
    sbx["dataPrimeiraContratacao"] = None
    sbx["dataCancelamento"] = sbx["motivoCancelamento"] = None
    return sbx


def new_cns(index: int) -> str:
    """The corrected CNS a retificação sends for vínculo `index` (and the next CNX shows)."""
    return with_definitive_cns_digits(f"2{index % 10**10:010d}")


def sbx_movements(portfolio: Portfolio, plan: MonthPlan, movement: Movement) -> Iterator[tuple[int, dict]]:
    """(key index, SBX values) of one movement type, in portfolio order."""
    if movement is Movement.INCLUSAO:
        for k, values in enumerate(portfolio.people(plan.inclusions, plan.portfolio_size)):
            titular = values["ccoBeneficiarioTitular"]
            titular_code = code_of(int(titular[:10]) - 4_555_000_000) if titular else None
            values.pop("dataCancelamento", None)
            yield k, _sbx_inclusion(values, titular_code)
        return
    for index, chosen in plan.touched.items():
        if chosen is not movement:
            continue
        yield index, _existing_movement(index, movement)


def _existing_movement(index: int, movement: Movement) -> dict:
    cco = cco_of(index)
    if movement is Movement.CANCELAMENTO:
        return {"cco": cco, "dataCancelamento": "2026-10-31", "motivoCancelamento": "41"}
    if movement is Movement.REATIVACAO:
        return {"cco": cco, "dataReativacao": "2026-10-01"}
    if movement is Movement.MUDANCA_CONTRATUAL:
        return {"cco": cco, "relacaoDependencia": "1", "dataContratacao": "2026-10-01", "numeroPlanoANS": "463728190"}
    return {"cco": cco, "cns": new_cns(index)}


def applied(values: dict, index: int, movement: Movement) -> dict:
    """A vínculo's CNX values after ANS accepted `movement`."""
    values = dict(values)
    values["dataAtualizacao"] = "2026-11-05"
    if movement is Movement.CANCELAMENTO:
        values.update(situacao="INATIVO", dataCancelamento="2026-10-31", motivoCancelamento="41")
    elif movement is Movement.REATIVACAO:
        values.update(situacao="ATIVO", dataReativacao="2026-10-01", dataCancelamento=None, motivoCancelamento=None)
    elif movement is Movement.MUDANCA_CONTRATUAL:
        values.update(relacaoDependencia="1", dataContratacao="2026-10-01", numeroPlanoANS="463728190")
    else:
        values["cns"] = new_cns(index)
    return values
