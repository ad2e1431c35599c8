"""DDL of the workspace, generated from the catalogue.

Raw tables hold the files' text as written and are written only by the loader. The
catalogue itself is also published as tables (`catalog_fields`, `catalog_domain_values`,
`catalog_paths`, `movement_types`) so analysts can join labels and codes in plain SQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache

import duckdb
import pyarrow as pa

from sibtui.catalog import shapes
from sibtui.catalog.domains import ALL_DOMAINS
from sibtui.catalog.error_codes import FILE_REJECTION_FIXES, KNOWN_CODES
from sibtui.catalog.fields import ALL_FIELDS
from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import Node
from sibtui.catalog.tables import (
    EDITABLE_TABLES,
    FILES_ADDED_COLUMNS,
    FILES_COLUMNS,
    FINDINGS_COLUMNS,
    LOAD_WARNINGS_COLUMNS,
    ORIGINALS_COLUMNS,
    ORIGINALS_TABLE,
    RECORD_TABLES,
    Table,
)
from sibtui.compare.changes import changes_between_sql, changes_view_sql
from sibtui.compare.pending import SBX_CNS_PENDING_SQL
from sibtui.compare.snapshots import SNAPSHOTS_VIEW_SQL
from sibtui.cycle.pairing import VIEWS as CYCLE_VIEWS
from sibtui.db.identifiers import quote  # noqa: F401 (re-exported: callers import it from here)
from sibtui.db.moments import FILE_MOMENTS_SQL
from sibtui.edit import ddl as edit_ddl
from sibtui.rules import ddl as rules_ddl

SCHEMA_VERSION = 1

_KEY_TYPES = {"file_id": "BIGINT", "record_no": "BIGINT", "line": "BIGINT", "error_no": "BIGINT", "block_no": "BIGINT"}




def create_table_sql(table: Table) -> str:
    columns = [f"{quote(name)} {_KEY_TYPES.get(name, 'VARCHAR')}" for name in table.columns]
    return f"CREATE TABLE IF NOT EXISTS {quote(table.name)} ({', '.join(columns)})"


def _files_sql() -> list[str]:
    """`files`, and the columns added since the first release for a workspace made before them."""
    added = set(FILES_ADDED_COLUMNS)
    first = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in FILES_COLUMNS if name not in added)
    return [f"CREATE TABLE IF NOT EXISTS files ({first})"] + [
        f"ALTER TABLE files ADD COLUMN IF NOT EXISTS {quote(name)} {sql_type}"
        for name, sql_type in FILES_COLUMNS if name in added
    ]


def _originals_sql() -> str:
    columns = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in ORIGINALS_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS {ORIGINALS_TABLE} ({columns})"


def _findings_sql() -> str:
    columns = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in FINDINGS_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS findings ({columns})"


def current_view_sql(table: str) -> str:
    """`<table>_current`: the loaded rows with the edit journal applied (`sibtui.edit.ddl`)."""
    return edit_ddl.current_view_sql(table)


def _load_warnings_sql() -> str:
    types = {"file_id": "BIGINT", "line": "BIGINT"}
    columns = ", ".join(f"{quote(name)} {types.get(name, 'VARCHAR')}" for name in LOAD_WARNINGS_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS load_warnings ({columns})"


RPX_REJECTION_LINKS_SQL = """
CREATE OR REPLACE VIEW rpx_rejection_links AS
WITH answered AS (
    SELECT result.file_id AS rpx_file_id,
           result.nomeArquivo AS sbx_name,
           sbx.file_id AS sbx_file_id
    FROM rpx_results AS result
    LEFT JOIN files AS sbx
           ON sbx.kind = 'SBX' AND upper(sbx.name) = upper(trim(result.nomeArquivo))
)
SELECT rejection.file_id AS rpx_file_id,
       rejection.record_no AS rpx_record_no,
       rejection.error_no,
       rejection.line AS rpx_line,
       rejection.codigoTipoMovimento,
       kind.movement,
       rejection.cco,
       rejection.codigoBeneficiario,
       rejection.codigoCampo,
       rejection.descricaoCampo,
       rejection.valorCampo,
       rejection.codigoErro,
       rejection.mensagemErro,
       answered.sbx_name,
       answered.sbx_file_id,
       movement.record_no AS sbx_record_no,
       movement.line AS sbx_line
FROM rpx_rejections AS rejection
JOIN answered ON answered.rpx_file_id = rejection.file_id
LEFT JOIN movement_types AS kind
       ON kind.code = TRY_CAST(trim(rejection.codigoTipoMovimento) AS INTEGER)
LEFT JOIN sbx_movements AS movement
       ON movement.file_id = answered.sbx_file_id
      AND movement.movement = kind.movement
      -- Inclusions by codigoBeneficiario, the rest by cco (code 1 is 'inclusao'), written as
      -- one key per side so DuckDB hashes on it: a CASE of two comparisons is no join key, and
      -- every rejection would be compared with every movement of its kind in the file.
      AND CASE WHEN movement.movement = 'inclusao' THEN movement.codigoBeneficiario ELSE movement.cco END
        = CASE WHEN kind.code = 1 THEN rejection.codigoBeneficiario ELSE rejection.cco END
