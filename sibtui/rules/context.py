"""What record rules compare against: for every SBX, the CNX that tells ANS's state, and more.

Built once per check as TEMP tables on the checking cursor, so each rule is a plain join:

- `__sbx_files`: per SBX, the *reference* CNX (the newest of the same registro ANS made
  before the SBX; when none predates it, the newest, with `ref_predates` false so that
  active/inactive checks are skipped) and the *newest* CNX (ANS's current knowledge, with
  `newest_after` true when it was made after the SBX and so reflects it).
- `__known_ccos`: CCOs ANS knew when each SBX was made: the reference CNX's, plus the
  inclusions an earlier RPX of the same operator returned (active, then), plus the vínculos
  of a portfolio transfer made before the SBX that CNX does not list (as the transfer lists them).
- `__moves`: the current SBX movements with those facts joined, the effective birth,
  contract and cancellation dates (the movement's own value, else the reference CNX's), and
  the last day of the file's competência (`competencia_end`).
- `__newest_cnx`: the newest CNX per registro ANS (CNX-side checks look only at it), and
  `__cnx_newest_rows` its vínculos as they currently read (a view over the loaded rows when
  no CNX value was edited, else a snapshot).
- `__cnx_rows` holds only the vínculos whose CCO the SBX movements or the RPX inclusions
  name (and only the columns rules read): nothing else is ever looked up in it.
Dates come from `file_moments` (header date, else the name's).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from sibtui.catalog.municipalities import load_municipalities
from sibtui.cycle.calendar import SENDING_DEADLINE_DAY
from sibtui.edit.ddl import JOURNAL_TABLE
from sibtui.rules.field_sql import MUNICIPALITIES_TABLE, integer_value, parsed_date

CNX_TABLE = "cnx_beneficiaries"
SBX_CURRENT, CNX_CURRENT = "__sbx_current", "__cnx_current"  # the relations rules read (`current_relations_sql`)

SBX_FILES_SQL = """
CREATE OR REPLACE TEMP TABLE __sbx_files AS
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

NEWEST_CNX_SQL = """
CREATE OR REPLACE TEMP TABLE __newest_cnx AS
SELECT file_id, registroANS, moment FROM (
    SELECT file_id, registroANS, moment,
           row_number() OVER (PARTITION BY registroANS ORDER BY moment DESC NULLS LAST, file_id DESC) AS rank
    FROM file_moments WHERE kind = 'CNX'
) WHERE rank = 1
"""

# One row per (CNX, CCO): a conference lists a vínculo once; should one repeat, the first wins.
# Only the columns the rules read: a month's SBX can name tens of thousands of CCOs, and a
# whole row is 40 columns. The rows are copied as they are, then repeats (a malformed CNX)
# removed: deduplicating while copying would cost twice the copy on every check.
CNX_ROW_COLUMNS = ("situacao", "cns", "dataNascimento", "dataContratacao", "dataCancelamento", "dataReativacao",
                   "codigoMunicipio", "numeroPlanoANS", "numeroPlanoOperadora")
CNX_ROWS_SQL = f"""
CREATE OR REPLACE TEMP TABLE __cnx_rows AS
SELECT file_id, cco, record_no, {", ".join(CNX_ROW_COLUMNS)}
FROM __cnx_current
WHERE file_id IN (SELECT ref_cnx FROM __sbx_files UNION SELECT newest_cnx FROM __sbx_files)
  AND (cco IN (SELECT cco FROM __mentioned_ccos) OR cco IS NULL)
"""
CNX_ROWS_REPEATED_SQL = "SELECT EXISTS (SELECT 1 FROM __cnx_rows GROUP BY file_id, cco HAVING count(*) > 1)"
CNX_ROWS_DEDUPLICATE_SQL = """
DELETE FROM __cnx_rows WHERE (file_id, record_no) IN (
    SELECT (file_id, record_no) FROM __cnx_rows
    QUALIFY row_number() OVER (PARTITION BY file_id, cco ORDER BY record_no) > 1)
"""

# The relation of movements the rules judge: the SBX movements as they currently read (edits
# applied). Any relation with the same columns can be judged instead (`build_context`), such
# as the movements a regeneration plans from CNX edits.
MOVEMENTS_RELATION = "sbx_movements_current"


