"""The command line for people and for pipes: at 80 columns a table that would not fit becomes
one block per row (every value whole); piped output is TSV, one line per row; `check` is one
compact line per finding; `--output` writes any format, XLSX with identifiers as text;
every subcommand's help has its own examples; a completion script from the parser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from conftest import SAMPLE_DIR
from sibtui.cli import COMMANDS, main
from sibtui.ingest.loader import load_files
from sibtui.workspace import Workspace

LEADING_ZERO_CPFS = "UPDATE sbx_movements SET cpf = '0' || substr(cpf, 2) WHERE cpf IS NOT NULL"


class Terminal(io.StringIO):
    """Standard output as a terminal (what `sibtui status` sees in an SSH session)."""

    def isatty(self) -> bool:
        return True

    def text(self) -> str:
        """What the person reads: the colours' escape sequences left out."""
        return re.sub(r"\x1b\[[0-9;]*m", "", self.getvalue())


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    with Workspace(path) as workspace:
        assert all(outcome.report for outcome in load_files(workspace, [SAMPLE_DIR]))
        cursor = workspace.cursor()
        cursor.execute(LEADING_ZERO_CPFS)
        cursor.close()
    return path


def sbx_names(db) -> list[str]:
    with Workspace(db, read_only=True) as workspace:
        cursor = workspace.cursor()
        try:
            return [row[0] for row in cursor.execute("SELECT name FROM files WHERE kind = 'SBX'").fetchall()]
        finally:
            cursor.close()


def test_status_at_80_columns_shows_every_sbx_name_whole(db, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert main(["status", "--db", str(db), "--today", "2026-12-01"]) == 0
    text = terminal.text()
    assert max(len(line) for line in text.splitlines()) <= 80
    names = sbx_names(db)
    assert len(names) == 2 and all(name in text for name in names)  # never "9999972026…"
    assert "─ 1 de 2 " in text and "competencia" in text  # a block per SBX
    assert "próximo prazo de envio: 05/12/2026" in capsys.readouterr().err


def test_a_table_that_fits_stays_a_table(db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert main(["query", "--db", str(db), "SELECT kind, count(*) AS arquivos FROM files GROUP BY 1 ORDER BY 1"]) == 0
    lines = terminal.text().splitlines()
    assert lines[0].split() == ["kind", "arquivos"] and [line.split() for line in lines[2:]] == [
        ["CNX", "2"], ["RPX", "2"], ["SBX", "2"]]


def test_piped_output_is_tsv_one_line_per_row(db, capsys):
    assert main(["status", "--db", str(db), "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    header, *rows = [line.split("\t") for line in out.splitlines()]
    assert header[:2] == ["sbx", "registro_ans"] and len(rows) == 2
    assert sorted(row[0] for row in rows) == sorted(sbx_names(db)) and all(len(row) == len(header) for row in rows)


def test_tsv_escapes_tabs_and_newlines_so_a_row_stays_one_line(db, capsys):
    assert main(["query", "--db", str(db), "--format", "tsv", "SELECT 'a\tb' AS x, 'c\nd' AS y, NULL AS z"]) == 0
    assert capsys.readouterr().out.splitlines() == ["x\ty\tz", "a\\x09b\tc\\x0ad\t"]


def test_check_prints_one_compact_line_per_finding_and_the_rules_on_stderr(db, capsys):
    assert main(["check", "--db", str(db), "--today", "2026-12-01", "--format", "csv"]) == 1
    findings = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert main(["check", "--db", str(db), "--today", "2026-12-01", "--format", "table"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == len(findings) > 10
    cpf = next(f for f in findings if f["rule"] == "cpf_invalid")
    assert f"{cpf['file']}:{cpf['line']} reg. {cpf['record_no']} cpf: erro cpf_invalid: " in captured.out
    assert any(line.startswith("erro  cpf_invalid") for line in captured.err.splitlines())


def test_query_writes_xlsx_with_cpfs_as_text_and_dates_as_dates(db, tmp_path, capsys):
    target = tmp_path / "movimentos.xlsx"
    sql = "SELECT record_no, cpf, dataNascimento, nome FROM sbx_movements WHERE cpf IS NOT NULL ORDER BY record_no"
    assert main(["query", "--db", str(db), sql, "--output", str(target)]) == 0
    assert "rows written to" in capsys.readouterr().err
    assert target.stat().st_mode & 0o077 == 0  # CPFs: owner-only
    sheet = openpyxl.load_workbook(target).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == ("record_no", "cpf", "dataNascimento", "nome")
    assert rows and all(isinstance(cpf, str) and len(cpf) == 11 and cpf.startswith("0") for _, cpf, _, _ in rows)
    with Workspace(db, read_only=True) as workspace:
        cursor = workspace.cursor()
        stored = cursor.execute(sql).fetchall()
        cursor.close()
    assert [row[1] for row in rows] == [row[1] for row in stored]  # the same strings, leading zeros kept
    assert all(isinstance(born, dt.datetime) for _, _, born, _ in rows)
    assert rows[0][2].date().isoformat() == stored[0][2]


def test_query_output_follows_the_extension_and_masks(db, tmp_path, capsys):
    csv_file, json_file = tmp_path / "a.csv", tmp_path / "a.json"
    sql = "SELECT cpf FROM sbx_movements WHERE cpf IS NOT NULL ORDER BY record_no LIMIT 2"
    assert main(["query", "--db", str(db), sql, "-o", str(csv_file)]) == 0
    assert main(["--mask", "query", "--db", str(db), sql, "-o", str(json_file)]) == 0
    assert next(csv.reader(io.StringIO(csv_file.read_text())))[0] == "cpf"
    masked = json.loads(json_file.read_text())
    assert all(row["cpf"].startswith("*********") for row in masked)
    assert main(["query", "--db", str(db), "--format", "xlsx", sql]) == 1  # a workbook needs a file
    assert "--output" in capsys.readouterr().err


@pytest.mark.parametrize("command", [command.name for command in COMMANDS])
def test_each_subcommand_help_has_its_own_examples(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    examples = text.split("examples:", 1)[1]
    lines = [line.strip() for line in examples.splitlines() if line.strip().startswith(("sibtui", "eval", "echo"))]
    assert lines and all(command in line or command == "open" for line in lines)


def test_the_completion_script_knows_every_command_and_option(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert "complete -o filenames -F _sibtui_complete sibtui" in script
    for command in COMMANDS:
        assert command.name in script
    assert "--output" in script and "fill-cns" in script and "xlsx" in script
