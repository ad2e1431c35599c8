"""How far each SBX's pending movements have got: corrected, regenerated, re-sent, accepted.

A movement is *pending* when the RPX that counts rejected it, or rejected its whole file.
From the journal and the regeneration log each pending movement is then in one state:

- `uncorrected`: no net change in the journal, and not in a regenerated file since;
- `corrected`: changed in the journal after its last regeneration (or never regenerated);
- `regenerated`: in a regenerated file that reflects its latest journal row.

Independently, a later loaded SBX may carry the same movement again (same kind, same key:
`codigoBeneficiario` for inclusions, `cco` otherwise, §4.4): it was *re-sent*, and that later
file's RPX, when loaded, says whether ANS accepted it this time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sibtui.edit.ddl import PUBLISHED_REGENERATIONS, latest_edits_sql

_PENDING_SQL = f"""
WITH current_answer AS (
    SELECT sbx_file_id, rpx_file_id, status FROM rpx_answers WHERE is_current AND sbx_file_id IS NOT NULL
),
pending AS (
    SELECT DISTINCT l.sbx_file_id AS file_id, l.sbx_record_no AS record_no
    FROM rpx_rejection_links l JOIN current_answer a ON a.rpx_file_id = l.rpx_file_id
    WHERE l.sbx_record_no IS NOT NULL
    UNION
    SELECT m.file_id, m.record_no
    FROM sbx_movements m JOIN current_answer a ON a.sbx_file_id = m.file_id
    WHERE a.status = 'rejeitado'
),
touched AS (
    SELECT file_id, record_no, max(edit_id) AS last_edit
    FROM edit_journal WHERE table_name = 'sbx_movements' GROUP BY ALL
),
changed AS (
    SELECT DISTINCT file_id, record_no FROM ({latest_edits_sql('sbx_movements')})
    WHERE value IS DISTINCT FROM original
),
regenerated AS (
    SELECT m.source_file_id AS file_id, m.source_record_no AS record_no,
           max(coalesce(r.journal_edit_id, 0)) AS reflects, list(DISTINCT r.output_name ORDER BY r.output_name) AS files
    FROM regenerated_movements m
    JOIN {PUBLISHED_REGENERATIONS} r ON r.regeneration_id = m.regeneration_id AND r.part_no = m.part_no
    WHERE m.source_table = 'sbx_movements' GROUP BY ALL
),
states AS (
    SELECT p.file_id, p.record_no, g.files, c.record_no IS NOT NULL AS has_changes,
           CASE WHEN g.reflects IS NOT NULL AND g.reflects >= coalesce(t.last_edit, 0) THEN 'regenerated'
                WHEN c.record_no IS NOT NULL THEN 'corrected'
                ELSE 'uncorrected' END AS state
    FROM pending p
    LEFT JOIN touched t USING (file_id, record_no)
    LEFT JOIN changed c USING (file_id, record_no)
    LEFT JOIN regenerated g USING (file_id, record_no)
),
resent AS (
    SELECT p.file_id, p.record_no,
           arg_max(CASE WHEN a.rpx_file_id IS NULL THEN 'awaiting'
                        WHEN a.status = 'rejeitado' OR rejected.sbx_record_no IS NOT NULL THEN 'rejected'
                        ELSE 'accepted' END, later_moment.moment) AS verdict
    FROM pending p
    JOIN sbx_movements m USING (file_id, record_no)
    JOIN file_moments own ON own.file_id = p.file_id
    JOIN sbx_movements later ON later.movement = m.movement AND later.file_id <> m.file_id
         AND CASE WHEN m.movement = 'inclusao' THEN later.codigoBeneficiario = m.codigoBeneficiario
                  ELSE later.cco = m.cco END
    JOIN file_moments later_moment ON later_moment.file_id = later.file_id AND later_moment.moment > own.moment
    LEFT JOIN current_answer a ON a.sbx_file_id = later.file_id
    LEFT JOIN (SELECT DISTINCT rpx_file_id, sbx_file_id, sbx_record_no FROM rpx_rejection_links) rejected
           ON rejected.rpx_file_id = a.rpx_file_id AND rejected.sbx_file_id = later.file_id
          AND rejected.sbx_record_no = later.record_no
    GROUP BY ALL
)
SELECT s.file_id,
       count(*) FILTER (WHERE s.state = 'uncorrected'),
       count(*) FILTER (WHERE s.state = 'corrected'),
       count(*) FILTER (WHERE s.state = 'regenerated'),
       count(*) FILTER (WHERE s.state = 'regenerated' AND NOT s.has_changes),
       list(DISTINCT f.name ORDER BY f.name) FILTER (WHERE f.name IS NOT NULL),
       count(r.verdict) FILTER (WHERE r.verdict = 'accepted'),
       count(r.verdict) FILTER (WHERE r.verdict = 'rejected'),
       count(r.verdict) FILTER (WHERE r.verdict = 'awaiting')
FROM states s
LEFT JOIN resent r USING (file_id, record_no)
LEFT JOIN (SELECT file_id, record_no, unnest(files) AS name FROM states) f USING (file_id, record_no)
GROUP BY s.file_id
"""


@dataclass(frozen=True)
class PendingProgress:
    """Counts of one SBX's pending movements by state, and where they went."""

    uncorrected: int = 0
    corrected: int = 0  # corrected in the journal, not yet in a regenerated file
    regenerated: int = 0
    regenerated_unchanged: int = 0  # of those, regenerated with no correction (fine after a file rejection)
    regenerated_files: tuple[str, ...] = field(default_factory=tuple)
    resent_accepted: int = 0  # a later SBX carried it and its RPX did not reject it
    resent_rejected: int = 0
    resent_awaiting: int = 0  # a later SBX carried it; its RPX is not loaded yet

    @property
    def resent(self) -> int:
        return self.resent_accepted + self.resent_rejected + self.resent_awaiting


def pending_progress(cursor: duckdb.DuckDBPyConnection) -> dict[int, PendingProgress]:
    """Progress of the pending movements of every SBX that has any, by SBX file_id."""
    progress = {}
    for file_id, uncorrected, corrected, regenerated, unchanged, files, accepted, rejected, awaiting in (
        cursor.execute(_PENDING_SQL).fetchall()
    ):
        progress[file_id] = PendingProgress(
            uncorrected, corrected, regenerated, unchanged, tuple(files or ()), accepted, rejected, awaiting
        )
    return progress
