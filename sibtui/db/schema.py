"""Applying a workspace schema: the objects every part declares, in dependency order, at once.

`db` knows no table of its own beyond `meta`. Each part of sibtui declares the tables,
views, sequences and macros it owns as data (`Relation`: name, statements, what they read)
and the catalogue tables it publishes (`Published`: name, Arrow rows); the composition root
(`sibtui.workspace`) hands them all to `ensure_schema`, which orders them by their
dependencies and applies them in one transaction.

The statements are fingerprinted: a workspace already built by this sibtui is opened
without running them again (the views alone took ~80 ms of every command's start). The
names of everything applied are kept in `meta` (`owned_names`), so ad hoc SQL knows which
relations are sibtui's (never written by the analyst's SQL, masked in mask mode).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from sibtui.db.identifiers import quote

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_VERSION = 1
META_SQL = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"


@dataclass(frozen=True)
class Relation:
    """A table, view, sequence or macro one part of sibtui owns.

    `statements` create it or bring it up to date (`CREATE ... IF NOT EXISTS`, `CREATE OR
    REPLACE`, `ALTER ... ADD COLUMN IF NOT EXISTS`); `depends_on` names every object they
    read, so it is created after them."""

    name: str
    statements: tuple[str, ...]
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Published:
    """A catalogue table: rows built from the code's own knowledge, rewritten when they change."""

    name: str
    rows: Callable[[], pa.Table]
    depends_on: tuple[str, ...] = ()


SchemaObject = Relation | Published


class SchemaError(Exception):
    """The declared objects cannot be ordered (a name twice, a dependency nobody declares, a loop)."""


def ordered(objects: Iterable[SchemaObject]) -> list[SchemaObject]:
    """`objects` so that each comes after what it depends on; otherwise in the order given."""
    given = list(objects)
    by_name: dict[str, SchemaObject] = {}
    for item in given:
        if item.name in by_name:
            raise SchemaError(f"{item.name} is declared twice")
        by_name[item.name] = item
    placed: dict[str, SchemaObject] = {}
    visiting: set[str] = set()

    def place(item: SchemaObject) -> None:
        if item.name in placed:
            return
        if item.name in visiting:
            raise SchemaError(f"{item.name} depends on itself")
        visiting.add(item.name)
        for name in item.depends_on:
            if name not in by_name:
                raise SchemaError(f"{item.name} depends on {name}, which no part declares")
            place(by_name[name])
        visiting.discard(item.name)
        placed[item.name] = item

    for item in given:
        place(item)
    return list(placed.values())


def ensure_schema(connection: duckdb.DuckDBPyConnection, objects: Sequence[SchemaObject]) -> None:
    """Create what is missing and refresh the catalogue tables and views, in one transaction."""
    plan = ordered(objects)
    published = {item.name: item.rows() for item in plan if isinstance(item, Published)}
    catalog_fingerprint = _catalog_fingerprint(published)
    statements = [statement for item in plan if isinstance(item, Relation) for statement in item.statements]
    fingerprint = hashlib.sha256(
        "\x00".join([str(SCHEMA_VERSION), catalog_fingerprint, *statements]).encode()
    ).hexdigest()
    if _meta_value(connection, "schema_fingerprint") == fingerprint:
        return
    connection.execute("BEGIN TRANSACTION")
    try:
        connection.execute(META_SQL)
        catalog_current = _meta_value(connection, "catalog_fingerprint") == catalog_fingerprint
        for item in plan:
            if isinstance(item, Published):
                if not catalog_current:
                    _publish(connection, item.name, published[item.name])
            else:
                for statement in item.statements:
                    connection.execute(statement)
        _set_meta(connection, "catalog_fingerprint", catalog_fingerprint)
        connection.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [str(SCHEMA_VERSION)]
        )
        _set_meta(connection, "owned_names", json.dumps(sorted({"meta", *(item.name.lower() for item in plan)})))
        _set_meta(connection, "schema_fingerprint", fingerprint)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _catalog_fingerprint(published: dict[str, pa.Table]) -> str:
    digest = hashlib.sha256()
    for name, table in published.items():
        digest.update(name.encode())
        digest.update(repr(table.to_pylist()).encode())
    return digest.hexdigest()


def _publish(connection: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    connection.register("__catalog", table)
    try:
        connection.execute(f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM __catalog")
    finally:
        connection.unregister("__catalog")


def _set_meta(connection: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def owned_names(cursor: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Every table, view, sequence and macro sibtui created in this workspace (lower case).

    A workspace built before the names were kept (opened read-only, so never rebuilt) has
    none recorded: then every relation it holds counts as sibtui's."""
    recorded = _meta_value(cursor, "owned_names")
    if recorded is not None:
        return frozenset(json.loads(recorded))
    rows = cursor.execute(
        "SELECT lower(table_name) FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary "
        "UNION SELECT lower(view_name) FROM duckdb_views() WHERE database_name = current_database() "
        "AND NOT temporary AND NOT internal"
    ).fetchall()
    return frozenset(row[0] for row in rows)


def _meta_value(connection: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        rows = connection.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    except duckdb.CatalogException:  # a new workspace: no meta table yet
        return None
    return rows[0][0] if rows else None


def stored_schema_version(connection: duckdb.DuckDBPyConnection) -> int | None:
    value = _meta_value(connection, "schema_version")
    return int(value) if value is not None else None
