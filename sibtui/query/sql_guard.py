"""Which statements ad hoc SQL may run, decided on DuckDB's own parse, never on words.

Ad hoc SQL (`sibtui query`, the console's SQL screen) reads the workspace; loaded files
are evidence and the journal is the analyst's work. A list of forbidden words can be talked
around (`EXPLAIN ANALYZE DELETE ...`, a `DELETE ... RETURNING` inside a CTE, a
`checkpoint()` table function), so every statement is judged on what DuckDB's parser says
it is:

- `extract_statements` splits the text and types each statement; only reading types pass
  (`SELECT`, `EXPLAIN`, reading `PRAGMA`/`CALL`, session `SET`). A type this DuckDB adds
  later is refused until someone looks at it.
- a `SELECT` (and the statement inside an `EXPLAIN`) is serialised to its syntax tree
  (`json_serialize_sql`): every query node must be a SELECT (no INSERT/UPDATE/DELETE in a
  CTE), every table function one that only reads (no `checkpoint()`, `query()`,
  `json_execute_serialized_sql()`), no function that changes state (`nextval`, `setval`,
  `setseed`, `write_log`). A statement the parser cannot serialise is refused.
- the parser's tokens find those functions in statements that have no tree (`SET VARIABLE
  x = nextval(...)`, a write-mode `CREATE TABLE AS`).

Write mode (`sibtui query --write`) also allows INSERT/UPDATE/DELETE/MERGE and CREATE/DROP/
ALTER, on the analyst's own tables only: sibtui's tables and views (loaded files, the
journal, the catalogue, the regeneration log) are refused, so the journal stays the true
story of every change. No mode reaches files (`COPY`, `ATTACH`, `EXPORT`/`IMPORT`, and the
workspace runs with `enable_external_access` off), loads extensions, prepares statements
that later run unseen, or changes a setting beyond the session's (`SET memory_limit`,
`CHECKPOINT`, `VACUUM`, `SET GLOBAL`).

A refusal is a `Refusal` (`sibtui.query.sql_refusals`): its English line is what `sibtui query`
prints; its kind is what the console says in Portuguese. This module only classifies. Running is `sibtui.query.adhoc` (and `sql_runner` for the
console), which also runs reading SQL inside a transaction that cannot keep a change: the
classifier is the first wall, not the only one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb

from sibtui.db.failures import first_line
from sibtui.query.sql_refusals import QueryError, Refusal
from sibtui.query.sql_refusals import RefusalKind as Why

READ_TYPES = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "SET", "VARIABLE_SET"})
WRITE_TYPES = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE_INTO", "CREATE", "DROP", "ALTER", "TRANSACTION"})
_DML_NODES = {"INSERT_QUERY_NODE": "INSERT", "UPDATE_QUERY_NODE": "UPDATE", "DELETE_QUERY_NODE": "DELETE"}
READING_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})

# Settings a session may change for itself: how results show, and its own variables.
SESSION_SETTINGS = frozenset({"variable", "timezone", "calendar", "default_order", "default_null_order"})
# PRAGMA / CALL names that only read the catalogue.
CATALOGUE_PRAGMAS = frozenset({
    "table_info", "show", "show_tables", "show_tables_expanded", "show_databases", "database_list",
    "database_size", "version", "platform", "functions", "collations", "user_agent",
})
# ...and those that read storage statistics (segment minimum and maximum: data values).
STATISTICS_PRAGMAS = frozenset({"storage_info", "table_storage_info", "metadata_info"})

# Table functions that only read: generators, JSON walkers and the catalogue.
CATALOGUE_TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "repeat", "json_each", "json_tree", "pg_timezone_names",
    "icu_calendar_names", "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies",
    "duckdb_functions", "duckdb_indexes", "duckdb_keywords", "duckdb_schemas", "duckdb_sequences",
    "duckdb_settings", "duckdb_tables", "duckdb_types", "duckdb_views", "pragma_table_info", "pragma_show",
    "pragma_version", "pragma_platform", "pragma_database_size", "pragma_collations", "pragma_user_agent",
})
# ...and those that read statistics, memory or this session's state (not in mask mode).
STATE_TABLE_FUNCTIONS = frozenset({
    "pragma_storage_info", "pragma_metadata_info", "duckdb_memory", "duckdb_temporary_files", "duckdb_variables",
    "duckdb_extensions", "test_all_types",
})
# Functions that change state even inside a SELECT, or run SQL the parser never saw.
STATE_CHANGING_FUNCTIONS = frozenset({
    "nextval", "setval", "setseed", "write_log", "checkpoint", "force_checkpoint", "query", "query_table",
    "json_execute_serialized_sql", "enable_logging", "disable_logging", "truncate_duckdb_logs",
    "enable_profiling", "disable_profiling", "create_external_resource", "register_external_resource",
    "register_external_resource_type", "deregister_external_resource", "destroy_external_resource",
})
_FILE_FUNCTIONS = re.compile(r"^(read_|parquet_|glob$|sniff_csv$)")

READ_ONLY_HINT = ("ad hoc SQL is read-only (loaded files and the edit journal are evidence); "
                  "change records with the editor or `sibtui fix`")
_SET_VALUE = re.compile(r"^\s*SET\s+(?:(?:SESSION|LOCAL)\s+)?(?:VARIABLE\s+)?(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_]*)"
                        r"\s*(?:=|TO)\s*(.*?)[\s;]*$", re.I | re.S)
_SETTING = re.compile(r"^\s*(SET|RESET|PRAGMA)\s+(?:(SESSION|LOCAL|GLOBAL)\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)", re.I)
_CALLED = re.compile(r"^\s*(?:PRAGMA|CALL)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(.*?)[\s;]*$", re.I | re.S)
_LITERAL_ARGUMENTS = re.compile(r"^(?:\(\s*(?:'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)?\s*\))?$", re.S)
_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?(\((?:[^()']|'[^']*')*\)\s*)?", re.I)


@dataclass
class Tree:
    """What a statement's syntax tree names: its query nodes, tables, CTEs and functions."""

    nodes: set[str] = field(default_factory=set)
    tables: list[tuple[str, str, str]] = field(default_factory=list)  # (catalog, schema, name)
    ctes: set[str] = field(default_factory=set)
    table_functions: set[str] = field(default_factory=set)
    functions: list[tuple[str, str, str]] = field(default_factory=list)  # (catalog, schema, name)
    targets: list[str] = field(default_factory=list)  # tables an INSERT/UPDATE/DELETE node writes


