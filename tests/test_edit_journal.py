"""The edit journal: append-only rows, *_current views, validation, undo/redo, crash safety."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from conftest import REPO, SAMPLE_DIR, query
from sibtui.edit import editor
from sibtui.edit.ddl import editable_columns
from sibtui.edit.editor import EditRefused
from sibtui.edit.records import EditError, RecordRef
from sibtui.ingest.loader import load_files
from sibtui.rules.check_digits import with_cpf_digits, with_provisional_cns_digits
from sibtui.workspace import Workspace

SBX_MAIN = "99999720261103101500.SBX"
REJECTED_CPF = RecordRef(1, 3)  # inclusão 0000200003, rejected 0402 (CPF com dígito errado)
GOOD_CPF = with_cpf_digits("394857162")


def _cpf(cursor, ref=REJECTED_CPF, table="sbx_movements"):
    return cursor.execute(
        f"SELECT cpf FROM {table} WHERE file_id = ? AND record_no = ?", [ref.file_id, ref.record_no]
    ).fetchall()[0][0]


def _current_cpf(cursor, ref=REJECTED_CPF):
    return _cpf(cursor, ref, "sbx_movements_current")


@pytest.mark.parametrize("table", ["sbx_movements", "cnx_beneficiaries"])
def test_current_views_have_the_raw_columns_in_order(loaded, table):
    raw = [row[0] for row in loaded.execute(f"DESCRIBE {table}").fetchall()]
    current = [(row[0], row[1]) for row in loaded.execute(f"DESCRIBE {table}_current").fetchall()]
    assert [name for name, _ in current] == raw
    assert loaded.execute(f"SELECT * FROM {table} EXCEPT SELECT * FROM {table}_current").fetchall() == []


def test_an_edit_shows_in_the_current_view_and_never_in_the_raw_table(loaded):
    result = editor.set_field(loaded, REJECTED_CPF, "cpf", GOOD_CPF)
    assert result.action_id is not None
    assert _current_cpf(loaded) == GOOD_CPF
    assert _cpf(loaded) == "39485716203"
    other = loaded.execute("SELECT count(*) FROM sbx_movements_current c JOIN sbx_movements r USING (file_id, "
                           "record_no) WHERE c.cpf IS DISTINCT FROM r.cpf").fetchall()[0][0]
    assert other == 1


def test_journal_row_says_when_who_what_and_why(loaded):
    editor.set_field(loaded, REJECTED_CPF, "cpf", GOOD_CPF, note="conferido no RG")
    row = loaded.execute("SELECT action, os_user, table_name, file_id, record_no, field, old_value, new_value, "
                         "reason, note, forced, edited_at IS NOT NULL FROM edit_journal").fetchall()
    assert row == [("set", row[0][1], "sbx_movements", 1, 3, "cpf", "39485716203", GOOD_CPF, "0402",
                    "conferido no RG", False, True)]
    assert row[0][1]  # the OS user


def test_explicit_reason_wins_over_the_lookup(loaded):
    editor.set_field(loaded, REJECTED_CPF, "cpf", GOOD_CPF, reason="minha-revisao")
    assert loaded.execute("SELECT reason FROM edit_journal").fetchall() == [("minha-revisao",)]


def test_invalid_value_is_refused_with_the_rule_message(loaded):
    with pytest.raises(EditRefused) as refused:
        editor.set_field(loaded, REJECTED_CPF, "cpf", "39485716204")
    assert "dígito verificador" in str(refused.value)
    assert str(refused.value).startswith(f"{SBX_MAIN}:")
    assert refused.value.check.errors[0].rule == "cpf_invalid"
    assert query_count(loaded) == 0


def test_force_saves_an_invalid_value_and_marks_it(loaded):
    editor.set_field(loaded, REJECTED_CPF, "cpf", "39485716204", force=True)
    assert _current_cpf(loaded) == "39485716204"
    assert loaded.execute("SELECT forced FROM edit_journal").fetchall() == [(True,)]


def test_warnings_come_back_and_do_not_refuse(loaded):
    provisional = with_provisional_cns_digits("8001234567899")
    result = editor.set_field(loaded, REJECTED_CPF, "cns", provisional)
    assert [problem.rule for _, problem in result.warnings] == ["cns_provisional"]
    assert result.action_id is not None


def test_check_edit_validates_as_you_type(loaded):
    assert editor.check_edit(loaded, REJECTED_CPF, "cpf", GOOD_CPF).ok
    check = editor.check_edit(loaded, REJECTED_CPF, "sexo", "2")
    assert not check.ok and check.errors[0].rule == "domain_invalid"


@pytest.mark.parametrize(
    "ref, column, expected",
    [
        (RecordRef(1, 3), "cco", "does not exist in a inclusao record"),  # the CCO comes from ANS
        (RecordRef(1, 22), "nome", "does not exist in a cancelamento record"),
        (RecordRef(5, 1), "cco", "not editable"),  # the key of the retificação it becomes
        (RecordRef(5, 1), "dataPrimeiraContratacao", "not editable"),
        (RecordRef(1, 3), "nonsense", "not a SIB field"),
        (RecordRef(3, 1), "cpf", "only SBX and CNX"),
        (RecordRef(1, 999), "cpf", "no record 999"),
    ],
)
def test_what_cannot_be_edited_is_refused(loaded, ref, column, expected):
    with pytest.raises(EditError, match=expected):
        editor.set_field(loaded, ref, column, "1")


def test_a_cnx_field_cannot_be_removed(loaded):
    with pytest.raises(EditError, match="não pode ser apagado"):
        editor.set_field(loaded, RecordRef(5, 1), "nomeMae", "")


def test_an_empty_value_removes_an_sbx_element(loaded):
    editor.set_field(loaded, REJECTED_CPF, "cpf", "")
    assert _current_cpf(loaded) is None
    assert loaded.execute("SELECT new_value FROM edit_journal").fetchall() == [(None,)]


def test_setting_the_same_value_writes_nothing(loaded):
    result = editor.set_field(loaded, REJECTED_CPF, "cpf", "39485716203", force=True)
    assert result.action_id is None and result.unchanged == 1
    assert query_count(loaded) == 0


def test_undo_and_redo_replay_the_journal(loaded):
    editor.set_field(loaded, REJECTED_CPF, "cpf", GOOD_CPF)
    editor.set_field(loaded, REJECTED_CPF, "nomeMae", "DALVA BATISTA LOPES SILVA")
    editor.undo(loaded)
    assert loaded.execute("SELECT nomeMae FROM sbx_movements_current WHERE file_id = 1 AND record_no = 3"
                          ).fetchall() == [("DALVA BATISTA LOPES",)]
    assert _current_cpf(loaded) == GOOD_CPF
    editor.undo(loaded)
    assert _current_cpf(loaded) == "39485716203"
    assert editor.undo(loaded) is None
    editor.redo(loaded)
    assert _current_cpf(loaded) == GOOD_CPF
    state = editor.undo_state(loaded)
    assert (state.next_undo, state.next_redo) == (1, 2)
    # Loaded rows untouched, journal only grew.
    assert _cpf(loaded) == "39485716203"
    assert query_count(loaded) == 5


def test_a_new_edit_clears_the_redo_stack(loaded):
    editor.set_field(loaded, REJECTED_CPF, "cpf", GOOD_CPF)
    editor.undo(loaded)
    editor.set_field(loaded, REJECTED_CPF, "nomeMae", "OUTRA MAE")
    assert editor.redo(loaded) is None
    assert _current_cpf(loaded) == "39485716203"


def test_views_apply_only_editable_columns():
    assert "movement" not in editable_columns("sbx_movements")
    assert "situacao" not in editable_columns("cnx_beneficiaries")
    assert "cns" in editable_columns("cnx_beneficiaries")


def query_count(cursor) -> int:
    return cursor.execute("SELECT count(*) FROM edit_journal").fetchall()[0][0]


def test_a_confirmed_edit_survives_the_process_dying(tmp_path):
    db = tmp_path / "crash.duckdb"
    with Workspace(db) as workspace:
        list(load_files(workspace, [SAMPLE_DIR / SBX_MAIN]))
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(REPO)!r})
        from sibtui.workspace import Workspace
        from sibtui.edit import editor
        from sibtui.edit.records import RecordRef
        workspace = Workspace({str(db)!r})
        cursor = workspace.cursor()
        editor.set_field(cursor, RecordRef(1, 3), "cpf", {GOOD_CPF!r})
        cursor.execute("BEGIN TRANSACTION")
        cursor.execute("INSERT INTO edit_journal (edit_id, field) VALUES (999, 'not confirmed')")
        os._exit(9)  # no close, no checkpoint: as if the machine lost the process
    """)
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    with Workspace(db) as workspace:
        assert query(workspace, "SELECT field, new_value FROM edit_journal") == [("cpf", GOOD_CPF)]
        assert query(workspace, "SELECT cpf FROM sbx_movements_current WHERE record_no = 3") == [(GOOD_CPF,)]


def test_a_workspace_made_before_the_journal_still_opens(tmp_path):
    db = tmp_path / "old.duckdb"
    with Workspace(db) as workspace:
        list(load_files(workspace, [SAMPLE_DIR / SBX_MAIN]))
    connection = duckdb.connect(str(db))
    for table in ("edit_journal", "regenerations", "regenerated_movements", "regenerated_changes"):
        connection.execute(f"DROP TABLE {table} CASCADE")
    connection.execute("CREATE OR REPLACE VIEW sbx_movements_current AS SELECT * FROM sbx_movements")
    connection.execute("DELETE FROM meta WHERE key = 'schema_fingerprint'")  # a sibtui of then wrote none
    connection.close()
    with Workspace(db) as workspace:
        cursor = workspace.cursor()
        editor.set_field(cursor, REJECTED_CPF, "cpf", GOOD_CPF)
        assert _current_cpf(cursor) == GOOD_CPF


def test_edit_core_does_not_import_textual():
    modules = ["sibtui.edit.editor", "sibtui.edit.cns", "sibtui.edit.pending", "sibtui.edit.diff",
               "sibtui.edit.regen.run", "sibtui.commands.fix", "sibtui.commands.regenerate"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "False"
