"""Our pending CNS work against ANS's newest conference (issue: what changed at ANS, item 4).

`sbx_cns_pending` lists the SBX movements (current values, edits applied) whose CNS is empty
or different from what the newest CNX of the same registro ANS holds for that vínculo:

- an inclusão is the vínculo whose CCO the RPX answering its SBX assigned (§4.4); when no
  RPX is loaded, the one CNX vínculo with the same `codigoBeneficiario`;
- any other movement that sends a CNS (a retificação) is the vínculo of its `cco`; one that
  sends none is not pending, since leaving CNS out means "do not change it".

Only a CNX made after the SBX counts (an older one cannot know what the SBX changed), and
only vínculos whose CNX CNS is known are listed: the list is what `sibtui fix fill-cns` can
copy. A code or CCO holding more than one CNS in that CNX is ambiguous and left out.
"""

from __future__ import annotations

SBX_CNS_PENDING_SQL = """
CREATE OR REPLACE VIEW sbx_cns_pending AS
WITH held AS (
    SELECT n.registroANS, n.moment AS cnx_moment, c.file_id AS cnx_file_id, c.record_no AS cnx_record_no, trim(c.cco) AS cco,
           trim(c.codigoBeneficiario) AS codigo, trim(c.cns) AS cns
    FROM cnx_beneficiaries c JOIN newest_cnx n ON n.file_id = c.file_id
    WHERE nullif(trim(c.cns), '') IS NOT NULL
),
by_cco AS (
    SELECT registroANS, cco, any_value(cnx_moment) AS cnx_moment, any_value(cnx_file_id) AS cnx_file_id, min(cnx_record_no) AS cnx_record_no,
           min(cns) AS cns
    FROM held GROUP BY ALL HAVING count(DISTINCT cns) = 1
),
by_codigo AS (
    SELECT registroANS, codigo, min(cco) AS cco FROM held GROUP BY ALL HAVING count(DISTINCT cns) = 1
),
assigned AS (SELECT file_id, codigoBeneficiario, trim(cco) AS cco FROM rpx_inclusion_ccos),
linked AS (
    SELECT m.file_id, m.record_no, m.movement, m.codigoBeneficiario, nullif(trim(m.cns), '') AS cns,
           f.registroANS, f.moment AS sbx_moment,
           CASE WHEN m.movement = 'inclusao' THEN coalesce(a.cco, c.cco) ELSE trim(m.cco) END AS cco,
           CASE WHEN m.movement = 'inclusao' THEN CASE WHEN a.cco IS NOT NULL THEN 'rpx' ELSE 'codigo' END
                ELSE 'cco' END AS linked_by
    FROM sbx_movements_current m
    JOIN file_moments f ON f.file_id = m.file_id
    LEFT JOIN assigned a ON m.movement = 'inclusao' AND a.file_id = m.file_id
                        AND a.codigoBeneficiario = m.codigoBeneficiario
    LEFT JOIN by_codigo c ON m.movement = 'inclusao' AND c.registroANS = f.registroANS
                         AND c.codigo = trim(m.codigoBeneficiario)
    WHERE m.movement = 'inclusao' OR m.cns IS NOT NULL
)
SELECT l.file_id, l.record_no, l.movement, l.codigoBeneficiario, l.cco, l.linked_by,
       l.cns AS our_cns, s.cns AS cnx_cns, s.cnx_file_id, s.cnx_record_no
FROM linked l
JOIN by_cco s ON s.registroANS = l.registroANS AND s.cco = l.cco
WHERE l.cns IS DISTINCT FROM s.cns AND s.cnx_moment > l.sbx_moment
"""
