"""What record rules compare against: for every SBX, the CNX that tells ANS's state, and more.

A check builds its context once, as TEMP relations on its own cursor, and every rule is a
plain join over them. `CheckContext` names them (each name is written here only) and carries
the day the check stands on; rule SQL is built by functions that take it, never at import:

- `sbx_files`: per SBX, the *reference* CNX (the newest of the same registro ANS made
  before the SBX; when none predates it, the newest, with `ref_predates` false so that
  active/inactive checks are skipped) and the *newest* CNX (ANS's current knowledge, with
  `newest_after` true when it was made after the SBX and so reflects it).
- `known_ccos`: CCOs ANS knew when each SBX was made: the reference CNX's, plus the
  inclusions an earlier RPX of the same operator returned (active, then), plus the vínculos
  of a portfolio transfer made before the SBX that CNX does not list (as the transfer lists them).
- `moves`: the movements judged with those facts joined, the effective birth, contract and
  cancellation dates (the movement's own value, else the reference CNX's), and the last day
  of the file's competência (`competencia_end`).
- `newest_cnx`: the newest CNX per registro ANS (the `newest_cnx` view, read once; CNX-side
  checks look only at it), and `cnx_newest_rows` its vínculos as they currently read (a view
  over the loaded rows when no CNX value was edited, else a snapshot).
- `cnx_rows` holds only the vínculos whose CCO the SBX movements or the RPX inclusions
  name (and only the columns rules read): nothing else is ever looked up in it.
The lookups each rule module adds (`ans_codes`, `file_codes`, `duplicates`...) are named
here too, since more than one module reads them. Dates come from `file_moments`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

from sibtui.catalog.calendar import SENDING_DEADLINE_DAY
from sibtui.catalog.municipalities import MUNICIPALITIES_CSV
from sibtui.catalog.tables import CNX_BENEFICIARIES, CURRENT_VIEW_SUFFIX, SBX_MOVEMENTS
from sibtui.db.cursors import copy_arrow, fetch_value
from sibtui.rules.field_sql import MUNICIPALITIES_TABLE, integer_value, parsed_date
from sibtui.rules.same_as_ans import ans_rows_sql

CNX_TABLE = CNX_BENEFICIARIES.name
SBX_TABLE = SBX_MOVEMENTS.name
# The relation of movements the rules judge by default: the SBX movements as they currently
# read (edits applied). Any relation with the same columns can be judged instead.
MOVEMENTS_RELATION = SBX_TABLE + CURRENT_VIEW_SUFFIX

# One row per (CNX, CCO): a conference lists a vínculo once; should one repeat, the first wins.
# Only the columns the rules read: a month's SBX can name tens of thousands of CCOs, and a
# whole row is 40 columns.
CNX_ROW_COLUMNS = ("situacao", "cns", "dataNascimento", "dataContratacao", "dataCancelamento", "dataReativacao",
                   "codigoMunicipio", "numeroPlanoANS", "numeroPlanoOperadora")


@dataclass(frozen=True)
class CheckContext:
    """The day a check stands on, the movements it judges and the TEMP relations it builds."""

    today: dt.date
    movements: str = MOVEMENTS_RELATION
    journal: str = "edit_journal"  # where edits are told from the loaded values (`has_edits`)
    sbx_current: str = "__sbx_current"
    cnx_current: str = "__cnx_current"
    sbx_files: str = "__sbx_files"
    newest_cnx: str = "__newest_cnx"
    mentioned_ccos: str = "__mentioned_ccos"
    cnx_rows: str = "__cnx_rows"
    known_ccos: str = "__known_ccos"
    moves: str = "__moves"
    field_moves: str = "__field_moves"
    cnx_newest_rows: str = "__cnx_newest_rows"
    municipalities: str = MUNICIPALITIES_TABLE
    # lookups of `sibtui.rules.ans_state`
    mentioned_codes: str = "__mentioned_codes"
    ans_codes: str = "__ans_codes"
    ans_code_facts: str = "__ans_code_facts"
    file_codes: str = "__file_codes"
    file_cancellations: str = "__file_cancellations"
    # of `sibtui.rules.duplicates`
    inclusion_keys: str = "__inclusion_keys"
    cnx_identities: str = "__cnx_identities"
    duplicates: str = "__duplicates"
    # of `sibtui.rules.quality` and `sibtui.rules.cns`
    cnx_plans: str = "__cnx_plans"
    sbx_cns: str = "__sbx_cns"
    ref_active_cns: str = "__ref_active_cns"
    cnx_repeated_cns: str = "__cnx_repeated_cns"
    # of `sibtui.rules.engine`: findings staged, and the rules' severities
    stage: str = "__findings_stage"
    rules: str = "__rules"

    @property
    def base(self) -> tuple[str, ...]:
        """The relations `build_context` makes, in the order it makes them."""
        return (self.sbx_current, self.cnx_current, self.municipalities, self.sbx_files, self.newest_cnx,
                self.mentioned_ccos, self.cnx_rows, self.known_ccos, self.moves, self.cnx_newest_rows)


def sbx_files_sql(ctx: CheckContext) -> str:
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.sbx_files} AS
WITH sbx AS (SELECT file_id, registroANS, moment FROM file_moments WHERE kind = 'SBX'),
cnx AS (SELECT file_id, registroANS, moment FROM file_moments WHERE kind = 'CNX'),
pairs AS (
    SELECT s.file_id AS sbx_file_id, c.file_id AS cnx_file_id,
           coalesce(c.moment < s.moment, false) AS predates,
           coalesce(c.moment > s.moment, false) AS after,
           row_number() OVER (PARTITION BY s.file_id ORDER BY coalesce(c.moment < s.moment, false) DESC,
                              c.moment DESC NULLS LAST, c.file_id DESC) AS ref_rank,
           row_number() OVER (PARTITION BY s.file_id ORDER BY c.moment DESC NULLS LAST, c.file_id DESC) AS newest_rank
    FROM sbx s JOIN cnx c ON c.registroANS = s.registroANS
)
SELECT s.file_id, s.registroANS, s.moment,
       ref.cnx_file_id AS ref_cnx, coalesce(ref.predates, false) AS ref_predates,
       newest.cnx_file_id AS newest_cnx, coalesce(newest.after, false) AS newest_after
FROM sbx s
LEFT JOIN pairs ref ON ref.sbx_file_id = s.file_id AND ref.ref_rank = 1
LEFT JOIN pairs newest ON newest.sbx_file_id = s.file_id AND newest.newest_rank = 1
"""


