"""ANS processing an SBX, as the regulation and the críticas describe it (never sibtui's rules).

ANS keeps one record per vínculo and applies the movements of a file in order: each is
checked against the record as it stands *then* (so a titular rejected earlier in the file is
unknown to its dependents, and the second inclusion of a code finds the first one), and
applied only when nothing is wrong. Codes follow `criticas.md`; an invalid CPF and a plan
missing from the RPS have no recovered number, so they get 0402 and 0901 here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from realistic_month.people import NEW_PLAN, PLANS, Vinculo, cco, cns_is_valid, cpf_is_valid

FIELD_LABELS = {"01": "NOME", "02": "DATA DE NASCIMENTO", "04": "CPF", "07": "CNS", "08": "CODIGO DO BENEFICIARIO",
                "09": "NUMERO DO PLANO ANS", "12": "DATA DE CONTRATACAO", "18": "CODIGO DO TITULAR",
                "20": "DATA DE REATIVACAO", "30": "CCO", "31": "DATA DE CANCELAMENTO"}
MESSAGES = {
    "0204": "DATA DE NASCIMENTO DEVE SER ANTERIOR OU IGUAL AO ULTIMO DIA DO MES DA COMPETENCIA",
    "0401": "CPF OBRIGATORIO PARA TITULAR NA INCLUSAO",
    "0402": "CPF INVALIDO",
    "0403": "CPF E OBRIGATORIO PARA BENEFICIARIO DEPENDENTE COM IDADE IGUAL OU SUPERIOR A 18 ANOS",
    "0410": "JA EXISTE REGISTRO ATIVO COM O MESMO IDENTIFICADOR, PLANO E EMPRESA CONTRATANTE NA OPERADORA",
    "0701": "CNS INVALIDO",
    "0802": "CODIGO DE IDENTIFICACAO DO BENEFICIARIO JA EXISTE NO CADASTRO PARA A OPERADORA INFORMADA",
    "0901": "NUMERO DO PLANO NAO ENCONTRADO NO RPS",
    "0905": "NUMERO DO PLANO RPS NAO PODE SER O MESMO EXISTENTE NO CADASTRO EM MUDANCA CONTRATUAL",
    "0906": "NUMERO DO PLANO E DATA DE CONTRATACAO DIFERENTES DOS EXISTENTES CARACTERIZAM MUDANCA CONTRATUAL",
    "1205": "DATA DE CONTRATACAO DEVE SER ANTERIOR OU IGUAL AO ULTIMO DIA DO MES DA COMPETENCIA",
    "1213": "NUMERO DO PLANO E DATA DE CONTRATACAO DIFERENTES DOS EXISTENTES CARACTERIZAM MUDANCA CONTRATUAL",
    "1218": "DATA DE NASCIMENTO DEVE SER ANTERIOR OU IGUAL A DATA DA PRIMEIRA CONTRATACAO DO PLANO",
    "1802": "CODIGO DE IDENTIFICACAO DO TITULAR NAO PERTENCE A OPERADORA INFORMADA",
    "1803": "CODIGO DE IDENTIFICACAO DE BENEFICIARIO TITULAR NAO PERTENCE A UM BENEFICIARIO TITULAR",
    "2004": "DATA DE REATIVACAO DEVE SER POSTERIOR OU IGUAL A DATA DE CANCELAMENTO EXISTENTE NO CADASTRO",
    "2013": "DATA DE REATIVACAO DEVE SER POSTERIOR OU IGUAL A DATA DE CONTRATACAO EXISTENTE NO CADASTRO",
    "3004": "CCO NAO PERTENCE A OPERADORA INFORMADA",
    "3005": "O CCO INFORMADO JA SE ENCONTRA INATIVO NO CADASTRO",
    "3010": "NAO EXISTEM INFORMACOES DE CANCELAMENTO DE CADASTRO PARA SER RETIFICADA",
    "3011": "REGISTRO REFERENTE AO CCO INFORMADO CONTEM DADOS IDENTICOS AOS EXISTENTES NO CADASTRO",
    "3104": "DATA DE CANCELAMENTO DEVE SER POSTERIOR OU IGUAL A DATA DE CONTRATACAO",
    "3105": "DATA DE CANCELAMENTO DEVE SER POSTERIOR OU IGUAL A DATA DE REATIVACAO",
    "3114": "RETIFICACAO COM DATA DE CANCELAMENTO E BENEFICIARIO SE ENCONTRA ATIVO NA ANS",
}
COMPETENCIA_END = dt.date(2026, 10, 31)  # the SBX is made on 2026-11-03
REGISTERED_PLANS = {*PLANS, NEW_PLAN}
IDENTIFIERS = ("cpf", "cns", "pisPasep", "nomeMae")


@dataclass
class Error:
    code: str
    value: str | None

    @property
    def field_id(self) -> str:
        return self.code[:2]


@dataclass
class Outcome:
    """ANS's verdict on one movement: its errors (none: accepted) and, for an inclusion, the CCO."""

    errors: list[Error] = field(default_factory=list)
    cco: str | None = None

    @property
    def accepted(self) -> bool:
        return not self.errors


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _age(born: str, on: dt.date) -> int:
    birth = _day(born)
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class Ans:
    """ANS's register of one operator, starting from the conference before the month."""

    def __init__(self, vinculos: list[Vinculo], first_new_cco: int = 9_000_000):
        self.records: dict[str, dict] = {v["cco"]: dict(v.values) for v in vinculos}
        self.next_cco = first_new_cco

    def _by_code(self, code: str | None) -> list[dict]:
        return [r for r in self.records.values() if code and r.get("codigoBeneficiario") == code]

    def process(self, movements: list[dict]) -> list[Outcome]:
        handlers = {"inclusao": self._include, "retificacao": self._retify, "mudancaContratual": self._change,
                    "cancelamento": self._cancel, "reativacao": self._reactivate}
        return [handlers[m["movement"]](m) for m in movements]

    # --- inclusão ---------------------------------------------------------------------------

    def _include(self, m: dict) -> Outcome:
        errors = self._identification(m)
        titular = m.get("relacaoDependencia") == "1"
        if titular and not m.get("cpf"):
            errors.append(Error("0401", None))
        if not titular and not m.get("cpf") and _age(m["dataNascimento"], COMPETENCIA_END) >= 18:
            errors.append(Error("0403", None))
        if self._by_code(m["codigoBeneficiario"]):
            errors.append(Error("0802", m["codigoBeneficiario"]))
        errors += self._dates(m)
        if m.get("numeroPlanoANS") not in REGISTERED_PLANS:
            errors.append(Error("0901", m.get("numeroPlanoANS")))
        if not titular:
            holders = [r for r in self._by_code(m.get("codigoBeneficiarioTitular")) if r["situacao"] == "ATIVO"]
            if not holders:
                errors.append(Error("1802", m.get("codigoBeneficiarioTitular")))
            elif not any(r.get("relacaoDependencia") == "1" for r in holders):
                errors.append(Error("1803", m.get("codigoBeneficiarioTitular")))
        if self._duplicate(m):
            errors.append(Error("0410", m.get("cpf")))
        if errors:
            return Outcome(errors)
        new_cco = cco(self.next_cco)
        self.next_cco += 1
        self.records[new_cco] = {**m, "cco": new_cco, "situacao": "ATIVO"}
        return Outcome(cco=new_cco)

    def _identification(self, m: dict) -> list[Error]:
        errors = []
        if m.get("cpf") and not cpf_is_valid(m["cpf"]):
            errors.append(Error("0402", m["cpf"]))
        if m.get("cns") and not cns_is_valid(m["cns"]):
            errors.append(Error("0701", m["cns"]))
        return errors

    def _dates(self, m: dict) -> list[Error]:
        errors = []
        birth, contract = _day(m.get("dataNascimento")), _day(m.get("dataContratacao"))
        if birth and birth > COMPETENCIA_END:
            errors.append(Error("0204", m["dataNascimento"]))
        if contract and contract > COMPETENCIA_END:
            errors.append(Error("1205", m["dataContratacao"]))
        if birth and contract and contract < birth:
            errors.append(Error("1218", m["dataContratacao"]))
        return errors

    def _duplicate(self, m: dict) -> bool:
        """An active vínculo with the same person (first identifier present), plan and contractor."""
        key = next((name for name in IDENTIFIERS if m.get(name)), None)
        if key is None:
            return False
        return any(
            r["situacao"] == "ATIVO" and r.get(key) == m[key] and r.get("numeroPlanoANS") == m.get("numeroPlanoANS")
            and (not r.get("cnpjEmpresaContratante") or r.get("cnpjEmpresaContratante") == m.get("cnpjEmpresaContratante"))
            for r in self.records.values()
        )

    # --- movements on an existing vínculo ----------------------------------------------------

    def _existing(self, m: dict) -> tuple[dict | None, list[Error]]:
        record = self.records.get(m["cco"])
        return record, ([] if record is not None else [Error("3004", m["cco"])])

    def _retify(self, m: dict) -> Outcome:
        record, errors = self._existing(m)
        if record is None:
            return Outcome(errors)
        errors = self._identification(m) + self._dates({**record, **{k: v for k, v in m.items() if v}})
        if m.get("dataCancelamento") or m.get("motivoCancelamento"):
            errors.append(Error("3114" if record["situacao"] == "ATIVO" else "3010", m.get("dataCancelamento")))
        plan_changes = m.get("numeroPlanoANS") and m["numeroPlanoANS"] != record.get("numeroPlanoANS")
        date_changes = m.get("dataContratacao") and m["dataContratacao"] != record.get("dataContratacao")
        if plan_changes and date_changes:
            errors += [Error("0906", m["numeroPlanoANS"]), Error("1213", m["dataContratacao"])]
        sent = {k: v for k, v in m.items() if k not in ("movement", "cco") and v is not None}
        if all(record.get(k) == v for k, v in sent.items()):
            errors.append(Error("3011", m["cco"]))
        if errors:
            return Outcome(errors)
        record.update(sent)
        return Outcome()

    def _change(self, m: dict) -> Outcome:
        record, errors = self._existing(m)
        if record is None:
            return Outcome(errors)
        if record["situacao"] != "ATIVO":
            errors.append(Error("3005", m["cco"]))
        if m.get("numeroPlanoANS") == record.get("numeroPlanoANS"):
            errors.append(Error("0905", m["numeroPlanoANS"]))
        if _day(m["dataContratacao"]) > COMPETENCIA_END:
            errors.append(Error("1205", m["dataContratacao"]))
        if errors:
            return Outcome(errors)
        record.update(numeroPlanoANS=m["numeroPlanoANS"], dataContratacao=m["dataContratacao"])
        return Outcome()

    def _cancel(self, m: dict) -> Outcome:
        record, errors = self._existing(m)
        if record is None:
            return Outcome(errors)
        cancel = _day(m["dataCancelamento"])
        if record["situacao"] != "ATIVO":
            errors.append(Error("3005", m["cco"]))
        if cancel < _day(record["dataContratacao"]):
            errors.append(Error("3104", m["dataCancelamento"]))
        if record.get("dataReativacao") and cancel < _day(record["dataReativacao"]):
            errors.append(Error("3105", m["dataCancelamento"]))
        if errors:
            return Outcome(errors)
        record.update(situacao="INATIVO", dataCancelamento=m["dataCancelamento"],
                      motivoCancelamento=m["motivoCancelamento"])
        return Outcome()

    def _reactivate(self, m: dict) -> Outcome:
        record, errors = self._existing(m)
        if record is None:
            return Outcome(errors)
        reactivation = _day(m["dataReativacao"])
        if record.get("dataCancelamento") and reactivation < _day(record["dataCancelamento"]):
            errors.append(Error("2004", m["dataReativacao"]))
        if reactivation < _day(record["dataContratacao"]):
            errors.append(Error("2013", m["dataReativacao"]))
        if errors:
            return Outcome(errors)
        record.update(situacao="ATIVO", dataReativacao=m["dataReativacao"])
        return Outcome()