def mentioned_ccos_sql(movements: str = MOVEMENTS_RELATION) -> str:
    """The only CCOs the record rules look up in a CNX: those the SBX movements name, and those the
    RPX gave their inclusions. A month's SBX names a fraction of the portfolio, so `__cnx_rows`
    (and `__known_ccos`, which only ever joins a movement by its CCO) stay that small. A vínculo
    without CCO stays too: `__known_ccos` tests RPX inclusions with NOT IN against these rows."""
    return f"""
CREATE OR REPLACE TEMP TABLE __mentioned_ccos AS
SELECT cco FROM {movements} WHERE cco IS NOT NULL
UNION
SELECT cco FROM rpx_inclusions WHERE cco IS NOT NULL
"""


KNOWN_CCOS_SQL = """
CREATE OR REPLACE TEMP TABLE __known_ccos AS
SELECT s.file_id AS sbx_file_id, c.cco, c.situacao, c.dataNascimento, c.dataContratacao, c.dataCancelamento,
       c.dataReativacao, c.codigoMunicipio
FROM __sbx_files s JOIN __cnx_rows c ON c.file_id = s.ref_cnx
UNION ALL
SELECT s.file_id, i.cco, 'ATIVO', NULL, NULL, NULL, NULL, NULL
FROM __sbx_files s
JOIN file_moments rpx ON rpx.kind = 'RPX' AND rpx.registroANS = s.registroANS AND rpx.moment < s.moment
JOIN rpx_inclusions i ON i.file_id = rpx.file_id
WHERE i.cco NOT IN (SELECT cco FROM __cnx_rows c WHERE c.file_id = s.ref_cnx)
QUALIFY row_number() OVER (PARTITION BY s.file_id, i.cco ORDER BY rpx.moment DESC) = 1
UNION ALL
-- A portfolio transfer made before the SBX: ANS knew its vínculos (those the reference CNX does not
-- list: a conference made after a transfer lists them itself).
SELECT s.file_id, t.cco, t.situacao, t.dataNascimento, t.dataContratacao, t.dataCancelamento, t.dataReativacao,
       t.codigoMunicipio
FROM __sbx_files s
JOIN file_moments trf ON trf.kind = 'TRF' AND trf.registroANS = s.registroANS AND trf.moment < s.moment
JOIN transfer_beneficiaries t ON t.file_id = trf.file_id
WHERE t.cco IN (SELECT cco FROM __mentioned_ccos)
  AND t.cco NOT IN (SELECT cco FROM __cnx_rows c WHERE c.file_id = s.ref_cnx AND c.cco IS NOT NULL)
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


def moves_sql(columns: tuple[str, ...], today: dt.date, movements: str = MOVEMENTS_RELATION) -> str:
    """`__moves`: the movements with their file's facts and the reference CNX's state joined."""
    own = ", ".join(f'm."{column}"' for column in columns)
    return f"""
CREATE OR REPLACE TEMP TABLE __moves AS
SELECT {own},
       s.registroANS, s.moment AS file_moment, s.ref_cnx, s.ref_predates, s.newest_cnx, s.newest_after,
       k.cco IS NOT NULL AS known_cco, k.situacao AS known_situacao,
       {parsed_date('coalesce(m."dataNascimento", k.dataNascimento)')} AS birth,
       {parsed_date('coalesce(m."dataContratacao", k.dataContratacao)')} AS contract,
       {parsed_date('k.dataCancelamento')} AS known_cancel,
       {parsed_date('k.dataReativacao')} AS known_reactivation,
       coalesce(m."codigoMunicipio", k.codigoMunicipio) AS municipio,
       {integer_value('m."relacaoDependencia"')} AS relacao,
       coalesce(s.moment::DATE, DATE '{today.isoformat()}') AS reference_date,
       greatest(DATE '{today.isoformat()}', coalesce(s.moment::DATE, DATE '{today.isoformat()}')) AS future_from,
       {competencia_end_sql('s.moment')} AS competencia_end