def newest_cnx_sql(ctx: CheckContext) -> str:
    """The `newest_cnx` view read once: every rule of the check sees the same conferences."""
    return f"CREATE OR REPLACE TEMP TABLE {ctx.newest_cnx} AS SELECT file_id, registroANS, moment FROM newest_cnx"


def cnx_rows_sql(ctx: CheckContext) -> str:
    """The rows are copied as they are, then repeats (a malformed CNX) removed
    (`cnx_rows_deduplicate_sql`): deduplicating while copying would cost twice the copy on every check."""
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.cnx_rows} AS
SELECT file_id, cco, record_no, {", ".join(CNX_ROW_COLUMNS)}
FROM {ctx.cnx_current}
WHERE file_id IN (SELECT ref_cnx FROM {ctx.sbx_files} UNION SELECT newest_cnx FROM {ctx.sbx_files})
  AND (cco IN (SELECT cco FROM {ctx.mentioned_ccos}) OR cco IS NULL)
"""


def cnx_rows_repeated_sql(ctx: CheckContext) -> str:
    return f"SELECT EXISTS (SELECT 1 FROM {ctx.cnx_rows} GROUP BY file_id, cco HAVING count(*) > 1)"


def cnx_rows_deduplicate_sql(ctx: CheckContext) -> str:
    return f"""
