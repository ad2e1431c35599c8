"""Property: random byte mutations of valid SIB files never crash the loader.

Valid SBX, CNX and RPX files are mutated (bytes flipped, inserted, deleted, a slice copied
elsewhere, the file cut), then loaded, the CNX through the reference parser and the fast
path. The outcome is a load, or a `SibError` in one printable line naming the file, with
nothing of the file kept; never another exception.
"""

from __future__ import annotations

import itertools

import pytest
from corpus.generate import CNX, SBX
from corpus.workspaces import is_one_safe_line, preview_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sibtui.errors import SibError
from sibtui.ingest import fastpath
from sibtui.ingest.loader import load_file
from sibtui.workspace import Workspace

TEMPLATES = {"SBX": SBX, "CNX": CNX}
_numbers = itertools.count(1)


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(TEMPLATES)))
    content = bytearray(TEMPLATES[kind])
    for _ in range(draw(st.integers(1, 4))):
        if not content:
            break
        position = draw(st.integers(0, len(content) - 1))
        operation = draw(st.sampled_from(["flip", "insert", "delete", "copy", "cut"]))
        if operation == "flip":
            content[position] = draw(st.integers(0, 255))
        elif operation == "insert":
            content[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif operation == "delete":
            del content[position : position + draw(st.integers(1, 16))]
        elif operation == "copy":
            start = draw(st.integers(0, len(content) - 1))
            content[position:position] = content[start : start + draw(st.integers(1, 64))]
        else:
            del content[position:]
    return kind, bytes(content)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mutations")
    with Workspace(folder / "workspace.duckdb") as opened:
        yield opened, folder


def counts(workspace: Workspace) -> dict[str, int]:
    cursor = workspace.cursor()
    try:
        names = [row[0] for row in cursor.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
        return {name: cursor.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in names}
    finally:
        cursor.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated(), parser=st.sampled_from(["lxml", "fast"]))
def test_mutated_files_load_or_fail_cleanly(workspace, case, parser, monkeypatch_module):
    opened, folder = workspace
    kind, content = case
    monkeypatch_module.setenv(fastpath.PARSER_ENV, parser)
    path = folder / f"mutante-{next(_numbers)}.{kind}"
    path.write_bytes(content)
    before = counts(opened)
    try:
        load_file(opened, path)
    except SibError as error:
        message = str(error)
        assert message.startswith(str(path)) and is_one_safe_line(message) and len(message) < 600, message
        assert counts(opened) == before
    assert preview_tables(opened) == []


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
