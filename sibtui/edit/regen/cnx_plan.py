"""Edits of conference records (CNX, and portfolio transfers) as the SBX movements they become (§6.4).

An edit of a CNX record, or of a transfer's record (`transfer_beneficiaries`, the same
columns: the acquirer re-coding or cancelling what it received, art. 22), is a change the
operator wants ANS to make to that vínculo. Which movement carries it depends on what changed
and on the vínculo's state at ANS (the newest conference of the operator, or a transfer made
after it: `sibtui.rules.same_as_ans.ans_rows_sql`; else the edited record's own `situacao`):

- cancellation data (`dataCancelamento`, `motivoCancelamento`) on an ATIVO vínculo ->
  `cancelamento` (a retificação carrying them is refused, 3114); on an INATIVO one it
  corrects the cancellation -> retificação;
- `dataReativacao` on an INATIVO vínculo -> `reativacao`; on an ATIVO one -> retificação;
- a plan (`numeroPlanoANS`, `numeroPlanoOperadora`, `numeroPlanoPortabilidade`) ->
  `mudancaContratual`, carrying the vínculo's current contract (relação, date of the change,
  plan, CPT, itens, contractor); contract fields edited with it go in it too (0906, 1213);
- anything else (identity, address, codes) -> retificação with only the changed fields.

A record can give several movements (a retificação and a cancelamento, say). An edited value
ANS already holds (the newest CNX has it, compared as ANS means it: `sibtui.rules.same_as_ans`), or
already carries in a regenerated file that was sent (loaded back as an SBX), is not sent
again; a record left with nothing gives no movement.

`planned_sql()` is one relation with the SBX movement columns (`sbx_movements` value columns,
keyed by the conference record's `source_table`/`file_id`/`record_no`): the regeneration writes it, and the
pre-critique judges it as the movements it will become (`PLANNED_VIEW`).
"""

from __future__ import annotations

from sibtui.catalog.tables import SBX_MOVEMENTS
from sibtui.db.identifiers import quote
from sibtui.edit.ddl import PUBLISHED_REGENERATIONS, current_rows_sql, latest_edits_sql
from sibtui.edit.records import CONFERENCE_TABLES
from sibtui.rules.same_as_ans import ans_rows_sql, holds_value_sql

PLANNED_VIEW = "planned_cnx_movements"
CANCEL_FIELDS = ("dataCancelamento", "motivoCancelamento")
REACTIVATION_FIELDS = ("dataReativacao",)
PLAN_FIELDS = ("numeroPlanoANS", "numeroPlanoOperadora", "numeroPlanoPortabilidade")
CONTRACTOR_FIELDS = ("cnpjEmpresaContratante", "ceiEmpresaContratante", "caepfEmpresaContratante")
CONTRACT_FIELDS = (*PLAN_FIELDS, "relacaoDependencia", "dataContratacao", "coberturaParcialTemporaria",
                   "itensExcluidosCobertura", *CONTRACTOR_FIELDS)
# Columns a movement takes from the vínculo as it currently reads, edited or not.
FROM_RECORD = {
    "cancelamento": CANCEL_FIELDS,
    "reativacao": REACTIVATION_FIELDS,
    "mudancaContratual": tuple(c for c in CONTRACT_FIELDS if c != "numeroPlanoPortabilidade"),
}
_COLUMNS = tuple(c for c in SBX_MOVEMENTS.value_columns if c not in ("movement", "cco"))


def _listed(columns: tuple[str, ...]) -> str:
    return ", ".join(f"'{column}'" for column in columns)


def _column_sql(column: str) -> str:
    """The value `column` of a planned movement: edited, else (for some kinds) the vínculo's."""
    edited = f"max(g.value) FILTER (WHERE g.field = '{column}')"
    taken = [movement for movement, columns in FROM_RECORD.items() if column in columns]
    if not taken:
        return f"{edited} AS {quote(column)}"
    record = f"any_value(rec.{quote(column)})"
    value = f"coalesce({edited}, {record})"
    rivals = _rivals(column)
    if rivals:  # a choice: a rival edited and this one not -> this one stays out (the XSD allows one)
        rival_edited = " OR ".join(f"bool_or(g.field = '{rival}')" for rival in rivals)
        value = f"CASE WHEN ({rival_edited}) AND NOT bool_or(g.field = '{column}') THEN NULL ELSE {value} END"
    kinds = _listed(tuple(taken))
    return f"CASE WHEN g.movement IN ({kinds}) THEN {value} ELSE {edited} END AS {quote(column)}"


def _rivals(column: str) -> tuple[str, ...]:
    for group in (("numeroPlanoANS", "numeroPlanoOperadora"), CONTRACTOR_FIELDS):
        if column in group:
            return tuple(c for c in group if c != column)
    return ()


