"""Bulk edits over record sets: set a field, clean names, fill CNS from the CNX, pending changes."""

from __future__ import annotations

import pyarrow as pa
import pytest

from sibtui.edit import editor
from sibtui.edit.cns import fill_cns
from sibtui.edit.pending import pending_by_record, pending_changes, pending_count
from sibtui.edit.records import RecordRef
from sibtui.edit.selection import as_ref_table, refs_matching, refs_with_error_code
from sibtui.edit.transforms import NAME_FIELDS, remove_accents, trim, upper


def _value(cursor, ref: RecordRef, column: str, table: str = "sbx_movements_current"):
    return cursor.execute(f'SELECT "{column}" FROM {table} WHERE file_id = ? AND record_no = ?',
                          [ref.file_id, ref.record_no]).fetchall()[0][0]


def _journal_count(cursor) -> int:
    return cursor.execute("SELECT count(*) FROM edit_journal").fetchall()[0][0]


def test_records_listed_by_an_error_code(loaded):
    refs = refs_with_error_code(loaded, "0701")
    assert refs.to_pylist() == [{"file_id": 1, "record_no": 5}, {"file_id": 1, "record_no": 6}]


def test_bulk_set_changes_every_record_of_the_set_in_one_action(loaded):
    refs = refs_with_error_code(loaded, "0701")
    result = editor.bulk_set(loaded, refs, "cns", "", reason="0701")  # ANS accepts a blank CNS (§6.2)
    assert result.action_id is not None
    assert {c.ref for c in result.changes} == {RecordRef(1, 5), RecordRef(1, 6)}
    assert _value(loaded, RecordRef(1, 5), "cns") is None
    assert loaded.execute("SELECT count(DISTINCT action_id), min(reason) FROM edit_journal").fetchall() == [(1, "0701")]
    editor.undo(loaded)
    assert _value(loaded, RecordRef(1, 5), "cns") == "209182736450007"


def test_bulk_set_skips_records_without_the_field_and_refuses_bad_values(loaded):
    refs = as_ref_table([RecordRef(1, 3), RecordRef(1, 22), RecordRef(1, 999)])  # inclusão, cancelamento, none
    result = editor.bulk_set(loaded, refs, "nome", "A1")
    assert result.not_applicable == 1 and result.missing == 1
    assert [r.ref for r in result.refused] == [RecordRef(1, 3)]
    assert result.action_id is None and _journal_count(loaded) == 0


def test_dry_run_plans_without_writing(loaded):
    result = editor.bulk_set(loaded, [RecordRef(1, 3)], "nomeMae", "NOVA MAE", dry_run=True)
    assert [(c.old, c.new) for c in result.changes] == [("DALVA BATISTA LOPES", "NOVA MAE")]
    assert result.action_id is None and _journal_count(loaded) == 0


@pytest.mark.parametrize(
    "function, value, expected",
    [
        (trim, "  JOSE DA SILVA ", "JOSE DA SILVA"),
        (upper, "joão conceição", "JOÃO CONCEIÇÃO"),
        (upper, "straße ÿ", "STRAßE ÿ"),  # 'SS' and 'Ÿ' would leave ISO-8859-1 or change the length
        (remove_accents, "JOÃO CONCEIÇÃO ÚRSULA", "JOAO CONCEICAO URSULA"),
        (remove_accents, "D'ÁVILA", "D'AVILA"),
    ],
)
def test_clean_up_functions(function, value, expected):
    assert function(value) == expected


def test_name_fields_come_from_the_catalogue():
    assert NAME_FIELDS == ("nome", "nomeMae")


def test_clean_up_names_of_a_filtered_set(loaded):
    editor.set_field(loaded, RecordRef(1, 1), "nome", " mariana cOsta ferreira ")
    refs = refs_matching(loaded, "sbx_movements", "movement = 'inclusao' AND file_id = 1")
    result = editor.clean_up(loaded, refs, ("trim", "upper"))
    assert [(c.ref, c.field, c.new) for c in result.changes] == [(RecordRef(1, 1), "nome", "MARIANA COSTA FERREIRA")]
    assert result.unchanged == 31  # 16 inclusões x (nome, nomeMae), minus the one that changed


def test_fill_cns_touches_neither_conference_rows_nor_movements_that_do_not_go(loaded):
    # 0000200007 (1:7) was accepted without CNS and ANS assigned one; the older conference (5:4)
    # lacks a CNS the newest holds. Neither goes to ANS again: filling them would send ANS its own CNS.
    assert _value(loaded, RecordRef(5, 4), "cns", "cnx_beneficiaries_current") is None
    assert fill_cns(loaded).changes == []
    assert fill_cns(loaded, [RecordRef(5, 4), RecordRef(1, 7)]).changes == []
    assert _value(loaded, RecordRef(1, 7), "cns") is None


def test_fill_cns_leaves_a_retificacao_without_cns_alone(loaded):
    retificacoes = refs_matching(loaded, "sbx_movements", "movement = 'retificacao'")
    assert fill_cns(loaded, retificacoes, dry_run=True).changes == []


def test_pending_changes_are_the_net_effect(loaded):
    editor.set_field(loaded, RecordRef(1, 3), "nomeMae", "DALVA LOPES")
    editor.set_field(loaded, RecordRef(1, 4), "nomeMae", "CAMILA LOPES")
    editor.set_field(loaded, RecordRef(1, 4), "nomeMae", "CAMILA BATISTA LOPES")  # back to the loaded value
    editor.bulk_set(loaded, [RecordRef(5, 1)], "nomeMae", "REGINA COSTA")
    changes = pending_changes(loaded)
    assert [(c.table, c.ref, c.original, c.current) for c in changes] == [
        ("sbx_movements", RecordRef(1, 3), "DALVA BATISTA LOPES", "DALVA LOPES"),
        ("cnx_beneficiaries", RecordRef(5, 1), changes[1].original, "REGINA COSTA"),
    ]
    assert pending_count(loaded) == (2, 2)
    assert list(pending_by_record(changes)) == [("sbx_movements", RecordRef(1, 3)), ("cnx_beneficiaries", RecordRef(5, 1))]
    assert pending_changes(loaded, limit=1, offset=1)[0].ref == RecordRef(5, 1)
    editor.undo(loaded)
    assert pending_count(loaded) == (1, 1)


def test_a_set_given_as_arrow_or_refs_is_deduplicated():
    refs = as_ref_table([RecordRef(1, 2), RecordRef(1, 2), RecordRef(1, 1)])
    assert sorted(refs.to_pylist(), key=lambda r: r["record_no"]) == [
        {"file_id": 1, "record_no": 1}, {"file_id": 1, "record_no": 2}]
    arrow = pa.table({"file_id": [1, 1], "record_no": [3, 3], "extra": ["a", "b"]})
    assert as_ref_table(arrow).num_rows == 1
