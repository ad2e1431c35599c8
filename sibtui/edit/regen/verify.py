"""Proving a written SBX before it is published: re-read, re-hash, re-check, compare.

One pass over the temporary file, by the workspace loader's own parser (placement of every
element, the §2 hash, the header), extended to look at each movement element before it is
cleared:

- each reloaded movement is compared with what was meant to be written (a fingerprint of
  its values: a writer bug that changes, adds blanks to or drops a value shows here);
- its element structure is checked against the catalogue's element trees (order,
  presence, required choices: the loader reads children by name, so it does not see
  order). Movements share few structures, so each distinct one is judged once;
- an empty element is refused (empty elements are left out).

The official XSD, when given, is a second pass of its own (lxml validates while parsing).
Problems come back as one-line messages; none means the file may be published.
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
from sibtui.ingest.results import ParseResult
from sibtui.ingest.sniff import Sniffed, sniff
from sibtui.ingest.xmlerrors import safe_parser_options
from sibtui.rules.file_rules import ACCEPTED_VERSIONS, ANS_CNPJ, MAX_MOVEMENTS

_VALUE_COLUMNS = SBX_MOVEMENTS.value_columns
_MOVEMENT_SLOT = _VALUE_COLUMNS.index("movement")
_MOVEMENT_TAGS = tuple(movement.value for movement in Movement)
_SHAPES = {movement.value: shape for movement, shape in shapes.MOVEMENT_SHAPES.items()}
MAX_PROBLEMS = 20


def row_digest(movement: str, values: dict[str, str | None]) -> bytes:
    """Fingerprint of a movement's values, computed alike for the rows written and reloaded.

    64 bits of BLAKE2b over the row's repr: the same in every process (the file may be
    re-read by a child process while it is written, `sibtui.edit.regen.proof`).
    """
    row = list(map(values.get, _VALUE_COLUMNS))
    row[_MOVEMENT_SLOT] = movement
    return _digest(row)


def _digest(values: list) -> bytes:
    """`row_digest` of a row whose value columns are in `_VALUE_COLUMNS` order (as reloaded)."""
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=8).digest()


@dataclass
class Expected:
    """What one part should contain."""

    name: str
    registro_ans: str
    header_moment: str
    hash: str
    digests: list[bytes] = field(default_factory=list)


class _ComparingSink:
    """Receives the reloaded rows: the fingerprint of each movement, and its empty elements."""

    def __init__(self) -> None:
        self.digests: list[bytes] = []
        self.empty: list[tuple[int, str]] = []  # (position, column) of empty elements

    @property
    def count(self) -> int:
        return len(self.digests)

    def add(self, table: Table, row: list) -> None:
        if table.name != SBX_MOVEMENTS.name:
            return
        values = row[2:]
        self.digests.append(_digest(values))
        if "" in values and len(self.empty) < MAX_PROBLEMS:
            self.empty.append((len(self.digests), _VALUE_COLUMNS[values.index("")]))

    def mismatches(self, expected: list[bytes]) -> list[int]:
        """Positions (1-based) whose values are not the ones meant, the first five."""
        found = [n for n, (got, meant) in enumerate(zip(self.digests, expected), start=1) if got != meant]
        return found[:5]


class _StructureCheck:
    """Element order and presence of each movement, judged once per distinct structure.

    The structure is keyed by the tags of the element and its descendants in document
    order. That sequence fixes the nesting too: every tag occurs once in a movement's
    element tree, and the loader's parser (which reads the element right after) refuses
    any element outside its own parent.
    """

    def __init__(self, name: str):
        self.name = name
        self.position = 0
        self.problems: list[str] = []
        self._verdicts: dict[tuple, list[str]] = {}

    def see(self, element: etree._Element) -> None:
        self.position += 1
        signature = tuple([node.tag for node in element.iter()])
        verdict = self._verdicts.get(signature)
        if verdict is None:
            shape = _SHAPES.get(element.tag)
            verdict = [] if shape is None else element_problems(element, shape, check_text=False)
            self._verdicts[signature] = verdict
        if verdict and len(self.problems) < MAX_PROBLEMS:
            self.problems += [f"{self.name}: movement {self.position} <{element.tag}>: {p}" for p in verdict]


class _ProvingParser(DocumentParser):
    """The loader's parser, also showing each movement element to the structure check."""

    def __init__(self, sniffed: Sniffed, sink: _ComparingSink, structure: _StructureCheck):
        super().__init__(sniffed, sink)
        self._structure = structure

    def _on_record(self, element: etree._Element, tag: str) -> None:
        if tag in _SHAPES:
            self._structure.see(element)
        super()._on_record(element, tag)


