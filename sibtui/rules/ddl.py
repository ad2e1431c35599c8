"""What the pre-critique publishes in the workspace: `catalog_rules`, `cns_gaps`, `error_code_catalog`.

`sibtui.db.schema` creates these with the rest of the schema; they live here, beside the
rules they describe. `error_code_catalog` learns from loaded RPX files: every `codigoErro`
ANS ever sent us, with ANS's own message and field id, unioned with the codes we can explain.
"""

from __future__ import annotations

import pyarrow as pa

from sibtui.rules.catalog import catalog_rows
from sibtui.rules.cns import cns_gaps_view_sql

CATALOG_RULES_COLUMNS = ("rule", "severity", "scope", "field", "description", "fix", "ans_codes")


def catalog_rules_table() -> pa.Table:
    rows = catalog_rows()
    return pa.table({name: [row[index] for row in rows] for index, name in enumerate(CATALOG_RULES_COLUMNS)})


# One row per code: ours (catalog_error_codes) and ANS's (every RPX loaded), side by side.
ERROR_CODE_CATALOG_SQL = """
CREATE OR REPLACE VIEW error_code_catalog AS
WITH seen AS (
    SELECT trim(codigoErro) AS codigoErro, mensagemErro, NULL AS codigoCampo, NULL AS descricaoCampo,
           TRY_CAST(trim(quantidadeOcorrenciaErro) AS BIGINT) AS occurrences, file_id
    FROM rpx_error_totals WHERE codigoErro IS NOT NULL
    UNION ALL
    SELECT trim(codigoErro), mensagemErro, trim(codigoCampo), descricaoCampo, NULL, file_id
    FROM rpx_rejections WHERE codigoErro IS NOT NULL
),
learnt AS (
    SELECT codigoErro,
           mode(mensagemErro) AS ans_message,
           mode(codigoCampo) AS ans_field_id,
           mode(descricaoCampo) AS ans_field_description,
           count(DISTINCT file_id) AS rpx_files,
           sum(occurrences) AS occurrences_in_totals
    FROM seen GROUP BY codigoErro
)
SELECT coalesce(known.codigoErro, learnt.codigoErro) AS codigoErro,
       coalesce(known.field_id, learnt.ans_field_id, left(learnt.codigoErro, 2)) AS field_id,
       known.field_name,
       learnt.ans_message,
       learnt.ans_field_description,
       known.cause,
       known.fix,
       known.confidence,
       known.codigoErro IS NOT NULL AS explained,
       learnt.codigoErro IS NOT NULL AS seen_in_rpx,
       coalesce(learnt.rpx_files, 0) AS rpx_files,
       coalesce(learnt.occurrences_in_totals, 0) AS occurrences_in_totals
FROM catalog_error_codes known
FULL OUTER JOIN learnt ON learnt.codigoErro = known.codigoErro
"""


def views_sql() -> tuple[str, ...]:
    """Views to create after the catalogue tables and the `*_current` views exist."""
    return (cns_gaps_view_sql(), ERROR_CODE_CATALOG_SQL)
