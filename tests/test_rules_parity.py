"""The SQL checker and validate_value give every value the same rule and message.

Both come from one description (`sibtui.rules.values`), but one is Python and the other
generated SQL: this test feeds the same values to both, hand-picked edge cases per domain
plus hypothesis-generated text, and compares (rule, message) value by value.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sibtui.catalog.kinds import Movement
from sibtui.catalog.tables import SBX_MOVEMENTS
from sibtui.rules import context, field_sql, sql_digits
from sibtui.rules.check_digits import is_provisional_cns
from sibtui.rules.fields import validate_value
from sibtui.rules.values import CHECK_FUNCTIONS

TODAY = dt.date(2026, 11, 20)
COLUMNS = tuple(c for c in SBX_MOVEMENTS.value_columns if c != "movement")
EDGE_VALUES = [
    None, "", " ", "0", "1", " 1 ", "01", "+1", "-0", "1.0", "2", "3", "45", "041", "10", "S", "ATIVO", "1.1",
    "2020-02-29", "2020-02-30", "2026-11-21", "2026-11-20Z", " 2020-01-01 ", "1889-12-31", "1939-12-31",
    "0000-01-01", "2020-1-01", "48291736537", "48291736538", "00000000000", "12034567899", "198765432100003",
    "898001234500002", "191827364510101", "398765432100003", "11222333000181", "11222333000199",
    "041036536701", "041036536702", "355030", "000000", "3550308", "01310930", "00000000", "20040002",
    "MARIA DA SILVA", "JOSÉ D'ÁVILA", "AN", "JOSE-1", "JOÃO BAPTISTÙ", "A" * 71, "S/N", "123456",
    "123456789013", "11111111111111", "999997", "412345678", "456.521/07-5", "x" * 31,
]


def _sql_verdicts(connection, movement: str, column: str, values: list[str | None]) -> list[tuple]:
    connection.execute("CREATE OR REPLACE TEMP TABLE probe AS SELECT * FROM sbx_movements LIMIT 0")
    connection.executemany(
        f'INSERT INTO probe (file_id, record_no, movement, "{column}") VALUES (1, ?, ?, ?)',
        [[number, movement, value] for number, value in enumerate(values)],
    )
    select = field_sql.column_select("probe", column, field_sql.sbx_column_checks(column, TODAY))
    found = {record_no: (rule, message) for _, record_no, _, rule, message, _ in connection.execute(select).fetchall()}
    return [found.get(number) for number in range(len(values))]


def _python_verdicts(movement: str, column: str, values: list[str | None]) -> list[tuple]:
    verdicts = []
    for value in values:
        problems = validate_value("sbx_movements", movement, column, value, today=TODAY)
        verdicts.append((problems[0].rule, problems[0].message) if problems else None)
    return verdicts


@pytest.fixture(scope="module")
def connection():
    from sibtui.workspace import apply_schema

    db = duckdb.connect()
    apply_schema(db)
    context.build_context(context.CheckContext(TODAY), db)
    yield db
    db.close()


@pytest.mark.parametrize("movement", [m.value for m in Movement])
def test_edge_values_get_the_same_verdict(connection, movement):
    for column in COLUMNS:
        assert _sql_verdicts(connection, movement, column, EDGE_VALUES) == _python_verdicts(
            movement, column, EDGE_VALUES), column


TEXT = st.one_of(
    st.text(alphabet="0123456789", min_size=0, max_size=16),
    st.text(alphabet="0123456789-+ Z:", min_size=0, max_size=12),
    st.text(alphabet=st.characters(codec="latin-1", exclude_categories=("Cc", "Cs")), max_size=12),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(TEXT, min_size=1, max_size=30))
def test_generated_values_get_the_same_verdict(connection, values):
    for column in ("cpf", "cns", "pisPasep", "cnpjEmpresaContratante", "sexo", "dataNascimento", "nome", "cep",
                   "codigoMunicipio", "numero", "relacaoDependencia", "tipoEndereco", "ceiEmpresaContratante",
                   "caepfEmpresaContratante"):
        assert _sql_verdicts(connection, "inclusao", column, values) == _python_verdicts("inclusao", column, values)


@settings(max_examples=40, deadline=None)
@given(digits=st.lists(st.text(alphabet="0123456789", min_size=6, max_size=15), min_size=1, max_size=40))
def test_sql_check_digits_agree_with_python(digits):
    db = duckdb.connect()
    try:
        for name, check in sql_digits.CHECKS.items():
            results = db.execute(f"SELECT {check('v')} FROM unnest(?::VARCHAR[]) AS t(v)", [digits]).fetchall()
            assert [r[0] for r in results] == [CHECK_FUNCTIONS[name](d) for d in digits], name
        provisional = db.execute(f"SELECT {sql_digits.cns_provisional('v')} FROM unnest(?::VARCHAR[]) t(v)",
                                 [digits]).fetchall()
        assert [r[0] for r in provisional] == [is_provisional_cns(d) for d in digits]
    finally:
        db.close()
