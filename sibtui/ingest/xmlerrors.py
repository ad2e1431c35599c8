"""lxml settings and messages shared by everything that parses untrusted SIB XML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from sibtui.catalog.document import ROOT_TAG
from sibtui.errors import InputError

_LOCATION_SUFFIX = re.compile(r",? line \d+, column \d+$")
_TRUNCATED = "file ends too early (truncated download?)"
_TAIL_BYTES = 1024
_HEAD_BYTES = 64 * 1024
_FRIENDLY = (
    ("Premature end of data", _TRUNCATED),
    ("EndTag: '</' not found", _TRUNCATED),
    ("Extra content at the end of the document", "content after the end of <mensagemSIB>"),
    ("Document is empty", "file is empty or not XML"),
    ("Start tag expected", "not an XML file"),
    ("Input is not proper UTF-8", "bytes are not valid in the declared encoding"),
    ("PCDATA invalid Char value", "character not allowed in XML"),
    ("Char 0x", "character not allowed in XML"),
    ("Detected an entity reference loop", "entity expansion refused"),
    ("Maximum entity amplification", "entity expansion refused"),
    ("xmlSAX2Characters: huge text node", "a value longer than 10,000,000 characters"),
    ("Text node too long", "a value longer than 10,000,000 characters"),
    ("Buffer size limit exceeded", "a value longer than 10,000,000 characters"),
    ("AttValue length too long", "a value longer than 10,000,000 characters"),
    ("Resource limit exceeded", "a value or nesting deeper than the parser allows"),
    ("Excessive depth in document", "elements nested too deeply"),
)


def safe_parser_options() -> dict[str, Any]:
    """Options that keep a crafted file from reading local files, the network or all memory."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def syntax_error(path: Path, error: etree.XMLSyntaxError) -> InputError:
    """The one-line, located `InputError` for an lxml syntax error while reading `path`."""
    message, line = _cause(error)
    reason = describe_message(message)
    if _TRUNCATED not in reason and _cut_short(path):
        reason += f"; the file does not end with </{ROOT_TAG}> (truncated download?)"
    return InputError(path, reason, line or None)


def _cut_short(path: Path) -> bool:
    """A file that opens the SIB root but does not end closing it (a cut download)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
            stream.seek(0, 2)
            stream.seek(max(0, stream.tell() - _TAIL_BYTES))
            tail = stream.read().rstrip(b" \t\r\n\x00")
    except OSError:
        return False  # cannot tell: say nothing rather than guess
    root = ROOT_TAG.encode()
    return root in head and not tail.endswith((root + b">", root + b"/>"))


def _cause(error: etree.XMLSyntaxError) -> tuple[str, int]:
    """lxml sometimes reports 'no element found' at line 0; the newest entry of its error log
    (which accumulates per thread) holds the real cause."""
    message, line = str(error.msg or error), error.lineno or 0
    if line == 0 or message.startswith("no element found"):
        fatal = [entry for entry in error.error_log if entry.level_name == "FATAL"]
        if fatal:
            return fatal[-1].message, fatal[-1].line
    return message, line


def describe_message(text: str) -> str:
    message = _LOCATION_SUFFIX.sub("", text).strip()
    for needle, friendly in _FRIENDLY:
        if needle in message:
            return f"malformed XML: {friendly} ({message})"
    return f"malformed XML: {message}"


# From line 65,535 on, libxml2 keeps no line in an element node ("big lines") and lxml's
# `sourceline` reports the line of the element's first child node instead: its text, which
# libxml2 dates where the text *ends* (so `<record>` followed by a newline reads one too
# many), or its first child element. Counting the newlines of that text gives the real line.
# An element with neither (`<endereco/>`) cannot be corrected and keeps lxml's answer.
# tests/test_loader_lines.py pins this, so a libxml2 that changes it shows up at once.
_BIG_LINE = 65_535


def source_line(element: etree._Element) -> int | None:
    """The real line of an element's start tag (lxml's `sourceline`, corrected past 65,535)."""
    line = element.sourceline
    if line is None or line < _BIG_LINE:
        return line
    node = element
    while node.text is None and len(node):
        node = node[0]
    return line - node.text.count("\n") if node.text is not None else line


def local_name(tag: object) -> str:
    """Element name without namespace: SIB elements carry none, but we match by local name."""
    if not isinstance(tag, str):
        return str(tag)
    if tag.startswith("{"):
        return tag.rpartition("}")[2]
    return tag
