"""SIGKILL during `sibtui fix`: the journal holds every confirmed edit, and only those.

An edit is confirmed when its transaction commits (`sibtui.edit.journal.append_action`).
Killed before that, the workspace is exactly as before the command; killed right after, the
edit is there and shows through the `*_current` views; undo and redo replay from what is
there. The loaded evidence never changes either way.
"""

from __future__ import annotations

from corpus.workspaces import EDITED_VALUE, first_named_movement, snapshot
from crash.harness import run, start

from sibtui.workspace import Workspace


def state(path) -> tuple[dict, list[tuple], str | None]:
    """(every table, the journal's actions, the edited record's current name), as sibtui reopens it."""
    with Workspace(path) as workspace:
        cursor = workspace.cursor()
        file_id, record_no = first_named_movement(cursor)
        actions = cursor.execute(
            "SELECT action_id, any_value(action), any_value(new_value) FROM edit_journal GROUP BY 1 ORDER BY 1"
        ).fetchall()
        name = cursor.execute("SELECT nome FROM sbx_movements_current WHERE file_id = ? AND record_no = ?",
                              [file_id, record_no]).fetchall()[0][0]
        cursor.close()
        return snapshot(workspace), actions, name


def record(path) -> str:
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        file_id, record_no = first_named_movement(cursor)
        cursor.close()
    return f"{file_id}:{record_no}"


def fix(path, *arguments: str) -> list[str]:
    return ["fix", "--db", str(path), *arguments]


def test_killed_before_the_commit_the_edit_never_happened(analyst, tmp_path):
    before, actions, name = state(analyst)
    assert name == EDITED_VALUE and len(actions) == 1
    stopped = start("before-commit:1", *fix(analyst, "set", "--record", record(analyst), "nome=JOANA PERDIDA"),
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    assert state(analyst) == (before, actions, EDITED_VALUE)


def test_killed_right_after_the_commit_the_edit_is_kept(analyst, tmp_path):
    before, actions, _ = state(analyst)
    stopped = start("after-commit:1", *fix(analyst, "set", "--record", record(analyst), "nome=JOANA CONFIRMADA"),
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    after, after_actions, name = state(analyst)
    assert name == "JOANA CONFIRMADA"
    assert after_actions[:-1] == actions and after_actions[-1][1:] == ("set", "JOANA CONFIRMADA")
    evidence = [table for table in before if table not in ("edit_journal",)]
    assert {table: after[table] for table in evidence} == {table: before[table] for table in evidence}


def test_the_journal_is_complete_up_to_the_last_confirmed_edit(analyst, tmp_path):
    ref = record(analyst)
    for value in ("ANA UM", "ANA DOIS"):
        done = run(*fix(analyst, "set", "--record", ref, f"nome={value}"))
        assert done.returncode == 0, done.stderr
    before, actions, name = state(analyst)
    assert [action[2] for action in actions] == [EDITED_VALUE, "ANA UM", "ANA DOIS"] and name == "ANA DOIS"
    stopped = start("before-commit:1", *fix(analyst, "set", "--record", ref, "nome=ANA TRES"),
                    scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    assert state(analyst) == (before, actions, "ANA DOIS")
    undone = run(*fix(analyst, "undo"))
    assert undone.returncode == 0, undone.stderr
    assert state(analyst)[2] == "ANA UM"


def test_killed_during_undo_leaves_the_edit_in_place(analyst, tmp_path):
    before, actions, name = state(analyst)
    stopped = start("before-commit:1", *fix(analyst, "undo"), scratch=tmp_path / "crash")
    stopped.wait()
    stopped.kill()
    assert state(analyst) == (before, actions, name)
    redo_nothing = run(*fix(analyst, "redo"))
    assert redo_nothing.returncode == 0 and "nothing to redo" in redo_nothing.stdout
