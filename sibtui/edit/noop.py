"""Movements that would change nothing at ANS: never written (ANS answers 3011, `criticas.md`).

A retificação overwrites, field by field, what ANS holds for its CCO. When every value it
carries already equals what the newest conference (CNX) of the operator holds for that
CCO, it changes nothing: ANS rejects it ("dados idênticos aos existentes no cadastro") and
it only adds noise to the file. Values are compared as ANS means them (trimmed, empty =
absent, integer codes by value, plan numbers by digits: `sibtui.compare.changes.comparable`).
A field the CNX does not show (`codigoBeneficiarioTitular`, `codigoProcedimentoAdministrativo`)
can never be proven equal, so a retificação carrying one is never a no-op.

The same comparison decides, for an edit of a CNX record, whether ANS already holds the new
value (`same_as_ans_sql`): such an edit is not sent (`sibtui.edit.regen.cnx_plan`).
"""

from __future__ import annotations

from sibtui.catalog import shapes
from sibtui.catalog.tables import CNX_BENEFICIARIES
from sibtui.compare.changes import comparable
from sibtui.db.identifiers import quote


def newest_cnx_rows_sql(ccos: str) -> str:
    """ANS's newest word on each vínculo, one row per (registro ANS, CCO), limited to the CCOs
    the SELECT `ccos` yields (a conference may hold millions).

    That is the newest conference (CNX) of each registro ANS; a portfolio transfer
    (`transfer_beneficiaries`, a partial conference) made after it wins for the CCOs it lists,
    and an older transfer speaks only for a CCO that CNX does not list (the vínculos a transfer
    brought, before a conference shows them). A CCO listed twice in one file: the first row.
    Transfer rows carry `situacaoTransferencia` too (NULL on CNX rows).
    """
    return f"""
WITH newest AS (
    SELECT file_id, registroANS, moment FROM file_moments WHERE kind = 'CNX'
    QUALIFY row_number() OVER (PARTITION BY registroANS ORDER BY moment DESC NULLS LAST, file_id DESC) = 1
),
transfers AS (
    SELECT t.file_id, t.registroANS, t.moment,
           CASE WHEN n.file_id IS NULL OR t.moment > n.moment THEN 2 ELSE 0 END AS "__rank"
    FROM file_moments t LEFT JOIN newest n ON n.registroANS = t.registroANS
    WHERE t.kind = 'TRF'
),
candidates AS (
    SELECT n.registroANS AS ans_registro, trim(x.cco) AS ans_cco, 1 AS "__rank", n.moment AS "__moment", x.*
    FROM cnx_beneficiaries x JOIN newest n ON n.file_id = x.file_id
    WHERE trim(x.cco) IN ({ccos})
    UNION ALL BY NAME
    SELECT t.registroANS AS ans_registro, trim(x.cco) AS ans_cco, t."__rank", t.moment AS "__moment", x.*
    FROM transfer_beneficiaries x JOIN transfers t ON t.file_id = x.file_id
    WHERE trim(x.cco) IN ({ccos})
)
SELECT * EXCLUDE ("__rank", "__moment") FROM candidates
QUALIFY row_number() OVER (PARTITION BY ans_registro, ans_cco
                           ORDER BY "__rank" DESC, "__moment" DESC NULLS LAST, file_id DESC, record_no) = 1
"""

RETIFICACAO_COLUMNS: tuple[str, ...] = tuple(
    leaf.column_name for leaf in shapes.RETIFICACAO.leaves() if leaf.column_name != "cco"
)
_CNX_COLUMNS = frozenset(CNX_BENEFICIARIES.value_columns)


def same_as_ans_sql(field_expression: str, value_expression: str, ans_alias: str) -> str:
    """SQL boolean: the value of field `field_expression` equals what the ANS row holds.

    `field_expression` yields a column name (text), `value_expression` the value; the ANS
    row is `ans_alias` (a row of `newest_cnx_rows_sql`, or NULLs when ANS has no such CCO).
    """
    cases = " ".join(
        f"WHEN {_text(column)} THEN {comparable(value_expression, column)} IS NOT DISTINCT FROM "
        f"{comparable(f'{ans_alias}.{quote(column)}', column)}"
        for column in sorted(_CNX_COLUMNS)
    )
    return f"(CASE {field_expression} {cases} ELSE false END)"


def noop_retificacoes_sql(candidates: str) -> str:
    """(file_id, record_no) of the retificações among `candidates` that change nothing at ANS.

    `candidates` is a SELECT of SBX movement rows (`sbx_movements_current` columns); the
    operator is the registro ANS of each movement's file.
    """
    columns = ", ".join(quote(column) for column in RETIFICACAO_COLUMNS)
    return f"""
WITH ret AS (
    SELECT c.file_id, c.record_no, trim(c.cco) AS cco, f.registroANS AS registro, {_selected('c')}
    FROM ({candidates}) c JOIN files f ON f.file_id = c.file_id
    WHERE c.movement = 'retificacao'
),
ans AS ({newest_cnx_rows_sql("SELECT cco FROM ret")}),
carried AS (UNPIVOT (SELECT file_id, record_no, cco, registro, {columns} FROM ret)
            ON {columns} INTO NAME field VALUE value),
judged AS (
    SELECT carried.file_id, carried.record_no, bool_and({same_as_ans_sql('carried.field', 'carried.value', 'a')}) AS same
    FROM carried JOIN ans a ON a.ans_registro = carried.registro AND a.ans_cco = carried.cco
    GROUP BY carried.file_id, carried.record_no
)
SELECT r.file_id, r.record_no
FROM ret r
JOIN ans a ON a.ans_registro = r.registro AND a.ans_cco = r.cco
LEFT JOIN judged j ON j.file_id = r.file_id AND j.record_no = r.record_no
WHERE coalesce(j.same, true)
"""


def _selected(alias: str) -> str:
    return ", ".join(f"{alias}.{quote(column)}" for column in RETIFICACAO_COLUMNS)


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