def verify_part(path: Path, expected: Expected, schema: etree.XMLSchema | None = None) -> list[str]:
    """Problems of the file at `path` (empty when it is exactly what was meant)."""
    problems = judge(expected, reload(path))
    if schema is not None and not problems:
        problems += schema_problems(path, schema)
    return problems[:MAX_PROBLEMS]


@dataclass
class Reloaded:
    """What one pass of the loader's parser found in a written file (or why it stopped)."""

    name: str
    sink: _ComparingSink
    structure: _StructureCheck
    result: ParseResult | None = None
    error: str | None = None


def reload(path: Path, sniffed: Sniffed | None = None) -> Reloaded:
    """Parse `path` once (`sniffed` when the caller already knows its kind, e.g. a growing file)."""
    reloaded = Reloaded(path.name, _ComparingSink(), _StructureCheck(path.name))
    try:
        reloaded.result = _ProvingParser(sniffed or sniff(path), reloaded.sink, reloaded.structure).run()
    except SibError as error:
        reloaded.error = str(error)
    return reloaded


def judge(expected: Expected, reloaded: Reloaded) -> list[str]:
    """Problems of a reloaded file against what was meant to be written."""
    if reloaded.result is None:
        return [f"{expected.name}: does not load back: {reloaded.error}"]
    result, sink, structure = reloaded.result, reloaded.sink, reloaded.structure
    problems = []
    if result.hash_encoding != "ISO-8859-1" or (result.hash_declared or "").strip() != expected.hash:
        problems.append(f"{expected.name}: declared hash {result.hash_declared} does not match the content")
    if sink.count != len(expected.digests):
        problems.append(f"{expected.name}: {sink.count} movements read back, {len(expected.digests)} written")
    problems += [f"{expected.name}: movement {n} reads back with other values" for n in sink.mismatches(expected.digests)]
    problems += [f"{reloaded.name}: movement {n}: <{column}> is empty (empty elements are left out)"
                 for n, column in sink.empty]
    if structure.position != sink.count:  # fail closed if the parser stops calling `_on_record`
        problems.append(f"{expected.name}: element order checked for {structure.position} of {sink.count} movements")
    problems += structure.problems
    problems += _header_problems(expected, result.header, sink.count)
    return problems[:MAX_PROBLEMS]


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


def schema_problems(path: Path, schema: etree.XMLSchema) -> list[str]:
    """The official XSD, validated while lxml streams the file (memory stays flat)."""
    try:
        context = etree.iterparse(str(path), events=("end",), tag=_MOVEMENT_TAGS, schema=schema,
                                  **safe_parser_options())
        for _ in _movements(context):
            pass
    except etree.XMLSyntaxError as error:
        return [f"{path.name}: XSD: {error.msg}"]
    return []


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


def element_problems(element: etree._Element, shape: Node, check_text: bool = True) -> list[str]:
    """Order, presence and emptiness of `element`'s children against its element tree.

    `check_text=False` judges the structure only (what `_StructureCheck` caches per shape
    of the tree; the values are proven by the fingerprints).
    """
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
            if not check_text:
                continue
            text = child.text
            if not text:
                problems.append(f"<{child.tag}> is empty (empty elements are left out)")
            elif text != text.strip(XML_WHITESPACE):
                problems.append(f"<{child.tag}> has blanks around its value")
        else:
            problems += [f"<{child.tag}>: {p}" for p in element_problems(child, node, check_text)]
    problems += [f"required <{tag}> is missing" for tag in index.required if tag not in seen]
    for choice, tags in index.choices:
        if not any(leaf.tag in tags for leaf in element.iter()):
            problems.append(f"none of the '{choice}' elements is present")
    return problems
