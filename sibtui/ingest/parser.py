"""Streaming SIB parser: XML in, rows out, in bounded memory, hash computed on the way.

lxml reports the end of the elements listed in `catalog.document` only; each record's
subtree is read with a plain child loop (the fastest extraction measured,
`perf-notes.md` §3), handed to a `RowSink`, then cleared and unlinked so memory stays flat
whatever the file size. Because records are read whole and in document order, the
epilogue hash (§2) is accumulated from the same walk.

Structure is checked as it streams: an element in the wrong place, an unknown or repeated
element, text where only elements belong — each stops the parse with the file, line and
element, because loading such a file would silently lose or misplace data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from lxml import etree

from sibtui.catalog import shapes, tables
from sibtui.catalog.document import ROOT_TAG, Placement, Role
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import Table
from sibtui.errors import InputError, LoadCancelled
from sibtui.hashing import EpilogueHash, is_blank
from sibtui.ingest.layouts import TRACKED_TAGS, layout_for
from sibtui.ingest.results import CancelCallback, LoadWarning, ParseResult, ProgressCallback, RowSink
from sibtui.ingest.sniff import Sniffed
from sibtui.ingest.source import SourceReader
from sibtui.ingest.xmlerrors import local_name, safe_parser_options, source_line, syntax_error

PROGRESS_EVERY = 2_000  # records between progress reports and cancel checks
_XSI_NAMESPACE = "{http://www.w3.org/2001/XMLSchema-instance}"
_TRACKED_FILTER = tuple("{*}" + tag for tag in TRACKED_TAGS)




class DocumentParser:
    """Parses one SIB file into a `RowSink`; one instance per file."""

    def __init__(
        self,
        sniffed: Sniffed,
        sink: RowSink,
        progress: ProgressCallback | None = None,
        cancel: CancelCallback | None = None,
        tee: Callable[[bytes], None] | None = None,
    ):
        self.path: Path = sniffed.path
        self._tee = tee
        self.kind = sniffed.kind
        self._sniffed = sniffed
        self._sink = sink
        self._progress = progress
        self._cancel = cancel
        self._hash = EpilogueHash()
        self._result = ParseResult(kind=sniffed.kind)
        self._last_done: dict[int, etree._Element] = {}
        self._open: list[etree._Element] = []
        self._seen: dict[str, int | None] = {}  # tag -> line, for elements that occur once
        self._record_numbers: dict[str, int] = {}
        self._total_bytes = self.path.stat().st_size
        self._reader: SourceReader | None = None
        self._placements, self._depth, self._plans = layout_for(self.kind)

    # --- driving --------------------------------------------------------------------

    def run(self) -> ParseResult:
        result = self._result
        if self._sniffed.encoding.declared is None:
            self._warn(1, None, "no XML declaration; read as ISO-8859-1 (ANS requires the declaration)")
        if self._sniffed.namespace:
            self._warn(None, None, f"elements carry namespace {self._sniffed.namespace!r}; ANS expects none")
        with self.path.open("rb") as raw:
            self._reader = SourceReader(self.path, raw, tee=self._tee)
            self._parse(self._reader)
        self._check_required()
        result.hash_latin1 = self._hash.latin1_hex
        result.hash_utf8 = self._hash.utf8_hex
        result.non_latin1_text = self._hash.non_latin1
        result.hash_encoding = self._hash.matching_encoding(result.hash_declared)
        result.sha256 = self._reader.sha256
        result.size_bytes = self._reader.bytes_read
        self._report_progress()
        return result

    def _parse(self, reader: SourceReader) -> None:
        context = etree.iterparse(
            reader,
            events=("end",),
            tag=_TRACKED_FILTER,
            encoding=None if self._sniffed.encoding.declared else "iso-8859-1",
            chunk_size=256 * 1024,
            **safe_parser_options(),
        )
        try:
            for _, element in context:
                self._on_end(element)
        except etree.XMLSyntaxError as error:
            raise syntax_error(self.path, error) from None

    def _report_progress(self) -> None:
        if self._progress is not None and self._reader is not None:
            self._progress(self._reader.bytes_read, self._total_bytes, self._result.record_count)

    def _tick(self) -> None:
        self._report_progress()
        if self._cancel is not None and self._cancel():
            raise LoadCancelled(f"{self.path}: load cancelled")

    # --- one tracked element ends ------------------------------------------------------

    def _on_end(self, element: etree._Element) -> None:
        tag = local_name(element.tag)
        placement = self._placements[tag]
        depth = self._depth[tag]
        parent = element.getparent()
        self._check_place(element, tag, placement, parent)
        self._check_previous(element, depth, parent)
        if parent is not None:
            self._open_ancestors(parent)
        if placement.role is Role.RECORD:
            self._on_record(element, tag)
        elif placement.role is Role.SECTION:
            self._on_section(element, tag, placement.shape)
        else:
            self._on_container(element, tag, depth)
        self._last_done[depth] = element
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
        if placement.role is not Role.CONTAINER:
            element.clear(keep_tail=True)

    def _check_place(self, element: etree._Element, tag: str, placement: Placement, parent) -> None:
        parent_tag = local_name(parent.tag) if parent is not None else None
        if parent_tag != placement.parent:
            where = f"inside <{parent_tag}>" if parent_tag else "as the root element"
            expected = f"inside <{placement.parent}>" if placement.parent else "as the root"
            raise InputError(self.path, f"element not allowed {where} (expected {expected})", source_line(element), tag)
        if placement.kind is not None and placement.kind is not self.kind:
            raise InputError(
                self.path,
                f"element of a {placement.kind.value} file inside a {self.kind.value} file",
                source_line(element),
                tag,
            )
        if placement.role is not Role.RECORD:
            if tag in self._seen:
                raise InputError(self.path, "element repeated; it may appear only once", source_line(element), tag)
            self._seen[tag] = source_line(element)

    def _check_previous(self, element: etree._Element, depth: int, parent) -> None:
        previous = element.getprevious()
        if previous is None:
            if parent is not None and not is_blank(parent.text):
                self._unexpected_text(parent)
            return
        if previous is not self._last_done.get(depth):
            self._unexpected_element(previous, parent)
        if not is_blank(previous.tail):  # type: ignore[union-attr]  # mypy forgets the None test above
            self._unexpected_text(parent, after=previous)

    def _open_ancestors(self, parent: etree._Element) -> None:
        """Hash container attributes (the root's xsi:schemaLocation) before their content."""
        if self._open and self._open[-1] is parent:
            return
        chain = []
        node = parent
        while node is not None:
            chain.append(node)
            node = node.getparent()
        chain.reverse()
        for index, ancestor in enumerate(chain):
            if index < len(self._open) and self._open[index] is ancestor:
                continue
            del self._open[index:]
            self._container_attributes(ancestor)
            self._open.append(ancestor)

    def _container_attributes(self, container: etree._Element) -> None:
        pieces = []
        for name, value in container.items():
            if not (local_name(container.tag) == ROOT_TAG and name.startswith(_XSI_NAMESPACE)):
                raise InputError(
                    self.path, f"unexpected attribute {name!r}", source_line(container), local_name(container.tag)
                )
            if not is_blank(value):
                pieces.append(value)
        self._hash.update(pieces)

    def _on_container(self, element: etree._Element, tag: str, depth: int) -> None:
        if not self._open or self._open[-1] is not element:
            self._open_ancestors(element)
        done_child = self._last_done.get(depth + 1)
        children = list(element)
        for child in children:
            if child is not done_child:
                self._unexpected_element(child, element)
        if children and not is_blank(children[-1].tail):
            self._unexpected_text(element, after=children[-1])
        if not children and not is_blank(element.text):
            self._unexpected_text(element)
        if tag == "beneficiarios" and not children:
            self._warn(source_line(element), tag, "no movement inside <beneficiarios>")
        self._open.pop()

    # --- records and sections ------------------------------------------------------------

    def _next_record_no(self, table: Table) -> int:
        number = self._record_numbers.get(table.name, 0) + 1
        self._record_numbers[table.name] = number
        return number

    def _on_record(self, element: etree._Element, tag: str) -> None:
        pieces: list[str] = []
        if tag == shapes.RPX_REJEITADO.tag:
            self._on_rejected_record(element, pieces)
        else:
            plan = self._plans[tag]
            row = plan.new_row(self._next_record_no(plan.table), source_line(element))
            plan.extract(element, row, pieces, self._fail)
            self._sink.add(plan.table, row)
        self._hash.update(pieces)
        self._result.record_count += 1
        if self._result.record_count % PROGRESS_EVERY == 0:
            self._tick()

    def _on_rejected_record(self, element: etree._Element, pieces: list[str]) -> None:
        """One row per `erro` of each `campoErro`; a record without errors still gets one row."""
        shape = shapes.RPX_REJEITADO
        attributes = self._read_attributes(element, shape, pieces)
        content = self._read_group(element, shape, pieces)
        record_no = self._next_record_no(tables.RPX_REJECTIONS)
        line = source_line(element)
        keys = [attributes.get(attribute.name) for attribute in shape.attributes]
        error_no = 0
        for campo in content.get("campoErro", []) or [{}]:
            campo_values = [campo.get(name) for name in ("codigoCampo", "descricaoCampo", "valorCampo")]
            for erro in campo.get("erro", []) or [{}]:
                error_no += 1
                row = [record_no, line, error_no, *keys, *campo_values, erro.get("codigoErro"), erro.get("mensagemErro")]
                self._sink.add(tables.RPX_REJECTIONS, row)

    def _on_section(self, element: etree._Element, tag: str, shape: Node | None) -> None:
        assert shape is not None
        if tag == shapes.EPILOGO.tag:
            values = self._read_group(element, shape, [])  # the epilogue stays out of the hash
            self._result.hash_declared = values.get("hash_declared")
            return
        pieces: list[str] = []
        if tag == shapes.CONSOLIDADO.tag:
            self._on_consolidado(element, pieces)
        else:
            attributes = self._read_attributes(element, shape, pieces) if shape.attributes else {}
            values = self._read_group(element, shape, pieces)
            values.update({attribute.field.name: attributes.get(attribute.name) for attribute in shape.attributes})
            self._store_section(tag, source_line(element), values)
        self._hash.update(pieces)

    def _store_section(self, tag: str, line: int | None, values: dict) -> None:
        if tag == shapes.CABECALHO.tag:
            failures = values.get("falhaNegocio", {}).get("falha", [])
            for falha in failures:
                self._sink.add(tables.HEADER_FAILURES, [falha["_line"], falha.get("codigoFalha"), falha.get("descricaoFalha")])
            self._result.header = {column: values.get(column) for column in shapes.header_columns()}
        elif tag == shapes.NAO_ENVIO.tag:
            self._result.motivo_nao_envio = values.get("motivoNaoEnvioBeneficiarios")
        elif tag == shapes.TAB.tag:
            self._result.transfer = {column: values.get(column) for column in shapes.TAB_COLUMNS}
        elif tag in (shapes.PROTOCOLO.tag, shapes.ARQUIVO_REJEITADO.tag):
            status = "processado" if tag == shapes.PROTOCOLO.tag else "rejeitado"
            row = [line, status, *(values.get(column) for column in tables.RPX_RESULTS.value_columns[1:])]
            self._sink.add(tables.RPX_RESULTS, row)

    def _on_consolidado(self, element: etree._Element, pieces: list[str]) -> None:
        shape = shapes.CONSOLIDADO
        block_no = 1
        expecting_totals = False
        for child in element:
            tag = local_name(child.tag)
            node = _child_index(shape).get(tag)
            if node is None or block_no > shapes.CONSOLIDADO_MAX_BLOCKS or (expecting_totals and tag != "consolidadoProcessamento"):
                self._unexpected_element(child, element)
            values = self._read_group(child, node, pieces)
            if tag == "consolidadoErroProcessamento":
                expecting_totals = True
                for erro in values.get("erro", []):
                    row = [erro["_line"], block_no, erro.get("codigoErro"), erro.get("mensagemErro"), erro.get("quantidadeOcorrenciaErro")]
                    self._sink.add(tables.RPX_ERROR_TOTALS, row)
            else:
                for total_tag, movement in shapes.TOTALS_MOVEMENTS.items():
                    counts = values.get(total_tag)
                    if counts is None:
                        continue
                    row = [counts["_line"], block_no, movement, *(counts.get(leaf.column_name) for leaf in shapes.COUNT_LEAVES)]
                    self._sink.add(tables.RPX_TOTALS, row)
                block_no += 1
                expecting_totals = False
            self._check_tail(child, element)

    # --- generic reading of small subtrees -------------------------------------------

    def _read_attributes(self, element: etree._Element, shape: Node, pieces: list[str]) -> dict[str, str]:
        allowed = {attribute.name for attribute in shape.attributes}
        values = {}
        for name, value in element.items():
            if name not in allowed:
                raise InputError(self.path, f"unexpected attribute {name!r}", source_line(element), local_name(element.tag))
            values[name] = value
            if not is_blank(value):
                pieces.append(value)
        return values

    def _read_group(self, element: etree._Element, shape: Node, pieces: list[str]) -> dict:
        """Read a small subtree into {column: text}; repeated groups become lists, nested groups are merged.

        Each returned dict carries `_line`, the source line of its element.
        """
        if not shape.attributes and len(element.attrib):
            name = next(iter(element.attrib))
            raise InputError(self.path, f"unexpected attribute {name!r}", source_line(element), local_name(element.tag))
        values: dict = {"_line": source_line(element)}
        if len(element) and not is_blank(element.text):
            self._unexpected_text(element)
        index = _child_index(shape)
        for child in element:
            tag = local_name(child.tag)
            node = index.get(tag)
            if node is None:
                self._unexpected_element(child, element)
            if node.is_leaf:
                column = node.column_name
                if column in values:
                    raise InputError(self.path, "element repeated", source_line(child), tag)
                values[column] = self._leaf_text(child, pieces)
            elif node.repeated:
                values.setdefault(tag, []).append(self._read_group(child, node, pieces))
            else:
                if tag in values:
                    raise InputError(self.path, "element repeated", source_line(child), tag)
                nested = self._read_group(child, node, pieces)
                values[tag] = nested
                for column, value in nested.items():
                    if column != "_line" and not isinstance(value, (dict, list)):
                        values[column] = value
            self._check_tail(child, element)
        return values

    def _leaf_text(self, element: etree._Element, pieces: list[str]) -> str:
        if len(element):
            self._unexpected_element(element[0], element)
        if len(element.attrib):
            name = next(iter(element.attrib))
            raise InputError(self.path, f"unexpected attribute {name!r}", source_line(element), local_name(element.tag))
        text = element.text
        if text is None:
            return ""
        if not is_blank(text):
            pieces.append(text)
        return text

    # --- reporting ---------------------------------------------------------------------

    def _check_tail(self, child: etree._Element, parent: etree._Element) -> None:
        if not is_blank(child.tail):
            self._unexpected_text(parent, after=child)

    def _fail(self, element: etree._Element, reason: str) -> NoReturn:
        raise InputError(self.path, reason, source_line(element), local_name(element.tag))

    def _unexpected_element(self, element: etree._Element, parent) -> NoReturn:
        where = f" inside <{local_name(parent.tag)}>" if parent is not None else ""
        raise InputError(self.path, f"unknown or misplaced element{where}", source_line(element), local_name(element.tag))

    def _unexpected_text(self, parent: etree._Element, after: etree._Element | None = None) -> NoReturn:
        where = f"after <{local_name(after.tag)}>" if after is not None else "inside"
        line = source_line(after) if after is not None else source_line(parent)
        raise InputError(self.path, f"unexpected text {where} (only elements belong here)", line, local_name(parent.tag))

    def _warn(self, line: int | None, element: str | None, message: str) -> None:
        self._result.warnings.append(LoadWarning(line, element, message))

    def _check_required(self) -> None:
        for tag, placement in self._placements.items():
            if placement.required and tag not in self._seen and self._required_here(placement):
                where = f" inside <{placement.parent}>" if placement.parent else ""
                line = self._seen.get(placement.parent) if placement.parent else None
                raise InputError(self.path, f"required element <{tag}> is missing{where}", line, tag)

    def _required_here(self, placement: Placement) -> bool:
        """A required child only matters when its parent container was present."""
        return placement.parent is None or placement.parent in self._seen


_CHILD_INDEXES: dict[int, dict[str, Node]] = {}


def _child_index(shape: Node) -> dict[str, Node]:
    index = _CHILD_INDEXES.get(id(shape))
    if index is None:
        index = _CHILD_INDEXES[id(shape)] = {child.tag: child for child in shape.children}
    return index
