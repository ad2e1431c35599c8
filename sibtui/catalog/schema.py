"""The catalogue published in the workspace, so analysts join labels and codes in plain SQL.

`catalog_fields` (label, domain, size, pattern, RPX field id of every field),
`catalog_domain_values` (code -> label of every enumeration), `catalog_paths` (XML path of
every column per record kind), `movement_types` (`codigoTipoMovimento` -> movement),
`catalog_error_codes` and `catalog_file_rejections` (what we know of ANS's codes) and
`catalog_error_meanings` (per known RPX code, the fields it is about and the kinds of fault it
means: what ANS's messages are held against, `sibtui.catalog.error_agreement`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from sibtui.catalog import shapes
from sibtui.catalog.domains import ALL_DOMAINS
from sibtui.catalog.error_agreement import MEANINGS
from sibtui.catalog.error_codes import FILE_REJECTION_FIXES, KNOWN_CODES
from sibtui.catalog.fields import ALL_FIELDS
from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import Node
from sibtui.db.schema import Published


def catalog_paths() -> Iterator[tuple[str, str, str, str, bool]]:
    """(table, record element, XML path, column, required) for every stored leaf and attribute."""
    records = [
        *(("sbx_movements", shape) for shape in shapes.MOVEMENT_SHAPES.values()),
        ("cnx_beneficiaries", shapes.CNX_BENEFICIARIO),
        ("rpx_rejections", shapes.RPX_REJEITADO),
        ("rpx_inclusions", shapes.RPX_INCLUIDO),
    ]
    for table, shape in records:
        for attribute in shape.attributes:
            yield table, shape.tag, f"{shape.tag}/@{attribute.name}", attribute.field.name, attribute.required
        yield from _leaf_paths(table, shape.tag, shape, shape.tag)


def _leaf_paths(table: str, record: str, node: Node, prefix: str) -> Iterator[tuple[str, str, str, str, bool]]:
    for child in node.children:
        path = f"{prefix}/{child.tag}"
        if child.is_leaf:
            yield table, record, path, child.column_name, child.required
        else:
            yield from _leaf_paths(table, record, child, path)


def arrow(rows: list[tuple], names: tuple[str, ...]) -> pa.Table:
    """Rows as an Arrow table with these column names (an empty list keeps the columns)."""
    columns: list = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.table({name: list(column) for name, column in zip(names, columns)})


def _fields() -> pa.Table:
    rows = [(f.name, f.label, f.domain.name, f.size, f.domain.pattern, f.rpx_field_id, f.editable, f.personal, f.help)
            for f in ALL_FIELDS]
    return arrow(rows, ("name", "label", "domain", "size", "pattern", "rpx_field_id", "editable", "personal", "help"))


def _domain_values() -> pa.Table:
    rows = [(domain.name, code, label) for domain in ALL_DOMAINS for code, label in domain.values.items()]
    return arrow(rows, ("domain", "code", "label"))


def _movement_types() -> pa.Table:
    rows = [(m.code, m.value, m.label) for m in Movement] + [(6, "semMovimentacao", "Sem movimentação")]
    return arrow(rows, ("code", "movement", "label"))


def _error_codes() -> pa.Table:
    rows = [(e.code, e.field_id, e.field_name, e.cause, e.fix, e.operations, e.confidence) for e in KNOWN_CODES.values()]
    return arrow(rows, ("codigoErro", "field_id", "field_name", "cause", "fix", "operations", "confidence"))


def error_meanings_table() -> pa.Table:
    codes = sorted(MEANINGS)
    return pa.table({
        "codigoErro": codes,
        "fields": [sorted(MEANINGS[code].fields) for code in codes],
        "kinds": [sorted(MEANINGS[code].kinds) for code in codes],
    })


def relations() -> tuple[Published, ...]:
    return (
        Published("catalog_fields", _fields),
        Published("catalog_domain_values", _domain_values),
        Published("catalog_paths", lambda: arrow(list(catalog_paths()),
                                                 ("table_name", "record", "xml_path", "column_name", "required"))),
        Published("movement_types", _movement_types),
        Published("catalog_error_codes", _error_codes),
        Published("catalog_file_rejections",
                  lambda: arrow(sorted(FILE_REJECTION_FIXES.items()), ("codigoMotivoRejeicao", "fix"))),
        Published("catalog_error_meanings", error_meanings_table),
    )
