"""Where each SBX's rejected movements stand, each counted once, in its latest state.

A movement is *pending* when the RPX that counts rejected it, or rejected its whole file.
Each pending movement is in exactly one of these states (the first that applies):

- re-sent: a later loaded SBX carries it again (same kind, same key: `codigoBeneficiario`
  for inclusions, `cco` otherwise, §4.4); that file's RPX, when loaded, says whether ANS
  accepted it (`resent_accepted`, `resent_rejected`, `resent_awaiting`);
- `regenerated`: a regenerated file still to be sent (`sibtui.edit.regen.supersede`) holds it
  exactly as it is now (same edits), and it still goes;
- otherwise its resend state (`sibtui.edit.resend`): `uncorrected` (pendente), `corrected`
  (not yet in a file), `as_is` (reenviar como está), `with_titular` (cascade), `held` (não
  reenviar), `at_ans` (a retificação ANS already holds).

Undo and redo move a movement between these honestly: a file holding a version that is no
longer current is *stale* (counted apart, with its name), never "generated".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sibtui.edit.ddl import LOGGED_MOVEMENTS, PUBLISHED_REGENERATIONS
from sibtui.edit.regen.supersede import WAITING_SQL
from sibtui.edit.resend import (
    COM_TITULAR,
    COMO_ESTA,
    CORRIGIDO,
    JA_NA_ANS,
    NAO_REENVIAR,
    PENDENTE,
    state_sql,
)

_LATEST = {
    "uncorrected": PENDENTE, "corrected": CORRIGIDO, "as_is": COMO_ESTA, "with_titular": COM_TITULAR,
    "held": NAO_REENVIAR, "at_ans": JA_NA_ANS,
}

_PROGRESS_SQL = f"""
WITH st AS ({state_sql()}),
waiting AS ({WAITING_SQL}),
wm AS (
    SELECT m.source_file_id AS file_id, m.source_record_no AS record_no, coalesce(m.edits_key, '') AS edits_key,
           w.output_name
    FROM {LOGGED_MOVEMENTS} m
    JOIN waiting w ON w.regeneration_id = m.regeneration_id AND w.part_no = m.part_no
    WHERE m.source_table = 'sbx_movements'
),
joined AS (
    SELECT st.file_id, st.record_no, any_value(st.state) AS state, any_value(st.resent_verdict) AS verdict,
           any_value(st.titular_record_no) AS titular_record_no,
           coalesce(list(DISTINCT wm.output_name ORDER BY wm.output_name)
                    FILTER (WHERE wm.edits_key = st.edits_key), []) AS same_files,
           coalesce(list(DISTINCT wm.output_name ORDER BY wm.output_name)
                    FILTER (WHERE wm.edits_key <> st.edits_key), []) AS other_files
    FROM st LEFT JOIN wm ON wm.file_id = st.file_id AND wm.record_no = st.record_no
    GROUP BY st.file_id, st.record_no
),
first_pass AS (
    SELECT *, verdict IS NULL AND len(same_files) > 0 AND state NOT IN ('{NAO_REENVIAR}', '{JA_NA_ANS}') AS in_file
    FROM joined
),
classified AS (  -- a cascade dependent is in the file only together with its titular
    SELECT d.*, CASE WHEN d.verdict IS NOT NULL THEN 'resent_' || d.verdict
                     WHEN d.in_file AND (d.state <> '{COM_TITULAR}' OR t.in_file) THEN 'regenerated'
                     ELSE d.state END AS latest,
           d.verdict IS NULL AND (len(d.other_files) > 0 OR (len(d.same_files) > 0
                                  AND NOT (d.in_file AND (d.state <> '{COM_TITULAR}' OR t.in_file)))) AS stale
    FROM first_pass d
    LEFT JOIN first_pass t ON d.state = '{COM_TITULAR}' AND t.file_id = d.file_id AND t.record_no = d.titular_record_no
)
SELECT file_id, latest, count(*) AS movements,
       count(*) FILTER (WHERE latest = 'regenerated' AND state = '{PENDENTE}') AS unchanged,
       list_sort(list_distinct(flatten(list(same_files) FILTER (WHERE latest = 'regenerated')))) AS files,
       count(*) FILTER (WHERE stale) AS stale,
       list_sort(list_distinct(flatten(list(list_concat(other_files, CASE WHEN stale THEN same_files ELSE [] END))
                                      FILTER (WHERE stale)))) AS stale_files
