"""Cutting a SIB file into record-aligned chunks for the fast parser, with what lxml would see.

The file is read once, in order, through `SourceReader` (so the SHA-256, the byte count and
the UTF-8-in-disguise refusal are the reference loader's own). The records region runs from
the first `<beneficiario` to the end of the last `</beneficiario>`; before it is the prefix
(declaration, root, header) and after it the suffix (closing tags, epilogue), which
`fast_skeleton` parses with lxml. Each chunk holds whole records, so it is parsed as a
small document of its own.

For every chunk this module also records, from the raw bytes, what the fast parser cannot
report but the reference depends on: the source line of each record's start tag, and the
number of `/` and `=` characters, which `fast_batch` compares with the elements and
attributes the parser found (every element has exactly one `/` in its markup, every
attribute one `=`). Anything unusual here — a start tag spanning lines, text between
records, a lone carriage return — declines the fast path so the reference reads the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat

from sibtui.ingest.source import SourceReader

FIRST_CHUNK_BYTES = 256 * 1024  # small, so the first rows are visible at once
CHUNK_BYTES = 4 * 1024 * 1024
TAIL_BYTES = 64 * 1024
_WHITESPACE = b" \t\r\n"
_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # not allowed in XML 1.0
_NOT_MARKS = bytes(set(range(256)) - set(b"/=&") - set(_CONTROLS))  # one pass keeps only these
_SLASH_REFERENCE = re.compile(rb"&#(?:0*47|[xX]0*2[fF]);")
_EQUALS_REFERENCE = re.compile(rb"&#(?:0*61|[xX]0*3[dD]);")


class Declined(Exception):
    """The fast path cannot vouch for this file; the reference parser must read it."""


@dataclass(frozen=True)
class Region:
    start: int  # offset of the first record's `<`
    end: int  # offset just after the last record's end tag
    prefix: bytes
    suffix: bytes


@dataclass
class Chunk:
    index: int
    document: bytes  # the records in UTF-8, ready for the fast parser
    lines: list[int]  # source line of each record's start tag
    first_record_no: int
    slashes: int  # `/` characters in the raw records
    equals: int  # `=` characters in the raw records
    ampersands: int  # `&` characters: entity and character references
    end_offset: int  # file offset just after this chunk
    slash_references: int = 0  # `&#47;`, `&#x2F;`...: a `/` in a value that is no `/` in the markup
    equals_references: int = 0  # `&#61;`, `&#x3D;`...: the same for `=`


def find_region(path, head: bytes, size: int, record_tag: str) -> Region:
    """Locate the records region from the file's head and tail (read apart from the stream)."""
    opening = f"<{record_tag}".encode()
    closing = f"</{record_tag}>".encode()
    start = head.find(opening)
    if start < 0:
        raise Declined("no record near the start")
    with open(path, "rb") as stream:
        tail_start = max(0, size - TAIL_BYTES)
        stream.seek(tail_start)
        tail = stream.read()
    last = tail.rfind(closing)
    if last < 0:
        raise Declined("no record end near the end")
    end = tail_start + last + len(closing)
    if end <= start:
        raise Declined("records region is empty")
    return Region(start, end, head[:start], tail[last + len(closing) :])


class ChunkReader:
    """Yields record-aligned chunks of the region, reading through `reader` in file order."""

    def __init__(self, reader: SourceReader, region: Region, record_tag: str, initial: bytes):
        """`initial`: bytes of the region already read from `reader` (the head that found it)."""
        self._reader = reader
        self._region = region
        self._opening = f"<{record_tag}".encode()
        self._initial = initial
        self._line = region.prefix.count(b"\n") + 1
        self._offset = region.start
        self._index = 0
        self._records = 0

    def chunks(self) -> Iterator[Chunk]:
        carry = self._initial
        remaining = self._region.end - self._region.start - len(carry)
        size = FIRST_CHUNK_BYTES
        while remaining > 0 or carry:
            block = self._reader.read(min(size, remaining)) if remaining > 0 else b""
            remaining -= len(block)
            if remaining > 0 and not block:
                raise Declined("file shrank while reading")
            data = carry + block
            if remaining > 0:
                cut = data.rfind(self._opening)
                if cut <= 0:  # one record larger than a block: read on
                    carry, size = data, size * 2
                    continue
                data, carry = data[:cut], data[cut:]
            else:
                carry = b""
            yield self._chunk(data)
            size = CHUNK_BYTES

    def _chunk(self, raw: bytes) -> Chunk:
        self._offset += len(raw)
        if b"\r" in raw:
            raw = _normalise_newlines(raw)
        pieces = raw.split(self._opening)
        if pieces[0]:
            raise Declined("chunk does not start at a record")
        records = pieces[1:]
        _check_records(records)
        newlines = list(map(bytes.count, records, repeat(b"\n")))
        lines = list(accumulate(newlines[:-1], initial=self._line))
        self._line = lines[-1] + newlines[-1]
        document = raw if raw.isascii() else raw.decode("latin-1").encode("utf-8")
        marks = raw.translate(None, _NOT_MARKS)
        if len(marks.translate(None, _CONTROLS)) != len(marks):
            raise Declined("control character")
        slashes, equals = marks.count(b"/"), marks.count(b"=")
        chunk = Chunk(self._index, document, lines, self._records + 1, slashes, equals, marks.count(b"&"), self._offset,
                      *_mark_references(raw))
        self._index += 1
        self._records += len(records)
        return chunk


def _mark_references(raw: bytes) -> tuple[int, int]:
    """Character references that put a `/` or a `=` in a value (none in the markup): the
    accounts of `fast_batch` must not take them for the mark of an element or attribute."""
    if b"&#" not in raw:
        return 0, 0
    return len(_SLASH_REFERENCE.findall(raw)), len(_EQUALS_REFERENCE.findall(raw))


def _normalise_newlines(raw: bytes) -> bytes:
    """XML end-of-line handling for CR LF; a lone CR (libxml2 counts lines differently) declines."""
    if raw.count(b"\r") != raw.count(b"\r\n"):
        raise Declined("carriage return without line feed")
    return raw.replace(b"\r\n", b"\n")


def _check_records(records: list[bytes]) -> None:
    """Each piece is one record and what follows it up to the next record's start tag."""
    # A piece starting `<beneficiarioX` is no record: the parser's row count tells (fast_batch).
    start_tag_ends = list(map(bytes.find, records, repeat(b">")))
    if min(start_tag_ends) < 0 or any(map(bytes.count, records, repeat(b"\n"), repeat(0), start_tag_ends)):
        raise Declined("a start tag spans lines")
    tails = map(bytes.rstrip, map(_last_bytes, records), repeat(_WHITESPACE))
    if not all(map(bytes.endswith, tails, repeat(b">"))):
        raise Declined("text between records, or a long run of blanks")


def _last_bytes(piece: bytes) -> bytes:
    return piece[-64:]
