"""Writing SIB XML: element by element, ISO-8859-1, with the epilogue hash accumulated.

String building with escaping is twice as fast as lxml's writer (`perf-notes.md` §8); the
price is that well-formedness is ours to guarantee, so every caller that writes a file for
ANS parses it back before reporting success. Values go out exactly as given (callers trim
and validate); only XML escaping is applied, and the hash covers the unescaped text (§2.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from sibtui.catalog.shapes import Node
from sibtui.hashing import EpilogueHash, is_blank

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
        """
        attributes = [(a.name, values[a.field.name]) for a in shape.attributes if values.get(a.field.name) is not None]
        if not shape.children:
            self.leaf(shape.tag, values.get(shape.column_name) or "")
            return
        children = [child for child in shape.children if _has_content(child, values)]
        if not children and not attributes:
            self.empty(shape.tag)
            return
        self.open(shape.tag, attributes)
        for child in shape.children:
            if child.is_leaf:
                value = values.get(child.column_name)
                if value is not None:
                    self.leaf(child.tag, value)
            elif child.required or _has_content(child, values):
                self.node(child, values)
        self.close(shape.tag)

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


def _has_content(node: Node, values: Mapping[str, str | None]) -> bool:
    if node.is_leaf:
        return values.get(node.column_name) is not None
    if any(values.get(a.field.name) is not None for a in node.attributes):
        return True
    return any(_has_content(child, values) for child in node.children)
