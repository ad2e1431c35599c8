"""Read-only means read-only: a corpus of hostile statements through both ad hoc SQL paths.

Every statement runs through the console's SQL runner (`sql_runner.run_sql`, on the
console's read-write connection) and through `sibtui query` (the CLI, in this process).
Whether it is refused or runs (a harmless read), afterwards every table, the journal, the
views, macros, sequences, attached databases and every global setting are exactly as
before, and no file was written. The corpus holds each wrapping the issue names: EXPLAIN
[ANALYZE], CTEs around DML, PREPARE/EXECUTE, several statements in one string, CALL,
PRAGMA, SET/RESET, CHECKPOINT, VACUUM, ATTACH/DETACH, COPY, EXPORT/IMPORT, INSTALL/LOAD,
CREATE [TEMP] TABLE/VIEW/MACRO/SEQUENCE, nextval().
"""

from __future__ import annotations

import duckdb
import pytest
from corpus.workspaces import copy_workspace, table_names

from sibtui.cli import main
from sibtui.query.adhoc import QueryError
from sibtui.query.sql_runner import run_sql
from sibtui.workspace import Workspace

LEAK = "/tmp/sibtui-sql-leak"  # no statement may create anything here

HOSTILE = [
    "DELETE FROM edit_journal",
    "EXPLAIN ANALYZE DELETE FROM edit_journal",
    "EXPLAIN ANALYZE UPDATE sbx_movements SET cpf = NULL",
    "EXPLAIN DELETE FROM files",
    "EXPLAIN (FORMAT json) DELETE FROM edit_journal",
    "EXPLAIN ANALYZE WITH x AS (DELETE FROM edit_journal RETURNING *) SELECT * FROM x",
    "WITH x AS (DELETE FROM edit_journal RETURNING *) SELECT * FROM x",
    "WITH x AS (INSERT INTO edit_journal (edit_id) VALUES (999) RETURNING *) SELECT count(*) FROM x",
    "WITH x AS (UPDATE files SET name = 'x' RETURNING 1) SELECT * FROM x",
    "SELECT * FROM (WITH x AS (DELETE FROM findings RETURNING *) SELECT * FROM x)",
    "PREPARE p AS DELETE FROM files",
    "PREPARE p AS SELECT 1; EXECUTE p",
    "EXECUTE p",
    "SELECT 1; DELETE FROM files",
    "DELETE FROM files; SELECT 1",
    "SELECT 1; SET memory_limit = '100GB'; SELECT 2",
    "CALL checkpoint()",
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "SELECT * FROM checkpoint()",
    "SELECT * FROM force_checkpoint()",
    "PRAGMA memory_limit = '100GB'",
    "SET memory_limit = '100GB'",
    "SET GLOBAL TimeZone = 'UTC'",
    "RESET memory_limit",
    "SET threads = 1",
    "SET enable_external_access = true",
    "PRAGMA enable_profiling",
    f"SET profiling_output = '{LEAK}.json'",
    "SET search_path = 'temp'",
    "USE memory",
    "VACUUM",
    "ANALYZE",
    "ATTACH ':memory:' AS outro",
    f"ATTACH '{LEAK}.duckdb' AS outro",
    "DETACH sibtui_scratch",
    f"COPY files TO '{LEAK}.csv'",
    f"COPY (SELECT cpf, nome FROM sbx_movements) TO '{LEAK}.csv'",
    f"EXPORT DATABASE '{LEAK}'",
    f"IMPORT DATABASE '{LEAK}'",
    "INSTALL httpfs",
    "LOAD json",
    "UPDATE EXTENSIONS",
    "CREATE TEMP TABLE t AS SELECT * FROM files",
    "CREATE TEMP VIEW v AS SELECT 1",
    "CREATE TABLE copia AS SELECT * FROM files",
    "CREATE MACRO m() AS 1",
    "CREATE SEQUENCE s",
    "SELECT nextval('edit_id_seq')",
    "SELECT setval('edit_id_seq', 1)",
    "SELECT max(x) FROM (SELECT nextval('regeneration_seq') AS x FROM range(3))",
    "SET VARIABLE x = nextval('edit_action_seq')",
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM query_table('files')",
    "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT setseed(0.5)",
    "SELECT write_log('x')",
    "DROP TABLE edit_journal",
    "ALTER TABLE files RENAME TO arquivos",
    "TRUNCATE edit_journal",
    "INSERT INTO edit_journal SELECT * FROM edit_journal",
    "MERGE INTO files USING files AS f ON (files.file_id = f.file_id) WHEN MATCHED THEN DELETE",
    "COMMENT ON TABLE files IS 'x'",
    "BEGIN TRANSACTION; DELETE FROM files; COMMIT",
    "COMMIT",
    "PIVOT files ON kind USING count(*)",
    "CREATE OR REPLACE VIEW sbx_movements_current AS SELECT 1 AS x",
]
HARMLESS = [  # they run, and still change nothing
    "SET VARIABLE x = 1",
    "SET TimeZone = 'America/Sao_Paulo'",
    "PRAGMA table_info('files')",
    "CALL pragma_table_info('edit_journal')",
    "EXPLAIN ANALYZE SELECT count(*) FROM edit_journal",
    "SUMMARIZE files",
    "SELECT currval('edit_id_seq')",
    "PIVOT files ON kind IN ('SBX', 'RPX') USING count(*)",
]
CORPUS = HOSTILE + HARMLESS


