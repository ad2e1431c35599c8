"""The fast paths of the pre-critique give exactly the findings of the straightforward ones.

- Field checks judged once per distinct value and joined back (`distinct_column_select`)
  against every row judged on its own (`column_select`), on a random corpus of SBX and CNX
  rows mixing valid, invalid and repeated values, every movement, absent and empty elements.
- The check-digit SQL against the Python functions on identifiers built valid by
  `check_digits` and on one-digit mutations of them (random digit strings are almost never
  valid CNS or CNPJ, so the hypothesis test alone would not reach the definitive-CNS branch).
- The CNX the check reads: the loaded rows when no CNX value was edited, a snapshot of the
  current values when one was, and the findings follow the edit.
"""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pyarrow as pa
import pytest

from conftest import SAMPLE_DIR, query
from sibtui.catalog.kinds import Movement
from sibtui.catalog.tables import CNX_BENEFICIARIES, SBX_MOVEMENTS
from sibtui.edit import editor
from sibtui.edit.precritique import run_checks
from sibtui.edit.records import RecordRef
from sibtui.ingest.loader import load_files
from sibtui.rules import check_digits as cd
from sibtui.rules import context, field_sql, sql_digits
from sibtui.rules.values import CHECK_FUNCTIONS

TODAY = dt.date(2026, 11, 20)
ROWS = 1500


def _identifiers(rng: random.Random) -> list[str]:
    """Valid identifiers of every kind, and the same with one digit changed."""
    built = [
        cd.with_cpf_digits(f"{rng.randrange(10**9):09d}"),
        cd.with_cnpj_digits(f"{rng.randrange(10**12):012d}"),
        cd.with_pis_digit(f"{rng.randrange(10**10):010d}"),
        cd.with_definitive_cns_digits(f"{rng.choice('12')}{rng.randrange(10**10):010d}"),
        cd.with_provisional_cns_digits(f"{rng.choice('789')}{rng.randrange(10**12):012d}"),
        cd.with_cco_digits(f"{rng.randrange(10**10):010d}"),
        cd.with_registro_ans_digit(f"{rng.randrange(10**5):05d}"),
    ]
    mutated = []
    for value in built:
        position = rng.randrange(len(value))
        mutated.append(value[:position] + str((int(value[position]) + rng.randrange(1, 10)) % 10) + value[position + 1:])
    return built + mutated


NOISE = [
    "", " ", "0", "1", " 1 ", "01", "+1", "-0", "2", "3", "45", "041", "S", "ATIVO", "2020-02-29", "2020-02-30",
    "2026-11-21", "2026-11-20Z", " 2020-01-01 ", "1889-12-31", "1939-12-31", "0000-01-01", "2020-1-01",
    "1985-07-15", "2010-01-01+03:00", "00000000000", "11111111111111", "355030", "000000", "3550308", "01310930",
    "00000000", "20040002", "MARIA DA SILVA", "JOSÉ D'ÁVILA", "AN", "JOSE-1", "A" * 71, "S/N", "123456",
    "456.521/07-5", "x" * 31, "12345678901234567890",
]


def _corpus_value(rng: random.Random, pool: list[str]) -> str | None:
    if rng.random() < 0.25:
        return None
    return rng.choice(pool)


def _table(columns: tuple[str, ...], rows: int, seed: int, extra: dict[str, list]) -> pa.Table:
    rng = random.Random(seed)
    pool = NOISE + [value for _ in range(40) for value in _identifiers(rng)]
    data = {"file_id": [1] * rows, "record_no": list(range(1, rows + 1)), **extra}
    for column in columns:
        if column not in data:
            data[column] = [_corpus_value(rng, pool) for _ in range(rows)]
    return pa.table({name: pa.array(values, pa.int64() if name in ("file_id", "record_no") else pa.string())
                     for name, values in data.items()})