FROM {movements} m
JOIN __sbx_files s ON s.file_id = m.file_id
LEFT JOIN __known_ccos k ON k.sbx_file_id = m.file_id AND k.cco = m.cco AND m.movement <> 'inclusao'
"""


NEWEST_CNX_ROWS = "__cnx_newest_rows"
TEMP_TABLES = (SBX_CURRENT, CNX_CURRENT, "__sbx_files", "__newest_cnx", "__mentioned_ccos", "__cnx_rows",
               "__known_ccos", "__moves",
               NEWEST_CNX_ROWS, MUNICIPALITIES_TABLE)


def newest_cnx_rows_sql(cursor: duckdb.DuckDBPyConnection) -> str:
    """`__cnx_newest_rows`: the newest CNX's vínculos as they currently read.

    Without a single CNX edit the current values are the loaded ones, and the loaded rows
    change only by loading a file: a view over the raw table, limited to the files chosen
    now, reads the same rows for the whole check without copying 40 columns of a million
    vínculos. With edits, a snapshot of the current view, so every rule reads one state.
    """
    file_ids = [row[0] for row in cursor.execute("SELECT file_id FROM __newest_cnx ORDER BY 1").fetchall()]
    chosen = f"file_id IN ({', '.join(str(int(i)) for i in file_ids)})" if file_ids else "FALSE"
    if _has_edits(cursor, CNX_TABLE):
        return f"CREATE OR REPLACE TEMP TABLE {NEWEST_CNX_ROWS} AS SELECT * FROM {CNX_TABLE}_current WHERE {chosen}"
    return f"CREATE OR REPLACE TEMP VIEW {NEWEST_CNX_ROWS} AS SELECT * FROM {CNX_TABLE} WHERE {chosen}"


def _has_edits(cursor: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {JOURNAL_TABLE} WHERE table_name = ?)", [table]).fetchone()
    return bool(row and row[0])


def current_relations_sql(cursor: duckdb.DuckDBPyConnection, movements: str) -> tuple[str, ...]:
    """`__sbx_current` (the movements judged) and `__cnx_current` (the conferences as they read).

    Without a single edit the current values are the loaded ones: a view over the raw table
    reads them without applying an empty journal to 40 columns of every row.
    """
    sbx = "sbx_movements" if movements == MOVEMENTS_RELATION and not _has_edits(cursor, "sbx_movements") \
        else movements
    cnx = CNX_TABLE if not _has_edits(cursor, CNX_TABLE) else f"{CNX_TABLE}_current"
    return (f"CREATE OR REPLACE TEMP VIEW {SBX_CURRENT} AS SELECT * FROM {sbx}",
            f"CREATE OR REPLACE TEMP VIEW {CNX_CURRENT} AS SELECT * FROM {cnx}")


def build_context(cursor: duckdb.DuckDBPyConnection, sbx_columns: tuple[str, ...], today: dt.date,
                  movements: str = MOVEMENTS_RELATION) -> None:
    """Create the TEMP tables every rule reads (see the module docstring).

    `movements` is the relation judged (SBX movement columns, `file_id` an SBX's): the
    current SBX movements by default."""
    for statement in current_relations_sql(cursor, movements):
        cursor.execute(statement)
    municipalities = load_municipalities().values()
    table = pa.table({"codigo_sib": [m.codigo_sib for m in municipalities], "uf": [m.uf for m in municipalities]})
    cursor.register("__municipality_arrow", table)
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE {MUNICIPALITIES_TABLE} AS SELECT * FROM __municipality_arrow")
    cursor.unregister("__municipality_arrow")
    statements = (SBX_FILES_SQL, NEWEST_CNX_SQL, mentioned_ccos_sql(SBX_CURRENT), CNX_ROWS_SQL, KNOWN_CCOS_SQL,
                  moves_sql(sbx_columns, today, SBX_CURRENT))
    for statement in statements:
        cursor.execute(statement)
        if statement is CNX_ROWS_SQL and cursor.execute(CNX_ROWS_REPEATED_SQL).fetchone()[0]:
            cursor.execute(CNX_ROWS_DEDUPLICATE_SQL)
    cursor.execute(newest_cnx_rows_sql(cursor))


def drop_context(cursor: duckdb.DuckDBPyConnection) -> None:
    for name in TEMP_TABLES:
        drop_temporary(cursor, name)


def drop_temporary(cursor: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a TEMP table or view of the check (`__cnx_newest_rows` is either)."""
    kinds = cursor.execute(
        "SELECT 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = ? "
        "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = ?", [name, name]
    ).fetchall()
    for (kind,) in kinds:
        cursor.execute(f"DROP {kind} IF EXISTS temp.{name}")