def fingerprint(cursor: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Each table's row count and the sum of its rows' hashes (one query): any changed value shows."""
    parts = [f"SELECT '{name}', count(*), sum(hash(t)) FROM \"{name}\" AS t" for name in table_names(cursor)]
    return cursor.execute(" UNION ALL ".join(parts) + " ORDER BY 1").fetchall()


def state(cursor: duckdb.DuckDBPyConnection, macros: bool = False) -> dict:
    """Everything a statement could have changed, as a fresh cursor sees it (macros: the
    slowest to list, compared once over the whole corpus)."""
    found = {
        "tables": fingerprint(cursor),
        "journal": cursor.execute("SELECT * FROM edit_journal ORDER BY ALL").fetchall(),
        "views": cursor.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY ALL").fetchall(),
        "sequences": cursor.execute("SELECT sequence_name, last_value FROM duckdb_sequences() ORDER BY ALL").fetchall(),
        "databases": cursor.execute("SELECT database_name FROM duckdb_databases() ORDER BY ALL").fetchall(),
        "settings": cursor.execute("SELECT name, value FROM duckdb_settings() ORDER BY ALL").fetchall(),
    }
    if macros:
        found["macros"] = cursor.execute(
            "SELECT function_name FROM duckdb_functions() WHERE NOT internal ORDER BY ALL").fetchall()
    return found


def leaked(tmp_path) -> list[str]:
    import glob

    return glob.glob(LEAK + "*")


@pytest.fixture(scope="module")
def console_workspace(analyst_template, tmp_path_factory):
    path = copy_workspace(analyst_template, tmp_path_factory.mktemp("console"))
    with Workspace(path) as workspace:
        cursor = workspace.cursor()
        run_sql(cursor, "SELECT 1")  # the scratch database is attached once, as in the console
        workspace.before_corpus = state(cursor, macros=True)
        cursor.close()
        yield workspace


@pytest.fixture(scope="module")
def cli_workspace(analyst_template, tmp_path_factory):
    return copy_workspace(analyst_template, tmp_path_factory.mktemp("cli"))


def file_state(path) -> dict:
    with duckdb.connect(str(path), read_only=True) as connection:
        return state(connection)


def file_bytes(path) -> tuple:
    """The workspace file's digest, and whether a WAL appeared: `sibtui query` opens it in a
    DuckDB instance of its own that dies with the command, so the bytes on disk are all it
    could have changed (the whole state is compared once, after the corpus)."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest(), path.with_name(path.name + ".wal").exists()


@pytest.fixture(scope="module")
def cli_before(cli_workspace) -> dict:
    return file_state(cli_workspace)


@pytest.fixture(scope="module")
def cli_bytes(cli_workspace) -> tuple:
    return file_bytes(cli_workspace)


def test_the_corpus_is_the_size_the_issue_asks():
    assert len(CORPUS) >= 40 and len(set(CORPUS)) == len(CORPUS)


@pytest.mark.parametrize("sql", CORPUS)
def test_console_sql_runner_changes_nothing(console_workspace, sql, tmp_path):
    observer = console_workspace.cursor()
    before = state(observer)
    assert before["journal"], "the corpus needs a journal to protect"
    cursor = console_workspace.cursor()
    try:
        run_sql(cursor, sql)
        refused = False
    except QueryError:
        refused = True
    finally:
        cursor.close()
    assert state(observer) == before
    assert refused == (sql in HOSTILE), sql
    assert not leaked(tmp_path)
    observer.close()


@pytest.mark.parametrize("sql", CORPUS)
def test_sibtui_query_changes_nothing(cli_workspace, cli_bytes, sql, capsys, tmp_path):
    code = main(["query", "--db", str(cli_workspace), "--format", "csv", sql])
    captured = capsys.readouterr()
    assert code == (1 if sql in HOSTILE else 0), captured.err
    if code:
        assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert file_bytes(cli_workspace) == cli_bytes
    assert not leaked(tmp_path)


def test_after_the_whole_corpus_nothing_changed_macros_included(console_workspace, cli_workspace, cli_before):
    cursor = console_workspace.cursor()
    try:
        assert state(cursor, macros=True) == console_workspace.before_corpus
    finally:
        cursor.close()
    with duckdb.connect(str(cli_workspace), read_only=True) as connection:
        after = state(connection, macros=True)
    assert {key: after[key] for key in cli_before} == cli_before and after["macros"] == \
        console_workspace.before_corpus["macros"]


def test_write_mode_still_refuses_settings_checkpoints_files_and_sibtui_tables(cli_workspace, capsys):
    for sql in ("SET memory_limit = '500GB'", "CHECKPOINT", "SELECT * FROM checkpoint()", f"COPY files TO '{LEAK}.csv'",
                "DELETE FROM edit_journal", "DROP TABLE files", "UPDATE sbx_movements SET nome = 'X'",
                "CREATE OR REPLACE VIEW rpx_answers AS SELECT 1", "ALTER TABLE main.files ADD COLUMN x INT",
                "DROP SCHEMA main CASCADE", "CREATE PERSISTENT SECRET s (TYPE s3)", "VACUUM",
                "WITH x AS (DELETE FROM edit_journal RETURNING *) SELECT count(*) FROM x",
                "INSERT INTO main.edit_journal SELECT * FROM edit_journal",
                "MERGE INTO files USING files AS f ON (files.file_id = f.file_id) WHEN MATCHED THEN DELETE"):
        assert main(["query", "--write", "--db", str(cli_workspace), sql]) == 1, sql
        assert "refused" in capsys.readouterr().err, sql
    assert main(["query", "--write", "--db", str(cli_workspace),
                 "CREATE TABLE rascunho AS SELECT file_id FROM files; INSERT INTO rascunho VALUES (99); "
                 "DELETE FROM rascunho WHERE file_id = 1; DROP TABLE rascunho"]) == 0


WRITES_THE_GUARD_KNOWS = [
    "WITH x AS (DELETE FROM edit_journal RETURNING *) SELECT * FROM x",
    "EXPLAIN ANALYZE DELETE FROM edit_journal",
    "DELETE FROM files; SELECT 1",
    "UPDATE sbx_movements SET nome = 'X'; PRAGMA table_info('files')",
    "SELECT nextval('edit_id_seq') IS NULL; DROP TABLE findings; SELECT 2",
]


@pytest.mark.parametrize("sql", WRITES_THE_GUARD_KNOWS)
def test_the_console_transaction_holds_even_if_the_guard_let_a_write_through(console_workspace, sql, monkeypatch):
    """The second wall alone: with the guard switched off, the write still does not last."""
    from sibtui.query import sql_guard

    monkeypatch.setattr(sql_guard, "check_statement",
                        lambda cursor, statement, policy: sql_guard.Checked(statement, statement.type.name, None))
    observer = console_workspace.cursor()
    before = state(observer)
    cursor = console_workspace.cursor()
    try:
        run_sql(cursor, sql)
    except QueryError:
        pass
    finally:
        cursor.close()
    after = state(observer)
    observer.close()
    assert after["tables"] == before["tables"] and after["journal"] == before["journal"]


@pytest.mark.parametrize("masked", [False, True], ids=["plain", "masked"])
def test_every_example_query_still_runs(console_workspace, masked):
    """The guard refuses by structure, not by accident: the F2 examples all pass, masked too."""
    from sibtui.query.examples import EXAMPLES

    for example in EXAMPLES:
        cursor = console_workspace.cursor()
        try:
            assert run_sql(cursor, example.sql, masked=masked).total > 0, example.title
        finally:
            cursor.close()
