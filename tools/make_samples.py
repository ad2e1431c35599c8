"""Regenerate `sample_files/`: one month of one operator's SIB traffic, consistent end to end.

The story (registro ANS 999997, competência 2026-10):

1. `ArqConf9999970920261001.CNX` — ANS's conference before the month's files: 18 vínculos.
2. `99999720261103101500.SBX` — the operator's October movements (inclusões, retificações,
   mudanças contratuais, cancelamentos, reativações). Schema-valid, correct hash; some
   records are deliberately wrong in ways ANS rejects or flags (see `DEFECTS`).
3. `99999720261105031244.RPX` — ANS's answer to (2): protocol, the rejected records with
   their error codes, the CCOs of the accepted inclusions, the consolidated totals.
4. `99999720261104160000.SBX` — a second, small SBX whose declared hash is wrong.
5. `99999720261105031530.RPX` — ANS's answer to (4): the whole file rejected (code 20).
6. `ArqConf9999971020261110.CNX` — ANS's conference after (2) was processed: the accepted
   movements applied, CNS numbers ANS assigned automatically, one vínculo gone.

Every identifier passes its check digits except where `DEFECTS` says otherwise. Values are
made up; no real person is described. Run from the repository root:

    python tools/make_samples.py           # rewrite sample_files/
    python tools/make_samples.py --check   # exit 1 when sample_files/ differs
"""

from __future__ import annotations

import argparse
import copy
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sibtui.catalog import shapes  # noqa: E402
from sibtui.catalog.kinds import Movement  # noqa: E402
from sibtui.rules.check_digits import (  # noqa: E402
    with_cco_digits,
    with_cnpj_digits,
    with_cpf_digits,
    with_definitive_cns_digits,
    with_pis_digit,
    with_provisional_cns_digits,
)
from sibtui.xmlwriter import SibXmlWriter  # noqa: E402

OUT = REPO / "sample_files"
REGISTRO = "999997"
ANS_CNPJ = "03589068000146"
CONTRACTOR = with_cnpj_digits("112223330001")  # 11222333000181
OTHER_CONTRACTOR = with_cnpj_digits("475081320001")
PLAN = "412345678"
PLAN_COLLECTIVE = "478901234"
NEW_PLAN = "412345686"

CNX_BEFORE = "ArqConf9999970920261001.CNX"
SBX_MAIN = "99999720261103101500.SBX"
RPX_MAIN = "99999720261105031244.RPX"
SBX_REJECTED = "99999720261104160000.SBX"
RPX_REJECTED = "99999720261105031530.RPX"
CNX_AFTER = "ArqConf9999971020261110.CNX"

# What is deliberately wrong, by file and record (1-based position of the movement in its
# file), with the finding the local pre-critique must raise. Everything else is correct.
DEFECTS: list[tuple[str, int, str, str]] = []  # (file, record_no, field, what), filled below


def cpf(base: str) -> str:
    return with_cpf_digits(base)


def cns(base: str) -> str:
    return with_definitive_cns_digits(base)


def address(municipio: str, cep: str, logradouro: str | None = None, numero: str | None = None,
            bairro: str | None = None) -> dict:
    return {
        "logradouro": logradouro,
        "numero": numero,
        "bairro": bairro,
        "codigoMunicipio": municipio,
        "cep": cep,
        "tipoEndereco": "2" if logradouro else None,
        "resideExterior": "0",
    }


SAO_PAULO = ("355030", "01310930")
RIO = ("330455", "20040002")
BELO_HORIZONTE = ("310620", "30130010")
BRASILIA = ("530010", "70040010")


@dataclass
class Person:
    """A vínculo: identification, address, contract, and its CCO once ANS assigned one."""

    code: str
    nome: str
    sexo: str
    nascimento: str
    relacao: str = "1"
    titular: str | None = None  # codigoBeneficiario of the titular
    cpf: str | None = None
    cns: str | None = None
    pis: str | None = None
    dn: str | None = None
    mae: str | None = None
    endereco: dict = field(default_factory=lambda: address(*SAO_PAULO))
    contratacao: str = "2024-03-01"
    plano: str = PLAN
    contratante: str | None = CONTRACTOR
    cco: str | None = None
    situacao: str = "ATIVO"
    atualizacao: str = "2026-09-20"
    cancelamento: str | None = None
    motivo: str | None = None
    reativacao: str | None = None

    def identificacao(self) -> dict:
        return {"cpf": self.cpf, "dn": self.dn, "pisPasep": self.pis, "cns": self.cns, "nome": self.nome,
                "sexo": self.sexo, "dataNascimento": self.nascimento, "nomeMae": self.mae}

    def vinculo(self) -> dict:
        return {
            "codigoBeneficiario": self.code,
            "relacaoDependencia": self.relacao,
            "codigoBeneficiarioTitular": self.titular,
            "dataContratacao": self.contratacao,
            "numeroPlanoANS": self.plano,
            "cnpjEmpresaContratante": self.contratante,
        }


