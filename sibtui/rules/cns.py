"""CNS gaps as findings of their own, and the `cns_gaps` view the console's CNS screen reads.

ANS measures CNS quality by three indicators (missing, invalid or provisional, repeated
across active vínculos; GOV-CNS) and, since CADSUS closed, assigns a CNS itself to records
whose name, CPF and birth date match the Receita Federal; the CNX then shows it (§6.2).
So for a missing CNS the useful answer is whether the record *qualifies* for that automatic
assignment (wait for ANS) or not (ask the beneficiary, ConecteSUS app).

Invalid and provisional CNS are value rules (`cns_invalid`, `cns_provisional`, from the
field checks). This module adds, on SBX inclusions (and retificações that send a CNS) and
on the active vínculos of the newest CNX of each operator:
`cns_missing`, `cns_duplicate` and, for SBX only, `cns_differs_from_cnx`.
"""

from __future__ import annotations

import datetime as dt

from sibtui.catalog.domains import DATA_NASCIMENTO, PESSOA
from sibtui.rules.field_sql import domain_checks, literal, parsed_date
from sibtui.rules.sql_digits import cpf_ok

CNS_RULES = ("cns_missing", "cns_invalid", "cns_provisional", "cns_duplicate", "cns_differs_from_cnx")

QUALIFIES_MESSAGE = (
    "CNS: não informado; tem CPF válido, nome e data de nascimento, então a ANS deve atribuir o CNS "
    "automaticamente (confira na próxima CNX)"
)
NOT_QUALIFIES_MESSAGE = (
    "CNS: não informado e sem CPF válido, nome ou data de nascimento para a ANS atribuir sozinha: "
    "peça o CNS ao beneficiário (app ConecteSUS)"
)


def qualifies(alias: str) -> str:
    """TRUE when a record has what ANS needs to assign a CNS itself (§6.2): a valid CPF, a name
    in the allowed repertoire (st_no_pessoa: size and characters) and a plausible birth date
    (a real date, not before 1890-01-01, not in the future) — the checker's own value rules.

    The three conditions (never NULL) are added, not ANDed: DuckDB evaluates the operands of
    AND lazily and shares no subexpression among them, and the CPF's digits would be read
    again for each of its 20 uses (`sibtui.rules.sql_digits`); added, they cost a third."""
    name = f"{alias}.nome"
    name_fails = " OR ".join(f"coalesce({condition}, true)" for condition, _, _ in domain_checks(PESSOA, name, dt.date.today()))
    born = parsed_date(f"{alias}.dataNascimento")
    conditions = (
        cpf_ok(alias + ".cpf"),
        f"{name} IS NOT NULL AND NOT ({name_fails})",
        f"coalesce({born} BETWEEN DATE '{DATA_NASCIMENTO.min_date}' AND current_date, false)",
    )
    return "(" + " + ".join(f"({condition})::INTEGER" for condition in conditions) + f" = {len(conditions)})"


def _missing_message(alias: str) -> str:
    return f"CASE WHEN {qualifies(alias)} THEN {literal(QUALIFIES_MESSAGE)} ELSE {literal(NOT_QUALIFIES_MESSAGE)} END"


# Helper lookups, built after the context (`__moves`, `__newest_cnx`, `__sbx_files`).
HELPER_TABLES_SQL = (
    # Every CNS an SBX sends (inclusions, and retificações that send one), keyed by vínculo.
    """CREATE OR REPLACE TEMP TABLE __sbx_cns AS
       SELECT file_id, cns, count(DISTINCT coalesce(cco, 'record ' || record_no)) AS vinculos
       FROM __moves WHERE movement IN ('inclusao', 'retificacao') AND cns IS NOT NULL GROUP BY ALL""",
    # Active CNS of the reference CNX of each SBX, with the CCO that holds it (only the CNS
    # the movements send: nothing else is looked up).
    """CREATE OR REPLACE TEMP TABLE __ref_active_cns AS
       SELECT c.file_id AS cnx_file_id, c.cns, min(c.cco) AS cco, count(*) AS holders
       FROM __cnx_current c
       WHERE c.file_id IN (SELECT ref_cnx FROM __sbx_files) AND c.situacao = 'ATIVO'
         AND c.cns IN (SELECT cns FROM __moves)
       GROUP BY ALL""",
    # The CCO an inclusion received, from the RPX that answered its SBX.
    """CREATE OR REPLACE TEMP TABLE __inclusion_ccos AS
       SELECT a.sbx_file_id AS file_id, i.codigoBeneficiario, arg_max(i.cco, a.rpx_moment) AS cco
       FROM rpx_answers a JOIN rpx_inclusions i ON i.file_id = a.rpx_file_id
       WHERE a.sbx_file_id IS NOT NULL GROUP BY ALL""",
)
HELPER_TABLES = ("__sbx_cns", "__ref_active_cns", "__inclusion_ccos")
# The conference side (`sibtui.rules.cnx_side`): active CNS repeated inside the newest CNX of each operator.
CNX_HELPER_TABLES_SQL = (
    """CREATE OR REPLACE TEMP TABLE __cnx_repeated_cns AS
       SELECT c.file_id, c.cns, count(*) AS holders
       FROM __cnx_newest_rows c
       WHERE c.situacao = 'ATIVO' AND c.cns IS NOT NULL
       GROUP BY ALL HAVING count(*) > 1""",
)
CNX_HELPER_TABLES = ("__cnx_repeated_cns",)