def _judged_sql(upto_edit_id: int | None) -> str:
    """CTEs up to `judged`: every net CNX edit, the vínculo's state at ANS, and whether ANS
    already holds the value or a sent file already carried it."""
    return f"""
WITH edits AS (
    {" UNION ALL ".join(
        f"SELECT '{table}' AS source_table, file_id, record_no, field, value, original, edit_id "
        f"FROM ({latest_edits_sql(table, upto_edit_id)}) WHERE value IS DISTINCT FROM original AND value IS NOT NULL"
        for table in CONFERENCE_TABLES)}
),
rec AS (
    {" UNION ALL BY NAME ".join(
        f"SELECT '{table}' AS source_table, c.*, f.registroANS AS registro "
        f"FROM ({current_rows_sql(table, upto_edit_id)}) c JOIN files f ON f.file_id = c.file_id "
        f"WHERE (c.file_id, c.record_no) IN (SELECT file_id, record_no FROM edits WHERE source_table = '{table}')"
        for table in CONFERENCE_TABLES)}
),
ans AS ({ans_rows_sql("SELECT trim(cco) FROM rec")}),
sent AS (
    SELECT DISTINCT ch.source_file_id AS file_id, ch.source_record_no AS record_no, ch.field, ch.written_value
    FROM regenerated_changes ch
    JOIN {PUBLISHED_REGENERATIONS} r ON r.regeneration_id = ch.regeneration_id AND r.part_no = ch.part_no
    JOIN files loaded ON loaded.kind = 'SBX' AND upper(loaded.name) = upper(r.output_name)
    WHERE ch.source_table IN ({_listed(CONFERENCE_TABLES)})
),
judged AS (
    SELECT e.*, rec.registro, upper(trim(coalesce(a.situacao, rec.situacao))) AS situacao,
           {holds_value_sql('e.field', 'e.value', 'a')} AS ans_has_it,
           s.file_id IS NOT NULL AS sent_already
    FROM edits e
    JOIN rec ON rec.file_id = e.file_id AND rec.record_no = e.record_no
    LEFT JOIN ans a ON a.ans_registro = rec.registro AND a.ans_cco = trim(rec.cco)
    LEFT JOIN sent s ON s.file_id = e.file_id AND s.record_no = e.record_no AND s.field = e.field
                    AND s.written_value IS NOT DISTINCT FROM trim(e.value)
)"""


def planned_sql(upto_edit_id: int | None = None) -> str:
    """Planned movements of every edited conference record (see the module docstring).

    Columns: source_table, file_id, record_no, movement, cco, the SBX value columns, registroANS,
    titular (the CCO of the vínculo's titular), edits (the journal rows it carries),
    edit_ids, edits_key.
    """
    columns = ",\n       ".join(_column_sql(column) for column in _COLUMNS)
    return f"""{_judged_sql(upto_edit_id)},
live AS (
    SELECT *, bool_or(field IN ({_listed(PLAN_FIELDS)})) OVER (PARTITION BY file_id, record_no) AS plan_changed
    FROM judged WHERE NOT ans_has_it AND NOT sent_already
),
g AS (
    SELECT *, CASE WHEN field IN ({_listed(CANCEL_FIELDS)}) AND situacao = 'ATIVO' THEN 'cancelamento'
                   WHEN field IN ({_listed(REACTIVATION_FIELDS)}) AND situacao = 'INATIVO' THEN 'reativacao'
                   WHEN field IN ({_listed(CONTRACT_FIELDS)}) AND plan_changed THEN 'mudancaContratual'
                   ELSE 'retificacao' END AS movement
    FROM live
)
SELECT g.source_table, g.file_id, g.record_no, g.movement, trim(any_value(rec.cco)) AS cco,
       {columns},
       any_value(rec.registro) AS registroANS,
       nullif(trim(any_value(rec.ccoBeneficiarioTitular)), '') AS titular,
       list({{'field': g.field, 'original': g.original, 'value': g.value, 'edit_id': g.edit_id}} ORDER BY g.edit_id)
           AS edits,
       list(g.edit_id ORDER BY g.edit_id) AS edit_ids,
       md5(string_agg(g.field || chr(31) || g.value, chr(30) ORDER BY g.field)) AS edits_key
FROM g JOIN rec ON rec.file_id = g.file_id AND rec.record_no = g.record_no
GROUP BY g.source_table, g.file_id, g.record_no, g.movement
"""


def edits_not_sent(cursor, registro_ans: str | None, upto_edit_id: int | None = None) -> tuple[int, int]:
    """(edits ANS already holds, edits a sent file already carried) among one operator's CNX edits."""
    row = cursor.execute(
        f"{_judged_sql(upto_edit_id)} SELECT count(*) FILTER (WHERE ans_has_it), "
        "count(*) FILTER (WHERE sent_already AND NOT ans_has_it) FROM judged WHERE registro IS NOT DISTINCT FROM ?",
        [registro_ans],
    ).fetchall()[0]
    return int(row[0]), int(row[1])