# --- ANS's view before the month (CNX 1) ----------------------------------------------------

_cco_sequence = iter(range(4_555_000_100, 4_555_000_900, 7))


def next_cco() -> str:
    return with_cco_digits(f"{next(_cco_sequence):010d}")


def registered() -> list[Person]:
    people = [
        Person("0000100001", "JOSE CARLOS ALMEIDA SANTOS", "1", "1978-04-12", cpf=cpf("318256407"),
               cns=cns("19283746501"), pis=with_pis_digit("1203456789"), mae="TEREZA ALMEIDA SANTOS",
               endereco=address(*SAO_PAULO, "RUA AUGUSTA", "1500", "CONSOLACAO"), contratacao="2019-03-01"),
        Person("0000100002", "LUCIA HELENA ALMEIDA SANTOS", "3", "1980-09-30", relacao="3",
               titular="0000100001", cpf=cpf("427365198"), cns=cns("20192837465"), mae="MARIA HELENA SOUZA",
               contratacao="2019-03-01"),
        Person("0000100003", "PEDRO HENRIQUE ALMEIDA SANTOS", "1", "2012-06-18", relacao="4",
               titular="0000100001", cns=cns("19384756201"), mae="LUCIA HELENA ALMEIDA SANTOS",
               contratacao="2019-03-01"),
        # No CNS at ANS yet; ANS assigns one by the next conference (CPF, name, birth match).
        Person("0000100010", "ROBERTO NUNES FARIAS", "1", "1969-01-22", cpf=cpf("536284719"),
               mae="CECILIA NUNES FARIAS", endereco=address(*RIO), contratacao="2015-08-01",
               plano=PLAN_COLLECTIVE, contratante=OTHER_CONTRACTOR),
        Person("0000100011", "SANDRA REGINA FARIAS", "3", "1972-05-03", relacao="3", titular="0000100010",
               cpf=cpf("645193827"), cns=cns("10293847561"), mae="ODETE REGINA LIMA", endereco=address(*RIO),
               contratacao="2015-08-01", plano=PLAN_COLLECTIVE, contratante=OTHER_CONTRACTOR),
        Person("0000100020", "ANA PAULA RIBEIRO COSTA", "3", "1990-11-11", cpf=cpf("754028316"),
               cns=cns("20384756192"), mae="JOANA RIBEIRO COSTA", contratacao="2021-02-01"),
        Person("0000100021", "MARCOS VINICIUS TEIXEIRA", "1", "1985-02-14", cpf=cpf("863917245"),
               cns=cns("19475638201"), mae="VERA LUCIA TEIXEIRA", endereco=address(*BELO_HORIZONTE),
               contratacao="2020-07-01"),
        Person("0000100022", "FERNANDA LIMA DE OLIVEIRA", "3", "1995-07-07", cpf=cpf("972846153"),
               cns=cns("20475638192"), mae="ROSANGELA LIMA", contratacao="2022-01-10"),
        Person("0000100023", "CLAUDIO ROBERTO MENDES", "1", "1960-12-01", cpf=cpf("183746529"),
               cns=cns("19566473821"), mae="IRACEMA MENDES", endereco=address(*BRASILIA),
               contratacao="2010-05-01", contratante=None),
        # Provisional CNS at ANS; the next conference carries the definitive number.
        Person("0000100024", "BEATRIZ SOUZA CAMPOS", "3", "2001-03-25", cpf=cpf("294857361"),
               cns=with_provisional_cns_digits("7000123456780"), mae="HELENA SOUZA CAMPOS",
               contratacao="2023-04-01"),
        Person("0000100025", "GUSTAVO HENRIQUE PRADO", "1", "1975-10-19", cpf=cpf("305968472"),
               cns=cns("10384756291"), mae="NEIDE PRADO", contratacao="2018-09-01"),
        Person("0000100026", "PATRICIA ALVES MOREIRA", "3", "1988-08-08", cpf=cpf("416079583"),
               cns=cns("20566473829"), mae="SONIA ALVES MOREIRA", contratacao="2016-11-01"),
        Person("0000100027", "RICARDO GOMES PEREIRA", "1", "1982-03-03", cpf=cpf("527180694"),
               cns=cns("19657483920"), mae="ALZIRA GOMES PEREIRA", endereco=address(*RIO),
               contratacao="2017-06-01"),
        Person("0000100028", "JULIANA MARTINS ROCHA", "3", "1993-12-24", cpf=cpf("638291705"),
               cns=cns("20657483928"), mae="MARTA MARTINS ROCHA", contratacao="2024-02-01"),
        # Cancelled before the month; one is reactivated in October.
        Person("0000100030", "EDUARDO SILVA BARBOSA", "1", "1970-04-04", cpf=cpf("749302816"),
               cns=cns("19748392011"), mae="LOURDES SILVA BARBOSA", contratacao="2012-01-01",
               situacao="INATIVO", cancelamento="2026-06-30", motivo="43", atualizacao="2026-07-05"),
        Person("0000100031", "VANESSA CRISTINA DIAS", "3", "1986-06-16", cpf=cpf("850413927"),
               cns=cns("20748392019"), mae="CRISTINA DIAS", contratacao="2014-03-01",
               situacao="INATIVO", cancelamento="2025-12-31", motivo="41", atualizacao="2026-01-06"),
        Person("0000100032", "ANTONIO CARLOS FREITAS", "1", "1955-09-09", cpf=cpf("961524038"),
               cns=cns("19839201741"), mae="JOSEFA FREITAS", contratacao="2008-02-01",
               situacao="INATIVO", cancelamento="2024-03-31", motivo="44", atualizacao="2024-04-02"),
        # ANS drops this vínculo from the next conference (a duplicate it merged).
        Person("0000100033", "MARIA APARECIDA DUARTE", "3", "1964-02-29", cpf=cpf("172635049"),
               cns=cns("20839201749"), mae="APARECIDA DUARTE", contratacao="2011-10-01"),
    ]
    for person in people:
        person.cco = next_cco()
    # Still without CNS at ANS after the month: one qualifies for automatic assignment (valid
    # CPF, name, birth date: wait for ANS), one does not (a child without CPF: ask the family).
    late = [
        Person("0000100012", "RAFAEL NUNES FARIAS", "1", "1998-10-02", relacao="4", titular="0000100010",
               cpf=cpf("258147369"), mae="SANDRA REGINA FARIAS", endereco=address(*RIO), contratacao="2016-01-01",
               plano=PLAN_COLLECTIVE, contratante=OTHER_CONTRACTOR),
        Person("0000100004", "MIGUEL ALMEIDA SANTOS", "1", "2021-08-09", relacao="4", titular="0000100001",
               mae="LUCIA HELENA ALMEIDA SANTOS", contratacao="2021-09-01"),
    ]
    for number, person in enumerate(late):
        person.cco = with_cco_digits(f"45550099{number:02d}")
    return people + late


