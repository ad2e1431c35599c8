"""The headless command line: the contract scripts rely on (commands, flags, exit codes)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ANS_EXAMPLE, ANS_EXAMPLE_HASH, REAL_SBX_DIR, spec_file
from sibfiles import INCLUSAO, sbx, write
from sibtui import __version__
from sibtui.cli import main


def test_load_prints_a_summary_per_file_and_exit_code(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    bad = write(tmp_path, "quebrado.sbx", b"<mensagemSIB><cabecalho>")
    code = main(["load", "--db", str(db), str(spec_file(ANS_EXAMPLE)), str(bad)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "loaded  ans-exemplo.sbx  SBX  file 1  5 records  hash ok" in out
    assert "sbx_movements: 5 rows" in out
    assert "quebrado.sbx" in err and "malformed XML" in err
    assert "Traceback" not in out + err
    assert main(["load", "--db", str(db), str(ANS_EXAMPLE)]) == 0
    assert "already loaded as file 1" in capsys.readouterr().out


def test_query_formats(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    main(["load", "--db", str(db), str(spec_file(REAL_SBX_DIR))])
    capsys.readouterr()
    sql = "SELECT file_id, count(*) AS movimentos FROM sbx_movements GROUP BY 1 ORDER BY 1"
    assert main(["query", "--db", str(db), "--format", "csv", sql]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [["file_id", "movimentos"], ["1", "2"], ["2", "20"]]
    assert main(["--db", str(db), "query", "--format", "json", sql]) == 0
    assert json.loads(capsys.readouterr().out) == [{"file_id": 1, "movimentos": 2}, {"file_id": 2, "movimentos": 20}]
    assert main(["query", "--db", str(db), sql]) == 0
    table = capsys.readouterr().out
    assert "movimentos" in table and "20" in table


def test_query_errors_are_one_line(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    main(["load", "--db", str(db), str(spec_file(ANS_EXAMPLE))])
    capsys.readouterr()
    assert main(["query", "--db", str(db), "SELECT nada FROM lugar_nenhum"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sibtui: error: ") and err.count("\n") == 1
    assert main(["query", "--db", str(tmp_path / "nao-existe.duckdb"), "SELECT 1"]) == 2  # usage: no such workspace
    assert "no workspace at" in capsys.readouterr().err


def test_query_cannot_write_to_the_workspace(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    main(["load", "--db", str(db), str(spec_file(ANS_EXAMPLE))])
    capsys.readouterr()
    assert main(["query", "--db", str(db), "DELETE FROM sbx_movements"]) == 1
    assert "read-only" in capsys.readouterr().err.lower()
    main(["query", "--db", str(db), "--format", "csv", "SELECT count(*) AS n FROM sbx_movements"])
    assert capsys.readouterr().out.splitlines()[1] == "5"


def test_hash_command(tmp_path, capsys):
    assert main(["hash", str(spec_file(ANS_EXAMPLE))]) == 0
    assert ANS_EXAMPLE_HASH in capsys.readouterr().out
    stale = sorted(spec_file(REAL_SBX_DIR).glob("*.SBX"))[0]
    assert main(["hash", str(stale)]) == 1
    assert "MISMATCH" in capsys.readouterr().out
    assert main(["hash", str(tmp_path / "sumiu.sbx")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_data_is_printed_as_written_never_as_markup(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    path = write(tmp_path, "m.sbx", sbx(INCLUSAO.replace("<codigoBeneficiario>0001000100", "<codigoBeneficiario>[bold]X[/b]")))
    main(["load", "--db", str(db), str(path)])
    capsys.readouterr()
    main(["query", "--db", str(db), "SELECT codigoBeneficiario FROM sbx_movements"])
    assert "[bold]X[/b]" in capsys.readouterr().out


def test_console_script_runs_without_traceback(tmp_path):
    """The installed entry point, as a script or cron would call it."""
    env = {**os.environ, "SIBTUI_DB": str(tmp_path / "env.duckdb")}
    version = subprocess.run([sys.executable, "-m", "sibtui", "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"sibtui {__version__}"
    bad = write(tmp_path, "x.sbx", b"\xff\xfe garbage")
    run = subprocess.run([sys.executable, "-m", "sibtui", "load", str(bad)], capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0].startswith("error   ")
    assert Path(env["SIBTUI_DB"]).exists()
