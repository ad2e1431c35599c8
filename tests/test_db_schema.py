"""Opening a workspace: built once, then opened as is until this sibtui's DDL or catalogue changes."""

from __future__ import annotations

from conftest import query
from sibtui.compare import schema as compare_schema
from sibtui.db import schema
from sibtui.workspace import Workspace

VIEW = "sbx_cns_pending"


def views(workspace: Workspace) -> set[str]:
    return {row[0] for row in query(workspace, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}


def test_a_new_workspace_gets_every_table_and_view_and_remembers_what_built_it(tmp_path):
    with Workspace(tmp_path / "w.duckdb") as workspace:
        assert VIEW in views(workspace) and "cnx_beneficiaries_current" in views(workspace)
        meta = dict(query(workspace, "SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(schema.SCHEMA_VERSION)
        assert len(meta["schema_fingerprint"]) == 64


def test_an_unchanged_workspace_is_opened_without_running_the_ddl_again(tmp_path):
    path = tmp_path / "w.duckdb"
    with Workspace(path) as workspace:
        query(workspace, f"DROP VIEW {VIEW}")  # what a re-run of the DDL would bring back
    with Workspace(path) as workspace:
        assert VIEW not in views(workspace)


def test_changed_ddl_rebuilds_the_views_and_keeps_the_data(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    with Workspace(path) as workspace:
        query(workspace, "INSERT INTO meta VALUES ('kept', 'yes')")
        before = dict(query(workspace, "SELECT key, value FROM meta"))["schema_fingerprint"]
    monkeypatch.setattr(compare_schema, "SBX_CNS_PENDING_SQL", f"CREATE OR REPLACE VIEW {VIEW} AS SELECT 1 AS changed")
    with Workspace(path) as workspace:
        assert query(workspace, f"SELECT * FROM {VIEW}") == [(1,)]
        meta = dict(query(workspace, "SELECT key, value FROM meta"))
        assert meta["kept"] == "yes" and meta["schema_fingerprint"] != before