SBX_CNS_SELECTS = (
    f"""SELECT m.file_id, m.record_no, 'cns' AS field, 'cns_missing' AS rule, {_missing_message('m')} AS message,
           NULL AS value
        FROM __moves m WHERE m.movement = 'inclusao' AND m.cns IS NULL""",
    """SELECT m.file_id, m.record_no, 'cns', 'cns_duplicate',
           CASE WHEN r.cns IS NOT NULL AND r.cco IS DISTINCT FROM m.cco
                THEN 'CNS: já pertence a outro vínculo ativo na CNX (CCO ' || r.cco || ')'
                ELSE 'CNS: repetido em outro movimento deste arquivo' END,
           m.cns
        FROM __moves m
        LEFT JOIN __sbx_cns s ON s.file_id = m.file_id AND s.cns = m.cns
        LEFT JOIN __ref_active_cns r ON r.cnx_file_id = m.ref_cnx AND r.cns = m.cns
        WHERE m.movement IN ('inclusao', 'retificacao') AND m.cns IS NOT NULL
          AND (s.vinculos > 1 OR r.cns IS NOT NULL AND (r.cco IS DISTINCT FROM m.cco OR r.holders > 1))""",
    # The newest CNX against what we sent: inclusions through the CCO the RPX gave them,
    # other movements (that send a CNS) by their CCO, when that CNX was made after the SBX.
    """SELECT m.file_id, m.record_no, 'cns', 'cns_differs_from_cnx',
           CASE WHEN c.cns IS NULL THEN 'CNS: a CNX mais recente não tem CNS para este vínculo'
                WHEN m.cns IS NULL THEN 'CNS: não enviado; a ANS atribuiu ' || c.cns || ' (CNX mais recente)'
                ELSE 'CNS: a CNX mais recente tem ' || c.cns END,
           m.cns
        FROM __moves m
        LEFT JOIN __inclusion_ccos i ON m.movement = 'inclusao' AND i.file_id = m.file_id
                                    AND i.codigoBeneficiario = m.codigoBeneficiario
        JOIN __cnx_rows c ON c.file_id = m.newest_cnx AND c.cco = coalesce(i.cco, m.cco)
        WHERE (m.movement = 'inclusao' AND i.cco IS NOT NULL
               OR m.movement <> 'inclusao' AND m.cns IS NOT NULL AND m.newest_after)
          AND m.cns IS DISTINCT FROM c.cns""",
)

CNX_CNS_SELECTS = (
    f"""SELECT c.file_id, c.record_no, 'cns' AS field, 'cns_missing' AS rule, {_missing_message('c')} AS message,
           NULL AS value
        FROM __cnx_newest_rows c
        WHERE c.situacao = 'ATIVO' AND c.cns IS NULL""",
    """SELECT c.file_id, c.record_no, 'cns', 'cns_duplicate',
           'CNS: o mesmo CNS está em ' || r.holders || ' vínculos ativos desta CNX', c.cns
        FROM __cnx_newest_rows c
        JOIN __cnx_repeated_cns r ON r.file_id = c.file_id AND r.cns = c.cns
        WHERE c.situacao = 'ATIVO'""",
)


def cns_gaps_view_sql() -> str:
    """`cns_gaps`: one row per CNS finding, with both CNS values, CCO, name and qualification."""
    return f"""
CREATE OR REPLACE VIEW cns_gaps AS
WITH newest AS (
    SELECT file_id, registroANS FROM (
        SELECT file_id, registroANS,
               row_number() OVER (PARTITION BY registroANS ORDER BY moment DESC NULLS LAST, file_id DESC) AS rank
        FROM file_moments WHERE kind = 'CNX') WHERE rank = 1
),
inclusion_ccos AS (
    SELECT a.sbx_file_id AS file_id, i.codigoBeneficiario, arg_max(i.cco, a.rpx_moment) AS cco
    FROM rpx_answers a JOIN rpx_inclusions i ON i.file_id = a.rpx_file_id
    WHERE a.sbx_file_id IS NOT NULL GROUP BY ALL
),
sbx AS (
    SELECT f.file_id, f.record_no, f.source_table, f.rule AS category, m.cns,
           coalesce(m.cco, i.cco) AS cco, m.nome, {qualifies('m')} AS qualifies_for_auto_assignment,
           files.registroANS
    FROM findings f
    JOIN sbx_movements_current m ON m.file_id = f.file_id AND m.record_no = f.record_no
    JOIN files ON files.file_id = f.file_id
    LEFT JOIN inclusion_ccos i ON m.movement = 'inclusao' AND i.file_id = m.file_id
                               AND i.codigoBeneficiario = m.codigoBeneficiario
    WHERE f.source_table = 'sbx_movements' AND f.rule IN ({", ".join(literal(r) for r in CNS_RULES)})
),
-- The newest CNX's CNS of each CCO a gap names: only those CCOs, not the whole conference.
cnx_cns AS (
    SELECT n.registroANS, c.cco, any_value(c.cns) AS cns
    FROM cnx_beneficiaries_current c JOIN newest n ON n.file_id = c.file_id
    WHERE c.cco IN (SELECT cco FROM sbx)
    GROUP BY ALL
)
SELECT sbx.file_id, sbx.record_no, sbx.source_table, sbx.category, sbx.cns, cnx_cns.cns AS cnx_cns,
       sbx.cco, sbx.nome, sbx.qualifies_for_auto_assignment
FROM sbx
LEFT JOIN cnx_cns ON cnx_cns.registroANS = sbx.registroANS AND cnx_cns.cco = sbx.cco
UNION ALL
SELECT f.file_id, f.record_no, f.source_table, f.rule, c.cns, c.cns, c.cco, c.nome, {qualifies('c')}
FROM findings f
JOIN cnx_beneficiaries_current c ON c.file_id = f.file_id AND c.record_no = f.record_no
WHERE f.source_table = 'cnx_beneficiaries' AND f.rule IN ({", ".join(literal(r) for r in CNS_RULES)})
"""