@dataclass(frozen=True)
class Checked:
    """A statement that may run, with the tree it was judged on (None: no tree to judge)."""

    statement: object  # duckdb.Statement
    kind: str
    tree: Tree | None

    @property
    def query(self) -> str:
        return self.statement.query  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Policy:
    """What the caller allows: writes (`--write`), and the relations sibtui owns."""

    allow_writes: bool = False
    masked: bool = False
    own_relations: frozenset[str] = frozenset()


def check_sql(cursor: duckdb.DuckDBPyConnection, sql: str, policy: Policy) -> list[Checked]:
    """Every statement of `sql`, checked; raise `QueryError` (and run nothing) if one may not run."""
    if not sql.strip():
        raise Refusal(Why.EMPTY, "empty query")
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(first_line(error)) from None
    if not statements:
        raise Refusal(Why.EMPTY, "empty query")
    return [check_statement(cursor, statement, policy) for statement in statements]


def check_statement(cursor: duckdb.DuckDBPyConnection, statement, policy: Policy) -> Checked:
    try:
        kind = statement.type.name
    except ValueError:  # a statement type newer than this sibtui's DuckDB binding knows
        opening = _opening(statement.query)
        raise Refusal(Why.UNKNOWN_STATEMENT, f"{opening} refused: a statement sibtui does not know",
                      statement=opening) from None
    _refuse_state_changing_calls(statement.query)
    if kind in READ_TYPES:
        return _check_reading(cursor, statement, kind, policy)
    if kind in WRITE_TYPES and policy.allow_writes:
        return Checked(statement, kind, _check_write(cursor, statement.query, kind, policy))
    if kind in WRITE_TYPES:
        raise Refusal(Why.READ_ONLY, f"{kind} refused: {READ_ONLY_HINT} (`sibtui query --write` changes only tables "
                      "you created)", statement=kind.replace("_", " "))
    mode = "" if policy.allow_writes else " (ad hoc SQL is read-only)"
    why, reason = _WHY_NEVER.get(kind, (Why.NOT_ALLOWED, "ad hoc SQL may not run it"))
    raise Refusal(why, f"{kind} refused: {reason}{mode}", statement=kind.replace("_", " "))