# --- the month's movements (SBX 1) ----------------------------------------------------------


@dataclass
class Move:
    movement: Movement
    values: dict
    person: Person | None = None  # for inclusions: the person included
    errors: list[tuple[str, str, str, str | None, str]] = field(default_factory=list)
    # (codigoCampo, descricaoCampo, codigoErro, valorCampo, mensagemErro) when ANS rejects it


def inclusion(person: Person) -> Move:
    values = {**person.identificacao(), **person.endereco, **person.vinculo()}
    return Move(Movement.INCLUSAO, values, person)


def defect(file: str, record_no: int, column: str, what: str) -> None:
    DEFECTS.append((file, record_no, column, what))


def new_people() -> list[Person]:
    return [
        Person("0000200001", "MARIANA COSTA FERREIRA", "3", "1991-05-20", cpf=cpf("283746150"),
               cns=cns("20918273645"), pis=with_pis_digit("1304567891"), mae="REGINA COSTA FERREIRA",
               endereco=address(*SAO_PAULO, "AVENIDA PAULISTA", "900", "BELA VISTA"), contratacao="2026-10-01"),
        Person("0000200002", "LAURA COSTA FERREIRA", "3", "2018-02-11", relacao="4", titular="0000200001",
               dn="31415926535", cns=with_provisional_cns_digits("8001234567890"),
               mae="MARIANA COSTA FERREIRA", contratacao="2026-10-01"),
        Person("0000200003", "THIAGO BATISTA LOPES", "1", "1987-09-02", cpf="39485716203",
               cns=cns("19182736451"), mae="DALVA BATISTA LOPES", contratacao="2026-10-05"),
        Person("0000200004", "ENZO BATISTA LOPES", "1", "2020-01-15", relacao="4", titular="0000200003",
               cns=cns("19273645182"), mae="CAMILA BATISTA LOPES", contratacao="2026-10-05"),
        Person("0000200005", "RENATA SOARES PINTO", "3", "1979-03-17",
               cns="209182736450007", mae="IVONE SOARES PINTO", contratacao="2026-10-07"),
        Person("0000200006", "FELIPE AUGUSTO MORAES", "1", "1994-12-09", cpf=cpf("506172839"),
               cns="191827364510101", mae="LUZIA MORAES", contratacao="2026-10-07"),
        Person("0000200007", "CAROLINA MENEZES BRAGA", "3", "1983-07-27", cpf=cpf("617283940"),
               mae="NAIR MENEZES BRAGA", endereco=address(*BELO_HORIZONTE), contratacao="2026-10-10"),
        Person("0000200008", "DANIEL ROCHA AZEVEDO", "1", "1984-10-30", relacao="3", titular="0000299999",
               cpf=cpf("728394051"), cns=cns("19364758219"), mae="ELZA ROCHA AZEVEDO", contratacao="2026-10-10"),
        Person("0000200009", "BRUNO FERREIRA COSTA", "1", "1962-04-08", relacao="8", titular="0000200001",
               cns=cns("19455647382"), mae="TANIA FERREIRA COSTA", contratacao="2026-10-01"),
        Person("0000200010", "GABRIELA NOVAES CUNHA", "3", "1999-01-19", cpf=cpf("839405162"),
               cns=cns("20546372819"), mae="CLEIDE NOVAES CUNHA", contratacao="1998-06-01"),
        Person("0000200011", "LEONARDO SANTANA REIS", "1", "1976-06-06", cpf=cpf("940516273"),
               cns=cns("19546372811"), mae="IVANI SANTANA REIS", contratacao="2026-10-12",
               contratante="11222333000199"),
        Person("0000200012", "HELENA MACHADO VIANA", "3", "1968-08-21", cpf=cpf("051627384"),
               cns=cns("19283746501"), mae="OLGA MACHADO VIANA", contratacao="2026-10-14"),
        Person("0000200013", "SOFIA MACHADO VIANA", "3", "2012-04-02", relacao="4", titular="0000200012",
               cns=cns("20637281946"), mae="HELENA MACHADO VIANA", contratacao="2026-10-14"),
        Person("0000200014", "IGOR TAVARES LEAL", "1", "1997-11-23", cpf=cpf("162738495"),
               cns=cns("19637281945"), mae="SUELI TAVARES LEAL", endereco=address(*RIO), contratacao="2026-10-15"),
        Person("0000200015", "NATALIA TAVARES LEAL", "3", "1998-02-05", relacao="3", titular="0000200014",
               cpf=cpf("273849506"), cns=cns("20728190364"), mae="ROSA MARIA LEAL", endereco=address(*RIO),
               contratacao="2026-10-15"),
        Person("0000200016", "OTAVIO RAMOS QUEIROZ", "1", "1973-05-12", cpf=cpf("384950617"),
               cns=cns("19728190363"), pis=with_pis_digit("1405678912"), mae="DIVA RAMOS QUEIROZ",
               endereco=address(*BRASILIA), contratacao="2026-10-20", contratante=None),
    ]