FROM classified
GROUP BY file_id, latest
"""

_SUPERSEDED_SQL = f"""
SELECT source_file_id, output_name, superseded_by, moved_to
FROM {PUBLISHED_REGENERATIONS}
WHERE superseded_at IS NOT NULL AND source_file_id IS NOT NULL
ORDER BY regeneration_id, part_no
"""


@dataclass(frozen=True)
class PendingProgress:
    """Counts of one SBX's pending movements by latest state, and where they went."""

    uncorrected: int = 0  # pendente: no correction, no decision
    corrected: int = 0  # corrected in the journal, not yet in a file to send
    regenerated: int = 0  # in a regenerated file still to send, as it is now
    regenerated_unchanged: int = 0  # of those, pending ones sent without correction (--include-pending)
    regenerated_files: tuple[str, ...] = field(default_factory=tuple)
    resent_accepted: int = 0  # a later SBX carried it and its RPX did not reject it
    resent_rejected: int = 0
    resent_awaiting: int = 0  # a later SBX carried it; its RPX is not loaded yet
    as_is: int = 0  # reenviar como está (decided, or the whole file was rejected), not yet in a file
    with_titular: int = 0  # cascade dependents, not yet in a file
    held: int = 0  # não reenviar
    at_ans: int = 0  # retificações ANS already holds: never sent
    stale: int = 0  # movements a file still to send holds in a version that is no longer current
    stale_files: tuple[str, ...] = field(default_factory=tuple)
    superseded_files: tuple[tuple[str, str | None], ...] = field(default_factory=tuple)  # (file, replaced by)

    @property
    def resent(self) -> int:
        return self.resent_accepted + self.resent_rejected + self.resent_awaiting

    @property
    def to_send(self) -> int:
        """Movements that must still reach ANS (generated or not): neither held, nor at ANS, nor re-sent."""
        return self.uncorrected + self.corrected + self.as_is + self.with_titular + self.regenerated

    @property
    def total(self) -> int:
        return self.to_send + self.held + self.at_ans + self.resent


def pending_progress(cursor: duckdb.DuckDBPyConnection) -> dict[int, PendingProgress]:
    """Progress of the pending movements of every SBX that has any, by SBX file_id."""
    counts: dict[int, dict] = {}
    for file_id, latest, movements, unchanged, files, stale, stale_files in cursor.execute(_PROGRESS_SQL).fetchall():
        values = counts.setdefault(file_id, {"stale": 0, "stale_files": set()})
        values["stale"] += stale
        values["stale_files"].update(stale_files or ())
        if latest == "regenerated":
            values.update(regenerated=movements, regenerated_unchanged=unchanged,
                          regenerated_files=tuple(files or ()))
        elif latest.startswith("resent_"):
            values[latest] = movements
        else:
            values[next(name for name, state in _LATEST.items() if state == latest)] = movements
    superseded: dict[int, list[tuple[str, str | None]]] = {}
    for file_id, name, by_name, _ in cursor.execute(_SUPERSEDED_SQL).fetchall():
        superseded.setdefault(file_id, []).append((name, by_name))
    progress = {}
    for file_id in counts.keys() | superseded.keys():
        values = counts.get(file_id, {"stale": 0, "stale_files": set()})
        values["stale_files"] = tuple(sorted(values["stale_files"]))
        progress[file_id] = PendingProgress(**values, superseded_files=tuple(superseded.get(file_id, ())))
    return progress
