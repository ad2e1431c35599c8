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
from sibtui.rules.context import CheckContext
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


def qualifies(alias: str, today: dt.date | None = None) -> str:
    """TRUE when a record has what ANS needs to assign a CNS itself (§6.2): a valid CPF, a name
    in the allowed repertoire (st_no_pessoa: size and characters) and a plausible birth date
    (a real date, not before 1890-01-01, not after `today`; None: the day the SQL runs) — the
    checker's own value rules.

    The three conditions (never NULL) are added, not ANDed: DuckDB evaluates the operands of
    AND lazily and shares no subexpression among them, and the CPF's digits would be read
    again for each of its 20 uses (`sibtui.rules.sql_digits`); added, they cost a third."""
    name = f"{alias}.nome"
    checks = domain_checks(PESSOA, name, today or dt.date.today())
    name_fails = " OR ".join(f"coalesce({condition}, true)" for condition, _, _ in checks)
    born = parsed_date(f"{alias}.dataNascimento")
    last = f"DATE '{today.isoformat()}'" if today else "current_date"
    conditions = (
        cpf_ok(alias + ".cpf"),
        f"{name} IS NOT NULL AND NOT ({name_fails})",
        f"coalesce({born} BETWEEN DATE '{DATA_NASCIMENTO.min_date}' AND {last}, false)",
    )
    return "(" + " + ".join(f"({condition})::INTEGER" for condition in conditions) + f" = {len(conditions)})"


def _missing_message(alias: str, today: dt.date) -> str:
    return f"CASE WHEN {qualifies(alias, today)} THEN {literal(QUALIFIES_MESSAGE)} ELSE {literal(NOT_QUALIFIES_MESSAGE)} END"




def helper_tables_sql(ctx: CheckContext) -> tuple[str, ...]:
    """Lookups built after the context (`moves`, `sbx_files`)."""
    return (
        # Every CNS an SBX sends (inclusions, and retificações that send one), keyed by vínculo.
        f"""CREATE OR REPLACE TEMP TABLE {ctx.sbx_cns} AS
           SELECT file_id, cns, count(DISTINCT coalesce(cco, 'record ' || record_no)) AS vinculos
           FROM {ctx.moves} WHERE movement IN ('inclusao', 'retificacao') AND cns IS NOT NULL GROUP BY ALL""",
        # Active CNS of the reference CNX of each SBX, with the CCO that holds it (only the CNS
        # the movements send: nothing else is looked up).
        f"""CREATE OR REPLACE TEMP TABLE {ctx.ref_active_cns} AS
           SELECT c.file_id AS cnx_file_id, c.cns, min(c.cco) AS cco, count(*) AS holders
           FROM {ctx.cnx_current} c
           WHERE c.file_id IN (SELECT ref_cnx FROM {ctx.sbx_files}) AND c.situacao = 'ATIVO'
             AND c.cns IN (SELECT cns FROM {ctx.moves})
           GROUP BY ALL""",
    )


def cnx_helper_tables_sql(ctx: CheckContext) -> tuple[str, ...]:
    """The conference side (`sibtui.rules.cnx_side`): active CNS repeated inside the newest CNX of each operator."""
    return (
        f"""CREATE OR REPLACE TEMP TABLE {ctx.cnx_repeated_cns} AS
           SELECT c.file_id, c.cns, count(*) AS holders
           FROM {ctx.cnx_newest_rows} c
           WHERE c.situacao = 'ATIVO' AND c.cns IS NOT NULL
           GROUP BY ALL HAVING count(*) > 1""",
    )


def sbx_cns_selects(ctx: CheckContext) -> list[str]:
    return [
        f"""SELECT m.file_id, m.record_no, 'cns' AS field, 'cns_missing' AS rule,
               {_missing_message('m', ctx.today)} AS message, NULL AS value
            FROM {ctx.moves} m WHERE m.movement = 'inclusao' AND m.cns IS NULL""",
        f"""SELECT m.file_id, m.record_no, 'cns', 'cns_duplicate',
               CASE WHEN r.cns IS NOT NULL AND r.cco IS DISTINCT FROM m.cco
                    THEN 'CNS: já pertence a outro vínculo ativo na CNX (CCO ' || r.cco || ')'
                    ELSE 'CNS: repetido em outro movimento deste arquivo' END,
               m.cns
            FROM {ctx.moves} m
            LEFT JOIN {ctx.sbx_cns} s ON s.file_id = m.file_id AND s.cns = m.cns
            LEFT JOIN {ctx.ref_active_cns} r ON r.cnx_file_id = m.ref_cnx AND r.cns = m.cns
            WHERE m.movement IN ('inclusao', 'retificacao') AND m.cns IS NOT NULL
              AND (s.vinculos > 1 OR r.cns IS NOT NULL AND (r.cco IS DISTINCT FROM m.cco OR r.holders > 1))""",
        # The newest CNX against what we sent: inclusions through the CCO the RPX gave them,
        # other movements (that send a CNS) by their CCO, when that CNX was made after the SBX.
        f"""SELECT m.file_id, m.record_no, 'cns', 'cns_differs_from_cnx',
               CASE WHEN c.cns IS NULL THEN 'CNS: a CNX mais recente não tem CNS para este vínculo'
                    WHEN m.cns IS NULL THEN 'CNS: não enviado; a ANS atribuiu ' || c.cns || ' (CNX mais recente)'
                    ELSE 'CNS: a CNX mais recente tem ' || c.cns END,
               m.cns
            FROM {ctx.moves} m
            LEFT JOIN rpx_inclusion_ccos i ON m.movement = 'inclusao' AND i.file_id = m.file_id
                                          AND i.codigoBeneficiario = m.codigoBeneficiario
            JOIN {ctx.cnx_rows} c ON c.file_id = m.newest_cnx AND c.cco = coalesce(i.cco, m.cco)
            WHERE (m.movement = 'inclusao' AND i.cco IS NOT NULL
                   OR m.movement <> 'inclusao' AND m.cns IS NOT NULL AND m.newest_after)
              AND m.cns IS DISTINCT FROM c.cns""",
    ]


def cnx_cns_selects(ctx: CheckContext) -> list[str]:
    return [
        f"""SELECT c.file_id, c.record_no, 'cns' AS field, 'cns_missing' AS rule,
               {_missing_message('c', ctx.today)} AS message, NULL AS value
            FROM {ctx.cnx_newest_rows} c
            WHERE c.situacao = 'ATIVO' AND c.cns IS NULL""",
        f"""SELECT c.file_id, c.record_no, 'cns', 'cns_duplicate',
               'CNS: o mesmo CNS está em ' || r.holders || ' vínculos ativos desta CNX', c.cns
            FROM {ctx.cnx_newest_rows} c
            JOIN {ctx.cnx_repeated_cns} r ON r.file_id = c.file_id AND r.cns = c.cns
            WHERE c.situacao = 'ATIVO'""",
    ]