DELETE FROM {ctx.cnx_rows} WHERE (file_id, record_no) IN (
    SELECT (file_id, record_no) FROM {ctx.cnx_rows}
    QUALIFY row_number() OVER (PARTITION BY file_id, cco ORDER BY record_no) > 1)
"""


def mentioned_ccos_sql(ctx: CheckContext) -> str:
    """The only CCOs the record rules look up in a CNX: those the SBX movements name, and those the
    RPX gave their inclusions. A month's SBX names a fraction of the portfolio, so `cnx_rows`
    (and `known_ccos`, which only ever joins a movement by its CCO) stay that small. A vínculo
    without CCO stays too: `known_ccos` tests RPX inclusions with NOT IN against these rows."""
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.mentioned_ccos} AS
SELECT cco FROM {ctx.sbx_current} WHERE cco IS NOT NULL
UNION
SELECT cco FROM rpx_inclusions WHERE cco IS NOT NULL
"""


def known_ccos_sql(ctx: CheckContext) -> str:
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.known_ccos} AS
SELECT s.file_id AS sbx_file_id, c.cco, c.situacao, c.dataNascimento, c.dataContratacao, c.dataCancelamento,
       c.dataReativacao, c.codigoMunicipio
FROM {ctx.sbx_files} s JOIN {ctx.cnx_rows} c ON c.file_id = s.ref_cnx
UNION ALL
SELECT s.file_id, i.cco, 'ATIVO', NULL, NULL, NULL, NULL, NULL
FROM {ctx.sbx_files} s
JOIN file_moments rpx ON rpx.kind = 'RPX' AND rpx.registroANS = s.registroANS AND rpx.moment < s.moment
JOIN rpx_inclusions i ON i.file_id = rpx.file_id
WHERE i.cco NOT IN (SELECT cco FROM {ctx.cnx_rows} c WHERE c.file_id = s.ref_cnx)
QUALIFY row_number() OVER (PARTITION BY s.file_id, i.cco ORDER BY rpx.moment DESC) = 1
UNION ALL
-- A portfolio transfer made before the SBX: ANS knew its vínculos (those the reference CNX does not
-- list: a conference made after a transfer lists them itself).
SELECT s.file_id, t.cco, t.situacao, t.dataNascimento, t.dataContratacao, t.dataCancelamento, t.dataReativacao,
       t.codigoMunicipio
FROM {ctx.sbx_files} s
JOIN file_moments trf ON trf.kind = 'TRF' AND trf.registroANS = s.registroANS AND trf.moment < s.moment
JOIN transfer_beneficiaries t ON t.file_id = trf.file_id
WHERE t.cco IN (SELECT cco FROM {ctx.mentioned_ccos})
  AND t.cco NOT IN (SELECT cco FROM {ctx.cnx_rows} c WHERE c.file_id = s.ref_cnx AND c.cco IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY s.file_id, t.cco ORDER BY trf.moment DESC, t.record_no) = 1
"""


def competencia_end_sql(moment: str) -> str:
    """Last day of the competência of a file made at `moment` (SQL of `calendar.competencia_of`):
    a file sent on days 1-5 still closes the previous month. NULL when the moment is unknown."""
    return (
        f"(CASE WHEN {moment} IS NULL THEN NULL "
        f"WHEN day({moment}) <= {SENDING_DEADLINE_DAY} THEN (date_trunc('month', {moment}) - INTERVAL 1 DAY)::DATE "
        f"ELSE last_day({moment}) END)"
    )


def future_from_sql(moment: str, today: str) -> str:
    """The day after which a date of a movement is in the future: ANS judges a file on the day it is
    sent, so the later of the check's day and the day the file was made."""
    return f"greatest({today}, coalesce({moment}::DATE, {today}))"


