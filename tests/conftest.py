"""Shared fixtures: the reference material in ../shared/spec, fresh workspaces, file builders."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from sibtui.workspace import Workspace

# The suite is a gate: property tests draw the same examples on every run (derandomized), so
# CI is never red by chance. Explore with `HYPOTHESIS_PROFILE=explore` (random, more examples).
settings.register_profile("gate", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO.parent / "shared" / "spec"
SAMPLE_DIR = REPO / "sample_files"
ANS_EXAMPLE = SPEC_DIR / "ans-exemplo.sbx"
ANS_EXAMPLE_HASH = "8ADF49BC99D6F95642EC093B2E958D5B"
REAL_SBX_DIR = SPEC_DIR / "real-sbx"
XSD_DIR = SPEC_DIR / "ans-xsd"


SOCKET_PATH_ROOM = 60  # a socket path must stay under 108 bytes: sibtui/ and a 29-byte name follow


@contextmanager
def _runtime_directory(tmp_path_factory, name: str) -> Iterator[Path]:
    """A fresh XDG_RUNTIME_DIR under pytest's temporary folder (kept short: sockets live there;
    under a long TMPDIR, a short one in /tmp, removed afterwards)."""
    directory = tmp_path_factory.mktemp(name)
    if len(str(directory)) <= SOCKET_PATH_ROOM:
        yield directory
        return
    with tempfile.TemporaryDirectory(prefix=f"sibtui-{name}-", dir="/tmp", ignore_cleanup_errors=True) as short:
        yield Path(short)


@pytest.fixture(scope="session", autouse=True)
def private_rendezvous_for_the_session(tmp_path_factory) -> Iterator[Path]:
    """The session's fixtures (workspaces built once) meet in a directory of the run's own."""
    with pytest.MonkeyPatch.context() as patch, _runtime_directory(tmp_path_factory, "runtime") as directory:
        patch.setenv("XDG_RUNTIME_DIR", str(directory))
        yield directory


@pytest.fixture(autouse=True)
def private_rendezvous(tmp_path_factory, monkeypatch) -> Iterator[Path]:
    """Each test's sibtuis (and the children it starts, which inherit the environment) meet in
    a rendezvous directory of its own, not the user's `/tmp/sibtui-UID`: sockets, turn files
    and knocks of killed children never pile up there, and no test sees another's."""
    with _runtime_directory(tmp_path_factory, "run") as directory:
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(directory))
        yield directory


def spec_file(path: Path) -> Path:
    """A file of ../shared/spec, or a skip with the reason when the folder is not there."""
    if not path.exists():
        pytest.skip(f"reference material {path} is not available (tests read it from ../shared/spec)")
    return path


_EXAMPLE_HEADING = re.compile(r"^### 8\.\d (SBX|RPX|CNX) — `([^`]+)`", re.MULTILINE)


def fact_sheet_examples() -> dict[str, tuple[str, str]]:
    """The illustrative files of sib-format.md §8: {kind: (file name, XML text)}.

    They were written and hashed independently of sibtui, so they are a second hash
    vector (for RPX and CNX too) beside the ANS example.
    """
    text = spec_file(SPEC_DIR / "sib-format.md").read_text(encoding="utf-8")
    examples = {}
    for match in _EXAMPLE_HEADING.finditer(text):
        start = text.index("```xml\n", match.end()) + len("```xml\n")
        end = text.index("```", start)
        examples[match.group(1)] = (match.group(2), text[start:end])
    return examples


@pytest.fixture
def fact_sheet_files(tmp_path: Path) -> dict[str, Path]:
    """The §8 examples written as ISO-8859-1 files under their own names."""
    folder = tmp_path / "fact-sheet"
    folder.mkdir()
    files = {}
    for kind, (name, xml) in fact_sheet_examples().items():
        path = folder / name
        path.write_bytes(xml.encode("latin-1"))
        files[kind] = path
    return files


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "workspace.duckdb") as opened:
        yield opened


@pytest.fixture
def world(workspace):
    """A workspace filled by hand for rule tests (`rules_world.World`)."""
    from rules_world import World

    built = World(workspace)
    yield built
    built.cursor.close()


def query(workspace: Workspace, sql: str, parameters: list | tuple = ()) -> list[tuple]:
    cursor = workspace.cursor()
    try:
        return cursor.execute(sql, list(parameters)).fetchall()
    finally:
        cursor.close()


def table_snapshot(workspace: Workspace) -> dict[str, list[tuple]]:
    """Every row of every data table, to prove a failed load changed nothing."""
    from sibtui.catalog.tables import RECORD_TABLES

    names = ["files", "load_warnings", *(table.name for table in RECORD_TABLES)]
    return {name: query(workspace, f"SELECT * FROM {name} ORDER BY ALL") for name in names}


@pytest.fixture(scope="session")
def analyst_template(tmp_path_factory) -> Path:
    """A closed workspace file to copy: sample month, one edit, findings."""
    from corpus.workspaces import build_analyst_workspace

    return build_analyst_workspace(tmp_path_factory.mktemp("template") / "analyst.duckdb")


@pytest.fixture
def analyst(analyst_template, tmp_path) -> Path:
    """The analyst's workspace, a copy for one test to change (modules may override it)."""
    from corpus.workspaces import copy_workspace

    return copy_workspace(analyst_template, tmp_path / "ws")


@pytest.fixture
def loaded(workspace):
    """A cursor on a workspace holding sample_files/ (test modules may override `loaded`)."""
    from sibtui.ingest.loader import load_files

    for outcome in load_files(workspace, [SAMPLE_DIR]):
        assert outcome.report is not None, outcome.error
    cursor = workspace.cursor()
    yield cursor
    cursor.close()


@pytest.fixture
def out(tmp_path):
    """An empty output folder, for regenerated SBX files."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder
