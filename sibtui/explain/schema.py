"""The team's explanations in the workspace, and `error_code_catalog`, the one place every RPX code meets.

`error_code_catalog` learns from loaded RPX files: every `codigoErro` ANS ever sent us, with
ANS's own message and field id, unioned with the codes our catalogue explains and the team's
own explanations (`sibtui.explain.store`).
"""

from __future__ import annotations

from sibtui.catalog.error_agreement import disagreement_sql
from sibtui.db.schema import Relation
from sibtui.explain.store import TABLE, TABLE_SQL

# One row per code: ours (catalog_error_codes), the team's (code_explanations) and ANS's
# (every RPX loaded), side by side. `ans_message_differs`: some message ANS sent for the code
# names another field or another meaning than our catalogue's (our hint may not apply).
ERROR_CODE_CATALOG_SQL = f"""
CREATE OR REPLACE VIEW error_code_catalog AS
WITH seen AS (
    SELECT trim(codigoErro) AS codigoErro, mensagemErro, NULL AS codigoCampo, NULL AS descricaoCampo,
           TRY_CAST(trim(quantidadeOcorrenciaErro) AS BIGINT) AS occurrences, file_id
    FROM rpx_error_totals WHERE codigoErro IS NOT NULL
    UNION ALL
    SELECT trim(codigoErro), mensagemErro, trim(codigoCampo), descricaoCampo, NULL, file_id
    FROM rpx_rejections WHERE codigoErro IS NOT NULL
),
judged AS (
    SELECT seen.*, {disagreement_sql("seen.codigoErro", "seen.mensagemErro", "seen.codigoCampo",
                                     "seen.descricaoCampo", "meaning")} AS differs
    FROM seen LEFT JOIN catalog_error_meanings meaning ON meaning.codigoErro = seen.codigoErro
),
learnt AS (
    SELECT codigoErro,
           mode(mensagemErro) AS ans_message,
           mode(codigoCampo) AS ans_field_id,
           mode(descricaoCampo) AS ans_field_description,
           count(DISTINCT file_id) AS rpx_files,
           sum(occurrences) AS occurrences_in_totals,
           bool_or(differs) AS ans_message_differs,
           arg_max(mensagemErro, differs) FILTER (WHERE differs) AS differing_message
    FROM judged GROUP BY codigoErro
)
SELECT coalesce(known.codigoErro, learnt.codigoErro, team.codigoErro) AS codigoErro,
       coalesce(known.field_id, learnt.ans_field_id, left(coalesce(learnt.codigoErro, team.codigoErro), 2)) AS field_id,
       known.field_name,
       learnt.ans_message,
       learnt.ans_field_description,
       known.cause,
       known.fix,
       known.confidence,
       known.codigoErro IS NOT NULL AS explained,
       learnt.codigoErro IS NOT NULL AS seen_in_rpx,
       coalesce(learnt.rpx_files, 0) AS rpx_files,
       coalesce(learnt.occurrences_in_totals, 0) AS occurrences_in_totals,
       coalesce(learnt.ans_message_differs, false) AS ans_message_differs,
       learnt.differing_message,
       team.cause AS team_cause,
       team.fix AS team_fix,
       team.source AS team_source,
       team.author AS team_author,
       team.written_at AS team_written_at
FROM catalog_error_codes known
FULL OUTER JOIN learnt ON learnt.codigoErro = known.codigoErro
FULL OUTER JOIN code_explanations team ON team.codigoErro = coalesce(known.codigoErro, learnt.codigoErro)
"""


def relations() -> tuple[Relation, ...]:
    return (
        Relation(TABLE, (TABLE_SQL,)),
        Relation("error_code_catalog", (ERROR_CODE_CATALOG_SQL,),
                 ("rpx_error_totals", "rpx_rejections", "catalog_error_meanings", "catalog_error_codes", TABLE)),
    )
