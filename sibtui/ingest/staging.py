"""First rows of a file being loaded, visible to this process before the file commits.

A file is loaded in one transaction, so other readers see it only once it is complete and
a cancelled or failed load leaves the workspace exactly as before. The analyst who started
a multi-GB load still wants to look at it at once: the loader copies its first chunk of
rows into a table of an in-memory database attached to the workspace's DuckDB instance.
Every cursor of this process can query it (`SELECT * FROM sibtui_loading.cnx_beneficiaries`);
no other process can, nothing of it is ever written to the workspace file, and it is
dropped when the load ends, whatever the outcome.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import Table
from sibtui.db.cursors import closing
from sibtui.db.identifiers import quote
from sibtui.db.workspace import Workspace

STAGING_DATABASE = "sibtui_loading"


def preview_table(table: Table) -> str:
    """Qualified name of the preview of `table` (exists only while a load is running)."""
    return f"{STAGING_DATABASE}.{quote(table.name)}"


def publish(workspace: Workspace, table: Table, file_id: int, batch: pa.RecordBatch) -> None:
    with closing(workspace.cursor()) as cursor:
        cursor.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {STAGING_DATABASE}")
        cursor.register("__preview", batch)
        try:
            cursor.execute(
                f"CREATE OR REPLACE TABLE {preview_table(table)} AS SELECT ?::BIGINT AS file_id, * FROM __preview",
                [file_id],
            )
        finally:
            cursor.unregister("__preview")


def withdraw(workspace: Workspace, table: Table) -> None:
    with closing(workspace.cursor()) as cursor:
        try:
            attached = cursor.execute(
                "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [STAGING_DATABASE]
            ).fetchall()[0][0]
            if attached:
                cursor.execute(f"DROP TABLE IF EXISTS {preview_table(table)}")
        except duckdb.Error:
            pass  # nothing to withdraw, or the connection is closing
