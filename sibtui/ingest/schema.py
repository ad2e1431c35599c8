"""What loading writes: the `files` row of each file, its warnings, its records' rows and its
own bytes (`file_originals`, `sibtui.ingest.originals`).

Raw tables hold the files' text as written and are written only by the loader
(`sibtui.ingest.writer_thread`): loaded files are evidence and never edited. Their columns
come from the catalogue's element trees (`sibtui.catalog.tables`); the views that say what
the rows mean together are `sibtui.ingest.facts`.
"""

from __future__ import annotations

from sibtui.catalog.tables import (
    FILES_ADDED_COLUMNS,
    FILES_COLUMNS,
    LOAD_WARNINGS_COLUMNS,
    ORIGINALS_COLUMNS,
    ORIGINALS_TABLE,
    RECORD_TABLES,
    Table,
)
from sibtui.db.identifiers import quote
from sibtui.db.schema import Relation
from sibtui.ingest import facts

_KEY_TYPES = {"file_id": "BIGINT", "record_no": "BIGINT", "line": "BIGINT", "error_no": "BIGINT", "block_no": "BIGINT"}


def create_table_sql(table: Table) -> str:
    columns = [f"{quote(name)} {_KEY_TYPES.get(name, 'VARCHAR')}" for name in table.columns]
    return f"CREATE TABLE IF NOT EXISTS {quote(table.name)} ({', '.join(columns)})"


def _files_sql() -> tuple[str, ...]:
    """`files`, and the columns added since the first release for a workspace made before them."""
    added = set(FILES_ADDED_COLUMNS)
    first = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in FILES_COLUMNS if name not in added)
    return (f"CREATE TABLE IF NOT EXISTS files ({first})", *(
        f"ALTER TABLE files ADD COLUMN IF NOT EXISTS {quote(name)} {sql_type}"
        for name, sql_type in FILES_COLUMNS if name in added))


def _originals_sql() -> str:
    columns = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in ORIGINALS_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS {ORIGINALS_TABLE} ({columns})"


def _load_warnings_sql() -> str:
    types = {"file_id": "BIGINT", "line": "BIGINT"}
    columns = ", ".join(f"{quote(name)} {types.get(name, 'VARCHAR')}" for name in LOAD_WARNINGS_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS load_warnings ({columns})"


def tables() -> tuple[Relation, ...]:
    """The tables loading writes."""
    return (
        Relation("files", _files_sql()),
        Relation("load_warnings", (_load_warnings_sql(),)),
        Relation(ORIGINALS_TABLE, (_originals_sql(),)),
        *(Relation(table.name, (create_table_sql(table),)) for table in RECORD_TABLES),
    )


def relations() -> tuple[Relation, ...]:
    """The tables loading writes and the facts read from them."""
    return (*tables(), *facts.relations())
