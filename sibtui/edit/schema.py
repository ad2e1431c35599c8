"""What editing keeps in the workspace: the journal, the regeneration log, the `*_current`
views, where each rejected movement stands (`sbx_resend_state`), what CNX and transfer edits
become (`planned_cnx_movements`) and where each transferred vínculo stands (`transfer_review`).

The journal is the only mutable truth: loaded rows never change, `<table>_current` shows
them with the journal applied (`sibtui.edit.ddl`). The three last views are for SQL; the code
builds the same SQL itself, as of a journal edit id when it must.
"""

from __future__ import annotations

from sibtui.catalog.tables import CURRENT_VIEW_SUFFIX, EDITABLE_TABLES
from sibtui.db.identifiers import quote
from sibtui.db.schema import Relation
from sibtui.edit.ddl import (
    ADDED_COLUMNS,
    JOURNAL_COLUMNS,
    JOURNAL_TABLE,
    REGENERATED_CHANGES_COLUMNS,
    REGENERATED_MOVEMENTS_COLUMNS,
    REGENERATIONS_COLUMNS,
    SEQUENCES,
    current_rows_sql,
)
from sibtui.edit.regen.cnx_plan import PLANNED_VIEW, planned_sql
from sibtui.edit.resend import going_sql
from sibtui.edit.transfer import TRANSFER_REVIEW_VIEW, review_sql

# What the planned CNX movements and the resend states read.
_PLANNED_READS = ("edit_journal", "cnx_beneficiaries", "transfer_beneficiaries", "files", "file_moments", "newest_cnx",
                  "regenerated_changes", "regenerations")
_STATE_READS = ("rpx_answers", "rpx_rejection_links", "sbx_movements", "edit_journal", "files", "file_moments",
                "newest_cnx", "cnx_beneficiaries", "transfer_beneficiaries", "regenerations", "regenerated_movements")


def table_sql(name: str, columns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """CREATE TABLE of the first columns, then ADD COLUMN of those added since (`ADDED_COLUMNS`)."""
    added = ADDED_COLUMNS.get(name, ())
    first = columns[: len(columns) - len(added)]
    body = ", ".join(f"{quote(column)} {sql_type}" for column, sql_type in first)
    statements = [f"CREATE TABLE IF NOT EXISTS {quote(name)} ({body})"]
    statements += [f"ALTER TABLE {quote(name)} ADD COLUMN IF NOT EXISTS {quote(column)} {sql_type} DEFAULT {default}"
                   for column, sql_type, default in added]
    return tuple(statements)


def current_view_sql(table: str) -> str:
    """`<table>_current`: the loaded rows with the edit journal applied."""
    return f"CREATE OR REPLACE VIEW {quote(table + CURRENT_VIEW_SUFFIX)} AS {current_rows_sql(table)}"


def relations() -> tuple[Relation, ...]:
    tables = ((JOURNAL_TABLE, JOURNAL_COLUMNS), ("regenerations", REGENERATIONS_COLUMNS),
              ("regenerated_movements", REGENERATED_MOVEMENTS_COLUMNS),
              ("regenerated_changes", REGENERATED_CHANGES_COLUMNS))
    return (
        *(Relation(name, (f"CREATE SEQUENCE IF NOT EXISTS {name}",)) for name in SEQUENCES),
        *(Relation(name, table_sql(name, columns)) for name, columns in tables),
        *(Relation(table + CURRENT_VIEW_SUFFIX, (current_view_sql(table),), (table, JOURNAL_TABLE))
          for table in EDITABLE_TABLES),
        Relation("sbx_resend_state", (f"CREATE OR REPLACE VIEW sbx_resend_state AS {going_sql()}",), _STATE_READS),
        Relation(PLANNED_VIEW, (f"CREATE OR REPLACE VIEW {PLANNED_VIEW} AS {planned_sql()}",), _PLANNED_READS),
        Relation(TRANSFER_REVIEW_VIEW, (f"CREATE OR REPLACE VIEW {TRANSFER_REVIEW_VIEW} AS {review_sql()}",),
                 ("transfer_beneficiaries_current", "files", JOURNAL_TABLE)),
    )
