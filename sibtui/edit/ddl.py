"""The edit journal, the regeneration log and the `*_current` views: columns and SQL.

Loaded rows are evidence and never change: every correction is one row appended to
`edit_journal`, and `<table>_current` shows the raw rows with, per (record, field), the
newest journal value. Undo and redo are journal rows too (they set a field back to its
older value), so the journal alone replays the whole history, and "the value at edit N"
is always reproducible: the regeneration log points into it by edit id.

The view joins the raw table (the big side) with a small pivot of the latest edit per
record. DuckDB builds its hash table on the pivot, so a workspace without edits pays an
empty join, and one with a few thousand edits pays a scan plus a small probe
(`bench/bench_current_views.py`). Only editable fields get a CASE; every other column is
the raw column itself, so filters on keys and on non-editable columns still push down.
"""

from __future__ import annotations

from sibtui.catalog.fields import FIELDS
from sibtui.catalog.tables import TABLES_BY_NAME
from sibtui.db.identifiers import quote

JOURNAL_TABLE = "edit_journal"
# A resend decision (`sibtui.edit.decisions`) is a journal row too, under this pseudo-field: it
# gets undo, redo, who and when for free. It is no value of the record, so every reader of
# values (`latest_edits_sql`, the `*_current` views, the pending list) leaves it out.
DECISION_FIELD = "decisao_reenvio"
HOLD = "hold"  # não reenviar
RESEND = "resend"  # reenviar como está
DECISIONS = (HOLD, RESEND)

# One row per changed field. An action (one confirmed edit, one bulk edit, one undo) is all
# rows sharing `action_id`; `target_action` names the action an undo reverts or a redo redoes.
JOURNAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("edit_id", "BIGINT"),
    ("action_id", "BIGINT"),
    ("action", "VARCHAR"),  # set | bulk-set | fill-cns | trim | upper | remove-accents | undo | redo
    ("target_action", "BIGINT"),
    ("edited_at", "TIMESTAMP"),
    ("os_user", "VARCHAR"),
    ("table_name", "VARCHAR"),  # sbx_movements | cnx_beneficiaries | transfer_beneficiaries
    ("file_id", "BIGINT"),
    ("record_no", "BIGINT"),
    ("field", "VARCHAR"),
    ("old_value", "VARCHAR"),  # NULL: the element was absent
    ("new_value", "VARCHAR"),  # NULL: the element is removed
    ("reason", "VARCHAR"),  # the RPX error code(s) or finding rule the change answers
    ("note", "VARCHAR"),
    ("forced", "BOOLEAN"),  # saved despite an error-severity problem
)

REGENERATIONS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("regeneration_id", "BIGINT"),
    ("part_no", "INTEGER"),
    ("part_count", "INTEGER"),
    ("created_at", "TIMESTAMP"),
    ("os_user", "VARCHAR"),
    ("scope", "VARCHAR"),  # rejected | file-rejected | all | cnx-edits | no-movement
    ("source_file_id", "BIGINT"),  # the SBX corrected; NULL for retificações made from CNX edits
    ("source_name", "VARCHAR"),
    ("rpx_file_id", "BIGINT"),  # the RPX whose answer chose the movements, if any
    ("registroANS", "VARCHAR"),
    ("output_name", "VARCHAR"),
    ("output_path", "VARCHAR"),
    ("sequencialTransacao", "VARCHAR"),
    ("dataHoraRegistroTransacao", "VARCHAR"),
    ("hash", "VARCHAR"),
    ("movement_count", "BIGINT"),
    ("size_bytes", "BIGINT"),
    ("xsd_path", "VARCHAR"),  # schema the file was validated against, when one was given
    ("journal_edit_id", "BIGINT"),  # newest journal row the file reflects
    ("published", "BOOLEAN"),  # false from the log's commit until the file has its final name
    ("superseded_at", "TIMESTAMP"),
    ("superseded_by", "VARCHAR"),
    ("moved_to", "VARCHAR"),
    ("competencia", "VARCHAR"),  # AAAA-MM a no-movement file declares (the name carries only when it was made)
)
# Columns added after the first release: `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` (with the
# default), so a workspace made before them gains them when next opened for writing and its
# older rows take the default. They are the last columns of their table, in this order.
ADDED_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "regenerations": (
        ("published", "BOOLEAN", "true"),
        ("superseded_at", "TIMESTAMP", "NULL"),  # a newer file replaced it (or nothing in it goes any more)
        ("superseded_by", "VARCHAR", "NULL"),  # the name of that newer file; NULL when withdrawn
        ("moved_to", "VARCHAR", "NULL"),  # where the superseded file went (`substituidos/`)
        ("competencia", "VARCHAR", "NULL"),  # the month a no-movement file declares (issue 23)
    ),
    "regenerated_movements": (
        ("edits_key", "VARCHAR", "''"),  # fingerprint of the net edits it carries: '' none
        ("decision", "VARCHAR", "NULL"),  # the resend decision it went with (corrigido, como_esta...)
    ),
}
# `regenerations` without the rows of files a killed regeneration may not have published.
# UNION BY NAME gives a workspace older than `published` (opened read-only, so not yet
# altered) the column as NULL: all its rows were logged after publication.
PUBLISHED_REGENERATIONS = (
    "(SELECT * FROM (SELECT * FROM regenerations UNION ALL BY NAME SELECT true AS published, "
    "NULL::TIMESTAMP AS superseded_at, NULL::VARCHAR AS superseded_by, NULL::VARCHAR AS moved_to, "
    "NULL::VARCHAR AS competencia WHERE false) "
    "WHERE published IS NOT false)"
)
# `regenerated_movements` with the columns added later, whatever the workspace's age.
LOGGED_MOVEMENTS = (
    "(SELECT * FROM regenerated_movements UNION ALL BY NAME "
    "SELECT ''::VARCHAR AS edits_key, NULL::VARCHAR AS decision WHERE false)"
)

