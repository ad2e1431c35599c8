"""Mask mode holds against ad hoc SQL: a corpus of queries that try to get a person out.

Each query runs in mask mode through the console's SQL runner (its rows, its export, its
history line), and through `sibtui --mask query` in table, CSV and JSON. Refused or not,
no personal value of the workspace (CPF, CNS, PIS, DN, names, birth dates, addresses, the
journal's edited name, a rejection's `valorCampo`) appears in any output, file or error.
The queries are the kinds the issue found leaking: casts, aliases, expressions, lists,
structs, whole rows, aggregates, error messages, the journal, qualified names, metadata.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from corpus.workspaces import EDITED_VALUE, copy_workspace

from sibtui.cli import main
from sibtui.privacy import personal_fields
from sibtui.query.adhoc import QueryError
from sibtui.query.export import export_query
from sibtui.query.history import QueryHistory
from sibtui.query.sql_runner import run_sql
from sibtui.workspace import Workspace

CORPUS = [
    "SELECT try_cast(cpf AS BIGINT) FROM sbx_movements",
    "SELECT cast(dataNascimento AS DATE) FROM cnx_beneficiaries",
    "SELECT try_cast(cns AS BIGINT) AS n FROM cnx_beneficiaries",
    "SELECT [nome] FROM sbx_movements",
    "SELECT m FROM sbx_movements m",
    "SELECT cast(m AS VARCHAR) AS linha FROM cnx_beneficiaries m",
    "SELECT to_json(b) FROM cnx_beneficiaries b",
    "SELECT nome AS beneficiario FROM sbx_movements",
    "SELECT nomeMae AS mae FROM cnx_beneficiaries",
    "SELECT upper(nome), lower(nomeMae), reverse(cpf) AS r FROM cnx_beneficiaries",
    "SELECT cns::BIGINT::INTEGER FROM cnx_beneficiaries",
    "SELECT cast(nome AS INT) FROM sbx_movements",
    "SELECT regexp_matches('x', nome || '(') FROM sbx_movements",
    "SELECT cpf::BIGINT FROM sbx_movements WHERE cpf IS NOT NULL",
    "SELECT {'a': cpf, 'b': nome, 'c': dataNascimento} AS s FROM sbx_movements",
    "SELECT string_agg(nome, ';') AS todos FROM cnx_beneficiaries",
    "SELECT list(cpf) AS l, max(cns) AS c, min(dataNascimento) AS d FROM cnx_beneficiaries",
    "SELECT concat(cpf, '-', nome) AS x, cpf || '' AS y, substr(pisPasep, 1, 9) AS z FROM sbx_movements",
    "SELECT logradouro || ' ' || numero || ' ' || cep AS endereco, complemento AS c FROM cnx_beneficiaries",
    "SELECT unnest(string_split(nome, ' ')) AS palavra FROM cnx_beneficiaries",
    "SELECT old_value, new_value, new_value AS x FROM edit_journal",
    "SELECT valorCampo AS v FROM rpx_rejections",
    "SELECT nomeBeneficiario AS n FROM rpx_inclusions",
    "SELECT * FROM cnx_beneficiaries_current",
    "SELECT * FROM sbx_movements_current",
    "SELECT * FROM cns_gaps",
    "SELECT * FROM sbx_cns_pending",
    "SELECT * FROM cnx_changes",
    "SELECT value AS x, field, message FROM findings",
    "SELECT * FROM rpx_rejection_links",
    "WITH x AS (SELECT cpf AS a, nome AS b FROM sbx_movements) SELECT a, b FROM x",
    "SELECT * FROM (SELECT cpf, dn FROM sbx_movements) t(x, y)",
    "SELECT columns(*) FROM sbx_movements",
    "SUMMARIZE cnx_beneficiaries",
    "PIVOT cnx_beneficiaries ON sexo IN ('1', '3') USING first(nome)",
    "SET VARIABLE v = (SELECT max(nome) FROM sbx_movements); SELECT getvariable('v') AS v",
    "SELECT * FROM workspace.main.sbx_movements",
    "SELECT * FROM main.cnx_beneficiaries",
    "SELECT * FROM cnx_changes_between(5, 6)",
    "PRAGMA storage_info('cnx_beneficiaries')",
    "SELECT * FROM pragma_storage_info('sbx_movements')",
    "EXPLAIN ANALYZE SELECT * FROM sbx_movements ORDER BY cpf LIMIT 1",
    "WITH sbx_movements AS (SELECT 1) SELECT * FROM sbx_movements",
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_name = 'sbx_movements'",
    "SELECT dataNascimento::DATE - 1 FROM sbx_movements",
    "SELECT * FROM sbx_movements WHERE cpf = (SELECT max(cpf) FROM cnx_beneficiaries)",
]


@pytest.fixture(scope="module")
def masked_workspace(analyst_template, tmp_path_factory):
    return copy_workspace(analyst_template, tmp_path_factory.mktemp("mask"))


@pytest.fixture(scope="module")
def secrets(masked_workspace) -> list[str]:
    """Personal values of the workspace that would betray a person if printed.

    Short values (a house number, `A`) and values that also sit in columns nobody calls
    personal (a contract date equal to a birth date) cannot be told from other text."""
    personal = personal_fields()
    with duckdb.connect(str(masked_workspace), read_only=True) as connection:
        columns = connection.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' "
            "AND data_type = 'VARCHAR' AND table_name IN ('sbx_movements', 'cnx_beneficiaries', 'rpx_rejections', "
            "'rpx_inclusions')"
        ).fetchall()
        found: set[str] = set()
        public: set[str] = set()
        for table, column in columns:
            values = {row[0] for row in connection.execute(f'SELECT DISTINCT "{column}" FROM {table}').fetchall() if row[0]}
            (found if column in personal else public).update(values)
        journal = connection.execute("SELECT old_value, new_value FROM edit_journal").fetchall()
    found |= {value for row in journal for value in row if value}
    assert EDITED_VALUE in found
    words = {word for value in found if re.search("[A-Z]{3}", value) for word in value.split() if len(word) >= 6}
    return sorted(value for value in found | words if len(value) >= 6 and value not in public)


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


def test_the_corpus_and_the_secrets_are_real(secrets):
    assert len(CORPUS) >= 30 and len(set(CORPUS)) == len(CORPUS)
    assert len(secrets) > 50 and any(value.isdigit() and len(value) == 11 for value in secrets)


@pytest.fixture(scope="module")
def console(analyst_template, tmp_path_factory):
    """The same workspace as the console holds it: open read-write for the whole corpus (a
    copy: `sibtui query` opens the other read-only meanwhile)."""
    with Workspace(copy_workspace(analyst_template, tmp_path_factory.mktemp("console"))) as workspace:
        yield workspace


@pytest.mark.parametrize("sql", CORPUS)
def test_console_sql_its_export_and_history_hide_every_person(console, secrets, sql, tmp_path):
    history = QueryHistory(tmp_path / "history.jsonl")
    seen = []
    cursor = console.cursor()
    try:
        view = run_sql(cursor, sql, masked=True)
        rows = view.window(cursor, 0, view.total)
        seen.append(repr(rows) + repr(view.column_names))
        export_query(cursor, view.ordered_sql()[0], tmp_path / "export.csv", mask=True)
        seen.append((tmp_path / "export.csv").read_text(encoding="utf-8"))
        history.add(sql, rows=view.total, masked=True)
    except QueryError as error:
        seen.append(str(error))
        history.add(sql, error=str(error), masked=True)
    finally:
        cursor.close()
    seen.append(history.path.read_text(encoding="utf-8"))
    assert leaks("\n".join(seen), secrets) == []


@pytest.mark.parametrize("sql", CORPUS)
def test_sibtui_mask_query_hides_every_person_in_every_format(masked_workspace, secrets, sql, capsys):
    for output_format in ("table", "csv", "json"):
        code = main(["--mask", "query", "--db", str(masked_workspace), "--format", output_format, sql])
        captured = capsys.readouterr()
        assert code in (0, 1)
        assert leaks(captured.out + captured.err, secrets) == [], output_format


def test_the_secrets_do_show_without_mask_mode(masked_workspace, secrets, capsys):
    """The check above can fail: the same query unmasked prints the people."""
    assert main(["query", "--db", str(masked_workspace), "--format", "csv", "SELECT m FROM sbx_movements m"]) == 0
    assert len(leaks(capsys.readouterr().out, secrets)) > 20
