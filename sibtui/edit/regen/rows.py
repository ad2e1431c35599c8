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

from sibtui.catalog.kinds import SUBMISSION_ORDER
from sibtui.edit.ddl import EDITS_KEY_SQL, current_rows_sql, latest_edits_sql
from sibtui.edit.records import SBX_TABLE, TRANSFER_TABLE
from sibtui.edit.regen.cnx_plan import planned_sql
from sibtui.edit.regen.plan import SCOPE_ALL, SCOPE_FILE_REJECTED, SCOPE_REJECTED, SourcePlan
from sibtui.edit.resend import NAO_REENVIAR, going_sql
from sibtui.rules.same_as_ans import noop_retificacoes_sql

BATCH_ROWS = 20_000
_RANK = " ".join(f"WHEN '{m.value}' THEN {rank}" for rank, m in enumerate(SUBMISSION_ORDER, start=1))
_NEWEST_CNX = (
    "SELECT file_id FROM file_moments WHERE kind = 'CNX' AND registroANS IS NOT DISTINCT FROM $registro "
    "ORDER BY moment DESC NULLS LAST, file_id DESC LIMIT 1"
)


def selection_sql(plan: SourcePlan, upto_edit_id: int | None = None) -> str:
    """(record_no, why, codes, decision) of the movements of one SBX plan that go.

    `rejected`/`file-rejected`: the movements whose resend state says they go
    (`sibtui.edit.resend.going_sql`). `all`: every movement except those ANS accepted (an
    inclusão again duplicates the vínculo; any other is already applied and would only be
    rejected), those the analyst held back, and retificações that would change nothing at ANS.
    """
    file_id = int(plan.source_file_id or 0)
    states = plan.states or f"({going_sql(upto_edit_id, plan.include_pending)})"
    if plan.scope in (SCOPE_REJECTED, SCOPE_FILE_REJECTED):
        return (f"SELECT record_no, '{plan.scope}' AS why, codes, state AS decision FROM {states} "
                f"WHERE file_id = {file_id} AND goes")
    accepted = f"st.record_no IS NULL AND {plan.answer_status == 'processado'}"
    current = f"SELECT * FROM ({current_rows_sql(SBX_TABLE, upto_edit_id)}) WHERE file_id = {file_id}"
    return f"""
SELECT m.record_no, '{SCOPE_ALL}' AS why, st.codes, coalesce(st.state, '{SCOPE_ALL}') AS decision
FROM sbx_movements m
LEFT JOIN {states} st ON st.file_id = m.file_id AND st.record_no = m.record_no
WHERE m.file_id = {file_id} AND st.state IS DISTINCT FROM '{NAO_REENVIAR}' AND NOT ({accepted})
  AND m.record_no NOT IN (SELECT record_no FROM ({noop_retificacoes_sql(current)}))
"""


def sbx_rows_sql(plan: SourcePlan, upto_edit_id: int) -> str:
    """Ordered rows of one SBX plan: current columns, then why, codes, edit_ids, edits, key, decision."""
    file_id = int(plan.source_file_id or 0)
    return f"""
WITH sel AS ({selection_sql(plan, upto_edit_id)}),
cur AS (SELECT * FROM ({current_rows_sql(SBX_TABLE, upto_edit_id)}) WHERE file_id = {file_id}),
ed AS (
    SELECT record_no, list(edit_id ORDER BY edit_id) AS edit_ids,
           list({{'field': field, 'original': original, 'value': value, 'edit_id': edit_id}} ORDER BY edit_id) AS edits,
           {EDITS_KEY_SQL} AS edits_key
    FROM ({latest_edits_sql(SBX_TABLE, upto_edit_id)})
    WHERE file_id = {file_id} AND value IS DISTINCT FROM original GROUP BY record_no
),
cnx AS (
    SELECT trim(cco) AS cco, any_value(nullif(trim(ccoBeneficiarioTitular), '')) AS titular
    FROM cnx_beneficiaries WHERE file_id = ({_NEWEST_CNX}) GROUP BY 1
),
keyed AS (
    SELECT cur.*, sel.why AS "__why", sel.codes AS "__codes", ed.edit_ids AS "__edit_ids", ed.edits AS "__edits",
           coalesce(ed.edits_key, '') AS "__edits_key", sel.decision AS "__decision",
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


def sbx_keys(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, upto_edit_id: int) -> set[tuple]:
    """What one SBX plan would write, as movement keys (`sibtui.edit.regen.supersede`)."""
    file_id = int(plan.source_file_id or 0)
    rows = cursor.execute(
        f"SELECT sel.record_no, m.movement, coalesce(ed.edits_key, '') FROM ({selection_sql(plan, upto_edit_id)}) sel "
        f"JOIN sbx_movements m ON m.file_id = {file_id} AND m.record_no = sel.record_no "
        f"LEFT JOIN (SELECT record_no, {EDITS_KEY_SQL} AS edits_key "
        f"FROM ({latest_edits_sql(SBX_TABLE, upto_edit_id)}) WHERE file_id = {file_id} GROUP BY record_no) ed "
        "ON ed.record_no = sel.record_no"
    ).fetchall()
    return {(SBX_TABLE, file_id, record_no, movement, key) for record_no, movement, key in rows}


def sbx_rows(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, upto_edit_id: int) -> Iterator[dict]:
    """Rows as dicts, streamed in Arrow batches (the result is never held whole in Python)."""
    relation = cursor.sql(sbx_rows_sql(plan, upto_edit_id), params={"registro": plan.registro_ans})
    reader = relation.to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        for row in batch.to_pylist():
            row["__table"] = SBX_TABLE
            yield row


def cnx_rows(cursor: duckdb.DuckDBPyConnection, plan: SourcePlan, upto_edit_id: int) -> list[dict]:
    """The movements the CNX and transfer edits of one operator become (`sibtui.edit.regen.cnx_plan`),
    in submission order, each titular before its dependents."""
    result = cursor.execute(
        f"SELECT * FROM ({planned_sql(upto_edit_id)}) WHERE registroANS IS NOT DISTINCT FROM ? "
        f"ORDER BY CASE movement {_RANK} ELSE 99 END, file_id, record_no",
        [plan.registro_ans],
    )
    names = [column[0] for column in result.description]
    rows = []
    for values in result.fetchall():
        row = dict(zip(names, values))
        why = "transfer-edit" if row["source_table"] == TRANSFER_TABLE else "cnx-edit"
        rows.append({**{k: v for k, v in row.items() if k not in _CNX_META},
                     "__table": row["source_table"], "__why": why, "__codes": None, "__edit_ids": row["edit_ids"],
                     "__edits": row["edits"], "__edits_key": row["edits_key"], "__decision": why,
                     "__titular": row["titular"]})
    ordered: list[dict] = []
    for movement in SUBMISSION_ORDER:
        ordered += _titulares_first([row for row in rows if row["movement"] == movement.value])
    return ordered


_CNX_META = frozenset({"source_table", "registroANS", "titular", "edits", "edit_ids", "edits_key"})


def _titulares_first(rows: list[dict]) -> list[dict]:
    position = {row["cco"]: index for index, row in enumerate(rows)}

    def key(item: tuple[int, dict]) -> tuple[int, bool, int]:
        index, row = item
        titular_at = position.get(row.pop("__titular"))
        if titular_at is None or titular_at == index:
            return (index, False, index)
        return (max(index, titular_at), True, index)

    return [row for _, row in sorted(enumerate(rows), key=key)]
