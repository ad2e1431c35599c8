"""The movements of a regeneration, as rows in the order ANS asks for.

Order (ANS-PDF §10, `SUBMISSION_ORDER`): inclusão -> retificação -> mudança contratual ->
cancelamento -> reativação; inside each, the source order, except that a dependent never
comes before its titular (it is moved right after it). Inclusões link to the titular by
`codigoBeneficiarioTitular`; other movements through the newest CNX's
`ccoBeneficiarioTitular`. A file already in this order comes out in the same order, which
is what makes a round trip exact.

Values are read "as of" one journal edit id, so edits made in the console while a file is
being written never mix into it.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from sibtui.catalog.kinds import SUBMISSION_ORDER, Movement
from sibtui.edit.ddl import PUBLISHED_REGENERATIONS, current_rows_sql, latest_edits_sql
from sibtui.edit.records import CNX_TABLE, SBX_TABLE
from sibtui.edit.regen.plan import SCOPE_ALL, SCOPE_FILE_REJECTED, SCOPE_REJECTED, SourcePlan

BATCH_ROWS = 20_000
_RANK = " ".join(f"WHEN '{m.value}' THEN {rank}" for rank, m in enumerate(SUBMISSION_ORDER, start=1))
_NEWEST_CNX = (
    "SELECT file_id FROM file_moments WHERE kind = 'CNX' AND registroANS IS NOT DISTINCT FROM $registro "
    "ORDER BY moment DESC NULLS LAST, file_id DESC LIMIT 1"
)


def _selection_sql(plan: SourcePlan) -> str:
    file_id = int(plan.source_file_id or 0)
    if plan.scope == SCOPE_REJECTED:
        return (
            f"SELECT sbx_record_no AS record_no, '{SCOPE_REJECTED}' AS why, "
            "list(DISTINCT trim(codigoErro) ORDER BY trim(codigoErro)) AS codes FROM rpx_rejection_links "
            f"WHERE rpx_file_id = {int(plan.rpx_file_id or 0)} AND sbx_file_id = {file_id} "
            "AND sbx_record_no IS NOT NULL GROUP BY sbx_record_no"
        )
    if plan.scope == SCOPE_FILE_REJECTED:
        codes = "list_value(trim(r.codigoMotivoRejeicao))"
        return (
            f"SELECT m.record_no, '{SCOPE_FILE_REJECTED}' AS why, (SELECT {codes} FROM rpx_results r "
            f"WHERE r.file_id = {int(plan.rpx_file_id or 0)} LIMIT 1) AS codes "
            f"FROM sbx_movements m WHERE m.file_id = {file_id}"
        )
    return f"SELECT record_no, '{SCOPE_ALL}' AS why, NULL::VARCHAR[] AS codes FROM sbx_movements WHERE file_id = {file_id}"


def sbx_rows_sql(plan: SourcePlan, upto_edit_id: int) -> str:
    """Ordered rows of one SBX plan: current columns, then why, codes, edit_ids, edits."""
    file_id = int(plan.source_file_id or 0)
    return f"""
WITH sel AS ({_selection_sql(plan)}),
cur AS (SELECT * FROM ({current_rows_sql(SBX_TABLE, upto_edit_id)}) WHERE file_id = {file_id}),
ed AS (
    SELECT record_no, list(edit_id ORDER BY edit_id) AS edit_ids,
           list({{'field': field, 'original': original, 'value': value, 'edit_id': edit_id}} ORDER BY edit_id) AS edits
    FROM ({latest_edits_sql(SBX_TABLE, upto_edit_id)})
    WHERE file_id = {file_id} AND value IS DISTINCT FROM original GROUP BY record_no
),
cnx AS (
    SELECT trim(cco) AS cco, any_value(nullif(trim(ccoBeneficiarioTitular), '')) AS titular
    FROM cnx_beneficiaries WHERE file_id = ({_NEWEST_CNX}) GROUP BY 1
),
keyed AS (
    SELECT cur.*, sel.why AS "__why", sel.codes AS "__codes", ed.edit_ids AS "__edit_ids", ed.edits AS "__edits",
           CASE cur.movement {_RANK} ELSE 99 END AS "__rank",
           CASE WHEN cur.movement = 'inclusao' THEN trim(cur.codigoBeneficiario) ELSE trim(cur.cco) END AS "__own",
           CASE WHEN cur.movement = 'inclusao' THEN
                     CASE WHEN TRY_CAST(trim(cur.relacaoDependencia) AS INTEGER) = 1 THEN NULL
                          ELSE nullif(trim(cur.codigoBeneficiarioTitular), '') END
                ELSE cnx.titular END AS "__titular"
    FROM cur JOIN sel USING (record_no)
    LEFT JOIN ed USING (record_no)
    LEFT JOIN cnx ON cnx.cco = trim(cur.cco) AND cur.movement <> 'inclusao'
),
titulares AS (SELECT movement, "__own", min(record_no) AS position FROM keyed GROUP BY ALL)
SELECT keyed.* EXCLUDE ("__rank", "__own", "__titular")
FROM keyed LEFT JOIN titulares t
       ON t.movement = keyed.movement AND t."__own" = keyed."__titular" AND t.position <> keyed.record_no