_WHY_NEVER = {
    "ATTACH": (Why.ATTACH, "SQL may not open other databases or files"),
    "DETACH": (Why.DETACH, "SQL may not close the workspace's databases"),
    "COPY": (Why.FILES, "SQL may not read or write files (export from the console, or `--format csv`)"),
    "COPY_DATABASE": (Why.COPY_DATABASE, "SQL may not copy the workspace"),
    "EXPORT": (Why.FILES, "SQL may not write files (export from the console, or `--format csv`)"),
    "LOAD": (Why.EXTENSIONS, "SQL may not install or load extensions"),
    "EXTENSION": (Why.EXTENSIONS, "SQL may not install or load extensions"),
    "VACUUM": (Why.STORAGE, "SQL may not change how the workspace is stored"),
    "ANALYZE": (Why.STORAGE, "SQL may not change how the workspace is stored"),
    "PREPARE": (Why.PREPARED, "prepared statements would run later, unchecked; write the query itself"),
    "EXECUTE": (Why.PREPARED, "prepared statements would run unchecked; write the query itself"),
    "MULTI": (Why.HIDDEN_STATEMENTS,
              "this statement runs several hidden ones (PIVOT without IN: list the values, PIVOT ... ON x IN (...))"),
}


def _check_reading(cursor, statement, kind: str, policy: Policy) -> Checked:
    query = statement.query
    if kind == "SELECT":
        tree = serialised_tree(cursor, query)
        check_tree(tree, policy)
        return Checked(statement, kind, tree)
    if kind == "EXPLAIN":
        return _check_explain(cursor, statement, policy)
    if kind in ("SET", "VARIABLE_SET"):
        return Checked(statement, kind, _check_setting(cursor, query, policy))
    _check_pragma(query, kind, policy)
    return Checked(statement, kind, None)


def _check_explain(cursor, statement, policy: Policy) -> Checked:
    """The statement EXPLAIN wraps is judged like any other; ANALYZE runs it."""
    match = _EXPLAIN.match(statement.query)
    inner_sql = statement.query[match.end():] if match else ""
    try:
        inner = cursor.extract_statements(inner_sql) if inner_sql.strip() else []
    except duckdb.Error:
        inner = []
    if len(inner) != 1:
        raise Refusal(Why.EXPLAIN_UNREADABLE,
                      "EXPLAIN refused: sibtui could not read the statement it explains; write EXPLAIN SELECT ...")
    analyze = bool(match and (match.group(1) or re.search("analy[sz]e", match.group(2) or "", re.I)))
    if analyze and policy.masked:
        raise Refusal(Why.EXPLAIN_ANALYZE_MASKED,
                      "EXPLAIN ANALYZE refused in mask mode: its profile can show values the query read")
    checked = check_statement(cursor, inner[0], Policy(False, policy.masked, policy.own_relations))
    return Checked(statement, "EXPLAIN", checked.tree)


def _check_setting(cursor, query: str, policy: Policy) -> Tree | None:
    """A session setting only; a variable's value is an expression, judged as a SELECT."""
    match = _SETTING.match(query)
    if match is None:
        raise Refusal(Why.READ_ONLY, f"{_opening(query)} refused: {READ_ONLY_HINT}", statement=_opening(query))
    verb, scope, name = match.group(1).upper(), (match.group(2) or "").upper(), match.group(3).lower()
    if name not in SESSION_SETTINGS or scope == "GLOBAL":
        statement = f"{verb} {'GLOBAL ' if scope == 'GLOBAL' else ''}{name}"
        raise Refusal(Why.SETTING, f"{statement} refused: ad hoc SQL may not change the workspace's settings (memory, "
                      "threads, checkpoints, profiling, search path); SET VARIABLE and SET TimeZone run",
                      statement=statement)
    value = _SET_VALUE.match(query)
    if value is not None:  # the value is an expression: it may read tables (mask mode) or call functions
        tree = serialised_tree(cursor, f"SELECT {value.group(1)}")
        check_tree(tree, policy)
        return tree
    if verb == "SET":
        raise Refusal(Why.SETTING_VALUE, f"SET {name} refused: sibtui could not read its value (write SET name = "
                      "value)", statement=f"SET {name}")
    return None


