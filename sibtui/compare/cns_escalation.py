"""CNS follow-up across conferences: who stays without CNS although ANS could assign one.

ANS assigns the CNS itself to records whose name, CPF and birth date match the Receita
Federal (ANS's answer to an operator, 2023; `sib-format.md` §6.2); the next conference shows
it. A vínculo that still has no CNS after N loaded conferences in a row although it looks
qualified (`sibtui.rules.cns.qualifies`: valid CPF, name, plausible birth date) most likely
does not match the Receita (a name spelled otherwise, a CPF of someone else, a wrong birth
date): waiting will not help, the beneficiary must give the CNS (ConecteSUS app).

The vínculos are those ATIVO in the newest conference of each operator; the streak counts
its conferences from the newest back while the vínculo is listed without CNS. N is
`--cns-after N` on the command line, `$SIBTUI_CNS_AFTER` for the console, default 2. Only
ANS's own rows are read (the loaded conference, not the analyst's edits of it).
"""

from __future__ import annotations

import os

import duckdb

from sibtui.rules.cns import qualifies

DEFAULT_AFTER = 2
AFTER_ENV = "SIBTUI_CNS_AFTER"
KIND = "divergencia_receita"
MESSAGE = "provável divergência com a Receita: peça o CNS ao beneficiário (ConecteSUS)"
COLUMNS = ("registroANS", "cco", "codigoBeneficiario", "nome", "cpf", "dataNascimento", "conferencias_sem_cns",
           "desde", "file_id", "record_no", "mensagem")


def conferences_after(value: int | str | None = None) -> int:
    """N: the value given, else `$SIBTUI_CNS_AFTER`, else 2 (at least 1)."""
    raw = value if value is not None else os.environ.get(AFTER_ENV, DEFAULT_AFTER)
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return DEFAULT_AFTER


def escalation_sql(after: int) -> str:
    """Rows of `COLUMNS`: ATIVO, without CNS, qualified, for `after` conferences or more."""
    after = max(1, int(after))
    return f"""
WITH snaps AS (
    SELECT s.file_id, s.registroANS, s.taken_at,
           row_number() OVER (PARTITION BY s.registroANS ORDER BY s.taken_at DESC NULLS LAST, s.file_id DESC) AS back
    FROM cnx_snapshots s
),
candidates AS (
    SELECT n.registroANS, trim(c.cco) AS cco, c.codigoBeneficiario, c.nome, c.cpf, c.dataNascimento,
           c.file_id, c.record_no
    FROM cnx_beneficiaries c JOIN snaps n ON n.file_id = c.file_id AND n.back = 1
    WHERE upper(trim(c.situacao)) = 'ATIVO' AND nullif(trim(c.cns), '') IS NULL AND {qualifies('c')}
    QUALIFY row_number() OVER (PARTITION BY n.registroANS, trim(c.cco) ORDER BY c.record_no) = 1
),
seen AS (
    SELECT s.registroANS, trim(x.cco) AS cco, s.back, bool_or(nullif(trim(x.cns), '') IS NOT NULL) AS has_cns
    FROM cnx_beneficiaries x JOIN snaps s ON s.file_id = x.file_id
    WHERE trim(x.cco) IN (SELECT cco FROM candidates)
    GROUP BY ALL
),
streaks AS (
    SELECT c.registroANS, c.cco,
           coalesce(min(s.back) FILTER (WHERE seen.cco IS NULL OR seen.has_cns), max(s.back) + 1) - 1 AS streak
    FROM candidates c JOIN snaps s ON s.registroANS = c.registroANS
    LEFT JOIN seen ON seen.registroANS = c.registroANS AND seen.cco = c.cco AND seen.back = s.back
    GROUP BY ALL
)
SELECT c.registroANS, c.cco, c.codigoBeneficiario, c.nome, c.cpf, c.dataNascimento,
       t.streak AS conferencias_sem_cns,
       (SELECT CAST(min(s.taken_at) AS DATE) FROM snaps s WHERE s.registroANS = c.registroANS
        AND s.back <= t.streak) AS desde,
       c.file_id, c.record_no, '{MESSAGE}' AS mensagem
FROM candidates c JOIN streaks t ON t.registroANS = c.registroANS AND t.cco = c.cco
WHERE t.streak >= {after}
ORDER BY c.registroANS, t.streak DESC, c.cco
"""


def escalation_count(cursor: duckdb.DuckDBPyConnection, after: int) -> int:
    return int(cursor.execute(f"SELECT count(*) FROM ({escalation_sql(after)})").fetchall()[0][0])


def escalation_rows(cursor: duckdb.DuckDBPyConnection, after: int) -> list[tuple]:
    return cursor.execute(escalation_sql(after)).fetchall()
