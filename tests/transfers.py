"""Portfolio transfer files (`ansParaOperadora/transferencia`, §1.3) built for tests.

Written from the XSD's element order and hashed by `sibfiles.reference_hash`, which shares
no code with sibtui. A transfer lists families (a titular and its dependents, linked by
`ccoBeneficiarioTitular`), each vínculo with `situacaoTransferencia` 1 (transferred) or 2
(cancelled for duplicity at the acquirer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sibfiles import document, header
from sibtui.rules.check_digits import with_cco_digits, with_cpf_digits

ACQUIRER = "999997"
CEDING = "888885"


@dataclass
class Person:
    cco: str
    code: str
    name: str
    cpf: str | None
    birth: str
    relacao: str = "1"
    titular_cco: str | None = None
    situacao_transferencia: str = "1"
    situacao: str = "ATIVO"
    cns: str | None = None
    cancel_date: str | None = None
    cancel_reason: str | None = None


@dataclass
class Transfer:
    """The people of one transfer, as ANS lists them to one side."""

    people: list[Person] = field(default_factory=list)

    def by_situation(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for person in self.people:
            counts[person.situacao_transferencia] = counts.get(person.situacao_transferencia, 0) + 1
        return counts


_NAMES = ("ANA", "BRUNO", "CARLA", "DANIEL", "EDUARDA", "FABIO", "GABRIELA", "HELIO", "IARA", "JOAO")


def families(count: int, dependents: int = 2, duplicity_every: int = 0, cco_base: int = 7_000_000_000,
             code_prefix: str = "CED") -> Transfer:
    """`count` families of a titular and `dependents` dependents; every `duplicity_every`-th
    family's titular is a duplicity (situacaoTransferencia 2, INATIVO)."""
    transfer = Transfer()
    serial = 0
    for family in range(1, count + 1):
        titular_cco = None
        for member in range(dependents + 1):
            serial += 1
            cco = with_cco_digits(f"{cco_base + serial:010d}")
            duplicity = member == 0 and duplicity_every and family % duplicity_every == 0
            person = Person(
                cco=cco,
                code=f"{code_prefix}{family:05d}{member:02d}",
                name=f"{_NAMES[serial % len(_NAMES)]} TRANSFERIDO DE SOUZA",
                cpf=with_cpf_digits(f"{300_000_000 + serial:09d}") if member == 0 or serial % 3 else None,
                birth=f"{1960 + serial % 40}-0{1 + serial % 9}-1{serial % 9}",
                relacao="1" if member == 0 else ("3" if member == 1 else "4"),
                titular_cco=titular_cco,
                situacao_transferencia="2" if duplicity else "1",
                situacao="INATIVO" if duplicity else "ATIVO",
                cns=None,
                cancel_date="2026-09-30" if duplicity else None,
                cancel_reason="46" if duplicity else None,
            )
            if member == 0:
                titular_cco = cco
            transfer.people.append(person)
    return transfer


def _beneficiario(person: Person) -> str:
    identity = "".join(
        f"<{tag}>{value}</{tag}>" for tag, value in (
            ("cpf", person.cpf), ("cns", person.cns), ("nome", person.name), ("sexo", "1"),
            ("dataNascimento", person.birth),
        ) if value is not None
    )
    link = "".join(
        f"<{tag}>{value}</{tag}>" for tag, value in (
            ("codigoBeneficiario", person.code), ("relacaoDependencia", person.relacao),
            ("ccoBeneficiarioTitular", person.titular_cco), ("dataContratacao", "2020-03-01"),
            ("dataCancelamento", person.cancel_date), ("motivoCancelamento", person.cancel_reason),
            ("numeroPlanoANS", "412345678"),
        ) if value is not None
    )
    return (
        f'<beneficiario cco="{person.cco}" situacao="{person.situacao}" dataAtualizacao="2026-10-02" '
        f'situacaoTransferencia="{person.situacao_transferencia}">'
        f"<identificacao>{identity}</identificacao>"
        "<endereco><codigoMunicipio>355030</codigoMunicipio><cep>01310930</cep></endereco>"
        f"<vinculo>{link}</vinculo></beneficiario>"
    )


def transfer_file(transfer: Transfer, *, side: str = "adquirente", acquirer: str = ACQUIRER, ceding: str = CEDING,
                  effective: str = "2026-10-01", when: str = "2026-10-02T08:00:00", tab_id: str | None = "4711"
                  ) -> bytes:
    """The whole document ANS sends to `side` (its `destino/registroANS`), correctly hashed."""
    destino = acquirer if side == "adquirente" else ceding
    id_attribute = f' id="{tab_id}"' if tab_id is not None else ""
    tab = (
        f"<tab{id_attribute}><dataExecucaoProcesso>2026-10-02</dataExecucaoProcesso>"
        f"<dataEfetivaTransferencia>{effective}</dataEfetivaTransferencia>"
        f"<regsAnsOperadoraCedente>{ceding}</regsAnsOperadoraCedente>"
        f"<regsAnsOperadoraAdquirente>{acquirer}</regsAnsOperadoraAdquirente></tab>"
    )
    records = "".join(_beneficiario(person) for person in transfer.people)
    message = f"<ansParaOperadora><transferencia>{tab}<conferencia>{records}</conferencia></transferencia></ansParaOperadora>"
    head = header(destino, kind="CNX", when=when).replace("CONFERENCIA CADASTRAL", "TRANSFERENCIA DE CARTEIRA")
    return document(message, kind="CNX", head=head)


def ceding_view(transfer: Transfer) -> Transfer:
    """What the ceding operator receives: the same vínculos under their old CCOs, cancelled."""
    ceded = Transfer()
    old = {person.cco: with_cco_digits(f"{5_000_000_000 + index:010d}")
           for index, person in enumerate(transfer.people, start=1)}
    for person in transfer.people:
        ceded.people.append(Person(
            cco=old[person.cco], code=person.code.replace("CED", "OLD"), name=person.name, cpf=person.cpf,
            birth=person.birth, relacao=person.relacao, titular_cco=old.get(person.titular_cco or ""),
            situacao_transferencia=person.situacao_transferencia, situacao="INATIVO", cancel_date="2026-09-30",
        ))
    return ceded