def month_movements(before: dict[str, Person], unknown_cco: str) -> list[Move]:
    people = {person.code: person for person in new_people()}
    moves = [inclusion(person) for person in people.values()]
    code = lambda c: next(m for m in moves if m.person and m.person.code == c)  # noqa: E731

    # Inclusions ANS rejects, and what is wrong with each (record_no = position in file).
    code("0000200003").errors.append(("04", "CPF", "0402", "39485716203", "CPF INVALIDO"))
    code("0000200004").errors.append(("18", "CODIGO DO BENEFICIARIO TITULAR", "1802", "0000200003",
                                      "CODIGO DE IDENTIFICACAO DO TITULAR NAO PERTENCE A OPERADORA INFORMADA"))
    code("0000200005").errors += [
        ("04", "CPF", "0401", None, "CPF OBRIGATORIO PARA TITULAR NA INCLUSAO"),
        ("07", "CARTAO NACIONAL DE SAUDE", "0701", "209182736450007", "CNS INVALIDO"),
    ]
    code("0000200006").errors.append(("07", "CARTAO NACIONAL DE SAUDE", "0701", "191827364510101", "CNS INVALIDO"))
    code("0000200008").errors.append(("18", "CODIGO DO BENEFICIARIO TITULAR", "1802", "0000299999",
                                      "CODIGO DE IDENTIFICACAO DO TITULAR NAO PERTENCE A OPERADORA INFORMADA"))
    code("0000200009").errors.append(("04", "CPF", "0403", None,
                                      "CPF E OBRIGATORIO PARA BENEFICIARIO DEPENDENTE COM IDADE IGUAL OU SUPERIOR A 18 ANOS"))
    code("0000200010").errors.append(("12", "DATA DE CONTRATACAO", "1218", "1998-06-01",
                                      "DATA DE NASCIMENTO DEVE SER ANTERIOR OU IGUAL A DATA DA PRIMEIRA CONTRATACAO"))
    code("0000200011").errors.append(("16", "CNPJ DA EMPRESA CONTRATANTE", "1604", "11222333000199",
                                      "CNPJ DA EMPRESA CONTRATANTE INVALIDO"))

    titular = before["0000100001"]
    farias = before["0000100010"]
    teixeira = before["0000100021"]
    prado = before["0000100025"]
    moreira = before["0000100026"]
    freitas = before["0000100032"]
    barbosa = before["0000100030"]
    pereira = before["0000100027"]
    moves += [
        Move(Movement.RETIFICACAO, {"cco": titular.cco, "logradouro": "RUA HADDOCK LOBO", "numero": "595",
                                    "bairro": "CERQUEIRA CESAR", "cep": "01414001"}),
        Move(Movement.RETIFICACAO, {"cco": farias.cco, "nomeMae": "CECILIA NUNES DE FARIAS"}),
        Move(Movement.RETIFICACAO, {"cco": unknown_cco, "nome": "ALBERTO PINHEIRO JUNIOR"},
             errors=[("30", "CCO", "3004", unknown_cco, "CCO NAO PERTENCE A OPERADORA INFORMADA")]),
        Move(Movement.MUDANCA_CONTRATUAL, {"cco": teixeira.cco, "relacaoDependencia": "1",
                                           "dataContratacao": "2026-10-01", "numeroPlanoANS": NEW_PLAN,
                                           "cnpjEmpresaContratante": CONTRACTOR}),
        Move(Movement.CANCELAMENTO, {"cco": prado.cco, "dataCancelamento": "2026-10-15",
                                     "motivoCancelamento": "41"}),
        Move(Movement.CANCELAMENTO, {"cco": freitas.cco, "dataCancelamento": "2026-10-20",
                                     "motivoCancelamento": "44"},
             errors=[("30", "CCO", "3005", freitas.cco, "O CCO INFORMADO JA SE ENCONTRA INATIVO NO CADASTRO")]),
        Move(Movement.CANCELAMENTO, {"cco": moreira.cco, "dataCancelamento": "2016-10-31",
                                     "motivoCancelamento": "42"},
             errors=[("31", "DATA DE CANCELAMENTO", "3104", "2016-10-31",
                      "DATA DE CANCELAMENTO DEVE SER POSTERIOR OU IGUAL A DATA DE CONTRATACAO")]),
        Move(Movement.CANCELAMENTO, {"cco": pereira.cco, "dataCancelamento": "2026-10-31",
                                     "motivoCancelamento": "42"}),
        Move(Movement.REATIVACAO, {"cco": barbosa.cco, "dataReativacao": "2026-10-20"}),
    ]
    return moves


