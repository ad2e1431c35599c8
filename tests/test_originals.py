"""Originals kept (art. 12): every loaded file's bytes, compressed in the load's transaction;
`sibtui original` writes them back byte for byte, checked by SHA-256."""

from __future__ import annotations

import hashlib
import os

import pytest
from cli_helpers import run_cli

from conftest import SAMPLE_DIR, query
from sibfiles import BENEFICIARIO, cnx, write
from sibtui.cli import main
from sibtui.errors import InputError, LoadCancelled
from sibtui.ingest import fastpath
from sibtui.ingest.loader import load_file


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ws" / "w.duckdb"
    main(["load", "--db", str(path), "--quiet", str(SAMPLE_DIR)])  # exit 1: one sample SBX has a wrong hash
    return path


def _file_id(capsys, db, name: str) -> int:
    code, out, _ = run_cli(capsys, "query", "--db", db, "--format", "csv", f"select file_id from files where name = '{name}'")
    return int(out.splitlines()[1])


def test_a_loaded_rpx_written_back_is_byte_identical(db, capsys, tmp_path):
    source = SAMPLE_DIR / "99999720261105031244.RPX"
    target = tmp_path / "de-volta.RPX"
    code, out, err = run_cli(capsys, "original", "--db", db, "--file-id", _file_id(capsys, db, source.name),
                          "--out", target)
    assert code == 0, err
    assert target.read_bytes() == source.read_bytes()
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert "SHA-256 checked" in out
    code, _, err = run_cli(capsys, "original", "--db", db, "--file-id", 1, "--out", target)
    assert code == 1 and "never overwritten" in err


def test_every_kind_comes_back_whole(db, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "query", "--db", db, "--format", "csv", "select file_id, name, sha256 from files")
    for line in out.splitlines()[1:]:
        file_id, name, sha256 = line.split(",")
        target = tmp_path / f"back-{name}"
        assert main(["original", "--db", str(db), "--file-id", file_id, "--out", str(target)]) == 0
        assert hashlib.sha256(target.read_bytes()).hexdigest() == sha256
        assert target.read_bytes() == (SAMPLE_DIR / name).read_bytes()


def test_the_fast_path_keeps_the_original_too(tmp_path, monkeypatch, workspace, capsys):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    source = SAMPLE_DIR / "ArqConf9999971020261110.CNX"
    report = load_file(workspace, source)
    pieces = query(workspace, "SELECT count(*), sum(raw_bytes) FROM file_originals WHERE file_id = ?", [report.file_id])
    assert pieces == [(1, source.stat().st_size)]
    from sibtui.ingest.originals import write_original

    cursor = workspace.cursor()
    try:
        write_original(cursor, report.file_id, tmp_path / "back.CNX")
    finally:
        cursor.close()
    assert (tmp_path / "back.CNX").read_bytes() == source.read_bytes()


def test_failed_and_cancelled_loads_keep_no_original(tmp_path, workspace):
    folder_before = set(os.listdir(tmp_path))
    broken = write(tmp_path, "broken.CNX", cnx(BENEFICIARIO)[:-40])
    with pytest.raises(InputError):
        load_file(workspace, broken)
    many = write(tmp_path, "many.CNX", cnx(BENEFICIARIO * 2_100))
    with pytest.raises(LoadCancelled):
        load_file(workspace, many, cancel=lambda: True)
    assert query(workspace, "SELECT count(*) FROM file_originals") == [(0,)]
    assert query(workspace, "SELECT count(*) FROM files") == [(0,)]
    left = set(os.listdir(tmp_path)) - folder_before - {"broken.CNX", "many.CNX", "workspace.duckdb.wal"}
    assert left == set()  # the compressed pieces waited in an unlinked file: nothing to clean up


def test_the_spool_is_never_visible_in_the_folder(tmp_path, workspace):
    many = write(tmp_path, "many.CNX", cnx(BENEFICIARIO * 2_100))
    seen: list[set[str]] = []
    load_file(workspace, many, progress=lambda done, total, records: seen.append(set(os.listdir(tmp_path))))
    assert seen and all(names <= {"many.CNX", "workspace.duckdb", "workspace.duckdb.wal"} for names in seen)


def test_mask_mode_and_unknown_files_are_refused(db, capsys, tmp_path):
    code, _, err = run_cli(capsys, "--mask", "original", "--db", db, "--file-id", 1, "--out", tmp_path / "x")
    assert code == 1 and "mask mode" in err and not (tmp_path / "x").exists()
    code, _, err = run_cli(capsys, "original", "--db", db, "--file-id", 99, "--out", tmp_path / "x")
    assert code == 1 and "no file 99" in err


def test_mask_mode_hides_the_kept_bytes_from_sql(db, capsys):
    code, out, _ = run_cli(capsys, "--mask", "query", "--db", db, "--format", "csv",
                        "select count(*) filter (where data is not null) as visible, count(*) as pieces "
                        "from file_originals")
    assert out.splitlines()[1] == "0,6"
