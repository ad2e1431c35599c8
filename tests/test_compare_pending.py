"""Pending CNS work against the newest CNX: one list for the conference view, the checker and fill-cns."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_DIR, query
from sibtui.edit import editor
from sibtui.edit.precritique import run_checks
from sibtui.edit.records import RecordRef
from sibtui.ingest.loader import load_files

CAROLINA = (1, 7)  # sent without CNS; ANS assigned one, which the newer CNX shows


@pytest.fixture
def loaded(workspace):
    list(load_files(workspace, [SAMPLE_DIR]))
    return workspace


def _pending(workspace):
    return query(workspace, "SELECT file_id, record_no, linked_by, our_cns, cnx_cns FROM sbx_cns_pending ORDER BY ALL")


def test_an_inclusion_reaches_its_vinculo_through_the_rpx(loaded):
    assert [row[:3] for row in _pending(loaded)] == [(*CAROLINA, "rpx")]


def test_the_list_is_the_checkers_cns_differs_from_cnx_where_ans_knows_the_cns(loaded):
    run_checks(loaded)
    flagged = query(loaded, "SELECT file_id, record_no FROM cns_gaps WHERE category = 'cns_differs_from_cnx' "
                            "AND cnx_cns IS NOT NULL ORDER BY ALL")
    assert flagged == [row[:2] for row in _pending(loaded)]


def test_a_retificacao_is_pending_only_when_it_sends_another_cns(loaded):
    cursor = loaded.cursor()
    retificacao = RecordRef(1, 18)  # the nomeMae retificação of a vínculo ANS knows the CNS of
    assert query(loaded, "SELECT movement FROM sbx_movements WHERE file_id = 1 AND record_no = 18") == [("retificacao",)]
    assert not [row for row in _pending(loaded) if row[:2] == (1, 18)]
    editor.set_field(cursor, retificacao, "cns", "207654321090002")
    (row,) = [row for row in _pending(loaded) if row[:2] == (1, 18)]
    assert row[2:4] == ("cco", "207654321090002") and row[4] is not None


def test_fill_cns_never_edits_an_accepted_inclusion_to_match(loaded):
    from sibtui.edit.cns import fill_cns

    before = _pending(loaded)
    assert fill_cns(loaded.cursor()).changes == []  # it does not go again: the CNS is for the operator's base
    assert _pending(loaded) == before