def record_defects(moves: list[Move]) -> None:
    """Name what the pre-critique must find, by record number in SBX 1."""
    position = {id(move): number for number, move in enumerate(moves, start=1)}
    by_code = {move.person.code: move for move in moves if move.person}
    cancel_before_contract = next(m for m in moves if m.values.get("dataCancelamento") == "2016-10-31")
    unknown = next(m for m in moves if m.values.get("nome") == "ALBERTO PINHEIRO JUNIOR")
    inactive = next(m for m in moves if m.errors and m.errors[0][2] == "3005")
    for code, column, what in (
        ("0000200002", "cns", "CNS provisório"),
        ("0000200003", "cpf", "CPF com dígito verificador errado"),
        ("0000200005", "cpf", "titular sem CPF"),
        ("0000200005", "cns", "CNS com dígito verificador errado"),
        ("0000200006", "cns", "CNS definitivo fora da regra de geração"),
        ("0000200007", "cns", "sem CNS (tem CPF, nome e nascimento: a ANS atribui)"),
        ("0000200008", "codigoBeneficiarioTitular", "titular inexistente no arquivo e na conferência"),
        ("0000200009", "cpf", "dependente maior de idade sem CPF"),
        ("0000200010", "dataContratacao", "contratação anterior ao nascimento"),
        ("0000200011", "cnpjEmpresaContratante", "CNPJ com dígito verificador errado"),
        ("0000200012", "cns", "CNS igual ao de outro vínculo ativo"),
    ):
        defect(SBX_MAIN, position[id(by_code[code])], column, what)
    defect(SBX_MAIN, position[id(unknown)], "cco", "CCO que não está na conferência")
    defect(SBX_MAIN, position[id(inactive)], "cco", "cancelamento de vínculo já inativo")
    defect(SBX_MAIN, position[id(cancel_before_contract)], "dataCancelamento", "cancelamento antes da contratação")
    defect(SBX_REJECTED, 0, "hash", "hash do epílogo declarado errado")


