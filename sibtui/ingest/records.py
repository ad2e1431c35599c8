"""Record extraction: an element tree compiled into dict lookups for the hot loop.

A CNX can hold millions of `beneficiario` elements; each costs a few microseconds here, so
this loop is deliberately plain: dict lookups by tag, list assignment by index, no
per-field objects. A row is `[record_no, line, *value_columns]` for its table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from lxml import etree

from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import Table
from sibtui.hashing import XML_WHITESPACE
from sibtui.ingest.xmlerrors import local_name

FailCallback = Callable[[etree._Element, str], NoReturn]
_ROW_PREFIX = 2  # record_no, line


@dataclass(frozen=True)
class RecordPlan:
    """Where each attribute and leaf of a record goes in its row."""

    tag: str
    table: Table
    width: int
    attribute_slots: dict[str, int]
    child_slots: dict[str, "int | dict[str, int]"]  # leaf -> slot, group -> {leaf -> slot}
    constant: tuple[int, str] | None  # (slot, value), e.g. the movement name

    def new_row(self, record_no: int, line: int | None) -> list:
        row: list = [None] * self.width
        row[0] = record_no
        row[1] = line
        if self.constant is not None:
            row[self.constant[0]] = self.constant[1]
        return row

    def extract(self, element: etree._Element, row: list, pieces: list[str], fail: FailCallback) -> None:
        """Fill `row` from a record element, appending its hash pieces in document order."""
        for name, value in element.items():
            slot = self.attribute_slots.get(name)
            if slot is None:
                fail(element, f"unexpected attribute {name!r}")
            row[slot] = value
            if value.strip(XML_WHITESPACE):
                pieces.append(value)
        text = element.text
        if text and text.strip(XML_WHITESPACE):
            fail(element, "unexpected text (only elements belong here)")
        child_slots = self.child_slots
        for child in element:
            target = child_slots.get(child.tag)
            if target is None:
                target = _namespaced_slot(child_slots, child, self.tag, fail)
            if type(target) is int:
                _store_leaf(child, target, row, pieces, fail)
            else:
                _store_group(child, target, row, pieces, fail)  # type: ignore[arg-type]  # `type() is` beats isinstance here
            tail = child.tail
            if tail and tail.strip(XML_WHITESPACE):
                fail(child, "unexpected text after this element")


def _store_group(group: etree._Element, slots: dict[str, int], row: list, pieces: list[str], fail: FailCallback) -> None:
    if len(group.attrib):
        fail(group, f"unexpected attribute {next(iter(group.attrib))!r}")
    text = group.text
    if text and text.strip(XML_WHITESPACE):
        fail(group, "unexpected text (only elements belong here)")
    for leaf in group:
        slot = slots.get(leaf.tag)
        if slot is None:
            slot = _namespaced_slot(slots, leaf, local_name(group.tag), fail)
        _store_leaf(leaf, slot, row, pieces, fail)
        tail = leaf.tail
        if tail and tail.strip(XML_WHITESPACE):
            fail(leaf, "unexpected text after this element")


def _namespaced_slot(slots: dict, element: etree._Element, parent: str, fail: FailCallback):
    """The slot of a namespaced element (the tag's local name), or the failure of one that has none."""
    slot = slots.get(local_name(element.tag))
    if slot is None:
        fail(element, f"unknown or misplaced element inside <{parent}>")
    return slot


def _store_leaf(leaf: etree._Element, slot: int, row: list, pieces: list[str], fail: FailCallback) -> None:
    if row[slot] is not None:
        fail(leaf, "element repeated; the value would be lost")
    if len(leaf):
        fail(leaf[0], f"unexpected element inside <{local_name(leaf.tag)}>")
    if len(leaf.attrib):
        fail(leaf, f"unexpected attribute {next(iter(leaf.attrib))!r}")
    text = leaf.text
    if text is None:
        row[slot] = ""
    else:
        row[slot] = text
        if text.strip(XML_WHITESPACE):
            pieces.append(text)


def compile_plan(shape: Node, table: Table, constant: str | None = None) -> RecordPlan:
    """Compile a record's element tree against its table's columns."""
    slots = {column: index + _ROW_PREFIX for index, column in enumerate(table.value_columns)}
    attribute_slots = {attribute.name: slots[attribute.field.name] for attribute in shape.attributes}
    child_slots: dict[str, int | dict[str, int]] = {}
    for child in shape.children:
        if child.is_leaf:
            child_slots[child.tag] = slots[child.column_name]
        else:
            child_slots[child.tag] = {leaf.tag: slots[leaf.column_name] for leaf in child.children}
    constant_slot = (slots["movement"], constant) if constant is not None else None
    return RecordPlan(shape.tag, table, _ROW_PREFIX + len(table.value_columns), attribute_slots, child_slots, constant_slot)
