"""Facts read from the loaded files, as views every other part joins by name.

The loader writes the files' rows and nothing else; these views say what those rows mean
together, once, so no part writes them again in its own SQL:

- `file_moments`: when each file was made, as a timestamp: the header's
  `dataHoraRegistroTransacao` (seconds precision; a fraction or timezone is dropped, §1.0)
  or, when that does not parse, the file name (`RRRRRRAAAAMMDDHHMMSS` for SBX/RPX, §3.1;
  `ArqConf` + registro + 2 digits + `AAAAMMDD` for CNX). NULL when neither parses: such a
  file is shown without a date, never refused.
- `rpx_answers`: which RPX answers which SBX, by the SBX name the RPX carries, never by its
  own name (§3.1); whether it is the answer that counts (the newest, when ANS re-processed a
  file and answered twice) and whether its registro ANS agrees with the SBX's.
- `rpx_rejection_links`: each rejection with the SBX movement it refers to.
- `newest_cnx`: the newest CNX conference of each registro ANS (ANS's current knowledge).
- `rpx_inclusion_ccos`: the CCO ANS gave each SBX inclusion, from the newest RPX answering
  its file (§4.4).
"""

from __future__ import annotations

from sibtui.db.schema import Relation

FILE_MOMENTS_SQL = r"""
CREATE OR REPLACE VIEW file_moments AS
SELECT file_id, kind, name, registroANS,
       coalesce(
           TRY_STRPTIME(left(trim(dataHoraRegistroTransacao), 19), '%Y-%m-%dT%H:%M:%S'),
           TRY_STRPTIME(regexp_extract(name, '^[0-9]{6}([0-9]{14})\.', 1), '%Y%m%d%H%M%S'),
           TRY_STRPTIME(regexp_extract(name, '^ArqConf[0-9]{8}([0-9]{8})', 1), '%Y%m%d')
       ) AS moment
FROM files
"""

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

RPX_REJECTION_LINKS_SQL = """
CREATE OR REPLACE VIEW rpx_rejection_links AS
WITH answered AS (
    SELECT result.file_id AS rpx_file_id,
           result.nomeArquivo AS sbx_name,
           sbx.file_id AS sbx_file_id
    FROM rpx_results AS result
    LEFT JOIN files AS sbx
           ON sbx.kind = 'SBX' AND upper(sbx.name) = upper(trim(result.nomeArquivo))
)
SELECT rejection.file_id AS rpx_file_id,
       rejection.record_no AS rpx_record_no,
       rejection.error_no,
       rejection.line AS rpx_line,
       rejection.codigoTipoMovimento,
       kind.movement,
       rejection.cco,
       rejection.codigoBeneficiario,
       rejection.codigoCampo,
       rejection.descricaoCampo,
       rejection.valorCampo,
       rejection.codigoErro,
       rejection.mensagemErro,
       answered.sbx_name,
       answered.sbx_file_id,
       movement.record_no AS sbx_record_no,
       movement.line AS sbx_line
FROM rpx_rejections AS rejection
JOIN answered ON answered.rpx_file_id = rejection.file_id
LEFT JOIN movement_types AS kind
       ON kind.code = TRY_CAST(trim(rejection.codigoTipoMovimento) AS INTEGER)
LEFT JOIN sbx_movements AS movement
       ON movement.file_id = answered.sbx_file_id
      AND movement.movement = kind.movement
      -- Inclusions by codigoBeneficiario, the rest by cco (code 1 is 'inclusao'), written as
      -- one key per side so DuckDB hashes on it: a CASE of two comparisons is no join key, and
      -- every rejection would be compared with every movement of its kind in the file.
      AND CASE WHEN movement.movement = 'inclusao' THEN movement.codigoBeneficiario ELSE movement.cco END
        = CASE WHEN kind.code = 1 THEN rejection.codigoBeneficiario ELSE rejection.cco END
"""

NEWEST_CNX_SQL = """
CREATE OR REPLACE VIEW newest_cnx AS
SELECT file_id, registroANS, moment FROM file_moments WHERE kind = 'CNX'
QUALIFY row_number() OVER (PARTITION BY registroANS ORDER BY moment DESC NULLS LAST, file_id DESC) = 1
"""

RPX_INCLUSION_CCOS_SQL = """
CREATE OR REPLACE VIEW rpx_inclusion_ccos AS
SELECT a.sbx_file_id AS file_id, i.codigoBeneficiario, arg_max(i.cco, a.rpx_moment) AS cco
FROM rpx_answers a JOIN rpx_inclusions i ON i.file_id = a.rpx_file_id
WHERE a.sbx_file_id IS NOT NULL
GROUP BY ALL
"""


def relations() -> tuple[Relation, ...]:
    return (
        Relation("file_moments", (FILE_MOMENTS_SQL,), ("files",)),
        Relation("rpx_answers", (RPX_ANSWERS_SQL,), ("files", "file_moments", "rpx_results")),
        Relation("rpx_rejection_links", (RPX_REJECTION_LINKS_SQL,),
                 ("rpx_results", "files", "rpx_rejections", "movement_types", "sbx_movements")),
        Relation("newest_cnx", (NEWEST_CNX_SQL,), ("file_moments",)),
        Relation("rpx_inclusion_ccos", (RPX_INCLUSION_CCOS_SQL,), ("rpx_answers", "rpx_inclusions")),
    )