def _check_pragma(query: str, kind: str, policy: Policy) -> None:
    """PRAGMA x / CALL f(): the catalogue's (and, unmasked, the statistics') readers, with
    literal arguments only; CALL f() is SELECT * FROM f(), so the reading table functions too."""
    match = _CALLED.match(query)
    function = match.group(1).lower() if match else ""
    arguments = match.group(2) if match else ""
    name = function.removeprefix("pragma_")
    allowed = CATALOGUE_PRAGMAS if policy.masked else CATALOGUE_PRAGMAS | STATISTICS_PRAGMAS
    functions = CATALOGUE_TABLE_FUNCTIONS if policy.masked else CATALOGUE_TABLE_FUNCTIONS | STATE_TABLE_FUNCTIONS
    readable = name in allowed or (kind == "CALL" and function in functions)
    if readable and _LITERAL_ARGUMENTS.match(arguments.strip()):
        return
    if name in STATISTICS_PRAGMAS and policy.masked:
        raise Refusal(Why.STATISTICS_MASKED, f"{kind} {name} refused in mask mode: storage statistics hold minimum "
                      "and maximum values", statement=f"{kind} {name}")
    shown = name or _opening(query)
    raise Refusal(Why.PRAGMA, f"{kind} {shown} refused: ad hoc SQL may only read the catalogue with PRAGMA/CALL "
                  "(table_info, show_tables, database_size, version...); it may not change settings, checkpoint or "
                  "profile", statement=f"{kind} {shown}")


def _check_write(cursor, query: str, kind: str, policy: Policy) -> Tree | None:
    """Write mode: the statement's own reads obey the reading rules; it may not write sibtui's tables."""
    if policy.masked:
        raise Refusal(Why.WRITE_MASKED, f"{kind} refused in mask mode: mask mode only reads (turn it off to write)",
                      statement=kind)
    if kind in ("INSERT", "UPDATE", "DELETE"):
        tree = serialised_tree(cursor, f"WITH __sibtui_checked AS (\n{query.strip().rstrip(';')}\n) SELECT 1",
                               writes=True)
        check_tree(tree, Policy(True, False, policy.own_relations))
        targets = tree.targets
    else:
        tree, targets = None, _ddl_targets(query, kind)
    _refuse_own_targets(targets, kind, policy)
    return tree


def _refuse_own_targets(targets: list[str], kind: str, policy: Policy) -> None:
    for target in targets:
        if target.lower() in policy.own_relations:
            raise Refusal(Why.OWN_TABLE, f"{kind} {target} refused: sibtui's own tables are evidence or the "
                          "analyst's journal; write mode changes only tables you created (change records with "
                          "`sibtui fix`)", statement=kind, name=target)


# -- the syntax tree --------------------------------------------------------------------------


def serialised_tree(cursor: duckdb.DuckDBPyConnection, query: str, writes: bool = False) -> Tree:
    """The tree of a SELECT (or, with `writes`, of a DML statement wrapped in a CTE)."""
    try:
        text = cursor.execute("SELECT json_serialize_sql(?)", [query]).fetchall()[0][0]
    except duckdb.Error as error:
        raise QueryError(first_line(error)) from None
    document = json.loads(text)
    if document.get("error") or len(document.get("statements", ())) != 1:
        message = document.get("error_message") or "more than one statement"
        raise Refusal(Why.UNCHECKABLE_READ, f"{_opening(query)} refused: sibtui could not check what it reads "
                      f"({message})", statement=_opening(query), detail=message)
    tree = Tree()
    for node in _dicts(document["statements"][0]):
        _note(node, tree)
    if writes and not tree.targets:
        raise Refusal(Why.UNCHECKABLE_WRITE, f"{_opening(query)} refused: sibtui could not check what it writes",
                      statement=_opening(query))
    return tree


def _dicts(node: object) -> Iterator[dict]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _note(node: dict, tree: Tree) -> None:
    kind = node.get("type")
    if isinstance(kind, str) and kind.endswith("_NODE"):
        tree.nodes.add(kind)
        if kind in _DML_NODES:
            target = node.get("table")
            tree.targets.append(target.get("table_name", "") if isinstance(target, dict) else str(target or ""))
    if kind == "BASE_TABLE":
        tree.tables.append((node.get("catalog_name") or "", node.get("schema_name") or "", node.get("table_name") or ""))
    elif kind == "TABLE_FUNCTION":
        function = node.get("function") or {}
        tree.table_functions.add(str(function.get("function_name", "")).lower())
    if "cte_map" in node:
        for entry in (node["cte_map"] or {}).get("map", []):
            tree.ctes.add(str(entry.get("key", "")).lower())
    if "function_name" in node:
        tree.functions.append((node.get("catalog") or "", node.get("schema") or "",
                               str(node["function_name"]).lower()))


