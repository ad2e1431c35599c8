"""One chunk through the fast parser: Arrow columns checked against the raw bytes, hashed.

xml2arrow maps known paths to columns and silently skips everything else, and it reports
an empty element (`<cpf/>`) as absent. The reference loader refuses unknown or misplaced
elements and attributes, and stores `''` for an empty element. So a chunk is accepted only
when what was parsed accounts for every element (`/` count) and every attribute (`=`
count) of the raw bytes. When it does not, the chunk is parsed again with each empty
element given a sentinel text (private-use U+E000, which an ISO-8859-1 file cannot hold),
so empty elements become visible; if the accounts still do not balance, the file is
declined and the reference parser reads it.

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
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_WHITESPACE = " \t\r\n"
_STARTS_BLANK = r"^[ \t\r\n]"


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
        elements = records.num_rows + self._leaves() + self._groups()
        attributes = sum(len(records.column(c)) - records.column(c).null_count for c in layout.attribute_column_names)
        self.balanced = (
            chunk.slashes == elements + self.hash_text.count(b"/")
            and chunk.equals == attributes + self.hash_text.count(b"=")
        )

    def _value(self, column: pa.Array) -> pa.Array:
        if self._rewritten and column.null_count < len(column):
            column = pc.if_else(pc.equal(column, SENTINEL), "", column)
        return column

    def _leaves(self) -> int:
        return sum(len(self._records.column(c)) - self._records.column(c).null_count for c in self._layout.leaf_columns)

    def _groups(self) -> int:
        present = 0
        for group, _ in self._layout.groups:
            names = (group.text_column, *group.leaf_columns)
            mask = None
            for name in names:
                valid = pc.is_valid(self._records.column(name))
                mask = valid if mask is None else pc.or_(mask, valid)
            present += pc.sum(mask).as_py() or 0
        return present

    def check_values(self) -> None:
        """What the reference refuses or reads differently, seen in the values themselves."""
        for name in self._layout.text_columns:
            text = self._records.column(name)
            if text.null_count == len(text):
                continue
            if self._rewritten:
                text = pc.if_else(pc.equal(text, SENTINEL), "", text)
            if pc.any(pc.not_equal(pc.utf8_trim(text, _WHITESPACE), "")).as_py():
                raise Declined("text where only elements belong")
        for name in self._layout.attribute_column_names:
            if pc.any(pc.match_substring(self._records.column(name), ">")).as_py():
                raise Declined("'>' inside an attribute value")  # start-tag line would be ambiguous
        if self._rewritten and _SENTINEL_UTF8 in self.hash_text:
            raise Declined("private-use character in a value")
        if _has_control(self.hash_text):
            raise Declined("control character in a value")


def _has_control(text: bytes) -> bool:
    return bool(pc.match_substring_regex(pa.array([text], pa.large_binary()), _CONTROL)[0].as_py())


def _hashable(column: pa.Array) -> pa.Array:
    """The column as the hash sees it: blank values (only XML whitespace) contribute nothing."""
    if column.null_count == len(column) or not pc.any(pc.match_substring_regex(column, _STARTS_BLANK)).as_py():
        return column
    return pc.if_else(pc.equal(pc.utf8_trim(column, _WHITESPACE), ""), "", column)


def _hash_text(values: list[pa.Array]) -> bytes:
    joined = pc.binary_join_element_wise(*map(_hashable, values), "", null_handling="replace", null_replacement="")
    if len(joined) == 0:
        return b""
    offsets = memoryview(joined.buffers()[1]).cast("i")
    start, end = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return joined.buffers()[2].slice(start, end - start).to_pybytes()