# --- ANS's view after the month (CNX 2) -----------------------------------------------------


def apply_month(before: list[Person], moves: list[Move], ccos: dict[str, str]) -> list[Person]:
    after = [copy.deepcopy(person) for person in before if person.code != "0000100033"]
    by_cco = {person.cco: person for person in after}
    for move in moves:
        if move.errors:
            continue
        if move.movement is Movement.INCLUSAO:
            person = copy.deepcopy(move.person)
            person.cco = ccos[person.code]
            person.atualizacao = "2026-11-05"
            after.append(person)
            continue
        person = by_cco[move.values["cco"]]
        person.atualizacao = "2026-11-05"
        if move.movement is Movement.RETIFICACAO:
            for column, value in move.values.items():
                if column == "nomeMae":
                    person.mae = value
                elif column != "cco":
                    person.endereco[column] = value
        elif move.movement is Movement.MUDANCA_CONTRATUAL:
            person.plano = move.values["numeroPlanoANS"]
            person.contratacao = move.values["dataContratacao"]
        elif move.movement is Movement.CANCELAMENTO:
            person.situacao = "INATIVO"
            person.cancelamento = move.values["dataCancelamento"]
            person.motivo = move.values["motivoCancelamento"]
        elif move.movement is Movement.REATIVACAO:
            person.situacao = "ATIVO"
            person.reativacao = move.values["dataReativacao"]
            person.cancelamento = person.motivo = None
    # CNS that ANS assigned itself (CPF, name and birth date matched the Receita Federal).
    by_code = {person.code: person for person in after}
    by_code["0000100010"].cns = cns("10475638290")
    by_code["0000200007"].cns = cns("20819203746")
    by_code["0000100024"].cns = cns("20294857361")
    for code in ("0000100010", "0000200007", "0000100024"):
        by_code[code].atualizacao = "2026-11-08"
    return after


# --- writing ---------------------------------------------------------------------------------


def header(kind: str, when: str, sequencial: str) -> dict:
    operator_side = {"origem_registroANS": REGISTRO, "destino_cnpj": ANS_CNPJ}
    ans_side = {"origem_cnpj": ANS_CNPJ, "destino_registroANS": REGISTRO}
    software = (
        {"nomeAplicativo": "GESTAO SAUDE", "versaoAplicativo": "4.2.1", "fabricanteAplicativo": "EXEMPLO SISTEMAS"}
        if kind == "SBX"
        else {"nomeAplicativo": "SIB", "versaoAplicativo": "1", "fabricanteAplicativo": "ANS"}
    )
    transaction = {"SBX": "ATUALIZACAO SIB", "RPX": "RESULTADO PROCESSAMENTO", "CNX": "CONFERENCIA CADASTRAL"}
    return {
        "tipoTransacao": transaction[kind],
        "sequencialTransacao": sequencial,
        "dataHoraRegistroTransacao": when,
        **(operator_side if kind == "SBX" else ans_side),
        "versaoPadrao": "1.1",
        **software,
    }


