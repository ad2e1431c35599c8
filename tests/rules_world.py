"""A workspace filled by hand for rule tests: one operator, its files and their records.

Each test states its whole situation in a few lines; every valid identifier below was
checked by hand against §5 (and the check-digit tests).
"""

from __future__ import annotations

import datetime as dt

from sibtui.catalog.tables import CNX_BENEFICIARIES, SBX_MOVEMENTS
from sibtui.edit.precritique import run_checks
from sibtui.rules.check_digits import with_cco_digits, with_definitive_cns_digits

TODAY = dt.date(2026, 12, 1)
REGISTRO = "999997"
SBX_NAME = "99999720261103101500.SBX"
CNS_VINCULO = with_definitive_cns_digits("10293847561")
CCO_A, CCO_B, CCO_C = (with_cco_digits(base) for base in ("0455500011", "0455500012", "0455500013"))

TITULAR = {
    "movement": "inclusao", "cpf": "48291736537", "pisPasep": "12034567899", "cns": "198765432100003",
    "nome": "MARIA DA SILVA", "sexo": "3", "dataNascimento": "1985-07-15", "nomeMae": "ANA DA SILVA",
    "codigoMunicipio": "355030", "cep": "01310930", "resideExterior": "0", "codigoBeneficiario": "0001",
    "relacaoDependencia": "1", "dataContratacao": "2025-01-10", "numeroPlanoANS": "412345678",
    "cnpjEmpresaContratante": "11222333000181",
}
CHILD = {
    "movement": "inclusao", "cns": "207654321090002", "nome": "JOAO DA SILVA", "sexo": "1",
    "dataNascimento": "2016-03-02", "nomeMae": "MARIA DA SILVA", "codigoMunicipio": "355030",
    "codigoBeneficiario": "0002", "relacaoDependencia": "4", "codigoBeneficiarioTitular": "0001",
    "dataContratacao": "2025-01-10", "numeroPlanoANS": "412345678", "cnpjEmpresaContratante": "11222333000181",
}
VINCULO = {
    "cco": CCO_A, "situacao": "ATIVO", "cpf": "73105826408", "cns": CNS_VINCULO, "nome": "CARLOS PEREIRA",
    "sexo": "1", "dataNascimento": "1970-01-20", "nomeMae": "JOANA PEREIRA", "codigoMunicipio": "330455",
    "codigoBeneficiario": "0777", "relacaoDependencia": "1", "dataContratacao": "2019-05-01",
    "numeroPlanoANS": "412345678",
}

# Another vínculo of the operator, so that a plan used in a test is one the CNX knows.
OTHER_PLAN_VINCULO = {**VINCULO, "cco": CCO_C, "codigoBeneficiario": "0999", "cpf": "26481397022",
                      "cns": with_definitive_cns_digits("10293847562")}


class World:
    """A workspace filled by hand: one operator, its files and their records."""

    def __init__(self, workspace):
        self.workspace = workspace
        self.cursor = workspace.cursor()
        self.next_id = 1

    def _insert(self, table: str, values: dict) -> None:
        columns = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("?" for _ in values)
        self.cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))

    def file(self, kind: str, name: str, when: str, count: int, **header) -> int:
        file_id, self.next_id = self.next_id, self.next_id + 1
        sides = ({"origem_registroANS": REGISTRO, "destino_cnpj": "03589068000146"} if kind == "SBX"
                 else {"origem_cnpj": "03589068000146", "destino_registroANS": REGISTRO})
        values = {"file_id": file_id, "name": name, "kind": kind, "registroANS": REGISTRO,
                  "dataHoraRegistroTransacao": when, "versaoPadrao": "1.1", "hash_ok": True,
                  "record_count": count, **sides, **header}
        self._insert("files", values)
        return file_id

    def sbx(self, *rows: dict, name: str = SBX_NAME, when: str = "2026-11-03T10:15:00", **header) -> int:
        file_id = self.file("SBX", name, when, len(rows), **header)
        for number, row in enumerate(rows, start=1):
            assert set(row) <= set(SBX_MOVEMENTS.value_columns), set(row) - set(SBX_MOVEMENTS.value_columns)
            self._insert("sbx_movements", {"file_id": file_id, "record_no": number, "line": number, **row})
        return file_id

    def cnx(self, *rows: dict, when: str = "2026-10-01T07:00:00") -> int:
        file_id = self.file("CNX", f"ArqConf{REGISTRO}09{when[:10].replace('-', '')}.CNX", when, len(rows))
        for number, row in enumerate(rows, start=1):
            assert set(row) <= set(CNX_BENEFICIARIES.value_columns)
            self._insert("cnx_beneficiaries", {"file_id": file_id, "record_no": number, "line": number, **row})
        return file_id

    def rpx(self, sbx_name: str, inclusions: dict[str, str], when: str = "2026-11-05T03:12:44") -> int:
        file_id = self.file("RPX", f"{REGISTRO}{when[:19].replace('-', '').replace('T', '').replace(':', '')}.RPX",
                            when, len(inclusions))
        self._insert("rpx_results", {"file_id": file_id, "line": 1, "status": "processado",
                                     "numeroProtocolo": "1", "nomeArquivo": sbx_name})
        for number, (code, cco) in enumerate(inclusions.items(), start=1):
            self._insert("rpx_inclusions", {"file_id": file_id, "record_no": number, "line": number,
                                            "codigoBeneficiario": code, "cco": cco, "nomeBeneficiario": "X"})
        return file_id

    def findings(self, today: dt.date = TODAY) -> set[tuple[int, int | None, str]]:
        run_checks(self.workspace, today=today)
        rows = self.cursor.execute("SELECT file_id, record_no, rule FROM findings").fetchall()
        return set(rows)

    def rules(self, today: dt.date = TODAY) -> set[str]:
        return {rule for _, _, rule in self.findings(today)}

