"""One chunk through the fast parser: Arrow columns checked against the raw bytes, hashed.

xml2arrow maps known paths to columns and silently skips everything else, and it reports
an empty element (`<cpf/>`) as absent. The reference loader refuses unknown or misplaced
elements and attributes, and stores `''` for an empty element. So a chunk is accepted only
when what was parsed accounts for every element (`/` count) and every attribute (`=`
count) of the raw bytes; a character reference to either (`&#47;`, `&#61;`) is a mark in
the value and none in the markup, so it is counted apart (`Chunk.slash_references`), or
it would balance an unknown element elsewhere in the chunk. When the accounts do not
balance, the chunk is parsed again with each empty element given a sentinel text
(private-use U+E000, which an ISO-8859-1 file cannot hold), so empty elements become
visible; if they still do not balance, the file is declined and the reference parser
reads it.

The chunk's contribution to the epilogue hash is the concatenation of its non-blank values
in column order, which is document order for files written in schema order; the caller
proves that by comparing the whole hash with the declared one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from sibtui.ingest.batches import arrow_schema
from sibtui.ingest.fast_chunks import Chunk, Declined
from sibtui.ingest.fast_layout import RecordLayout

SENTINEL = "\ue000"
_SENTINEL_UTF8 = SENTINEL.encode("utf-8")
_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_EMPTY_ELEMENT = (rf"<({_NAME})[ \t\r\n]*/>", "<\\1>" + SENTINEL + "</\\1>")
_EMPTY_PAIR = (rf"<({_NAME})[ \t\r\n]*></", "<\\1>" + SENTINEL + "</")
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # raw ones decline earlier; `&#1;` only here
_NOT_MARKS = bytes(set(range(256)) - set(b"/=&"))
_BLANKS = b" \t\r\n"
_BLANKS_AND_SENTINEL = _BLANKS + bytes(set(_SENTINEL_UTF8))  # U+E000 is EE 80 80


@dataclass
class ParsedChunk:
    batch: pa.RecordBatch  # record_no, line, value columns: the reference loader's batch schema
    hash_text: bytes  # UTF-8 of the chunk's non-blank values, in column order


def parse_chunk(parser, layout: RecordLayout, chunk: Chunk, first_record_no: int) -> ParsedChunk:
    records = _parse(parser, chunk.document)
    accounted = _Accounts(layout, records, chunk, rewritten=False)
    if not accounted.balanced:
        if _SENTINEL_UTF8 in accounted.hash_text:
            raise Declined("private-use character in a value")
        records = _parse(parser, _with_visible_empties(chunk.document))
        accounted = _Accounts(layout, records, chunk, rewritten=True)
        if not accounted.balanced:
            raise Declined("elements or attributes the fast parser did not map")
    if records.num_rows != len(chunk.lines):
        raise Declined("records the fast parser did not count")
    accounted.check_values()
    numbers = pa.array(range(first_record_no, first_record_no + records.num_rows), pa.int64())
    columns = [numbers, pa.array(chunk.lines, pa.int64()), *accounted.values]
    return ParsedChunk(pa.RecordBatch.from_arrays(columns, schema=arrow_schema(layout.table)), accounted.hash_text)


def _parse(parser, document: bytes) -> pa.RecordBatch:
    try:
        tables = parser.parse(document)
    except Exception as error:  # xml2arrow's own errors, and any surprise inside it
        raise Declined(f"fast parser: {str(error)[:200]}") from None
    return tables["records"]


def _with_visible_empties(document: bytes) -> bytes:
    array = pa.array([document], pa.large_binary())
    for pattern, replacement in (_EMPTY_ELEMENT, _EMPTY_PAIR):
        array = pc.replace_substring_regex(array, pattern, replacement)
    return array[0].as_py()


class _Accounts:
    """Columns of one parsed chunk and whether they explain every `/` and `=` of the raw bytes."""

    def __init__(self, layout: RecordLayout, records: pa.RecordBatch, chunk: Chunk, rewritten: bool):
        self._layout = layout
        self._records = records
        self._rewritten = rewritten
        self.values = [self._value(records.column(name)) for name in layout.value_columns]
        self.hash_text = _hash_text(self.values)
        marks = self.hash_text.translate(None, _NOT_MARKS)
        # Every `&amp;` gives one `&` in a value; any other reference (`&#1;`, `&lt;`) does not.
        self._other_references = chunk.ampersands != marks.count(b"&")
        elements = records.num_rows + _present(records, layout.leaf_columns) + self._groups()
        attributes = _present(records, layout.attribute_column_names)
        self.balanced = (
            chunk.slashes + chunk.slash_references == elements + marks.count(b"/")
            and chunk.equals + chunk.equals_references == attributes + marks.count(b"=")
        )

    def _value(self, column: pa.Array) -> pa.Array:
        if self._rewritten and column.null_count < len(column):
            column = pc.if_else(pc.equal(column, SENTINEL), "", column)
        return column

    def _groups(self) -> int:
        """Groups present: those with text of their own (blanks, a sentinel) or any leaf."""
        present = 0
        for group, _ in self._layout.groups:
            columns = [self._records.column(name) for name in (group.text_column, *group.leaf_columns)]
            merged = pc.coalesce(*columns)
            present += len(merged) - merged.null_count
        return present

    def check_values(self) -> None:
        """What the reference refuses or reads differently, seen in the values themselves."""
        blanks = _BLANKS_AND_SENTINEL if self._rewritten else _BLANKS
        for name in self._layout.text_columns:
            if _data(self._records.column(name)).translate(None, blanks):
                raise Declined("text where only elements belong")
        attributes = _joined([self._records.column(name) for name in self._layout.attribute_column_names])
        if pc.any(pc.match_substring(attributes, ">")).as_py():
            raise Declined("'>' inside an attribute value")  # start-tag line would be ambiguous
        if self._rewritten and _SENTINEL_UTF8 in self.hash_text:
            raise Declined("private-use character in a value")
        if self._other_references and _matches(pa.array([self.hash_text], pa.large_binary()), _CONTROL):
            raise Declined("control character in a value")


def _present(records: pa.RecordBatch, names) -> int:
    return sum(records.num_rows - records.column(name).null_count for name in names)


def _data(column: pa.Array) -> bytes:
    """The bytes of every value of a string column, end to end."""
    if len(column) == column.null_count:
        return b""
    offsets = memoryview(column.buffers()[1]).cast("i")
    start, end = offsets[column.offset], offsets[column.offset + len(column)]
    return column.buffers()[2].slice(start, end - start).to_pybytes()


def _joined(columns: list[pa.Array]) -> pa.Array:
    return pc.binary_join_element_wise(*columns, "", null_handling="replace", null_replacement="")


def _matches(array: pa.Array, pattern: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(array, pattern)).as_py())


def _hash_text(values: list[pa.Array]) -> bytes:
    """Every value in column order, concatenated (the reference skips blank values: a file
    that has any fails the hash comparison and is read by the reference)."""
    present = [column for column in values if column.null_count < len(column)]
    return _data(_joined(present)) if present else b""