REGENERATED_MOVEMENTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("regeneration_id", "BIGINT"),
    ("part_no", "INTEGER"),
    ("position", "BIGINT"),  # 1-based position of the movement in the file written
    ("source_table", "VARCHAR"),
    ("source_file_id", "BIGINT"),
    ("source_record_no", "BIGINT"),
    ("movement", "VARCHAR"),
    ("why", "VARCHAR"),  # rejected | file-rejected | all | cnx-edit | transfer-edit
    ("rejection_codes", "VARCHAR[]"),
    ("edit_ids", "BIGINT[]"),  # journal rows whose values the movement carries
    ("edits_key", "VARCHAR"),
    ("decision", "VARCHAR"),
)

# Per written field that differs from the loaded value: what `sibtui fix diff` shows.
REGENERATED_CHANGES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("regeneration_id", "BIGINT"),
    ("part_no", "INTEGER"),
    ("position", "BIGINT"),
    ("source_table", "VARCHAR"),
    ("source_file_id", "BIGINT"),
    ("source_record_no", "BIGINT"),
    ("field", "VARCHAR"),
    ("original_value", "VARCHAR"),
    ("written_value", "VARCHAR"),
    ("edit_id", "BIGINT"),  # NULL when the change is only normalisation (trim, integer form)
    ("why", "VARCHAR"),  # edit | trim | integer-form
)

SEQUENCES: tuple[str, ...] = ("edit_id_seq", "edit_action_seq", "regeneration_seq")


def editable_columns(table: str) -> tuple[str, ...]:
    """Value columns of `table` the analyst may change, in table order."""
    return tuple(c for c in TABLES_BY_NAME[table].value_columns if c in FIELDS and FIELDS[c].editable)


def latest_edits_sql(table: str, upto_edit_id: int | None = None) -> str:
    """Newest journal value per (record, field), with the loaded value it replaced.

    The first journal row of a field holds the loaded value as `old_value` (nothing had
    changed it before), so `original` needs no join with the raw table. Resend decisions
    are not values and are left out.
    """
    limit = f" AND edit_id <= {int(upto_edit_id)}" if upto_edit_id is not None else ""
    return (
        "SELECT file_id, record_no, field, arg_max_null(new_value, edit_id) AS value, "
        "max(edit_id) AS edit_id, arg_min_null(old_value, edit_id) AS original "
        f"FROM {JOURNAL_TABLE} WHERE table_name = '{table}' AND field <> '{DECISION_FIELD}'{limit} "
        "GROUP BY file_id, record_no, field"
    )


# What a movement carries beyond its loaded values, as one text: equal keys, equal file
# content. Aggregated over rows of `latest_edits_sql` (the net edits: value <> original);
# '' when there are none. A regenerated movement keeps its key, so a later regeneration
# (and the cycle) can tell whether the movement changed since it was written.
EDITS_KEY_SQL = (
    "coalesce(md5(string_agg(field || chr(31) || coalesce(value, chr(0)), chr(30) ORDER BY field) "
    "FILTER (WHERE value IS DISTINCT FROM original)), '')"
)


def current_rows_sql(table: str, upto_edit_id: int | None = None, rowid_as: str | None = None) -> str:
    """SELECT of `table` with the journal applied, columns exactly as the raw table's.

    `rowid_as` adds the raw row's `rowid` under that name first: a filter on it reaches the
    raw table's scan, so a grid fetches a screenful of rows by rowid without a join.
    """
    editable = editable_columns(table)
    pivot_columns = ", ".join(
        f"bool_or(field = '{column}') AS {quote('e$' + column)}, "
        f"any_value(value) FILTER (WHERE field = '{column}') AS {quote('v$' + column)}"
        for column in editable
    )
    pivot = (
        f"SELECT file_id, record_no, {pivot_columns} "
        f"FROM ({latest_edits_sql(table, upto_edit_id)}) GROUP BY file_id, record_no"
    )
    selected = [f"raw.rowid AS {quote(rowid_as)}"] if rowid_as else []
    for column in TABLES_BY_NAME[table].columns:
        if column in editable:
            selected.append(
                f"CASE WHEN edits.{quote('e$' + column)} THEN edits.{quote('v$' + column)} "
                f"ELSE raw.{quote(column)} END AS {quote(column)}"
            )
        else:
            selected.append(f"raw.{quote(column)}")
    return (
        f"SELECT {', '.join(selected)} FROM {quote(table)} AS raw "
        f"LEFT JOIN ({pivot}) AS edits ON edits.file_id = raw.file_id AND edits.record_no = raw.record_no"
    )


def latest_decisions_sql(upto_edit_id: int | None = None) -> str:
    """Per SBX movement, the newest decision row: decision (NULL = none), reason, who, when."""
    limit = f" AND edit_id <= {int(upto_edit_id)}" if upto_edit_id is not None else ""
    return (
        "SELECT file_id, record_no, arg_max_null(new_value, edit_id) AS decision, "
        "arg_max_null(reason, edit_id) AS reason, arg_max(os_user, edit_id) AS decided_by, "
        "arg_max(edited_at, edit_id) AS decided_at, arg_max_null(note, edit_id) AS note "
        f"FROM {JOURNAL_TABLE} WHERE table_name = 'sbx_movements' AND field = '{DECISION_FIELD}'{limit} "
        "GROUP BY file_id, record_no"
    )