def write_sbx(moves: list[Move], when: str, sequencial: str) -> bytes:
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.node(shapes.CABECALHO, header("SBX", when, sequencial))
    writer.open("mensagem")
    writer.open("operadoraParaANS")
    writer.open("beneficiarios")
    for move in moves:
        writer.node(shapes.MOVEMENT_SHAPES[move.movement], move.values)
    writer.finish()
    return out.getvalue()


def cnx_values(person: Person) -> dict:
    vinculo = person.vinculo()
    titular_cco = vinculo.pop("codigoBeneficiarioTitular")
    return {
        "cco": person.cco,
        "situacao": person.situacao,
        "dataAtualizacao": person.atualizacao,
        **{k: v for k, v in person.identificacao().items()},
        **person.endereco,
        **vinculo,
        "ccoBeneficiarioTitular": titular_cco,
        "dataReativacao": person.reativacao,
        "dataCancelamento": person.cancelamento,
        "motivoCancelamento": person.motivo,
    }


def write_cnx(people: list[Person], when: str) -> bytes:
    ccos = {person.code: person.cco for person in people}
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.node(shapes.CABECALHO, header("CNX", when, "1"))
    writer.open("mensagem")
    writer.open("ansParaOperadora")
    writer.open("conferencia")
    for person in people:
        values = cnx_values(person)
        values["ccoBeneficiarioTitular"] = ccos.get(person.titular) if person.titular else None
        writer.node(shapes.CNX_BENEFICIARIO, values)
    writer.finish()
    return out.getvalue()


_TOTAL_TAGS = {
    Movement.INCLUSAO: "consolidadoInclusao",
    Movement.RETIFICACAO: "consolidadoRetificacao",
    Movement.MUDANCA_CONTRATUAL: "consolidadoMudancaContratual",
    Movement.REATIVACAO: "consolidadoReativacao",
    Movement.CANCELAMENTO: "consolidadoCancelamento",
}


def _counts(writer: SibXmlWriter, tag: str, total: int, rejected: int) -> None:
    writer.open(tag)
    writer.leaf("quantidadeRegistros", str(total))
    writer.leaf("quantidadeProcessados", str(total - rejected))
    writer.leaf("quantidadeRejeitados", str(rejected))
    writer.leaf("percentualAcerto", f"{(100.0 * (total - rejected) / total) if total else 0.0:.2f}")
    writer.close(tag)


def write_rpx(moves: list[Move], ccos: dict[str, str], sbx_name: str, protocol: str, when: str) -> bytes:
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.node(shapes.CABECALHO, header("RPX", when, "1"))
    for tag in ("mensagem", "ansParaOperadora", "resultadoProcessamento", "arquivoProcessado"):
        writer.open(tag)
    writer.open("protocoloProcessamento")
    writer.leaf("numeroProtocolo", protocol)
    writer.leaf("nomeArquivo", sbx_name)
    writer.close("protocoloProcessamento")
    writer.open("registrosRejeitados")
    for move in (m for m in moves if m.errors):
        key = ("codigoBeneficiario", move.values["codigoBeneficiario"]) if move.movement is Movement.INCLUSAO \
            else ("cco", move.values["cco"])
        label = move.movement.label.upper()
        writer.open("registroRejeitado", [key, ("codigoTipoMovimento", str(move.movement.code)), ("tipoMovimento", label)])
        for campo, descricao, codigo, valor, mensagem in move.errors:
            writer.open("campoErro")
            writer.leaf("codigoCampo", campo)
            writer.leaf("descricaoCampo", descricao)
            if valor is not None:
                writer.leaf("valorCampo", valor)
            writer.open("erro")
            writer.leaf("codigoErro", codigo)
            writer.leaf("mensagemErro", mensagem)
            writer.close("erro")
            writer.close("campoErro")
        writer.close("registroRejeitado")
    writer.close("registrosRejeitados")
    writer.open("registrosIncluidos")
    for move in (m for m in moves if m.movement is Movement.INCLUSAO and not m.errors):
        writer.open("registroIncluido", [("codigoBeneficiario", move.person.code)])
        writer.leaf("cco", ccos[move.person.code])
        writer.leaf("nomeBeneficiario", move.person.nome)
        writer.close("registroIncluido")
    writer.close("registrosIncluidos")
    writer.open("consolidado")
    error_counts: dict[str, list] = {}
    for move in moves:
        for _, _, codigo, _, mensagem in move.errors:
            error_counts.setdefault(codigo, [mensagem, 0])[1] += 1
    writer.open("consolidadoErroProcessamento")
    for codigo, (mensagem, count) in sorted(error_counts.items()):
        writer.open("erro")
        writer.leaf("codigoErro", codigo)
        writer.leaf("mensagemErro", mensagem)
        writer.leaf("quantidadeOcorrenciaErro", str(count))
        writer.close("erro")
    writer.close("consolidadoErroProcessamento")
    writer.open("consolidadoProcessamento")
    for movement, tag in _TOTAL_TAGS.items():
        of_kind = [m for m in moves if m.movement is movement]
        _counts(writer, tag, len(of_kind), sum(1 for m in of_kind if m.errors))
    _counts(writer, "consolidadoSemMovimentacao", 0, 0)
    _counts(writer, "consolidadoTotal", len(moves), sum(1 for m in moves if m.errors))
    writer.close("consolidadoProcessamento")
    writer.finish()
    return out.getvalue()