@pytest.fixture(scope="module")
def db():
    from sibtui.workspace import apply_schema

    connection = duckdb.connect()
    apply_schema(connection)
    context.build_context(context.CheckContext(TODAY), connection)
    rng = random.Random(3)
    movements = [rng.choice([m.value for m in Movement]) for _ in range(ROWS)]
    situacoes = [rng.choice(["ATIVO", "INATIVO", None]) for _ in range(ROWS)]
    sbx = _table(SBX_MOVEMENTS.value_columns, ROWS, 1, {"movement": movements})
    cnx = _table(CNX_BENEFICIARIES.value_columns, ROWS, 2, {"situacao": situacoes})
    for name, table in (("sbx_probe", sbx), ("cnx_probe", cnx)):
        connection.register(f"{name}_arrow", table)
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
        connection.unregister(f"{name}_arrow")
    yield connection
    connection.close()


def _findings(connection, selects: list[str]) -> list[tuple]:
    union = " UNION ALL ".join(f"({select})" for select in selects)
    return connection.execute(f"SELECT * FROM ({union}) ORDER BY ALL").fetchall()


def test_sbx_fields_per_distinct_value_match_every_row_judged_alone(db):
    columns = tuple(c for c in SBX_MOVEMENTS.value_columns if c != "movement")
    per_value = _findings(db, list(field_sql.sbx_field_selects("sbx_probe", columns, TODAY)))
    per_row = _findings(db, list(field_sql.sbx_field_selects("sbx_probe", columns, TODAY, per_value=False)))
    assert per_value == per_row
    rules = {rule for _, _, _, rule, _, _ in per_row}
    # The corpus reaches the movement checks, the value checks and the check digits.
    assert {"required_missing", "field_not_allowed", "date_invalid", "cpf_invalid", "cns_provisional",
            "cco_invalid", "domain_invalid", "cep_invalid", "municipio_unknown"} <= rules


def test_cnx_fields_per_distinct_value_match_every_row_judged_alone(db):
    columns = CNX_BENEFICIARIES.value_columns
    per_value = _findings(db, list(field_sql.cnx_field_selects("cnx_probe", columns, TODAY, "TRUE")))
    per_row = _findings(db, list(field_sql.cnx_field_selects("cnx_probe", columns, TODAY, "TRUE", per_value=False)))
    assert per_value == per_row
    assert {"cns_invalid", "cns_provisional", "cpf_invalid", "date_future"} <= {row[3] for row in per_row}


def test_check_digit_sql_agrees_with_python_on_built_identifiers():
    rng = random.Random(11)
    values = [value for _ in range(300) for value in _identifiers(rng)] + ["", "abc", "1" * 15, "+1234567890"]
    connection = duckdb.connect()
    try:
        for name, check in sql_digits.CHECKS.items():
            found = connection.execute(
                f"SELECT {check('v')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) ORDER BY i", [values]
            ).fetchall()
            expected = [CHECK_FUNCTIONS[name](value) for value in values]
            assert [row[0] for row in found] == expected, name
            assert any(expected), f"the corpus has valid {name} values"
    finally:
        connection.close()


def _cnx_source_kind(workspace) -> str:
    cursor = workspace.cursor()
    try:
        context.build_context(context.CheckContext(TODAY), cursor)
        views = cursor.execute(
            "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ?", [context.CheckContext(TODAY).cnx_newest_rows]
        ).fetchall()[0][0]
        return "view" if views else "table"
    finally:
        cursor.close()


def test_the_check_reads_the_loaded_cnx_until_a_value_is_edited(workspace):
    list(load_files(workspace, [SAMPLE_DIR]))
    assert _cnx_source_kind(workspace) == "view"
    run_checks(workspace, today=dt.date(2026, 12, 1))
    provisional = "SELECT f.name, record_no FROM findings JOIN files f USING (file_id) WHERE rule = 'cns_provisional'"
    cnx_id, record_no = query(workspace, "SELECT file_id, record_no FROM findings WHERE rule = 'cns_provisional' "
                                         "AND source_table = 'cnx_beneficiaries'")[0]
    cursor = workspace.cursor()
    try:
        editor.set_field(cursor, RecordRef(cnx_id, record_no), "cns", cd.with_definitive_cns_digits("20987654321"))
    finally:
        cursor.close()
    assert _cnx_source_kind(workspace) == "table"
    run_checks(workspace, today=dt.date(2026, 12, 1))
    assert (cnx_id, record_no) not in set(query(
        workspace, "SELECT file_id, record_no FROM findings WHERE rule = 'cns_provisional'"))
    assert query(workspace, provisional)  # the SBX's own provisional CNS is still found