"""


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


def catalog_tables() -> dict[str, pa.Table]:
    """The catalogue as Arrow tables, ready to be published in the workspace."""
    fields = [
        (f.name, f.label, f.domain.name, f.size, f.domain.pattern, f.rpx_field_id, f.editable, f.personal, f.help)
        for f in ALL_FIELDS
    ]
    values = [(domain.name, code, label) for domain in ALL_DOMAINS for code, label in domain.values.items()]
    movements = [(m.code, m.value, m.label) for m in Movement] + [(6, "semMovimentacao", "Sem movimentação")]
    error_codes = [
        (e.code, e.field_id, e.field_name, e.cause, e.fix, e.operations, e.confidence) for e in KNOWN_CODES.values()
    ]
    return {
        "catalog_fields": _arrow(
            fields, ("name", "label", "domain", "size", "pattern", "rpx_field_id", "editable", "personal", "help")
        ),
        "catalog_domain_values": _arrow(values, ("domain", "code", "label")),
        "catalog_paths": _arrow(list(catalog_paths()), ("table_name", "record", "xml_path", "column_name", "required")),
        "movement_types": _arrow(movements, ("code", "movement", "label")),
        "catalog_error_codes": _arrow(
            error_codes, ("codigoErro", "field_id", "field_name", "cause", "fix", "operations", "confidence")
        ),
        "catalog_file_rejections": _arrow(sorted(FILE_REJECTION_FIXES.items()), ("codigoMotivoRejeicao", "fix")),
        "catalog_rules": rules_ddl.catalog_rules_table(),
        "catalog_error_meanings": rules_ddl.catalog_error_meanings_table(),
    }


def _arrow(rows: list[tuple], names: tuple[str, ...]) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.table({name: list(column) for name, column in zip(names, columns)})


def _catalog_fingerprint(published: dict[str, pa.Table]) -> str:
    digest = hashlib.sha256()
    for name, table in published.items():
        digest.update(name.encode())
        digest.update(repr(table.to_pylist()).encode())
    return digest.hexdigest()


def _publish_catalog(connection: duckdb.DuckDBPyConnection, published: dict[str, pa.Table], fingerprint: str) -> None:
    """Rewrite the catalogue tables only when the catalogue changed."""
    if _meta_value(connection, "catalog_fingerprint") == fingerprint:
        return
    for name, table in published.items():
        connection.register("__catalog", table)
        connection.execute(f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM __catalog")
        connection.unregister("__catalog")
    connection.execute(
        "INSERT OR REPLACE INTO meta VALUES ('catalog_fingerprint', ?)", [fingerprint]
    )


def _tables_sql() -> list[str]:
    """Tables and the views over them that the catalogue tables do not feed, in creation order."""
    return [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        *_files_sql(),
        _load_warnings_sql(),
        _originals_sql(),
        *(create_table_sql(table) for table in RECORD_TABLES),
        _findings_sql(),
        *edit_ddl.edit_tables_sql(),
        *rules_ddl.tables_sql(),
        *(current_view_sql(table) for table in EDITABLE_TABLES),
    ]


def _derived_views_sql() -> list[str]:
    """Views created after the catalogue tables (some read them)."""
    return [
        RPX_REJECTION_LINKS_SQL, FILE_MOMENTS_SQL, SNAPSHOTS_VIEW_SQL, changes_view_sql(), changes_between_sql(),
        *CYCLE_VIEWS, SBX_CNS_PENDING_SQL, *rules_ddl.views_sql(), *edit_ddl_views(),
    ]


def edit_ddl_views() -> list[str]:
    """Where each rejected movement stands (`sbx_resend_state`) and what CNX edits become
    (`planned_cnx_movements`): for SQL; the code builds the same SQL itself (a workspace
    opened read-only keeps the views of the sibtui that created it)."""
    from sibtui.edit.regen.cnx_plan import planned_view_sql
    from sibtui.edit.resend import state_view_sql
    from sibtui.edit.transfer import review_view_sql

    return [state_view_sql(), planned_view_sql(), review_view_sql()]


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing and refresh the catalogue tables and views, in one transaction.

    The DDL and the catalogue are fingerprinted; a workspace already built by this sibtui is
    opened without re-running them (the views alone took ~80 ms of every command's start).
    """
    tables, views = _tables_sql(), _derived_views_sql()
    published = catalog_tables()
    catalog_fingerprint = _catalog_fingerprint(published)
    fingerprint = hashlib.sha256(
        "\x00".join([str(SCHEMA_VERSION), catalog_fingerprint, *tables, *views]).encode()
    ).hexdigest()
    if _meta_value(connection, "schema_fingerprint") == fingerprint:
        return
    connection.execute("BEGIN TRANSACTION")
    try:
        for statement in tables:
            connection.execute(statement)
        _publish_catalog(connection, published, catalog_fingerprint)
        for statement in views:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [str(SCHEMA_VERSION)]
        )
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('schema_fingerprint', ?)", [fingerprint])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


_CREATED = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|SEQUENCE|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)",
    re.I,
)


@cache
def owned_names() -> frozenset[str]:
    """Every table, view, sequence and macro sibtui's DDL creates (lower case), read from the
    DDL itself: ad hoc SQL in write mode may not change them, mask mode masks them."""
    names = {match.group(1).lower() for statement in (*_tables_sql(), *_derived_views_sql())
             for match in _CREATED.finditer(statement)}
    return frozenset(names | {name.lower() for name in catalog_tables()})


def _meta_value(connection: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        rows = connection.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    except duckdb.CatalogException:  # a new workspace: no meta table yet
        return None
    return rows[0][0] if rows else None


def stored_schema_version(connection: duckdb.DuckDBPyConnection) -> int | None:
    value = _meta_value(connection, "schema_version")
    return int(value) if value is not None else None
