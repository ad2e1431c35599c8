"""Property: any valid SBX movement survives load -> regenerate -> load, value for value.

Movements are drawn from the catalogue (`sibtui.catalog.shapes` and each field's domain:
enumeration codes, dates from the XSD minimum, patterns, sizes), in every movement kind,
with optional elements present or absent and one branch of each choice. The source file is
written here by a serializer of its own and hashed by the test suite's reference hash, so the
first load checks the loader against the drawn values, and the second checks the writer.
Values are drawn already in the form regeneration writes (trimmed, canonical integers, no
empty elements), so "unchanged" means equal.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sibfiles import header, sbx
from sibtui.catalog import shapes
from sibtui.catalog.domains import Base, Domain
from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import SBX_MOVEMENTS
from sibtui.edit.regen.run import regenerate
from sibtui.ingest.loader import load_file
from sibtui.workspace import Workspace

LATEST = dt.date(2025, 12, 31)
TEXT_ALPHABET = st.characters(codec="latin-1", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\xa0")
_names = itertools.count(1)


def value_of(domain: Domain) -> st.SearchStrategy[str]:
    """A value the XSD accepts, in the form regeneration writes it."""
    if domain.values:
        return st.sampled_from(sorted(domain.values))
    if domain.base is Base.DATE:
        earliest = dt.date.fromisoformat(domain.min_date or "1940-01-01")
        return st.dates(earliest, LATEST).map(dt.date.isoformat)
    low, high = max(domain.min_length or 1, 1), min(domain.max_length or 40, 40)
    if domain.pattern:
        text = st.from_regex(domain.pattern, fullmatch=True)
    else:
        text = st.text(TEXT_ALPHABET, min_size=low, max_size=high)
    return text.filter(lambda value: low <= len(value) <= high and value == value.strip() and "  " not in value)


@st.composite
def movement(draw) -> dict[str, str]:
    kind = draw(st.sampled_from(list(Movement)))
    shape = shapes.MOVEMENT_SHAPES[kind]
    values: dict[str, str] = {"movement": kind.value}
    required = _required_choices(shape)
    chosen = {choice: draw(st.sampled_from([*([] if choice in required else [None]), *_branches(shape, choice)]))
              for choice in _choices(shape)}
    for leaf in shape.leaves():
        if leaf.choice is not None:
            wanted = chosen[leaf.choice] == leaf.column_name
        else:
            wanted = leaf.required or draw(st.booleans())
        if wanted:
            values[leaf.column_name] = draw(value_of(leaf.value_domain))
    return values


def _choices(shape: Node) -> list[str]:
    return sorted({leaf.choice for leaf in shape.leaves() if leaf.choice})


def _required_choices(node: Node) -> set[str]:
    found = set(node.required_choices)
    for child in node.children:
        found |= _required_choices(child)
    return found


def _branches(shape: Node, choice: str) -> list[str]:
    return [leaf.column_name for leaf in shape.leaves() if leaf.choice == choice]


def movement_xml(values: dict[str, str]) -> str:
    """The movement as XML, elements in schema order (written here, not by sibtui's writer)."""
    shape = shapes.MOVEMENT_SHAPES[Movement(values["movement"])]

    def emit(node: Node, top: bool = False) -> str:
        if node.is_leaf:
            value = values.get(node.column_name)
            return "" if value is None else f"<{node.tag}>{escape(value)}</{node.tag}>"
        inner = "".join(emit(child) for child in node.children)
        return f"<{node.tag}>{inner}</{node.tag}>" if inner or node.required or top else ""

    return emit(shape, top=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    with Workspace(folder / "workspace.duckdb") as opened:
        yield opened, folder


def loaded_rows(cursor, file_id: int) -> list[dict]:
    columns = ", ".join(f'"{name}"' for name in SBX_MOVEMENTS.value_columns)
    rows = cursor.execute(f"SELECT {columns} FROM sbx_movements WHERE file_id = ? ORDER BY record_no",
                          [file_id]).fetchall()
    return [{name: value for name, value in zip(SBX_MOVEMENTS.value_columns, row) if value is not None}
            for row in rows]


def _key(row: dict) -> tuple:
    return tuple(sorted(row.items()))


@settings(max_examples=int(os.environ.get("ROUNDTRIP_EXAMPLES", "20")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(movements=st.lists(movement(), min_size=1, max_size=6))
def test_valid_movements_survive_load_regenerate_load(workspace, movements):
    opened, folder = workspace
    number = next(_names)
    source = folder / f"9999972026{number:010d}.SBX"
    source.write_bytes(sbx("".join(movement_xml(values) for values in movements),
                           head=header(sequencial=str(number))))
    cursor = opened.cursor()
    try:
        first = load_file(opened, source)
        assert loaded_rows(cursor, first.file_id) == movements  # the loader reads what was written
        out = folder / f"saida-{number}"
        out.mkdir()
        result = regenerate(cursor, out, sbx_file_ids=[first.file_id], all_movements=True)
        assert not result.failed, [r.problems for r in result.failed]
        [regeneration] = result.regenerations
        [written] = regeneration.files
        assert regeneration.normalised_values == 0
        second = load_file(opened, written.path)
        assert second.hash_ok
        again = loaded_rows(cursor, second.file_id)
        assert sorted(map(_key, again)) == sorted(map(_key, movements))  # ANS's order may differ from ours
    finally:
        cursor.close()