ORDER BY keyed."__rank", greatest(keyed.record_no, coalesce(t.position, 0)), t.position IS NOT NULL, keyed.record_no
"""


def count_sbx_rows(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan) -> int:
    return int(cursor.execute(f"SELECT count(*) FROM ({_selection_sql(plan)})").fetchall()[0][0])


def sbx_rows(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, upto_edit_id: int) -> Iterator[dict]:
    """Rows as dicts, streamed in Arrow batches (the result is never held whole in Python)."""
    relation = cursor.sql(sbx_rows_sql(plan, upto_edit_id), params={"registro": plan.registro_ans})
    reader = relation.to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        for row in batch.to_pylist():
            row["__table"] = SBX_TABLE
            yield row


_CNX_EDITS_SQL = f"""
SELECT l.file_id, l.record_no, l.field, l.value, l.original, l.edit_id,
       trim(raw.cco) AS cco, nullif(trim(raw.ccoBeneficiarioTitular), '') AS titular
FROM ({{latest}}) l
JOIN {CNX_TABLE} raw USING (file_id, record_no)
JOIN files f ON f.file_id = l.file_id
WHERE f.registroANS IS NOT DISTINCT FROM ? AND l.value IS DISTINCT FROM l.original AND l.value IS NOT NULL
  AND l.edit_id NOT IN (SELECT unnest(m.edit_ids) FROM regenerated_movements m
                        JOIN {PUBLISHED_REGENERATIONS} r USING (regeneration_id, part_no)
                        WHERE m.source_table = '{CNX_TABLE}')
ORDER BY l.file_id, l.record_no, l.edit_id
"""


def cnx_rows(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, upto_edit_id: int) -> list[dict]:
    """One retificação per edited CNX record: its CCO and only the fields that changed.

    A field whose newest edit already went into a regenerated file is not sent again.
    """
    sql = _CNX_EDITS_SQL.format(latest=latest_edits_sql(CNX_TABLE, upto_edit_id))
    records: dict[tuple[int, int], dict] = {}
    for file_id, record_no, column, value, original, edit_id, cco, titular in cursor.execute(
        sql, [plan.registro_ans]
    ).fetchall():
        row = records.setdefault((file_id, record_no), _cnx_row(file_id, record_no, cco, titular))
        row[column] = value
        row["__edit_ids"].append(edit_id)
        row["__edits"].append({"field": column, "original": original, "value": value, "edit_id": edit_id})
    return _titulares_first(list(records.values()))


def _cnx_row(file_id: int, record_no: int, cco: str | None, titular: str | None) -> dict:
    return {
        "file_id": file_id, "record_no": record_no, "movement": Movement.RETIFICACAO.value, "cco": cco,
        "__table": CNX_TABLE, "__why": "cnx-edit", "__codes": None, "__edit_ids": [], "__edits": [],
        "__titular": titular,
    }


def _titulares_first(rows: list[dict]) -> list[dict]:
    position = {row["cco"]: index for index, row in enumerate(rows)}

    def key(item: tuple[int, dict]) -> tuple[int, bool, int]:
        index, row = item
        titular_at = position.get(row.pop("__titular"))
        follows = titular_at is not None and titular_at != index
        return (max(index, titular_at if follows else 0), follows, index)

    return [row for _, row in sorted(enumerate(rows), key=key)]
