"""A large part is re-read by a child process while it is written, judged as in process.

The threshold is lowered so the sample SBX (25 movements) goes through the child.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sibtui.edit.regen import parts as regen_parts
from sibtui.edit.regen import proof
from sibtui.edit.regen.run import regenerate
from sibtui.edit.regen.verify import row_digest
from sibtui.ingest.hashcheck import check_hash

CLOCK = dt.datetime(2026, 11, 20, 9, 0, 0)


@pytest.fixture
def answers(monkeypatch):
    """Every part goes to a child; what each child answered (None: it could not) is recorded."""
    monkeypatch.setattr(proof, "CHILD_FROM_MOVEMENTS", 1)
    seen: list = []
    original = proof.ChildProof.result

    def result(self, expected, size):
        found = original(self, expected, size)
        seen.append(found)
        return found

    monkeypatch.setattr(proof.ChildProof, "result", result)
    return seen


def test_the_child_proves_a_good_part_and_it_is_published(loaded, out, answers):
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK).regenerations
    assert answers == [[]]
    [written] = regeneration.files
    assert written.movement_count == 11 and check_hash(written.path).ok  # 25 less the 14 ANS accepted (no-ops among them)
    assert [path.name for path in out.iterdir()] == [written.name]


def test_the_child_catches_a_movement_that_reads_back_otherwise(loaded, out, answers, monkeypatch):
    calls = []

    def wrong_third(movement, values):
        calls.append(movement)
        return b"\0" * 8 if len(calls) == 3 else row_digest(movement, values)

    monkeypatch.setattr(regen_parts, "row_digest", wrong_third)
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK).regenerations
    assert regeneration.problems == ["99999720261120090000.SBX: movement 3 reads back with other values"]
    assert answers == [regeneration.problems]
    assert list(out.iterdir()) == []


def test_a_child_that_dies_is_replaced_by_the_proof_in_process(loaded, out, answers, monkeypatch):
    original = proof.ChildProof.start

    def start_then_die(path):
        child = original(path)
        child._process.kill()
        return child

    monkeypatch.setattr(proof.ChildProof, "start", staticmethod(start_then_die))
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK).regenerations
    assert answers == [None]
    assert regeneration.ok and check_hash(regeneration.files[0].path).ok


def test_without_a_child_the_part_is_proven_in_process(loaded, out, answers, monkeypatch):
    monkeypatch.setattr(proof.ChildProof, "start", staticmethod(lambda path: None))
    [regeneration] = regenerate(loaded, out, sbx_file_ids=[1], all_movements=True, clock=lambda: CLOCK).regenerations
    assert answers == [] and regeneration.ok
