"""Deciding what a file is from its first elements, before committing to a full parse.

A multi-GB file that is not SIB, or that carries a DOCTYPE (external entities, entity
bombs), is refused after reading its head, not after parsing it whole. The file kind
comes from the content (`operadoraParaANS/beneficiarios` is an SBX whatever its name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from sibtui.catalog.document import KIND_MARKERS, ROOT_TAG, UNSUPPORTED_MESSAGES
from sibtui.catalog.kinds import FileKind
from sibtui.errors import InputError
from sibtui.ingest.source import Encoding, check_encoding, check_readable, read_head
from sibtui.ingest.xmlerrors import local_name, safe_parser_options, source_line, syntax_error

SNIFF_LIMIT = 4 * 1024 * 1024  # the header is a few hundred bytes; this is generous
_MESSAGE_PARENTS = {"operadoraParaANS", "ansParaOperadora"}
_EXTENSIONS = {".sbx": FileKind.SBX, ".rpx": FileKind.RPX, ".cnx": FileKind.CNX}
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:\x80-\xff]")  # a start tag, not <? or <!
_DOCTYPE_REFUSED = "DOCTYPE declarations are not allowed in SIB files (refused for safety, never read)"


@dataclass(frozen=True)
class Sniffed:
    """What a file is: its kind, the encoding it declares, the namespace its elements carry."""

    path: Path
    kind: FileKind
    encoding: Encoding
    namespace: str | None

    @property
    def kind_from_name(self) -> FileKind | None:
        return _EXTENSIONS.get(self.path.suffix.lower())


def sniff(path: Path) -> Sniffed:
    """Read just enough of `path` to know its kind; raise `InputError` if it is not SIB."""
    check_readable(path)
    head = read_head(path)
    encoding = check_encoding(path, head)
    _refuse_doctype(path, head)
    parser = etree.XMLPullParser(
        events=("start",),
        encoding=None if encoding.declared else "iso-8859-1",
        **safe_parser_options(),
    )
    with path.open("rb") as stream:
        read = 0
        while read < SNIFF_LIMIT:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            read += len(chunk)
            found = _feed(path, parser, chunk)
            if found is not None:
                return Sniffed(path, found[0], encoding, found[1])
        _close(path, parser)
    raise InputError(path, "no SIB message found (<operadoraParaANS> or <ansParaOperadora>) near the start of the file")


def _refuse_doctype(path: Path, head: bytes) -> None:
    """Refuse a DOCTYPE before libxml2 reads it: its internal subset alone can be a bomb."""
    root = _FIRST_ELEMENT.search(head)
    prolog = head[: root.start()] if root else head
    found = prolog.find(b"<!DOCTYPE")
    if found >= 0:
        line = prolog[:found].count(b"\n") + 1
        raise InputError(path, _DOCTYPE_REFUSED, line)


def _feed(path: Path, parser: etree.XMLPullParser, chunk: bytes) -> tuple[FileKind, str | None] | None:
    try:
        parser.feed(chunk)
        for _, element in parser.read_events():
            found = _inspect(path, element)
            if found is not None:
                return found
    except etree.XMLSyntaxError as error:
        raise syntax_error(path, error) from None
    return None


def _close(path: Path, parser: etree.XMLPullParser) -> None:
    try:
        parser.close()
    except etree.XMLSyntaxError as error:
        raise syntax_error(path, error) from None


def _inspect(path: Path, element: etree._Element) -> tuple[FileKind, str | None] | None:
    tag = local_name(element.tag)
    parent = element.getparent()
    if parent is None:
        if element.getroottree().docinfo.doctype:
            raise InputError(path, _DOCTYPE_REFUSED, source_line(element))
        if tag != ROOT_TAG:
            raise InputError(path, f"not a SIB file: root element is <{tag}>, expected <{ROOT_TAG}>", source_line(element))
        return None
    if local_name(parent.tag) not in _MESSAGE_PARENTS:
        return None
    if tag in UNSUPPORTED_MESSAGES:
        raise InputError(path, UNSUPPORTED_MESSAGES[tag], source_line(element), tag)
    if tag in KIND_MARKERS:
        namespace = etree.QName(element).namespace
        return KIND_MARKERS[tag], namespace
    raise InputError(path, f"unknown element inside <{local_name(parent.tag)}>", source_line(element), tag)