def write_rejected_rpx(sbx_name: str, size: int, received: str, when: str) -> bytes:
    out = io.BytesIO()
    writer = SibXmlWriter(out)
    writer.node(shapes.CABECALHO, header("RPX", when, "2"))
    for tag in ("mensagem", "ansParaOperadora", "resultadoProcessamento", "arquivoRejeitado"):
        writer.open(tag)
    writer.leaf("nomeArquivo", sbx_name)
    writer.leaf("tamanhoArquivo", str(size))
    writer.leaf("dataHoraRecebimento", received)
    writer.leaf("enderecoIPOrigem", "200.198.45.17")
    writer.leaf("codigoMotivoRejeicao", "20")
    writer.leaf("motivoRejeicao", "ERRO_EPILOGO_HASH_INVALIDO")
    writer.finish()
    return out.getvalue()


def with_wrong_hash(content: bytes) -> bytes:
    start = content.index(b"<hash>") + len(b"<hash>")
    digest = content[start : start + 32]
    wrong = digest[::-1] if digest[::-1] != digest else b"0" * 32
    return content[:start] + wrong + content[start + 32 :]


def second_month_file(before: dict[str, Person]) -> list[Move]:
    """A late correction sent the next day; its generator botched the hash."""
    return [
        Move(Movement.RETIFICACAO, {"cco": before["0000100022"].cco, "nome": "FERNANDA LIMA DE OLIVEIRA SANTOS"}),
        Move(Movement.CANCELAMENTO, {"cco": before["0000100028"].cco, "dataCancelamento": "2026-10-31",
                                     "motivoCancelamento": "41"}),
    ]


def build() -> dict[str, bytes]:
    before = registered()
    by_code = {person.code: person for person in before}
    unknown_cco = with_cco_digits("0455599990")
    moves = month_movements(by_code, unknown_cco)
    record_defects(moves)
    accepted = [m for m in moves if m.movement is Movement.INCLUSAO and not m.errors]
    ccos = {move.person.code: next_cco() for move in accepted}
    files = {
        CNX_BEFORE: write_cnx(before, "2026-10-01T07:00:00"),
        SBX_MAIN: write_sbx(moves, "2026-11-03T10:15:00", "41"),
        RPX_MAIN: write_rpx(moves, ccos, SBX_MAIN, "202611000417362", "2026-11-05T03:12:44"),
        CNX_AFTER: write_cnx(apply_month(before, moves, ccos), "2026-11-10T08:00:00"),
    }
    rejected = with_wrong_hash(write_sbx(second_month_file(by_code), "2026-11-04T16:00:00", "42"))
    files[SBX_REJECTED] = rejected
    files[RPX_REJECTED] = write_rejected_rpx(SBX_REJECTED, len(rejected), "2026-11-04T16:07:12", "2026-11-05T03:15:30")
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with sample_files/ instead of writing")
    options = parser.parse_args()
    files = build()
    if options.check:
        stale = [name for name, content in files.items() if (OUT / name).read_bytes() != content]
        extra = sorted(p.name for p in OUT.iterdir() if p.suffix.upper() in {".SBX", ".RPX", ".CNX"} and p.name not in files)
        for name in stale + extra:
            print(f"sample_files/{name} is out of date", file=sys.stderr)
        return 1 if stale or extra else 0
    OUT.mkdir(exist_ok=True)
    for name, content in files.items():
        (OUT / name).write_bytes(content)
        print(f"wrote sample_files/{name} ({len(content):,} bytes)")
    print("deliberate defects:")
    for file, record_no, column, what in DEFECTS:
        print(f"  {file} record {record_no or '-'} {column}: {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
