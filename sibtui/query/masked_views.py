"""Mask mode at the source: ad hoc SQL reads relations whose personal columns are masked.

Masking result columns by their names (what `sibtui.privacy.Masker` does for the screens)
cannot hold against ad hoc SQL: `nome AS x`, `upper(nome)`, `try_cast(cpf AS BIGINT)`,
`[nome]`, a whole row (`SELECT m FROM sbx_movements m`), an aggregate, or the value a
conversion error quotes all carry the person past any rule on names. So in mask mode the
query never sees a personal value at all:

- on the query's own cursor, each sibtui relation it names gets a temporary view of the
  same name (DuckDB resolves an unqualified name to `temp` first) whose personal columns
  are masked in SQL, exactly as `sibtui.privacy.mask_value` masks them: identifiers keep
  their last two characters, names their initials, other personal fields their shape;
  columns that carry any field's value (`old_value`, `value`...) are masked on the rows
  whose `field` is personal; other text has CPF/PIS/CNS-like digit runs and ISO dates
  masked (a finding's message quotes a birth date);
- whatever could reach the real rows around those views is refused on the parse tree
  (`sibtui.query.sql_guard`): a qualified name (`workspace.main.sbx_movements`), a
  relation sibtui did not create (a copy made in write mode), a CTE that shares a table's
  name, a macro, a table function other than generators and the catalogue, storage
  statistics (`pragma_storage_info` shows minimum and maximum values), EXPLAIN ANALYZE;
- error text is scrubbed of quoted values and identifiers (`sibtui.privacy`).

The views live on the query's cursor only and die with it; other cursors of the console
(the grids, the editor) still see the stored values.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from sibtui import privacy
from sibtui.db.identifiers import quote
from sibtui.query.sql_guard import Checked
from sibtui.query.sql_refusals import Refusal
from sibtui.query.sql_refusals import RefusalKind as Why

MACRO_PREFIX = "__sibtui_mask_"
READABLE_SCHEMAS = frozenset({"information_schema"})


def _macros() -> list[str]:
    identifiers = ", ".join(f"'{name}'" for name in sorted(privacy.IDENTIFIER_FIELDS))
    names = ", ".join(f"'{name}'" for name in sorted(privacy.NAME_FIELDS))
    personal = ", ".join(f"'{name}'" for name in sorted(privacy.personal_fields()))
    p = MACRO_PREFIX
    return [
        rf"CREATE OR REPLACE TEMP MACRO {p}shape(v) AS regexp_replace(v, '[\pL\pN]', '{privacy.MASK}', 'g')",
        f"CREATE OR REPLACE TEMP MACRO {p}tail(v) AS CASE WHEN length(v) <= 4 THEN {p}shape(v) "
        f"ELSE {p}shape(left(v, length(v) - 2)) || right(v, 2) END",
        rf"CREATE OR REPLACE TEMP MACRO {p}initials(v) AS CASE WHEN regexp_full_match(v, '\s*') THEN v "
        rf"ELSE array_to_string(list_transform(list_filter(regexp_split_to_array(v, '\s+'), lambda w: w <> ''), "
        rf"lambda w: left(w, 1) || '.'), ' ') END",
        rf"CREATE OR REPLACE TEMP MACRO {p}free_text(v) AS array_to_string(list_transform("
        rf"regexp_extract_all(v, '\d{{4}}-\d{{2}}-\d{{2}}|\d{{3}}\.\d{{3}}\.\d{{3}}-\d{{2}}|\d+|\D+'), "
        rf"lambda t: CASE WHEN regexp_full_match(t, '\d{{11}}|\d{{15}}|\d{{3}}\.\d{{3}}\.\d{{3}}-\d{{2}}') THEN {p}tail(t) "
        rf"WHEN regexp_full_match(t, '\d{{4}}-\d{{2}}-\d{{2}}') THEN {p}shape(t) ELSE t END), '')",
        f"CREATE OR REPLACE TEMP MACRO {p}by_field(f, v) AS CASE WHEN f IN ({identifiers}) THEN {p}tail(v) "
        f"WHEN f IN ({names}) THEN {p}initials(v) WHEN f IN ({personal}) THEN {p}shape(v) ELSE v END",
    ]


def mask_sql(field: str, value_sql: str) -> str:
    """SQL of `value_sql` masked as a value of the personal `field` (`privacy.mask_value`)."""
    if field in privacy.IDENTIFIER_FIELDS:
        return f"{MACRO_PREFIX}tail({value_sql})"
    if field in privacy.NAME_FIELDS:
        return f"{MACRO_PREFIX}initials({value_sql})"
    return f"{MACRO_PREFIX}shape({value_sql})"


def column_sql(name: str, data_type: str, has_field_column: bool) -> str:
    """One column of a masked view: `SELECT <this>, ... FROM the relation`."""
    column = quote(name)
    text = column if data_type == "VARCHAR" else f"CAST({column} AS VARCHAR)"
    field = privacy.personal_field_of(name)
    if field is not None:
        return f"{mask_sql(field, text)} AS {column}"
    if name in privacy.VALUE_COLUMNS:
        masked = f"{MACRO_PREFIX}by_field({quote(privacy.FIELD_COLUMN)}, {text})" if has_field_column \
            else f"{MACRO_PREFIX}shape({text})"
        return f"{masked} AS {column}"
    if data_type == "BLOB":  # a kept original's compressed bytes (`file_originals.data`) hold people too
        return f"NULL::BLOB AS {column}"
    if name in privacy.known_fields() or "VARCHAR" not in data_type:
        return column
    if data_type == "VARCHAR[]":
        return f"list_transform({column}, lambda x: {MACRO_PREFIX}free_text(x)) AS {column}"
    return f"{MACRO_PREFIX}free_text({text}) AS {column}"


def prepare(cursor: duckdb.DuckDBPyConnection, checked: Iterable[Checked], own: frozenset[str]) -> None:
    """Refuse what mask mode cannot vouch for, then mask every sibtui relation the SQL names."""
    trees = [item.tree for item in checked if item.tree is not None]
    relations = _workspace_relations(cursor)
    user_functions = _user_functions(cursor)
    wanted: set[str] = set()
    for tree in trees:
        for catalog, schema, name in tree.tables:
            wanted |= _judge_table(catalog, schema, name, tree.ctes, relations, own)
        for catalog, schema, name in tree.functions:
            if catalog or schema or name in user_functions:
                shown = ".".join(part for part in (catalog, schema, name) if part)
                raise Refusal(Why.MASK_MACRO, f"{shown}() refused in mask mode: sibtui cannot mask what a macro "
                              "reads", name=shown)
    install(cursor, sorted(wanted))


def _judge_table(catalog: str, schema: str, name: str, ctes: set[str], relations: frozenset[str],
                 own: frozenset[str]) -> set[str]:
    lowered = name.lower()
    if catalog or (schema and schema.lower() not in READABLE_SCHEMAS):
        shown = ".".join(part for part in (catalog, schema, name) if part)
        raise Refusal(Why.MASK_QUALIFIED, f"{shown} refused in mask mode: name the table alone ({name}), so its "
                      "masked view is read", statement=shown, name=name)
    if schema:
        return set()
    if lowered in own and lowered in relations:
        return {lowered}
    if lowered in relations:
        why, what = ((Why.MASK_CTE, "a CTE named like the table") if lowered in ctes
                     else (Why.MASK_FOREIGN_TABLE, "a table sibtui did not create"))
        raise Refusal(why, f"{name} refused in mask mode: {what}; sibtui masks only its own tables", name=name)
    return set()


def install(cursor: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """Create the masking macros and a masked temporary view for each relation in `names`."""
    for statement in _macros():
        cursor.execute(statement)
    if not names:
        return
    database = cursor.execute("SELECT current_database()").fetchall()[0][0]
    rows = cursor.execute(
        "SELECT lower(table_name), column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND list_contains(?, lower(table_name)) "
        "ORDER BY table_name, column_index",
        [names],
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, []).append((column, data_type))
    for table, table_columns in columns.items():
        has_field = any(column == privacy.FIELD_COLUMN for column, _ in table_columns)
        select = ", ".join(column_sql(column, data_type, has_field) for column, data_type in table_columns)
        cursor.execute(
            f"CREATE OR REPLACE TEMP VIEW {quote(table)} AS SELECT {select} FROM {quote(database)}.main.{quote(table)}"
        )


def _workspace_relations(cursor: duckdb.DuckDBPyConnection) -> frozenset[str]:
    rows = cursor.execute(
        "SELECT DISTINCT lower(table_name) FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION SELECT DISTINCT lower(view_name) FROM duckdb_views() WHERE database_name = current_database()"
    ).fetchall()
    return frozenset(row[0] for row in rows)


def _user_functions(cursor: duckdb.DuckDBPyConnection) -> frozenset[str]:
    rows = cursor.execute(
        "SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE NOT internal AND NOT starts_with("
        "function_name, ?)", [MACRO_PREFIX]
    ).fetchall()
    return frozenset(row[0] for row in rows)


def scrub(message: str, masked: bool) -> str:
    """An error line as shown: quoted values out always; in mask mode CPFs, CNSs and dates too."""
    line = privacy.redact_message(message)
    return privacy.mask_free_text(line) if masked else line
