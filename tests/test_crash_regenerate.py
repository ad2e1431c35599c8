"""SIGKILL during `sibtui regenerate`: the workspace always knows every file it published.

A part is written under a hidden temporary name (`.NAME.TAG.*.part`) and proven; then its
log rows are committed marked unpublished, the part is linked to its final name, and the
rows are marked published. Killed at any of those moments:

- never a partial SBX under its final name, and the workspace as before while writing;
- a file with its final name always has a log row, which the next regeneration keeps
  (marked published) instead of reusing its name or its `sequencialTransacao`;
- a logged part that never got its name loses its rows, and our left-over temporary
  files are removed by the next regeneration.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from corpus.workspaces import snapshot
from crash.harness import run, start
from lxml import etree

from sibtui.ingest.hashcheck import check_hash
from sibtui.ingest.loader import load_file
from sibtui.workspace import Workspace

REJECTED_IN_SAMPLE = 11  # movements of the sample SBX that its RPX rejected


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


def hidden_files(folder) -> list:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def logged(path) -> list[tuple]:
    """(output_name, hash, sequencialTransacao, movement_count, published) of every log row."""
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        try:
            return cursor.execute("SELECT output_name, hash, sequencialTransacao, movement_count, published "
                                  "FROM regenerations ORDER BY regeneration_id, part_no").fetchall()
        finally:
            cursor.close()


def assert_whole(path, tmp_path) -> int:
    """The SBX's declared hash matches its content and it loads: its movement count."""
    assert check_hash(path).ok
    with Workspace(Path(tempfile.mkdtemp(dir=tmp_path)) / f"prova-{path.stem}.duckdb") as workspace:
        return load_file(workspace, path).record_count


def assert_log_and_folder_agree(analyst, out, tmp_path) -> list[tuple]:
    """Every SBX in the folder has exactly one published log row saying its hash and sequencial,
    every row names a file there, no sequencial repeats, and nothing hidden is left over."""
    rows = logged(analyst)
    assert all(published for *_, published in rows)
    assert sorted(name for name, *_ in rows) == [path.name for path in final_files(out)]
    sequenciais = [sequencial for _, _, sequencial, _, _ in rows]
    assert len(set(sequenciais)) == len(sequenciais)
    for name, hash_value, sequencial, movements, _ in rows:
        path = out / name
        assert check_hash(path).declared.strip() == hash_value
        assert etree.parse(str(path)).findtext(".//sequencialTransacao") == sequencial
        assert assert_whole(path, tmp_path) == movements
    assert hidden_files(out) == []
    return rows


def test_killed_while_writing_leaves_no_sbx_and_no_log(analyst, out, tmp_path):
    before = reopened(analyst)
    stopped = start("regen-writing:3", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending",
                    scratch=tmp_path / "crash")
    stopped.wait()
    assert [path.suffix for path in out.iterdir()] == [".part"]  # the partial file exists, hidden
    stopped.kill()
    assert final_files(out) == []
    assert reopened(analyst) == before


def test_after_a_kill_while_writing_the_next_regeneration_completes_and_cleans_up(analyst, out, tmp_path):
    stopped = start("regen-writing:3", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    [left_over] = hidden_files(out)
    done = run("regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending")
    assert done.returncode == 0, done.stderr
    assert f"{left_over}: arquivo temporário de uma geração interrompida, removido" in done.stderr
    assert len(assert_log_and_folder_agree(analyst, out, tmp_path)) == 2


def test_killed_after_the_log_before_the_link_the_rows_are_dropped(analyst, out, tmp_path):
    stopped = start("after-commit:1", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    assert final_files(out) == []
    [(name, _, first_sequencial, _, published)] = logged(analyst)
    assert published is False
    assert len(hidden_files(out)) == 1  # the proven temporary part, never linked
    done = run("regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending")
    assert done.returncode == 0, done.stderr
    assert f"{name}: a geração" in done.stderr and "registro descartado" in done.stderr
    rows = assert_log_and_folder_agree(analyst, out, tmp_path)
    assert len(rows) == 2 and first_sequencial in [sequencial for _, _, sequencial, _, _ in rows]


def test_killed_after_the_link_the_named_sbx_is_whole_and_kept_by_the_next_run(analyst, out, tmp_path):
    stopped = start("regen-published", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    [named] = final_files(out)
    assert assert_whole(named, tmp_path) == REJECTED_IN_SAMPLE
    [(name, hash_value, sequencial, _, published)] = logged(analyst)
    assert (name, published) == (named.name, False)  # logged before the link, not yet marked
    done = run("regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending")
    assert done.returncode == 0, done.stderr
    assert f"{name}: já tinha o nome final" in done.stderr
    assert f"nada mudou: os {REJECTED_IN_SAMPLE} movimento(s) já estão em {name}" in done.stdout  # not written twice
    rows = assert_log_and_folder_agree(analyst, out, tmp_path)
    assert len(rows) == 2 and rows[0][:3] == (name, hash_value, sequencial)


def test_killed_after_marking_published_the_log_and_the_files_agree(analyst, out, tmp_path):
    stopped = start("after-commit:2", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet", "--include-pending",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    [row] = assert_log_and_folder_agree(analyst, out, tmp_path)
    assert row[3] == REJECTED_IN_SAMPLE


def test_killed_after_the_link_then_sent_away_its_name_and_sequencial_are_never_reused(analyst, out, tmp_path):
    """The issue's case: the analyst moves the named SBX out to send it before anyone reruns."""
    stopped = start("regen-published", "regenerate", "--db", str(analyst), "--out", str(out), "--quiet",
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    [named] = final_files(out)
    sent = tmp_path / "enviados"
    sent.mkdir()
    named.rename(sent / named.name)
    [(name, _, sequencial, _, _)] = logged(analyst)
    done = run("regenerate", "--db", str(analyst), "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert f"{name}: não está mais em" in done.stderr
    rows = logged(analyst)
    assert all(published for *_, published in rows) and rows[0][:3:2] == (name, sequencial)
    later = rows[1:]
    assert later and all(row[0] != name and row[2] != sequencial for row in later)
    assert sorted(row[0] for row in later) == [path.name for path in final_files(out)]
    assert hidden_files(out) == []
