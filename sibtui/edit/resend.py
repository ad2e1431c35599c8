"""Where each movement ANS rejected stands, and whether it goes in the next regeneration.

A movement must go to ANS again when the answer that counts (`rpx_answers.is_current`)
rejected it, or rejected its whole file. Each such movement is in exactly one state:

- `nao_reenviar`: the analyst decided it must not go (`sibtui.edit.decisions`, with a reason);
- `ja_na_ans`: a retificação whose every value the newest CNX already holds (`sibtui.rules.same_as_ans`):
  sending it changes nothing, ANS would answer 3011;
- `corrigido`: edited since the RPX (a net change in the journal);
- `como_esta`: to go as it is: decided (with a reason), or its whole file was rejected;
- `com_titular`: a cascade: a dependent rejected only because its titular (an inclusão of
  the same file) was rejected too (`CASCADE_CODES`); it goes when its titular goes,
  right after it;
- `pendente`: none of the above; left out of the default regeneration and listed.

Independently, a later loaded SBX may already carry it again (`resent_file_id`, and what
that file's RPX said): then it is followed there, and never written again from here.

Everything is SQL over the current views and the journal, as of a journal edit id when
given (a regeneration reads one consistent state); `state_sql()` is what `sibtui status`,
the console and `sibtui fix list --decisions` read.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from sibtui.edit.ddl import EDITS_KEY_SQL, HOLD, RESEND, current_rows_sql, latest_decisions_sql, latest_edits_sql
from sibtui.edit.records import SBX_TABLE, RecordRef
from sibtui.rules.same_as_ans import noop_retificacoes_sql

PENDENTE = "pendente"
CORRIGIDO = "corrigido"
COMO_ESTA = "como_esta"
NAO_REENVIAR = "nao_reenviar"
COM_TITULAR = "com_titular"
JA_NA_ANS = "ja_na_ans"
STATES = (CORRIGIDO, COMO_ESTA, COM_TITULAR, PENDENTE, NAO_REENVIAR, JA_NA_ANS)
STATE_LABELS = {
    PENDENTE: "pendente",
    CORRIGIDO: "corrigido",
    COMO_ESTA: "reenviar como está",
    NAO_REENVIAR: "não reenviar",
    COM_TITULAR: "vai com o titular",
    JA_NA_ANS: "a ANS já tem estes valores",
}
GOING = (CORRIGIDO, COMO_ESTA)  # go by themselves in the default regeneration
# A dependent rejected with only these codes, whose titular was rejected in the same file,
# failed because of the titular (1802: "titular não pertence à operadora", criticas.md).
CASCADE_CODES = ("1802",)

STATE_COLUMNS = (
    "file_id", "record_no", "movement", "record_key", "rpx_file_id", "codes", "whole_file", "edited",
    "edits_key", "decision", "reason", "decided_by", "decided_at", "titular_record_no", "state",
    "resent_file_id", "resent_verdict",
)


def state_sql(upto_edit_id: int | None = None, file_id: int | None = None) -> str:
    """One row per movement to resend, as `STATE_COLUMNS` (see the module docstring); of one
    SBX only when `file_id` is given (a record view needs no other file's states)."""
    only = f" AND a.sbx_file_id = {int(file_id)}" if file_id is not None else ""  # on `rejected` only
    cascade_codes = ", ".join(f"'{code}'" for code in CASCADE_CODES)
    rejected_movements = "SELECT c.* FROM cur c JOIN rejected USING (file_id, record_no)"
    return f"""
WITH answer AS (
    SELECT a.sbx_file_id, a.rpx_file_id, a.status, trim(a.codigoMotivoRejeicao) AS file_code
    FROM rpx_answers a WHERE a.is_current AND a.sbx_file_id IS NOT NULL
),
rejected AS (
    SELECT l.sbx_file_id AS file_id, l.sbx_record_no AS record_no, any_value(a.rpx_file_id) AS rpx_file_id,
           list(DISTINCT trim(l.codigoErro) ORDER BY trim(l.codigoErro)) AS codes, false AS whole_file
    FROM rpx_rejection_links l JOIN answer a ON a.rpx_file_id = l.rpx_file_id AND a.sbx_file_id = l.sbx_file_id
    WHERE l.sbx_record_no IS NOT NULL AND a.status IS DISTINCT FROM 'rejeitado'{only}
    GROUP BY l.sbx_file_id, l.sbx_record_no
    UNION ALL
    SELECT m.file_id, m.record_no, a.rpx_file_id, list_value(a.file_code), true
    FROM sbx_movements m JOIN answer a ON a.sbx_file_id = m.file_id WHERE a.status = 'rejeitado'{only}
),
cur AS (
    SELECT c.* FROM ({current_rows_sql(SBX_TABLE, upto_edit_id)}) c
    WHERE c.file_id IN (SELECT DISTINCT file_id FROM rejected)
),
edited AS (
    SELECT file_id, record_no, {EDITS_KEY_SQL} AS edits_key
    FROM ({latest_edits_sql(SBX_TABLE, upto_edit_id)}) GROUP BY file_id, record_no
    HAVING bool_or(value IS DISTINCT FROM original)
),
decided AS ({latest_decisions_sql(upto_edit_id)}),
cascade AS (
    SELECT d.file_id, d.record_no, min(t.record_no) AS titular_record_no
    FROM rejected rd
    JOIN cur d ON d.file_id = rd.file_id AND d.record_no = rd.record_no
    JOIN cur t ON t.file_id = d.file_id AND t.movement = 'inclusao' AND t.record_no <> d.record_no
              AND trim(t.codigoBeneficiario) = trim(d.codigoBeneficiarioTitular)
    JOIN rejected rt ON rt.file_id = t.file_id AND rt.record_no = t.record_no
    WHERE NOT rd.whole_file AND d.movement IN ('inclusao', 'retificacao')
      AND len(list_filter(rd.codes, lambda code: code NOT IN ({cascade_codes}))) = 0
    GROUP BY d.file_id, d.record_no
),
noop AS ({noop_retificacoes_sql(rejected_movements)}),
own AS (SELECT file_id, moment FROM file_moments),
resent AS (
    SELECT r.file_id, r.record_no,
           arg_max(later.file_id, later_moment.moment) AS resent_file_id,
           arg_max(CASE WHEN la.rpx_file_id IS NULL THEN 'awaiting'
                        WHEN la.status = 'rejeitado' OR again.sbx_record_no IS NOT NULL THEN 'rejected'
                        ELSE 'accepted' END, later_moment.moment) AS verdict
    FROM rejected r
    JOIN sbx_movements m ON m.file_id = r.file_id AND m.record_no = r.record_no
    JOIN own ON own.file_id = r.file_id
    JOIN sbx_movements later ON later.movement = m.movement AND later.file_id <> m.file_id
         AND CASE WHEN m.movement = 'inclusao' THEN later.codigoBeneficiario ELSE later.cco END
           = CASE WHEN m.movement = 'inclusao' THEN m.codigoBeneficiario ELSE m.cco END
    JOIN own later_moment ON later_moment.file_id = later.file_id AND later_moment.moment > own.moment
    LEFT JOIN answer la ON la.sbx_file_id = later.file_id
    LEFT JOIN (SELECT DISTINCT rpx_file_id, sbx_file_id, sbx_record_no FROM rpx_rejection_links) again
           ON again.rpx_file_id = la.rpx_file_id AND again.sbx_file_id = later.file_id
          AND again.sbx_record_no = later.record_no
    GROUP BY r.file_id, r.record_no
)
SELECT r.file_id, r.record_no, c.movement, coalesce(trim(c.cco), trim(c.codigoBeneficiario)) AS record_key,
       r.rpx_file_id, r.codes, r.whole_file, e.file_id IS NOT NULL AS edited, coalesce(e.edits_key, '') AS edits_key,
       d.decision, CASE WHEN d.decision IS NOT NULL THEN d.reason END AS reason,
       CASE WHEN d.decision IS NOT NULL THEN d.decided_by END AS decided_by,
       CASE WHEN d.decision IS NOT NULL THEN d.decided_at END AS decided_at,
       k.titular_record_no,
       CASE WHEN d.decision = '{HOLD}' THEN '{NAO_REENVIAR}'
            WHEN n.record_no IS NOT NULL THEN '{JA_NA_ANS}'
            WHEN e.file_id IS NOT NULL THEN '{CORRIGIDO}'
            WHEN d.decision = '{RESEND}' OR r.whole_file THEN '{COMO_ESTA}'
            WHEN k.titular_record_no IS NOT NULL THEN '{COM_TITULAR}'
            ELSE '{PENDENTE}' END AS state,
       s.resent_file_id, s.verdict AS resent_verdict
FROM rejected r
JOIN cur c ON c.file_id = r.file_id AND c.record_no = r.record_no
LEFT JOIN edited e ON e.file_id = r.file_id AND e.record_no = r.record_no
LEFT JOIN decided d ON d.file_id = r.file_id AND d.record_no = r.record_no
LEFT JOIN cascade k ON k.file_id = r.file_id AND k.record_no = r.record_no
LEFT JOIN noop n ON n.file_id = r.file_id AND n.record_no = r.record_no
LEFT JOIN resent s ON s.file_id = r.file_id AND s.record_no = r.record_no
"""


def going_sql(upto_edit_id: int | None = None, include_pending: bool = False, file_id: int | None = None) -> str:
    """`state_sql` plus `goes`: whether the movement goes in a regeneration.

    Corrected and como-está movements go; a cascade dependent goes when its titular goes;
    with `include_pending`, pending ones go too (and the dependents of pending titulares).
    Nothing re-sent by a later loaded SBX goes again from here.
    """
    own = (*GOING, PENDENTE) if include_pending else GOING
    listed = ", ".join(f"'{state}'" for state in own)
    return f"""
WITH states AS ({state_sql(upto_edit_id, file_id)})
SELECT s.*, s.resent_file_id IS NULL AND (
           s.state IN ({listed})
           OR (s.state = '{COM_TITULAR}' AND t.state IN ({listed}) AND t.resent_file_id IS NULL)) AS goes
FROM states s
LEFT JOIN states t ON s.state = '{COM_TITULAR}' AND t.file_id = s.file_id AND t.record_no = s.titular_record_no
"""


def movements_to_resend(cursor: duckdb.DuckDBPyConnection, refs: pa.Table) -> dict[RecordRef, tuple]:
    """For the references that are movements to resend: (decision, reason) now."""
    cursor.register("__decision_refs", refs)
    try:
        rows = cursor.execute(
            f"SELECT s.file_id, s.record_no, s.decision, s.reason FROM ({state_sql()}) s "
            "JOIN __decision_refs r ON r.file_id = s.file_id AND r.record_no = s.record_no"
        ).fetchall()
    finally:
        cursor.unregister("__decision_refs")
    return {RecordRef(f, r): (decision, reason) for f, r, decision, reason in rows}


def state_rows(cursor: duckdb.DuckDBPyConnection, file_id: int | None = None) -> list[dict]:
    """Every movement to resend (of one SBX, or all), with `goes` by default rules."""
    where = f"WHERE file_id = {int(file_id)}" if file_id is not None else ""
    result = cursor.execute(f"SELECT * FROM ({going_sql()}) {where} ORDER BY file_id, record_no")
    names = [column[0] for column in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def state_label(state: str, titular_record_no: int | None = None) -> str:
    """pt-BR label of a state; a cascade names its titular's record."""
    if state == COM_TITULAR and titular_record_no is not None:
        return f"vai com o titular (registro {titular_record_no})"
    return STATE_LABELS.get(state, state)
