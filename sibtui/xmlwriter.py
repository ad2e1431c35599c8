"""Writing SIB XML: element by element, ISO-8859-1, with the epilogue hash accumulated.

String building with escaping is twice as fast as lxml's writer (`perf-notes.md` §8); the
price is that well-formedness is ours to guarantee, so every caller that writes a file for
ANS parses it back before reporting success. Values go out exactly as given (callers trim
and validate); only XML escaping is applied, and the hash covers the unescaped text (§2.2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO

from sibtui.catalog.shapes import Node
from sibtui.hashing import XML_WHITESPACE, EpilogueHash, is_blank

SCHEMA_LOCATION = "http://www.ans.gov.br/padroes/sib/schemas http://www.ans.gov.br/padroes/sib/schemas/sib.xsd"
ROOT_ATTRIBUTES = (
    'xmlns:ansSIB="http://www.ans.gov.br/padroes/sib/schemas" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{SCHEMA_LOCATION}"'
)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class UnwritableValue(ValueError):
    """A value that cannot go into an ISO-8859-1 SIB file as it is."""


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")


class SibXmlWriter:
    """Streams one SIB document to a binary file; call `finish()` to write the epilogue."""

    def __init__(self, stream: BinaryIO, indent: str = "  ", buffer_chars: int = 1 << 20):
        self._stream = stream
        self._indent = indent
        self._depth = 0
        self._open: list[str] = []
        self._parts: list[str] = []
        self._buffered = 0
        self._buffer_chars = buffer_chars
        self._hash = EpilogueHash()
        self._pieces: list[str] = []
        self._write('<?xml version="1.0" encoding="ISO-8859-1"?>\n')
        self._write(f"<mensagemSIB {ROOT_ATTRIBUTES}>\n")
        self._open.append("mensagemSIB")
        self._depth = 1
        self._pieces.append(SCHEMA_LOCATION)

    # --- elements ------------------------------------------------------------------------

    def open(self, tag: str, attributes: Iterable[tuple[str, str]] = ()) -> None:
        rendered = "".join(f' {name}="{_escape_attribute(self._check(value))}"' for name, value in attributes)
        for _, value in attributes:
            if not is_blank(value):
                self._pieces.append(value)
        self._write(f"{self._indent * self._depth}<{tag}{rendered}>\n")
        self._open.append(tag)
        self._depth += 1

    def close(self, tag: str) -> None:
        expected = self._open.pop()
        if expected != tag:
            raise ValueError(f"closing <{tag}> while <{expected}> is open")
        self._depth -= 1
        self._write(f"{self._indent * self._depth}</{tag}>\n")

    def leaf(self, tag: str, value: str) -> None:
        value = self._check(value)
        if not is_blank(value):
            self._pieces.append(value)
        if value == "":
            self._write(f"{self._indent * self._depth}<{tag}/>\n")
        else:
            self._write(f"{self._indent * self._depth}<{tag}>{_escape_text(value)}</{tag}>\n")

    def empty(self, tag: str) -> None:
        self._write(f"{self._indent * self._depth}<{tag}/>\n")

    def node(self, shape: Node, values: Mapping[str, str | None]) -> None:
        """Write `shape` from `values` ({column: text}); None leaves are omitted (§1.5).

        Required containers are written even when empty (`<endereco/>` in a retificação).
        Each shape is compiled once per depth into a flat list of steps, so a record costs
        one pass over that list, not a walk of its element tree (millions of records).
        """
        if not shape.children:
            self.leaf(shape.tag, values.get(shape.column_name) or "")
            return
        out: list[str] = []
        pieces: list[str] = []
        _compiled(shape, self._depth, self._indent)(values, out, pieces)
        text = "".join(out)
        if not text.isascii() or _ILLEGAL_XML.search(text):
            self._check_values(shape, values)
        self._pieces.extend(pieces)
        self._write(text)

    def _check_values(self, shape: Node, values: Mapping[str, str | None]) -> None:
        for column in [a.field.name for a in shape.attributes] + [leaf.column_name for leaf in shape.leaves()]:
            value = values.get(column)
            if value is not None:
                self._check(value)

    # --- document ------------------------------------------------------------------------

    def finish(self) -> str:
        """Close everything, write `epilogo/hash`, flush; return the hash written."""
        while len(self._open) > 1:
            self.close(self._open[-1])
        self._flush_hash()
        digest = self._hash.latin1_hex
        self._write(f"{self._indent}<epilogo>\n{self._indent * 2}<hash>{digest}</hash>\n{self._indent}</epilogo>\n")
        self._write("</mensagemSIB>\n")
        self._flush()
        return digest

    # --- plumbing ------------------------------------------------------------------------

    def _check(self, value: str) -> str:
        if _ILLEGAL_XML.search(value):
            raise UnwritableValue(f"{value!r} has a character that XML does not allow")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise UnwritableValue(f"{value!r} has a character outside ISO-8859-1") from None
        return value

    def _write(self, text: str) -> None:
        self._parts.append(text)
        self._buffered += len(text)
        if self._buffered >= self._buffer_chars:
            self._flush()

    def _flush_hash(self) -> None:
        self._hash.update(self._pieces)
        self._pieces.clear()

    def _flush(self) -> None:
        self._flush_hash()
        self._stream.write("".join(self._parts).encode("latin-1"))
        self._parts.clear()
        self._buffered = 0


# --- compiled shapes ------------------------------------------------------------------------

Render = Callable[[Mapping[str, "str | None"], list[str], list[str]], bool]
_COMPILED: dict[tuple[int, int, str], Render] = {}


def _compiled(shape: Node, depth: int, indent: str) -> Render:
    """The renderer of `shape` at `depth` (cached by identity: hashing a tree walks all of it)."""
    key = (id(shape), depth, indent)
    render = _COMPILED.get(key)
    if render is None:
        render = _COMPILED[key] = _compile_group(shape, depth, indent, top=True)
    return render


def _compile_group(node: Node, depth: int, indent: str, top: bool = False) -> Render:
    pad = indent * depth
    tag = node.tag
    attributes = tuple((a.name, a.field.name) for a in node.attributes)
    # A leaf step is (column, "<tag>", "</tag>\n", "<tag/>\n"), rendered inline; a group step is its renderer.
    steps = tuple(_compile_step(child, depth + 1, indent) for child in node.children)
    opening, closing, empty = f"{pad}<{tag}", f"{pad}</{tag}>\n", f"{pad}<{tag}/>\n"
    write_when_empty = top or node.required

    def render(values: Mapping[str, str | None], out: list[str], pieces: list[str]) -> bool:
        """Append the element; True when any value was there (else it is `<tag/>` or nothing)."""
        get = values.get
        rendered = ""
        for name, column in attributes:
            value = get(column)
            if value is not None:
                rendered += f' {name}="{_escape_attribute(value)}"'
                if not is_blank(value):
                    pieces.append(value)
        start = len(out)
        out.append("")  # the start tag, once it is known the element has content
        present = bool(rendered)
        for step in steps:
            if not isinstance(step, tuple):
                present = step(values, out, pieces) or present
                continue
            value = get(step[0])
            if value is None:
                continue
            present = True
            if value == "":
                out.append(step[3])
                continue
            # `_escape_text` and `is_blank` inlined: this runs for every value of a file.
            text = _escape_text(value) if "&" in value or "<" in value or ">" in value else value
            out.append(step[1] + text + step[2])
            if value.strip(XML_WHITESPACE):
                pieces.append(value)
        if not present:
            del out[start:]  # only empty required groups were written inside: they go with it
            if write_when_empty:
                out.append(empty)
            return False
        out[start] = f"{opening}{rendered}>\n"
        out.append(closing)
        return True

    return render


def _compile_step(child: Node, depth: int, indent: str) -> Render | tuple[str, str, str, str]:
    if not child.is_leaf:
        return _compile_group(child, depth, indent)
    pad = indent * depth
    return (child.column_name, f"{pad}<{child.tag}>", f"</{child.tag}>\n", f"{pad}<{child.tag}/>\n")
