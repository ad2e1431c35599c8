"""Every file of the hostile corpus, loaded into an analyst's workspace through both parsers.

Each must give one located line naming the file and the reason, never a traceback, and
leave every table of the workspace (evidence, journal, findings) exactly as it was. CNX
files go through the reference parser and the fast path (`SIBTUI_PARSER`); the ones above
8 MiB also through the default choice, which tries the fast path first.
"""

from __future__ import annotations

import pytest
from corpus.fixtures import CNX_ERROR_CASES, ERROR_CASES, corpus, listener  # noqa: F401
from corpus.generate import CASES_BY_NAME, SECRET_TOKEN, Case
from corpus.workspaces import copy_workspace, is_one_safe_line, preview_tables, snapshot

from sibtui.errors import InputError
from sibtui.ingest import fastpath
from sibtui.ingest.loader import load_file
from sibtui.ingest.sniff import sniff
from sibtui.workspace import Workspace

MODES = [(case, "lxml") for case in ERROR_CASES] + [(case, "fast") for case in CNX_ERROR_CASES]
MAX_MESSAGE = 400


@pytest.fixture(scope="module")
def analyst(analyst_template, tmp_path_factory):
    """One analyst workspace for the whole module: every refused file must leave it as it is."""
    path = copy_workspace(analyst_template, tmp_path_factory.mktemp("analyst"))
    with Workspace(path) as workspace:
        yield workspace, snapshot(workspace)


@pytest.fixture
def fast_attempts(monkeypatch) -> list[str]:
    """One entry per call of the fast path: "took" the file, "declined" it (lxml read it), "raised"."""
    attempts: list[str] = []
    original = fastpath.load

    def spy(*args, **kwargs):
        try:
            loaded = original(*args, **kwargs)
        except BaseException:
            attempts.append("raised")
            raise
        attempts.append("took" if isinstance(loaded, fastpath.FastLoad) else "declined")
        return loaded

    monkeypatch.setattr(fastpath, "load", spy)
    return attempts


def assert_clean_error(error: InputError, case: Case, path, content: bytes) -> None:
    message = str(error)
    assert message.startswith(f"{path}"), message
    assert case.reason in message, message
    assert "\n" not in message and "\r" not in message
    assert is_one_safe_line(message), repr(message)
    assert len(message) <= MAX_MESSAGE, message[:MAX_MESSAGE]
    assert SECRET_TOKEN not in message
    if case.located:
        assert error.line and error.line > 0, message
        assert f":{error.line}:" in message
        assert error.line <= content.count(b"\n") + 1
    if case.element is not None:
        assert error.element == case.element, message
    if case.at is not None:
        assert case.at in content.split(b"\n")[error.line - 1], (message, case.at)


@pytest.mark.parametrize(("case", "mode"), MODES, ids=[f"{case.name}-{mode}" for case, mode in MODES])
def test_corpus_file_is_refused_and_the_workspace_is_untouched(case, mode, analyst, corpus, fast_attempts,  # noqa: F811
                                                               monkeypatch):
    workspace, before = analyst
    monkeypatch.setenv(fastpath.PARSER_ENV, mode)
    path = corpus.path(case.name)
    with pytest.raises(InputError) as raised:
        load_file(workspace, path)
    assert_clean_error(raised.value, case, path, path.read_bytes())
    if mode == "fast" and _sniffs(path):
        assert fast_attempts in (["declined"], ["raised"]), "the fast path must have been tried, and not taken it"
    assert snapshot(workspace) == before
    assert preview_tables(workspace) == []
    assert corpus.listener.connections() == 0


BIG_CNX = [case for case in CNX_ERROR_CASES if "big" in case.name or "huge" in case.name]


@pytest.mark.parametrize("case", BIG_CNX, ids=[case.name for case in BIG_CNX])
def test_big_cnx_files_try_the_fast_path_by_default(case, analyst, corpus, fast_attempts, monkeypatch):  # noqa: F811
    workspace, before = analyst
    monkeypatch.delenv(fastpath.PARSER_ENV, raising=False)
    path = corpus.path(case.name)
    assert path.stat().st_size >= fastpath.FAST_PATH_MIN_BYTES
    with pytest.raises(InputError) as raised:
        load_file(workspace, path)
    assert_clean_error(raised.value, case, path, path.read_bytes())
    assert fast_attempts in (["declined"], ["raised"])
    assert snapshot(workspace) == before


def test_a_complete_file_with_an_error_is_not_called_truncated(analyst, corpus):  # noqa: F811
    workspace, _ = analyst
    for name in ("unknown_element", "control_character", "two_roots", "binary_garbage", "deep_nesting"):
        with pytest.raises(InputError) as raised:
            load_file(workspace, corpus.path(name))
        assert "truncated" not in str(raised.value), str(raised.value)


@pytest.mark.parametrize("name", ["sbx_named_cnx", "cnx_named_rpx"])
def test_a_file_named_as_another_kind_loads_by_its_content_with_a_warning(name, corpus, tmp_path):  # noqa: F811
    case = CASES_BY_NAME[name]
    with Workspace(tmp_path / "w.duckdb") as workspace:
        report = load_file(workspace, corpus.path(name))
        assert any(case.reason in warning.message for warning in report.warnings), report.warnings
        assert report.kind.value != case.kind


def test_markup_and_c1_controls_are_stored_exactly_as_written(corpus, tmp_path):  # noqa: F811
    with Workspace(tmp_path / "w.duckdb") as workspace:
        load_file(workspace, corpus.path("markup_lookalikes"))
        cursor = workspace.cursor()
        names = [row[0] for row in cursor.execute("SELECT nome FROM sbx_movements WHERE nome LIKE '%ALERTA%'").fetchall()]
        cursor.close()
    assert names == ["[bold red]ALERTA[/] [link=file:///etc/passwd]X[/link] [/b]\x9b31m"]


def test_remote_schema_location_and_stylesheet_are_never_fetched(corpus, tmp_path):  # noqa: F811
    with Workspace(tmp_path / "w.duckdb") as workspace:
        report = load_file(workspace, corpus.path("remote_schema_and_stylesheet"))
    assert report.record_count == 2
    assert corpus.listener.connections() == 0


def _sniffs(path) -> bool:
    try:
        sniff(path)
    except InputError:
        return False
    return True
