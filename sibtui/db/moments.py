"""When each loaded file was made, as a timestamp SQL can order and compare.

From the header's `dataHoraRegistroTransacao` (seconds precision; a fraction or timezone is
dropped, §1.0) or, when that does not parse, from the file name: `RRRRRRAAAAMMDDHHMMSS` for
SBX/RPX (§3.1), `ArqConf` + registro + 2 digits + `AAAAMMDD` for CNX. NULL when neither
parses: such a file is shown without a date, never refused.
"""

from __future__ import annotations

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
