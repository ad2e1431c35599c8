"""The change fingerprint other consoles poll moves whenever the findings change, even when a
check ends with as many findings as before (`sibtui.rules.generation`).

This process owns the workspace and serves it; a child reads the fingerprint through it, as
another console does every second. The real case: console A fixes a value, B re-reads at
once (the journal moved), A's check then replaces the findings — as many, other ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from corpus.child import REPO, child_env
from crash.harness import REACH_LIMIT_SECONDS

from sibtui.edit.editor import set_field
from sibtui.edit.precritique import run_checks
from sibtui.edit.records import RecordRef
from sibtui.shared_workspace.opening import open_workspace
from sibtui.shared_workspace.version import workspace_version
from sibtui.workspace import Workspace

READER = """\
import json, sys
from sibtui.shared_workspace.opening import open_workspace
from sibtui.shared_workspace.version import workspace_version
workspace = open_workspace(sys.argv[1], read_only=True)
print(type(workspace).__name__, flush=True)
for _ in sys.stdin:
    cursor = workspace.cursor()
    print(json.dumps(list(workspace_version(cursor))), flush=True)
    cursor.close()
workspace.close()
"""
TODAY = date(2026, 12, 1)
INVALID_CNS_RECORD = RecordRef(1, 5)  # the sample SBX's cns_invalid: 209182736450007


class Reader:
    """Another process reading the fingerprint through this one."""

    def __init__(self, workspace):
        self.process = subprocess.Popen([sys.executable, "-c", READER, str(workspace)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(),
                                        cwd=REPO)
        self.kind = self.process.stdout.readline().strip()

    def version(self) -> list:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read()
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(REACH_LIMIT_SECONDS)
        self.process.stdout.close()
        self.process.stderr.close()


def findings(cursor) -> set[tuple]:
    return set(cursor.execute("SELECT rule, source_table, file_id, record_no, field, value FROM findings").fetchall())


def test_a_check_with_as_many_findings_but_other_ones_moves_the_fingerprint_another_process_reads(analyst):
    owner = open_workspace(analyst)
    reader = None
    try:
        assert isinstance(owner, Workspace)
        reader = Reader(analyst)
        assert reader.kind == "RemoteWorkspace", reader.process.stderr.read()
        cursor = owner.cursor()
        before = findings(cursor)
        set_field(cursor, INVALID_CNS_RECORD, "cns", "209182736450008", force=True)  # another wrong CNS
        after_edit = reader.version()  # the other console re-reads at once: the journal moved

        run_checks(owner, today=TODAY)

        after = findings(cursor)
        cursor.close()
        assert len(after) == len(before) and after != before  # as many findings, other ones
        assert ("cns_invalid", "sbx_movements", 1, 5, "cns", "209182736450008") in after
        assert reader.version() != after_edit
    finally:
        if reader is not None:
            reader.close()
        owner.close()


def test_the_fingerprint_of_a_workspace_from_before_the_generation_still_reads(tmp_path):
    """A workspace an older sibtui wrote, opened read-only (never brought up to date), has no
    generation table: the fingerprint reads without it."""
    path = tmp_path / "old.duckdb"
    with Workspace(path) as workspace:
        cursor = workspace.cursor()
        cursor.execute("DROP TABLE findings_generation")
        cursor.close()
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        assert workspace_version(cursor) == (0, 0, 0, 0, 0, 0)
        cursor.close()
