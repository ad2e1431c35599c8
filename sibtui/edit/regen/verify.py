"""Proving a written SBX before it is published: re-read, re-hash, re-check, compare.

Two passes over the temporary file:

1. the workspace loader's own parser (placement of every element, the §2 hash, the header)
   with a sink that compares each reloaded movement with what was meant to be written;
2. an element-order pass over the catalogue's element trees (the loader reads children by
   name, so order is checked here), which also runs the official XSD when one is given.

Either pass returns problems as one-line messages; none means the file may be published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sibtui.catalog import shapes
from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import SBX_MOVEMENTS, Table
from sibtui.errors import SibError
from sibtui.hashing import XML_WHITESPACE
from sibtui.ingest.parser import DocumentParser
from sibtui.ingest.sniff import sniff
from sibtui.ingest.xmlerrors import safe_parser_options
from sibtui.rules.file_rules import ACCEPTED_VERSIONS, ANS_CNPJ, MAX_MOVEMENTS

_VALUE_COLUMNS = SBX_MOVEMENTS.value_columns
_MOVEMENT_TAGS = tuple(movement.value for movement in Movement)
MAX_PROBLEMS = 20


def row_digest(movement: str, values: dict[str, str | None]) -> bytes:
    """Fingerprint of a movement's values, computed alike for the rows written and reloaded."""
    row = tuple(movement if column == "movement" else values.get(column) for column in _VALUE_COLUMNS)
    return hashlib.md5(repr(row).encode("utf-8"), usedforsecurity=False).digest()


@dataclass
class Expected:
    """What one part should contain."""

    name: str
    registro_ans: str
    header_moment: str
    hash: str
    digests: list[bytes] = field(default_factory=list)


class _ComparingSink:
    """Receives the reloaded rows; notes the positions whose values differ from the plan."""

    def __init__(self, digests: list[bytes]):
        self._digests = digests
        self.count = 0
        self.mismatches: list[int] = []

    def add(self, table: Table, row: list) -> None:
        if table.name != SBX_MOVEMENTS.name:
            return
        values = dict(zip(_VALUE_COLUMNS, row[2:]))
        position = self.count
        self.count += 1
        if position >= len(self._digests) or row_digest(values["movement"], values) != self._digests[position]:
            self.mismatches.append(position + 1)


def verify_part(path: Path, expected: Expected, schema: etree.XMLSchema | None = None) -> list[str]:
    """Problems of the file at `path` (empty when it is exactly what was meant)."""
    problems = _reload(path, expected)
    problems += _structure(path, schema)
    return problems[:MAX_PROBLEMS]


def _reload(path: Path, expected: Expected) -> list[str]:
    sink = _ComparingSink(expected.digests)
    try:
        result = DocumentParser(sniff(path), sink).run()
    except SibError as error:
        return [f"{expected.name}: does not load back: {error}"]
    problems = []
    if result.hash_encoding != "ISO-8859-1" or (result.hash_declared or "").strip() != expected.hash:
        problems.append(f"{expected.name}: declared hash {result.hash_declared} does not match the content")
    if sink.count != len(expected.digests):
        problems.append(f"{expected.name}: {sink.count} movements read back, {len(expected.digests)} written")
    problems += [f"{expected.name}: movement {n} reads back with other values" for n in sink.mismatches[:5]]
    problems += _header_problems(expected, result.header, sink.count)
    return problems


def _header_problems(expected: Expected, header: dict, count: int) -> list[str]:
    problems = []
    registro = header.get("origem_registroANS")
    if not expected.name.startswith(f"{registro}") or len(expected.name) != 24:
        problems.append(f"{expected.name}: name does not start with the header's registro ANS {registro}")
    if header.get("dataHoraRegistroTransacao") != expected.header_moment:
        problems.append(f"{expected.name}: header date {header.get('dataHoraRegistroTransacao')} is not the name's")
    if header.get("destino_cnpj") != ANS_CNPJ:
        problems.append(f"{expected.name}: destino/cnpj is not ANS's {ANS_CNPJ}")
    if (header.get("versaoPadrao") or "").strip() not in ACCEPTED_VERSIONS:
        problems.append(f"{expected.name}: versaoPadrao {header.get('versaoPadrao')!r} is not accepted")
    if count > MAX_MOVEMENTS:
        problems.append(f"{expected.name}: {count} movements; at most {MAX_MOVEMENTS} per file")
    return problems


def _structure(path: Path, schema: etree.XMLSchema | None) -> list[str]:
    problems: list[str] = []
    options = safe_parser_options()
    try:
        context = etree.iterparse(str(path), events=("end",), tag=_MOVEMENT_TAGS, schema=schema, **options)
        for position, element in _movements(context):
            problems += [f"{path.name}: movement {position} <{element.tag}>: {p}"
                         for p in element_problems(element, shapes.MOVEMENT_SHAPES[Movement(element.tag)])]
            if len(problems) >= MAX_PROBLEMS:
                break
    except etree.XMLSyntaxError as error:
        problems.append(f"{path.name}: {'XSD: ' if schema is not None else ''}{error.msg}")
    return problems


def _movements(context) -> Iterator[tuple[int, etree._Element]]:
    position = 0
    for _, element in context:
        parent = element.getparent()
        if parent is not None and parent.tag == "beneficiarios":
            position += 1
            yield position, element
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del parent[0]


@dataclass(frozen=True)
class _ShapeIndex:
    order: dict[str, tuple[int, Node]]
    required: tuple[str, ...]
    choices: tuple[tuple[str, frozenset[str]], ...]  # required choice -> tags of its leaves


_INDEXES: dict[int, _ShapeIndex] = {}


def _index(shape: Node) -> _ShapeIndex:
    """Child order and required tags of a shape (cached by identity: hashing walks the tree)."""
    index = _INDEXES.get(id(shape))
    if index is None:
        choices = tuple(
            (choice, frozenset(leaf.tag for leaf in shape.leaves() if leaf.choice == choice))
            for choice in shape.required_choices
        )
        index = _INDEXES[id(shape)] = _ShapeIndex(
            {child.tag: (position, child) for position, child in enumerate(shape.children)},
            tuple(child.tag for child in shape.children if child.required),
            choices,
        )
    return index


def element_problems(element: etree._Element, shape: Node) -> list[str]:
    """Order, presence and emptiness of `element`'s children against its element tree."""
    index = _index(shape)
    problems: list[str] = []
    seen: set[str] = set()
    last = -1
    for child in element:
        found = index.order.get(child.tag)
        if found is None:
            problems.append(f"<{child.tag}> does not belong here")
            continue
        position, node = found
        if position <= last:
            problems.append(f"<{child.tag}> is out of the schema's order")
        last = position
        seen.add(child.tag)
        if node.is_leaf:
            text = child.text
            if not text:
                problems.append(f"<{child.tag}> is empty (empty elements are left out)")
            elif text != text.strip(XML_WHITESPACE):
                problems.append(f"<{child.tag}> has blanks around its value")
        else:
            problems += [f"<{child.tag}>: {p}" for p in element_problems(child, node)]
    problems += [f"required <{tag}> is missing" for tag in index.required if tag not in seen]
    for choice, tags in index.choices:
        if not any(leaf.tag in tags for leaf in element.iter()):
            problems.append(f"none of the '{choice}' elements is present")
    return problems