def field_moves_sql(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> str:
    """`field_moves`: what the SBX field checks read of `moves` (the movements judged, `future_from`),
    built from the workspace's own relations, so that a cursor other than the one holding the
    context can judge the fields (`sibtui.rules.sbx_fields`). A table: the checks scan it per column."""
    today = f"DATE '{ctx.today.isoformat()}'"
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.field_moves} AS
SELECT m.*, {future_from_sql('f.moment', today)} AS future_from
FROM {movements_source(ctx, cursor)} m
JOIN file_moments f ON f.file_id = m.file_id AND f.kind = 'SBX'
"""


def moves_columns() -> tuple[str, ...]:
    """The columns `moves` takes from the movements judged (what any relation judged must have)."""
    return ("file_id", "record_no", *SBX_MOVEMENTS.value_columns)


def moves_sql(ctx: CheckContext) -> str:
    """`moves`: the movements with their file's facts and the reference CNX's state joined."""
    own = ", ".join(f'm."{column}"' for column in moves_columns())
    today = f"DATE '{ctx.today.isoformat()}'"
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.moves} AS
SELECT {own},
       s.registroANS, s.moment AS file_moment, s.ref_cnx, s.ref_predates, s.newest_cnx, s.newest_after,
       k.cco IS NOT NULL AS known_cco, k.situacao AS known_situacao,
       {parsed_date('coalesce(m."dataNascimento", k.dataNascimento)')} AS birth,
       {parsed_date('coalesce(m."dataContratacao", k.dataContratacao)')} AS contract,
       {parsed_date('k.dataCancelamento')} AS known_cancel,
       {parsed_date('k.dataReativacao')} AS known_reactivation,
       coalesce(m."codigoMunicipio", k.codigoMunicipio) AS municipio,
       {integer_value('m."relacaoDependencia"')} AS relacao,
       coalesce(s.moment::DATE, {today}) AS reference_date,
       {future_from_sql('s.moment', today)} AS future_from,
       {competencia_end_sql('s.moment')} AS competencia_end
FROM {ctx.sbx_current} m
JOIN {ctx.sbx_files} s ON s.file_id = m.file_id
LEFT JOIN {ctx.known_ccos} k ON k.sbx_file_id = m.file_id AND k.cco = m.cco AND m.movement <> 'inclusao'
"""


def planned_moves_sql(ctx: CheckContext, planned: str) -> str:
    """`moves` again, from movements planned elsewhere (`planned`: a SELECT with the movement
    columns and their `registroANS`), such as those CNX edits will become.

    The facts a record rule compares with come from the newest CNX of the operator (ANS's
    state now); the movement is judged as sent today.
    """
    own = ", ".join(f'p."{column}"' for column in moves_columns())
    today = ctx.today.isoformat()
    return f"""
CREATE OR REPLACE TEMP TABLE {ctx.moves} AS
WITH p AS ({planned}),
ans AS ({ans_rows_sql("SELECT cco FROM p")})
SELECT {own},
       p.registroANS, TIMESTAMP '{today}' AS file_moment, a.file_id AS ref_cnx, a.file_id IS NOT NULL AS ref_predates,
       a.file_id AS newest_cnx, false AS newest_after,
       a.cco IS NOT NULL AS known_cco, a.situacao AS known_situacao,
       {parsed_date('coalesce(p."dataNascimento", a.dataNascimento)')} AS birth,
       {parsed_date('coalesce(p."dataContratacao", a.dataContratacao)')} AS contract,
       {parsed_date('a.dataCancelamento')} AS known_cancel,
       coalesce(p."codigoMunicipio", a.codigoMunicipio) AS municipio,
       {integer_value('p."relacaoDependencia"')} AS relacao,
       DATE '{today}' AS reference_date
FROM p LEFT JOIN ans a ON a.ans_registro = p.registroANS AND a.ans_cco = p.cco
"""


