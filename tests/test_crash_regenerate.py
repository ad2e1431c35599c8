"""SIGKILL during `sibtui regenerate`: never a partial SBX under its final name.

A part is written under a hidden temporary name, proven, then linked to its final name; the
regeneration log is committed after. Killed while writing, no SBX has its final name and the
workspace is as before; killed after the link, the SBX that has its name is whole (its hash
checks and it loads with every movement); killed after the log, the log names that file.
"""

from __future__ import annotations

import pytest
from corpus.fixtures import analyst_template  # noqa: F401
from corpus.workspaces import copy_workspace, snapshot
from crash.harness import run, start

from sibtui.db.workspace import Workspace
from sibtui.ingest.hashcheck import check_hash
from sibtui.ingest.loader import load_file


@pytest.fixture
def analyst(analyst_template, tmp_path):  # noqa: F811
    return copy_workspace(analyst_template, tmp_path / "ws")


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "saida"
    folder.mkdir()
    return folder


def reopened(path) -> dict:
    with Workspace(path) as workspace:
        return snapshot(workspace)


def final_files(folder) -> list:
    return sorted(path for path in folder.iterdir() if not path.name.startswith("."))


def assert_whole(path, tmp_path) -> int:
    """The SBX's declared hash matches its content and it loads: its movement count."""
    assert check_hash(path).ok
    with Workspace(tmp_path / f"prova-{path.stem}.duckdb") as workspace:
        return load_file(workspace, path).record_count


def test_killed_while_writing_leaves_no_sbx_and_no_log(analyst, out, tmp_path):
    before = reopened(analyst)
    stopped = start("regen-writing:3", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet",
                    scratch=tmp_path / "crash")
    stopped.wait()
    assert [path.suffix for path in out.iterdir()] == [".part"]  # the partial file exists, hidden
    stopped.kill()
    assert final_files(out) == []
    assert reopened(analyst) == before


def test_killed_after_the_link_the_named_sbx_is_whole(analyst, out, tmp_path):
    stopped = start("regen-published", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    named = final_files(out)
    assert len(named) == 1
    assert assert_whole(named[0], tmp_path) == 11  # the sample SBX's rejected movements


def test_killed_after_the_log_the_log_and_the_files_agree(analyst, out, tmp_path):
    stopped = start("after-commit:1", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    logged = reopened(analyst)["regenerations"]
    assert len(logged) == 1
    with Workspace(analyst, read_only=True) as workspace:
        cursor = workspace.cursor()
        name, hash_value, movements = cursor.execute(
            "SELECT output_name, hash, movement_count FROM regenerations").fetchall()[0]
        cursor.close()
    assert (out / name).exists() and check_hash(out / name).declared.strip() == hash_value
    assert assert_whole(out / name, tmp_path) == movements


def test_after_a_kill_the_next_regeneration_completes(analyst, out, tmp_path):
    stopped = start("regen-writing:3", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    done = run("regenerate", "--db", str(analyst), "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    written = final_files(out)
    assert len(written) == 2 and all(check_hash(path).ok for path in written)
    assert len(reopened(analyst)["regenerations"]) == 2
