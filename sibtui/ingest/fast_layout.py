"""Where the fast path finds each column of a record, derived from the catalogue's element tree.

The fast parser (xml2arrow, Rust) is told what to extract by a YAML mapping from XML paths
to columns. That mapping is generated here from `catalog.shapes`, so the fast path and the
lxml reference read the same fields from the same places. Besides the value columns it
asks for the text directly inside the record and inside each group (`_text_*` columns):
that text must be blank (the reference refuses anything else), and its presence proves a
group exists even when its leaves do not.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sibtui.catalog import shapes
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import CNX_BENEFICIARIES, Table

TEXT_PREFIX = "_text_"


@dataclass(frozen=True)
class Group:
    tag: str
    leaf_columns: tuple[str, ...]

    @property
    def text_column(self) -> str:
        return TEXT_PREFIX + self.tag


@dataclass(frozen=True)
class RecordLayout:
    """One record element as flat columns: attributes, direct leaves, groups of leaves."""

    table: Table
    tag: str
    container: str  # the element the records sit in
    attribute_columns: tuple[tuple[str, str], ...]  # (attribute name, column)
    direct_leaves: tuple[tuple[str, str], ...]  # (tag, column), leaves right under the record
    groups: tuple[tuple[Group, tuple[tuple[str, str], ...]], ...]  # group, its (tag, column) leaves

    @property
    def record_text_column(self) -> str:
        return TEXT_PREFIX + self.tag

    @property
    def value_columns(self) -> tuple[str, ...]:
        """Columns in document order (attributes first): the order of the epilogue hash."""
        return self.table.value_columns

    @property
    def leaf_columns(self) -> tuple[str, ...]:
        return tuple(column for column in self.value_columns if column not in self.attribute_column_names)

    @property
    def attribute_column_names(self) -> tuple[str, ...]:
        return tuple(column for _, column in self.attribute_columns)

    @property
    def text_columns(self) -> tuple[str, ...]:
        return (self.record_text_column, *(group.text_column for group, _ in self.groups))

    def fields(self) -> list[tuple[str, str]]:
        """(column, xml path) of every field asked of the fast parser, values first."""
        base = f"/{self.tag}"  # a chunk is its records side by side, without a container
        fields = [(column, f"{base}/@{name}") for name, column in self.attribute_columns]
        children: dict[str, str] = {}
        for tag, column in self.direct_leaves:
            children[column] = f"{base}/{tag}"
        for group, leaves in self.groups:
            for tag, column in leaves:
                children[column] = f"{base}/{group.tag}/{tag}"
        fields.extend((column, children[column]) for column in self.leaf_columns)
        fields.append((self.record_text_column, base))
        fields.extend((group.text_column, f"{base}/{group.tag}") for group, _ in self.groups)
        return fields

    def yaml(self) -> str:
        lines = [
            "parser_options:",
            "  trim_text: false",
            "tables:",
            "  - name: records",
            "    xml_path: /",
            "    levels: []",
            "    fields:",
        ]
        for column, path in self.fields():
            lines.append(f"      - {{name: {column}, xml_path: {path}, data_type: Utf8, nullable: true}}")
        return "\n".join(lines) + "\n"


def compile_layout(shape: Node, table: Table, container: str) -> RecordLayout:
    """Flatten a record shape of at most two levels (leaves, groups of leaves)."""
    direct: list[tuple[str, str]] = []
    groups: list[tuple[Group, tuple[tuple[str, str], ...]]] = []
    for child in shape.children:
        if child.is_leaf:
            direct.append((child.tag, child.column_name))
            continue
        if child.repeated or any(not leaf.is_leaf for leaf in child.children):
            raise ValueError(f"<{shape.tag}>/<{child.tag}> is too deep for the fast path")
        leaves = tuple((leaf.tag, leaf.column_name) for leaf in child.children)
        groups.append((Group(child.tag, tuple(column for _, column in leaves)), leaves))
    layout = RecordLayout(
        table,
        shape.tag,
        container,
        tuple((attribute.name, attribute.field.name) for attribute in shape.attributes),
        tuple(direct),
        tuple(groups),
    )
    listed = [column for column, _ in layout.fields()[: len(table.value_columns)]]
    if listed != list(table.value_columns):
        raise ValueError(f"{table.name}: columns are not in document order; the fast path cannot hash them")
    return layout


@cache
def cnx_layout() -> RecordLayout:
    return compile_layout(shapes.CNX_BENEFICIARIO, CNX_BENEFICIARIES, "conferencia")


def config_path(layout: RecordLayout) -> Path:
    """The layout's YAML in a temporary file (xml2arrow reads its mapping from a file)."""
    handle = tempfile.NamedTemporaryFile("w", prefix="sibtui-fast-", suffix=".yaml", delete=False)
    with handle:
        handle.write(layout.yaml())
    return Path(handle.name)