def cnx_newest_rows_sql(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection,
                        only: tuple[int, ...] | None = None) -> str:
    """`cnx_newest_rows`: the newest CNX's vínculos as they currently read (`only`: of those files).

    Without a single CNX edit the current values are the loaded ones, and the loaded rows
    change only by loading a file: a view over the raw table, limited to the files chosen
    now, reads the same rows for the whole check without copying 40 columns of a million
    vínculos. With edits, a snapshot of the current view, so every rule reads one state.
    """
    file_ids = [row[0] for row in cursor.execute(f"SELECT file_id FROM {ctx.newest_cnx} ORDER BY 1").fetchall()
                if only is None or row[0] in only]
    chosen = f"file_id IN ({', '.join(str(int(i)) for i in file_ids)})" if file_ids else "FALSE"
    if has_edits(ctx, cursor, CNX_TABLE):
        return (f"CREATE OR REPLACE TEMP TABLE {ctx.cnx_newest_rows} AS "
                f"SELECT * FROM {CNX_TABLE}{CURRENT_VIEW_SUFFIX} WHERE {chosen}")
    return f"CREATE OR REPLACE TEMP VIEW {ctx.cnx_newest_rows} AS SELECT * FROM {CNX_TABLE} WHERE {chosen}"


def has_edits(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether any value of `table` was ever edited (the journal names it)."""
    row = cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {ctx.journal} WHERE table_name = ?)", [table]).fetchone()
    return bool(row and row[0])


def movements_source(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> str:
    """The relation the judged movements are read from: the raw SBX table while no SBX value was
    ever edited (the default movements then read the same, without applying an empty journal)."""
    unedited = ctx.movements == MOVEMENTS_RELATION and not has_edits(ctx, cursor, SBX_TABLE)
    return SBX_TABLE if unedited else ctx.movements


def current_relations_sql(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """`sbx_current` (the movements judged) and `cnx_current` (the conferences as they read).

    Without a single edit the current values are the loaded ones: a view over the raw table
    reads them without applying an empty journal to 40 columns of every row.
    """
    sbx = movements_source(ctx, cursor)
    cnx = CNX_TABLE if not has_edits(ctx, cursor, CNX_TABLE) else CNX_TABLE + CURRENT_VIEW_SUFFIX
    return (f"CREATE OR REPLACE TEMP VIEW {ctx.sbx_current} AS SELECT * FROM {sbx}",
            f"CREATE OR REPLACE TEMP VIEW {ctx.cnx_current} AS SELECT * FROM {cnx}")


def register_municipalities(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> None:
    """The IBGE table (codigo_sib, uf) the address rules join: the catalogue's CSV read by Arrow's
    reader (~2 ms; building 5,570 `Municipality` objects, then lists, took ~40 ms a check)."""
    text = resources.files("sibtui.catalog").joinpath("data", MUNICIPALITIES_CSV).read_bytes()
    columns = {"codigo_sib": pa.string(), "uf": pa.string()}
    table = pa_csv.read_csv(io.BytesIO(text), convert_options=pa_csv.ConvertOptions(
        column_types=columns, include_columns=list(columns), strings_can_be_null=False))
    copy_arrow(cursor, f"CREATE OR REPLACE TEMP TABLE {ctx.municipalities} AS", table)


def build_context(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> None:
    """Create the TEMP relations every rule reads (see the module docstring)."""
    for statement in current_relations_sql(ctx, cursor):
        cursor.execute(statement)
    register_municipalities(ctx, cursor)
    for statement in (sbx_files_sql(ctx), newest_cnx_sql(ctx), mentioned_ccos_sql(ctx), cnx_rows_sql(ctx)):
        cursor.execute(statement)
    if fetch_value(cursor, cnx_rows_repeated_sql(ctx)):
        cursor.execute(cnx_rows_deduplicate_sql(ctx))
    cursor.execute(known_ccos_sql(ctx))
    cursor.execute(moves_sql(ctx))
    cursor.execute(cnx_newest_rows_sql(ctx, cursor))


def drop_temporary(cursor: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a TEMP table or view of the check (`cnx_newest_rows` is either)."""
    kinds = cursor.execute(
        "SELECT 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = ? "
        "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = ?", [name, name]
    ).fetchall()
    for (kind,) in kinds:
        cursor.execute(f"DROP {kind} IF EXISTS temp.{name}")
