"""The whole corpus through the real command line, `sibtui hash`, and the console's load worker.

`sibtui load` with every broken file at once, in a child process: exit 1, one `error` line per
file naming it, no traceback, the analyst's workspace with the query results it had. The
console loads them in its worker: one error notification per file, each one line, and the
app keeps running.
"""

from __future__ import annotations

from corpus.child import run_watched, sibtui_command
from corpus.fixtures import ERROR_CASES, corpus, listener  # noqa: F401
from corpus.workspaces import copy_workspace, is_one_safe_line, snapshot_file

from sibtui import cli

MEMORY_LIMIT_MB = 400  # the corpus holds 9-10 MiB files; the XXE and bomb bound (200 MB) is in test_corpus_hostile


def test_sibtui_load_refuses_every_corpus_file_in_one_line_each(corpus, analyst_template, tmp_path):  # noqa: F811
    """The default parser choice (the fast path for the big CNX); each parser is also run in-process."""
    workspace = copy_workspace(analyst_template, tmp_path)
    before = snapshot_file(workspace)
    files = [corpus.path(case.name) for case in ERROR_CASES]
    watched = run_watched(sibtui_command("load", "--db", str(workspace), "--quiet", *map(str, files)))
    assert watched.returncode == 1 and not watched.hung
    assert "Traceback" not in watched.stderr
    errors = [line for line in watched.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == len(files), watched.stderr
    for case, path in zip(ERROR_CASES, files):
        assert sum(str(path) in line for line in errors) == 1, case.name
        assert [line for line in errors if str(path) in line and case.reason in line], (case.name, errors)
    assert f"0 loaded, 0 already in the workspace, {len(files)} failed" in watched.stderr
    assert watched.peak_rss_mb <= MEMORY_LIMIT_MB, f"{watched.peak_rss_mb:.0f} MB"
    assert snapshot_file(workspace) == before
    assert corpus.listener.connections() == 0


def test_sibtui_hash_gives_one_line_per_broken_file(corpus, capsys):  # noqa: F811
    files = [str(corpus.path(case.name)) for case in ERROR_CASES]
    assert cli.main(["hash", *files]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == len(files)
    assert all(line.startswith("sibtui: error: ") for line in lines)
    assert captured.out == ""


async def test_the_console_notifies_each_bad_file_in_one_line(corpus, analyst_template, tmp_path):  # noqa: F811
    from tui_helpers import SIZE, make_app, settle

    workspace = copy_workspace(analyst_template, tmp_path)
    before = snapshot_file(workspace)
    names = ["truncated_in_record", "utf8_declared_latin1", "xxe_file", "billion_laughs", "huge_text",
             "unknown_element_cnx", "escape_byte", "zip_archive"]
    app = make_app(workspace, [corpus.path(name) for name in names])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        errors = [toast for toast in app._notifications if toast.severity == "error"]
        assert len(errors) == len(names), [str(toast.message) for toast in app._notifications]
        for toast, name in zip(errors, names):
            message = str(toast.message)
            assert str(corpus.path(name)) in message and is_one_safe_line(message)
        assert app.is_running
    assert snapshot_file(workspace) == before
