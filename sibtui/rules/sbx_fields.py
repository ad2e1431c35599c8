"""The SBX field checks of a check: every value of every movement against its domain and place.

They read the movements and the day each file was made, nothing the record rules build,
so they can run beside the main check on a cursor of their own (`sibtui.rules.beside`),
over `field_moves`, while the main cursor builds the context and runs the record rules.
Only the columns that hold something to check in the movements judged are judged.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import SBX_MOVEMENTS
from sibtui.rules import field_sql
from sibtui.rules.context import CheckContext, field_moves_sql, register_municipalities

SOURCE_TABLE = SBX_MOVEMENTS.name
COLUMNS = tuple(column for column in SBX_MOVEMENTS.value_columns if column != "movement")


def field_selects(ctx: CheckContext, source: str, cursor: duckdb.DuckDBPyConnection) -> list[str]:
    """The field checks of the SBX columns that hold anything to check in `source` (`moves`, or
    `field_moves`: the movements judged, with `future_from`)."""
    judged = field_sql.sbx_columns_with_something_to_say(cursor, source, COLUMNS)
    return list(field_sql.sbx_field_selects(source, judged, ctx.today, future_from="future_from"))


def temporaries(ctx: CheckContext) -> tuple[str, ...]:
    """The TEMP relations `judge_fields` creates on its cursor."""
    return (ctx.field_moves, ctx.municipalities)


def judge_fields(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> pa.Table | None:
    """The field findings as staged rows (file_id, record_no, source_table, field, rule, message, value)."""
    register_municipalities(ctx, cursor)  # the address checks join it
    cursor.execute(field_moves_sql(ctx, cursor))
    selects = field_selects(ctx, ctx.field_moves, cursor)
    if not selects:
        return None
    union = "\nUNION ALL\n".join(f"({select})" for select in selects)
    return cursor.sql(
        f"SELECT file_id, record_no, '{SOURCE_TABLE}' AS source_table, field, rule, message, value FROM ({union})"
    ).to_arrow_table()
