"""Ad hoc SQL: settings it may not change, write mode only on request, Ctrl+C that works."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from corpus.child import child_env, cpu_seconds, sibtui_command
from corpus.workspaces import copy_workspace, snapshot_file

from sibtui import cli
from sibtui.query.adhoc import QueryError, refuse_writes, run_query
from sibtui.workspace import Workspace

NEVER_ENDS = "SELECT count(*) FROM range(1000000000000) a WHERE a % 7 = 3"


@pytest.fixture
def analyst(analyst_template, tmp_path):  # right in tmp_path, not in ws/
    return copy_workspace(analyst_template, tmp_path)


@pytest.mark.parametrize("sql", [
    "SET memory_limit = '100GB'",
    "RESET memory_limit",
    "SET GLOBAL threads = 1",
    "PRAGMA threads = 1",
    "PRAGMA enable_profiling",
    "PRAGMA enable_profiling = 'json'",
    "PRAGMA disable_checkpoint_on_shutdown",
    "SET wal_autocheckpoint = '1TB'",
    "SET profiling_output = 'perfil.json'",
    "CALL enable_logging()",
    "CHECKPOINT",
    "USE system",
    "SELECT 1; SET memory_limit = '1GB'",
])
def test_statements_that_change_settings_are_refused(sql):
    import duckdb

    with pytest.raises(QueryError, match="refused"):
        refuse_writes(duckdb.connect(), sql)


@pytest.mark.parametrize("sql", [
    "SET VARIABLE limite = 10",
    "SET TimeZone = 'America/Sao_Paulo'",
    "PRAGMA table_info('files')",
    "PRAGMA show_tables",
    "CALL pragma_version()",
    "CALL duckdb_settings()",
    "SHOW TABLES",
    "DESCRIBE files",
])
def test_reading_and_session_statements_run(sql, analyst):
    with Workspace(analyst, read_only=True) as workspace:
        cursor = workspace.cursor()
        list(run_query(cursor, sql).rows)
        cursor.close()


def test_write_mode_is_a_switch_of_the_command_line(analyst, capsys):
    before = snapshot_file(analyst)
    sql = "CREATE TABLE rascunho AS SELECT 1 AS x"
    assert cli.main(["query", "--db", str(analyst), sql]) == 1
    assert "read-only" in capsys.readouterr().err
    assert snapshot_file(analyst) == before
    assert cli.main(["query", "--db", str(analyst), "--write", sql]) == 0
    assert snapshot_file(analyst)["rascunho"] == [(1,)]


def test_write_mode_still_never_touches_files(analyst, tmp_path, capsys):
    leak = tmp_path / "vazamento.csv"
    assert cli.main(["query", "--db", str(analyst), "--write", f"COPY files TO '{leak}'"]) == 1
    assert "may not read or write files" in capsys.readouterr().err
    assert not leak.exists()


def test_ctrl_c_interrupts_a_long_query(analyst):
    process = subprocess.Popen(sibtui_command("query", "--db", str(analyst), NEVER_ENDS), env=child_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while cpu_seconds(process.pid) < 1.5:  # start-up costs ~0.4 s: past 1.5 s the query runs
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the query never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert err.strip() == "sibtui: error: interrupted; nothing half-done was kept"


@pytest.mark.parametrize("output_format", ["csv", "json", "table"])
def test_a_closed_pipe_ends_the_command_quietly(analyst, output_format):
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    rows = 3_000_000 if output_format != "table" else 20_000  # a table is built whole, then printed
    # A table shows its first 10,000 rows: of bare numbers that is ~60 KB, under a pipe's 64 KB
    # buffer, so the command could finish before `head` closed the pipe. Wider rows cannot.
    select = f"SELECT range, repeat('x', 40) AS filler FROM range({rows})"
    writer = subprocess.run(
        sibtui_command("query", "--db", str(analyst), "--format", output_format, select),
        env=child_env(), stdout=reader.stdin, stderr=subprocess.PIPE, text=True, timeout=120,
    )
    reader.stdin.close()
    reader.wait()
    assert writer.returncode == cli.EXIT_BROKEN_PIPE
    assert writer.stderr == ""


def test_an_interrupt_surfacing_from_duckdb_is_reported_as_one(monkeypatch, capsys):
    """Ctrl+C during a query on the main thread reaches us as DuckDB's error, not KeyboardInterrupt."""
    from sibtui.commands import hash as hash_command

    def interrupted(options):
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(hash_command, "run", interrupted)
    assert cli.main(["hash", "x.sbx"]) == 130
    assert capsys.readouterr().err == "sibtui: error: interrupted; nothing half-done was kept\n"
