"""Ad hoc SQL reads the evidence but never changes it, and never touches files."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_DIR, query, table_snapshot
from sibtui.ingest.loader import load_files
from sibtui.query.adhoc import QueryError, run_query


@pytest.fixture
def loaded(workspace):
    list(load_files(workspace, [SAMPLE_DIR]))
    return workspace


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM sbx_movements",
        "UPDATE cnx_beneficiaries SET cns = NULL",
        "INSERT INTO findings (rule) VALUES ('x')",
        "DROP TABLE files",
        "CREATE TABLE copia AS SELECT * FROM files",
        "SELECT 1; DELETE FROM files",
        "ALTER TABLE files RENAME TO arquivos",
    ],
)
def test_writes_are_refused_and_nothing_runs(loaded, sql):
    before = table_snapshot(loaded)
    with pytest.raises(QueryError, match="read-only"):
        run_query(loaded.cursor(), sql)
    assert table_snapshot(loaded) == before


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "ATTACH '/tmp/sibtui-attack.duckdb' AS outro",
        "COPY files TO '/tmp/sibtui-leak.csv'",
        "INSTALL httpfs",
    ],
)
def test_file_and_network_access_from_sql_is_refused(loaded, sql, tmp_path):
    with pytest.raises(QueryError):
        list(run_query(loaded.cursor(), sql, allow_writes=True).rows)


def test_reading_statements_run(loaded):
    for sql in ("SELECT count(*) FROM cnx_beneficiaries", "DESCRIBE files", "SHOW TABLES", "SUMMARIZE rpx_totals",
                "EXPLAIN SELECT 1", "PRAGMA table_info('files')", "FROM files SELECT name"):
        result = run_query(loaded.cursor(), sql)
        assert result.columns and list(result.rows), sql


def test_write_mode_is_explicit(loaded):
    run_query(loaded.cursor(), "CREATE TABLE rascunho AS SELECT 1 AS x", allow_writes=True)
    assert query(loaded, "SELECT x FROM rascunho") == [(1,)]
