"""Command-line traps: a typo, a redirected console, a missing workspace, samples, a full disk.

Each ends in one line on stderr and the exit code the README lists (2 for usage), and none
leaves a file behind that was not asked for.
"""

from __future__ import annotations

import subprocess

import duckdb
import pytest
from corpus.child import child_env, sibtui_command
from corpus.workspaces import copy_workspace

from conftest import SAMPLE_DIR
from sibtui import cli
from sibtui import console as open_command


def test_an_unknown_command_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["frob", "--db", str(tmp_path / "ws.duckdb")])
    assert exited.value.code == 2
    assert "'frob' is neither a command" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_still_opens_the_console(monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(open_command, "run_open", lambda db, files, **_: opened.append(files) or 0)
    assert cli.main([str(SAMPLE_DIR), "--db", str(tmp_path / "ws.duckdb")]) == 0
    assert opened == [[SAMPLE_DIR]]


def test_the_console_without_a_terminal_says_so_and_exits_2(tmp_path):
    done = subprocess.run(sibtui_command("--db", str(tmp_path / "ws.duckdb")), env=child_env(), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "needs a terminal" in done.stderr
    assert not (tmp_path / "ws.duckdb").exists()


@pytest.mark.parametrize("command", [["check"], ["status"], ["diff"], ["fix", "list"], ["fix", "undo"],
                                     ["regenerate", "--out", "."], ["query", "SELECT 1"],
                                     ["query", "--write", "CREATE TABLE x (a INT)"]])
def test_commands_that_read_a_workspace_refuse_a_missing_one(tmp_path, capsys, command):
    typo = tmp_path / "tpyo.duckdb"
    assert cli.main([*command, "--db", str(typo)]) == 2
    err = capsys.readouterr().err
    assert err == f"sibtui: error: no workspace at {typo}; load files first (sibtui load --db {typo} FILES)\n"
    assert list(tmp_path.iterdir()) == []


class _FakeApp:
    opened: list = []

    def __init__(self, workspace_path, files, fallback_files=(), read_only=False):
        _FakeApp.opened.append((workspace_path, list(files), list(fallback_files)))
        self.return_code = 0

    def run(self):
        return 0


@pytest.fixture
def console_here(monkeypatch, tmp_path):
    """`sibtui` with no arguments, in a folder holding sample_files/, on a terminal."""
    import sys

    from sibtui.tui import app as app_module

    folder = tmp_path / "checkout"
    (folder / "sample_files").mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("SIBTUI_DB", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(app_module, "SibApp", _FakeApp)
    _FakeApp.opened = []
    return tmp_path


def test_samples_go_only_into_their_own_workspace(console_here):
    from sibtui.db.paths import default_workspace_path

    real = default_workspace_path()
    assert open_command.run_open(None, []) == 0
    [(workspace, files, fallback)] = _FakeApp.opened
    assert workspace == real.with_name("samples.duckdb") and files == [] and fallback == [open_command.SAMPLE_DIR]
    assert open_command.last_workspace() is None  # the samples are never "the last workspace"
    real.parent.mkdir(parents=True, exist_ok=True)
    real.touch()  # the analyst has a workspace of their own: it opens, and no sample goes into it
    assert open_command.run_open(None, []) == 0
    assert _FakeApp.opened[-1] == (real, [], [])


def test_load_exits_1_on_a_hash_mismatch_and_keeps_the_file(tmp_path, capsys):
    mismatched = SAMPLE_DIR / "99999720261104160000.SBX"
    assert cli.main(["load", "--quiet", "--db", str(tmp_path / "ws.duckdb"), str(mismatched)]) == 1
    captured = capsys.readouterr()
    assert "HASH MISMATCH" in captured.out and "1 with a HASH MISMATCH" in captured.err
    with duckdb.connect(str(tmp_path / "ws.duckdb"), read_only=True) as connection:
        assert connection.execute("SELECT name, hash_ok FROM files").fetchall() == [(mismatched.name, False)]


def test_a_damaged_workspace_is_one_line_with_what_to_do(analyst, tmp_path, capsys):
    damaged = copy_workspace(analyst, tmp_path / "damaged")
    with open(damaged, "r+b") as stream:
        stream.seek(8192)
        stream.write(b"\x5a" * 4096)
    for command in (["check"], ["query", "SELECT 1"], ["load", str(SAMPLE_DIR)]):
        assert cli.main([*command, "--db", str(damaged)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "the workspace file is damaged" in err and "restore it from a backup" in err


@pytest.mark.parametrize("message, expected", [
    ('IO Error: Could not write file "/x/ws.duckdb.wal": No space left on device', "no space left on the disk"),
    ("Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 4096",
     "the workspace file is damaged"),
])
def test_a_full_disk_or_damage_found_mid_command_is_one_line(analyst, monkeypatch, capsys, message, expected):
    from sibtui.commands import check

    def fails(*args, **kwargs):
        raise duckdb.IOException(message)

    monkeypatch.setattr(check, "run_checks", fails)
    assert cli.main(["check", "--db", str(analyst)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and "internal error" not in err
