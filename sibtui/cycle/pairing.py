"""Which RPX answers which SBX: by the SBX name the RPX carries, never by its own name (§3.1).

`rpx_answers` has one row per loaded RPX: the SBX it names (loaded or not), whether it is
the answer that counts (the newest, when ANS re-processed a file and answered twice) and
whether its registro ANS agrees with the SBX's. Dates come from `file_moments`.
"""

from __future__ import annotations

RPX_ANSWERS_SQL = r"""
CREATE OR REPLACE VIEW rpx_answers AS
WITH sbx AS (
    SELECT upper(name) AS key, max(file_id) AS file_id FROM files WHERE kind = 'SBX' GROUP BY 1
),
answers AS (
    SELECT rpx.file_id AS rpx_file_id, rpx.name AS rpx_name, rpx.registroANS AS rpx_registroANS,
           rpx.moment AS rpx_moment, result.status, result.numeroProtocolo,
           trim(result.nomeArquivo) AS sbx_name, result.codigoMotivoRejeicao, result.motivoRejeicao,
           sbx.file_id AS sbx_file_id
    FROM file_moments rpx
    JOIN rpx_results result ON result.file_id = rpx.file_id
    LEFT JOIN sbx ON sbx.key = upper(trim(result.nomeArquivo))
    WHERE rpx.kind = 'RPX'
)
SELECT answers.*,
       row_number() OVER (PARTITION BY upper(answers.sbx_name)
                          ORDER BY answers.rpx_moment DESC NULLS LAST, answers.rpx_file_id DESC) = 1 AS is_current,
       count(*) OVER (PARTITION BY upper(answers.sbx_name)) AS answers_for_sbx,
       sbx.registroANS AS sbx_registroANS,
       sbx.registroANS IS NOT NULL AND sbx.registroANS IS DISTINCT FROM answers.rpx_registroANS AS registro_mismatch
FROM answers LEFT JOIN files sbx ON sbx.file_id = answers.sbx_file_id
"""

VIEWS: tuple[str, ...] = (RPX_ANSWERS_SQL,)
