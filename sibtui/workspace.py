"""The workspace as sibtui opens it: the schema of every part, assembled here and nowhere else.

Each part owns its tables and views and declares them as data (`sibtui.db.schema.Relation`):
the catalogue its published tables, loading the raw tables and the facts read from them, the
team's explanations, the pre-critique its findings, editing its journal and views, comparing
its conference views. `sibtui.db` only orders and applies what it is given. This module is
the one composition root above the core: the command line, the console, tests and benchmarks
open workspaces through it.
"""

from __future__ import annotations

from pathlib import Path

from sibtui.catalog import schema as catalog_schema
from sibtui.compare import schema as compare_schema
from sibtui.db import workspace as db_workspace
from sibtui.db.schema import SchemaObject, ensure_schema
from sibtui.edit import schema as edit_schema
from sibtui.explain import schema as explain_schema
from sibtui.ingest import schema as ingest_schema
from sibtui.rules import schema as rules_schema

__all__ = ["Workspace", "apply_schema", "schema"]


def schema() -> tuple[SchemaObject, ...]:
    """Every object of a workspace, part by part (`sibtui.db.schema.ordered` orders them)."""
    return (
        *ingest_schema.relations(),
        *catalog_schema.relations(),
        *explain_schema.relations(),
        *rules_schema.relations(),
        *edit_schema.relations(),
        *compare_schema.relations(),
    )


def apply_schema(connection) -> None:
    """Create or bring up to date every object on a bare DuckDB connection (tests, tools)."""
    ensure_schema(connection, schema())


class Workspace(db_workspace.Workspace):
    """An open workspace file with sibtui's schema; use as a context manager."""

    def __init__(self, path: Path | str, read_only: bool = False,
                 memory_limit: str = db_workspace.DEFAULT_MEMORY_LIMIT, must_exist: bool = False):
        super().__init__(path, schema, read_only=read_only, memory_limit=memory_limit, must_exist=must_exist)
