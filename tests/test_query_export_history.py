"""Export (CSV for Brazilian spreadsheets, UTF-8 CSV, Parquet), the read-only SQL runner
and the query history."""

from __future__ import annotations

import csv
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from sibtui.query.adhoc import QueryError
from sibtui.query.export import BRAZILIAN_SPREADSHEET, ExportCancelled, ExportError, ExportOptions, export_query
from sibtui.query.history import MAX_ENTRIES, QueryHistory, history_path
from sibtui.query.sql_runner import run_sql

SQL = "SELECT * FROM (VALUES ('JOÃO [SILVA]', '123', NULL), ('ÇÃO; x', '', 'a\"b')) AS t(nome, cpf, obs)"


@pytest.fixture
def cursor(workspace):
    opened = workspace.cursor()
    yield opened
    opened.close()


def test_brazilian_csv_is_semicolon_latin1_crlf(cursor, tmp_path):
    path = tmp_path / "out.csv"
    assert export_query(cursor, SQL, path, BRAZILIAN_SPREADSHEET) == 2
    raw = path.read_bytes()
    assert "JOÃO".encode("latin-1") in raw and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("latin-1").splitlines(), delimiter=";"))
    assert rows == [["nome", "cpf", "obs"], ["JOÃO [SILVA]", "123", ""], ["ÇÃO; x", "", 'a"b']]
    assert path.stat().st_mode & 0o077 == 0


def test_utf8_csv_and_parquet(cursor, tmp_path):
    assert export_query(cursor, SQL, tmp_path / "out.csv", ExportOptions(delimiter=";")) == 2
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1] == "JOÃO [SILVA];123;"
    assert export_query(cursor, SQL, tmp_path / "out.parquet", ExportOptions("parquet")) == 2
    assert pq.read_table(tmp_path / "out.parquet").column("nome").to_pylist() == ["JOÃO [SILVA]", "ÇÃO; x"]


def test_cancelled_export_leaves_no_file(cursor, tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(ExportCancelled):
        export_query(cursor, SQL, path, BRAZILIAN_SPREADSHEET, cancel=lambda: True)
    assert not path.exists()


def test_export_errors_name_the_file(cursor, tmp_path):
    with pytest.raises(ExportError, match="out.csv"):
        export_query(cursor, "SELECT nope", tmp_path / "out.csv")
    with pytest.raises(ExportError, match="delimiter"):
        ExportOptions(delimiter=";;")


def test_sql_runner_reads_and_refuses_writes(cursor):
    view = run_sql(cursor, "SELECT 42 AS resposta;")
    assert view.window(cursor, 0, 5) == [(42,)]
    assert run_sql(cursor, "PRAGMA version").total == 1
    for statement in ("DELETE FROM files", "DROP TABLE files", "CREATE TABLE x (a INT)", "COPY files TO '/tmp/x'"):
        with pytest.raises(QueryError, match="read-only"):
            run_sql(cursor, statement)
    assert cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'files'").fetchall() == [(1,)]


def test_history_keeps_order_dedupes_and_survives_a_torn_line(tmp_path):
    history = QueryHistory(history_path(tmp_path / "w.duckdb"))
    history.add("select 1", rows=1)
    history.add("select 2", error="boom")
    history.add("select 2", rows=1)
    with open(history.path, "a", encoding="utf-8") as stream:
        stream.write('{"sql": "torn')
    assert [entry.sql for entry in history.entries()] == ["select 1", "select 2"]
    assert history.entries()[-1].rows == 1
    assert history.path.name == "w.duckdb.sql-history.jsonl"
    assert history.path.stat().st_mode & 0o077 == 0


def test_history_is_trimmed(tmp_path):
    history = QueryHistory(tmp_path / "h.jsonl")
    for number in range(MAX_ENTRIES + 5):
        history.add(f"select {number}")
    entries = history.entries()
    assert len(entries) == MAX_ENTRIES and entries[-1].sql == f"select {MAX_ENTRIES + 4}"


def test_query_modules_never_import_textual():
    modules = ["paging", "spec", "records", "errors_by_code", "findings_overview", "cns_overview", "export",
               "history", "examples", "sql_runner"]
    code = "import sys\n" + "".join(f"import sibtui.query.{name}\n" for name in modules)
    code += "import sibtui.console\nprint('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