def check_tree(tree: Tree, policy: Policy) -> None:
    """Refuse a tree that writes (unless allowed), or calls what changes state or reads files."""
    for node in sorted(tree.nodes - READING_NODES):
        if node in _DML_NODES and policy.allow_writes:
            continue
        verb = _DML_NODES.get(node, node)
        raise Refusal(Why.WRITE_INSIDE, f"{verb} inside a query refused: {READ_ONLY_HINT}", statement=verb)
    _refuse_own_targets(tree.targets, "write", policy)
    allowed = CATALOGUE_TABLE_FUNCTIONS
    if not policy.masked:  # and sibtui's own table macros (`cnx_changes_between`), unmasked
        allowed = allowed | STATE_TABLE_FUNCTIONS | policy.own_relations
    for name in sorted(tree.table_functions - allowed):
        if _FILE_FUNCTIONS.match(name):
            raise Refusal(Why.FILE_FUNCTION, f"{name}() refused: SQL may not read or write files (use `sibtui load` "
                          "for SIB files)", name=name)
        if policy.masked and name in STATE_TABLE_FUNCTIONS:
            raise Refusal(Why.STATE_FUNCTION_MASKED, f"{name}() refused in mask mode: it shows values the masked "
                          "tables hide", name=name)
        raise Refusal(Why.TABLE_FUNCTION, f"{name}() refused: ad hoc SQL reads tables, generators (range, unnest) "
                      "and the catalogue (duckdb_tables, pragma_table_info...); this function may change state or "
                      "run SQL sibtui did not check", name=name)
    for _, _, name in tree.functions:
        if name in STATE_CHANGING_FUNCTIONS:
            raise Refusal(Why.STATE_FUNCTION, f"{name}() refused: it changes the workspace or runs SQL sibtui did "
                          "not check", name=name)


def _refuse_state_changing_calls(query: str) -> None:
    """The parser's tokens: a state-changing function called anywhere, tree or no tree."""
    try:
        tokens = duckdb.tokenize(query)
    except Exception:  # noqa: BLE001 - the tokenizer refusing is the parser's business, reported later
        return
    for index, (start, kind) in enumerate(tokens):
        if kind.name not in ("identifier", "keyword") or index + 1 >= len(tokens):
            continue
        following = tokens[index + 1][0]
        word = query[start:following].strip().strip('"').lower()
        if word in STATE_CHANGING_FUNCTIONS and query[following:following + 1] == "(":
            raise Refusal(Why.STATE_FUNCTION, f"{word}() refused: it changes the workspace or runs SQL sibtui did "
                          "not check", name=word)


_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_DOTTED = rf"{_NAME}(?:\s*\.\s*{_NAME})*"
_DDL = re.compile(
    r"^\s*(CREATE(?:\s+OR\s+REPLACE)?(?:\s+TEMP|\s+TEMPORARY)?(?:\s+UNIQUE)?|DROP|ALTER|COMMENT\s+ON|MERGE)\s+"
    r"(TABLE|VIEW|SEQUENCE|MACRO|FUNCTION|INDEX|TYPE|COLUMN|INTO)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"
    rf"({_DOTTED})",
    re.I,
)
_ON_TABLE = re.compile(rf"\bON\s+({_DOTTED})", re.I)


def _ddl_targets(query: str, kind: str) -> list[str]:
    """Every part of the name a CREATE/DROP/ALTER/COMMENT/MERGE changes (and an index's table).

    Only tables, views, sequences, macros, indexes and types: `DROP SCHEMA main CASCADE`,
    `CREATE SECRET` and what this list does not name are refused.
    """
    if kind == "TRANSACTION":
        return []
    match = _DDL.match(query)
    if match is None:
        raise Refusal(Why.DDL_UNREADABLE, f"{_opening(query)} refused: write mode changes tables, views, sequences, "
                      "macros, indexes and types you created, named plainly", statement=_opening(query))
    names = [match.group(3)]
    if match.group(2).upper() == "INDEX":
        on_table = _ON_TABLE.search(query, match.end())
        if on_table is None:
            raise Refusal(Why.INDEX_UNREADABLE, f"{_opening(query)} refused: sibtui could not read which table it "
                          "indexes", statement=_opening(query))
        names.append(on_table.group(1))
    return [part for name in names for part in _parts(name)]


def _parts(name: str) -> list[str]:
    parts = re.findall(_NAME, name)
    return [part[1:-1].replace('""', '"') if part.startswith('"') else part for part in parts]


def _opening(query: str) -> str:
    words = query.split()
    return " ".join(words[:2]).upper() if words else "statement"
