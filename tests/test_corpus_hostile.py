"""Crafted files (XXE by file, FIFO and http, entity bombs, XInclude) in a real `sibtui load`.

The child loads them into a copy of an analyst's workspace. It must refuse each one in one
line, stay under 200 MB of resident memory, never open the FIFO an entity points at, never
connect to the local port the http entities name, never show the secret file's content, and
leave the workspace with exactly the query results it had.
"""

from __future__ import annotations

import pytest
from corpus.child import child_env, run_watched, sibtui_command
from corpus.fixtures import HOSTILE_CASES, listener  # noqa: F401
from corpus.generate import CASES_BY_NAME, HUGE_VALUE_BYTES, SECRET_TOKEN, make_targets, write_case
from corpus.workspaces import copy_workspace, snapshot_file

from sibtui.ingest import fastpath

MEMORY_LIMIT_MB = 200
REFUSED = [case for case in HOSTILE_CASES if case.outcome == "error"]
HUGE = [CASES_BY_NAME[name] for name in ("huge_text", "huge_text_cnx", "huge_attribute_cnx", "deep_nesting_cnx")]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, listener):  # noqa: F811
    folder = tmp_path_factory.mktemp("hostile")
    targets = make_targets(folder / "alvos", listener.port)
    paths = {case.name: write_case(case, folder, targets) for case in HOSTILE_CASES + HUGE}
    return folder, targets, paths


def _load(workspace, paths, targets, mode: str):
    command = sibtui_command("load", "--db", str(workspace), "--quiet", *map(str, paths))
    return run_watched(command, fifo=targets.fifo, env=child_env(**{fastpath.PARSER_ENV: mode}))


def test_crafted_files_are_refused_in_bounded_memory_touching_nothing(hostile, analyst_template, listener,  # noqa: F811
                                                                      tmp_path):
    """Refused before any parser is chosen (the DOCTYPE is seen in the prolog); forced to the
    fast path anyway, so that a regression letting one through would meet both parsers."""
    folder, targets, paths = hostile
    workspace = copy_workspace(analyst_template, tmp_path)
    before = snapshot_file(workspace)
    files = [paths[case.name] for case in REFUSED]
    watched = _load(workspace, files, targets, "fast")

    assert not watched.hung, "the child hung (blocked opening the FIFO?)"
    assert watched.returncode == 1, watched.stderr
    assert not watched.fifo_opened, "a file an entity points at was opened"
    assert listener.connections() == 0, "a crafted file made sibtui connect to the network"
    assert watched.peak_rss_mb <= MEMORY_LIMIT_MB, f"{watched.peak_rss_mb:.0f} MB"
    errors = [line for line in watched.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == len(REFUSED), watched.stderr
    for case, path in zip(REFUSED, files):
        assert [line for line in errors if str(path) in line and case.reason in line], (case.name, errors)
    assert "Traceback" not in watched.stderr
    assert SECRET_TOKEN not in watched.stdout + watched.stderr
    after = snapshot_file(workspace)
    assert after == before
    assert SECRET_TOKEN not in repr(after)


def test_remote_schema_location_and_stylesheet_load_without_a_connection(hostile, listener, tmp_path):  # noqa: F811
    folder, targets, paths = hostile
    watched = _load(tmp_path / "w.duckdb", [paths["remote_schema_and_stylesheet"]], targets, "lxml")
    assert watched.returncode == (1 if "HASH MISMATCH" in watched.stderr else 0), watched.stderr
    assert "1 loaded" in watched.stderr and "0 failed" in watched.stderr
    assert listener.connections() == 0
    assert watched.peak_rss_mb <= MEMORY_LIMIT_MB


def test_ten_megabyte_values_and_deep_nesting_stay_bounded(hostile, tmp_path):
    """Bounded by the size of the file: a 10 MiB value is refused without a copy per element."""
    folder, targets, paths = hostile
    files = [paths[case.name] for case in HUGE]
    watched = _load(tmp_path / "w.duckdb", files, targets, "auto")
    assert watched.returncode == 1 and not watched.hung
    errors = [line for line in watched.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == len(HUGE) and all(len(line) < 400 for line in errors), errors
    assert watched.peak_rss_mb <= MEMORY_LIMIT_MB + 20 * HUGE_VALUE_BYTES / 2**20, f"{watched.peak_rss_mb:.0f} MB"
