"""lxml settings and messages shared by everything that parses untrusted SIB XML."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_LOCATION_SUFFIX = re.compile(r",? line \d+, column \d+$")
_FRIENDLY = (
    ("Premature end of data", "file ends too early (truncated download?)"),
    ("EndTag: '</' not found", "file ends too early (truncated download?)"),
    ("Extra content at the end of the document", "content after the end of <mensagemSIB>"),
    ("Document is empty", "file is empty or not XML"),
    ("Start tag expected", "not an XML file"),
    ("Input is not proper UTF-8", "bytes are not valid in the declared encoding"),
    ("PCDATA invalid Char value", "character not allowed in XML"),
    ("Char 0x", "character not allowed in XML"),
    ("Detected an entity reference loop", "entity expansion refused"),
    ("Maximum entity amplification", "entity expansion refused"),
    ("xmlSAX2Characters: huge text node", "a value longer than 10,000,000 characters"),
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


def describe_syntax_error(error: etree.XMLSyntaxError) -> str:
    """One readable line for an lxml syntax error (its location goes in the error's line)."""
    message = _LOCATION_SUFFIX.sub("", str(error.msg or error)).strip()
    for needle, friendly in _FRIENDLY:
        if needle in message:
            return f"malformed XML: {friendly} ({message})"
    return f"malformed XML: {message}"


def local_name(tag: object) -> str:
    """Element name without namespace: SIB elements carry none, but we match by local name."""
    if not isinstance(tag, str):
        return str(tag)
    if tag.startswith("{"):
        return tag.rpartition("}")[2]
    return tag
