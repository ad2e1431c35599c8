"""Movements judged against what ANS holds: codes already taken, no-op retificações, plans and dates.

ANS keeps one record per vínculo and applies each movement to it; these rules foresee the
answers that depend on that record (`criticas.md`): an inclusão whose `codigoBeneficiario`
is already taken (0802), a retificação that changes nothing (3011) or that is really a
mudança contratual (0906/1213), a mudança contratual to the plan already held (0905),
cancellation data retified on an active vínculo (3114/3010), a reativação before the
contract (2013), a cancelamento before the last reativação (3105), and birth or contract
dates after the file's competência (0204/1205).

"What ANS holds" is the reference CNX of each SBX (made before it: `ref_predates`), plus what
the RPX history adds. A rule about the vínculo's state is quiet when no CNX predates the SBX.
"""

from __future__ import annotations

from functools import partial

import duckdb

from sibtui.db.cursors import fetch_row
from sibtui.db.identifiers import quote
from sibtui.rules.context import CNX_ROW_COLUMNS, CheckContext
from sibtui.rules.field_sql import literal, parsed_date
from sibtui.rules.fields import field_label
from sibtui.rules.records import RecordRule, text
from sibtui.rules.same_as_ans import COMPARED_COLUMNS, RETIFICATION_COLUMNS, ans_value_sql, unchanged_sql


# Codes ANS knew when each SBX was made, built after `moves` (whatever it holds: the loaded
# movements, or those planned from CNX edits, whose reference is the newest CNX):
# - the reference CNX's vínculos (any situation; `predates` says whether it predates the SBX),
# - the inclusions earlier RPX of the operator accepted,
# - the inclusions of earlier SBX files of the operator that no RPX had answered yet (ANS
#   processes those first).
# Only the codes the movements name (their own and their titulares') are kept.
def helper_tables_sql(ctx: CheckContext) -> tuple[str, ...]:
    """The lookups, built after `moves` (see above), in this order."""
    return (
        f"""CREATE OR REPLACE TEMP TABLE {ctx.mentioned_codes} AS
           SELECT codigoBeneficiario AS code FROM {ctx.moves} WHERE codigoBeneficiario IS NOT NULL
           UNION SELECT codigoBeneficiarioTitular FROM {ctx.moves} WHERE codigoBeneficiarioTitular IS NOT NULL""",
        f"""CREATE OR REPLACE TEMP TABLE {ctx.ans_codes} AS
           SELECT s.file_id AS sbx_file_id, c.codigoBeneficiario AS code, c.cco, c.situacao = 'ATIVO' AS active,
                  coalesce(TRY_CAST(trim(c.relacaoDependencia) AS INTEGER) = 1, c.ccoBeneficiarioTitular IS NULL)
                      AS titular,
                  'cnx' AS source, s.ref_predates AS predates, NULL::VARCHAR AS origin
           FROM (SELECT DISTINCT file_id, ref_cnx, ref_predates FROM {ctx.moves} WHERE ref_cnx IS NOT NULL) s
           JOIN {ctx.cnx_current} c ON c.file_id = s.ref_cnx
           WHERE c.codigoBeneficiario IN (SELECT code FROM {ctx.mentioned_codes})
           UNION ALL
           SELECT s.file_id, i.codigoBeneficiario, i.cco, true, NULL, 'rpx', true, rpx.name
           FROM {ctx.sbx_files} s
           JOIN file_moments rpx ON rpx.kind = 'RPX' AND rpx.registroANS = s.registroANS AND rpx.moment < s.moment
           JOIN rpx_inclusions i ON i.file_id = rpx.file_id
           WHERE i.codigoBeneficiario IN (SELECT code FROM {ctx.mentioned_codes})
           UNION ALL
           SELECT s.file_id, m.codigoBeneficiario, NULL, true, m.relacao = 1, 'sbx', true, t.name
           FROM {ctx.sbx_files} s
           JOIN file_moments t ON t.kind = 'SBX' AND t.registroANS = s.registroANS AND t.moment < s.moment
           JOIN {ctx.moves} m ON m.file_id = t.file_id AND m.movement = 'inclusao'
           WHERE m.codigoBeneficiario IN (SELECT code FROM {ctx.mentioned_codes})
             AND NOT EXISTS (SELECT 1 FROM rpx_answers a WHERE a.sbx_file_id = t.file_id AND a.rpx_moment < s.moment)""",
        # Per SBX and code: whether it is taken (for 0802: a CNX made after the SBX may hold the
        # SBX's own inclusion, so it does not count), whether a titular can be found there
        # (active, or in a CNX made after the SBX), and whether it is a titular.
        f"""CREATE OR REPLACE TEMP TABLE {ctx.ans_code_facts} AS
           SELECT sbx_file_id, code,
                  arg_min(source, source) FILTER (WHERE source <> 'cnx' OR predates) AS taken_source,
                  arg_min(cco, source) FILTER (WHERE source <> 'cnx' OR predates) AS taken_cco,
                  arg_min(origin, source) FILTER (WHERE source <> 'cnx' OR predates) AS taken_origin,
                  bool_or(active OR NOT predates) AS titular_usable,
                  bool_or(source = 'cnx' AND predates AND NOT active) AS inactive,
                  bool_or(coalesce(titular, true)) AS titular
           FROM {ctx.ans_codes} GROUP BY ALL""",
        # Inclusions of each file by code: the first one's record, and whether any is a titular.
        f"""CREATE OR REPLACE TEMP TABLE {ctx.file_codes} AS
           SELECT file_id, codigoBeneficiario AS code, min(record_no) AS first_record_no,
                  bool_or(relacao = 1) AS titular
           FROM {ctx.moves} WHERE movement = 'inclusao' AND codigoBeneficiario IS NOT NULL GROUP BY ALL""",
        # Movements that follow a cancelamento of their CCO in the same file, with no reativação
        # in between: ANS finds the vínculo inactive by then. Only CCOs the file repeats are read.
        f"""CREATE OR REPLACE TEMP TABLE {ctx.file_cancellations} AS
           SELECT file_id, record_no, cancelled_at FROM (
               SELECT file_id, record_no,
                      last_value(CASE WHEN movement IN ('cancelamento', 'reativacao') THEN movement END IGNORE NULLS)
                          OVER later AS last_change,
                      last_value(CASE WHEN movement = 'cancelamento' THEN record_no END IGNORE NULLS)
                          OVER later AS cancelled_at
               FROM {ctx.moves}
               WHERE movement <> 'inclusao' AND (file_id, cco) IN (
                   SELECT (file_id, cco) FROM {ctx.moves} WHERE movement <> 'inclusao' AND cco IS NOT NULL
                   GROUP BY ALL HAVING count(*) > 1)
               WINDOW later AS (PARTITION BY file_id, cco ORDER BY record_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           ) WHERE last_change = 'cancelamento'""",

    )


def held(ctx: CheckContext) -> str:
    """The CNX row of the vínculo a movement names, when the reference CNX predates the SBX."""
    return f"JOIN {ctx.cnx_rows} c ON c.file_id = m.ref_cnx AND c.cco = m.cco AND m.ref_predates"


def code_rules(ctx: CheckContext) -> list[RecordRule]:
    """0802: an inclusão with a code ANS already has (or will have first), or a retificação
    moving a vínculo to another vínculo's code."""
    joins = (f"LEFT JOIN {ctx.ans_code_facts} a ON a.sbx_file_id = m.file_id AND a.code = m.codigoBeneficiario "
             f"LEFT JOIN {ctx.file_codes} f ON f.file_id = m.file_id AND f.code = m.codigoBeneficiario")
    label = field_label("codigoBeneficiario")
    taken = (
        f"CASE a.taken_source WHEN 'cnx' THEN '{label}: já é do vínculo CCO ' || coalesce(a.taken_cco, '?') "
        "|| ' na ANS (CNX)' "
        f"WHEN 'rpx' THEN '{label}: a ANS já o incluiu (CCO ' || coalesce(a.taken_cco, '?') || ', ' "
        "|| a.taken_origin || ')' "
        f"WHEN 'sbx' THEN '{label}: já incluído no arquivo ' || a.taken_origin || ', ainda sem resposta da ANS' "
        f"ELSE '{label}: repete a inclusão do registro ' || f.first_record_no || ' deste arquivo' END"
    )
    other_cco = (f"EXISTS (SELECT 1 FROM {ctx.ans_codes} o WHERE o.sbx_file_id = m.file_id AND o.code = m.codigoBeneficiario "
                 "AND o.source = 'cnx' AND o.predates AND o.cco IS DISTINCT FROM m.cco)")
    return [
        RecordRule("codigo_already_at_ans", "codigoBeneficiario",
                   "m.movement = 'inclusao' AND m.codigoBeneficiario IS NOT NULL "
                   "AND (a.taken_source IS NOT NULL OR f.first_record_no < m.record_no)",
                   taken, "m.codigoBeneficiario", joins),
        RecordRule("codigo_already_at_ans", "codigoBeneficiario",
                   f"m.movement = 'retificacao' AND m.codigoBeneficiario IS NOT NULL AND {other_cco}",
                   text("codigoBeneficiario", "já é de outro vínculo na ANS (CNX)"), "m.codigoBeneficiario"),
    ]


def _differs(column: str) -> str:
    sent = f"m.{column}"
    return f"({sent} IS NOT NULL AND {ans_value_sql(sent, column)} IS DISTINCT FROM {ans_value_sql(f'c.{column}', column)})"


PLAN_OR_DATE = ("movement = 'retificacao' AND (numeroPlanoANS IS NOT NULL OR numeroPlanoOperadora IS NOT NULL "
                "OR dataContratacao IS NOT NULL)")


def contract_rules(ctx: CheckContext) -> list[RecordRule]:
    """0905, 0906/1213: plan and contract date against the vínculo's at ANS."""
    plan_differs = f"({_differs('numeroPlanoANS')} OR {_differs('numeroPlanoOperadora')})"
    date_differs = _differs("dataContratacao")
    same_plan = (f"(m.numeroPlanoANS IS NOT NULL AND {ans_value_sql('m.numeroPlanoANS', 'numeroPlanoANS')} = "
                 f"{ans_value_sql('c.numeroPlanoANS', 'numeroPlanoANS')} OR m.numeroPlanoOperadora IS NOT NULL "
                 "AND trim(m.numeroPlanoOperadora) = trim(c.numeroPlanoOperadora))")
    plan_value = "coalesce(m.numeroPlanoANS, m.numeroPlanoOperadora)"
    return [
        RecordRule("contract_change_same_plan", "numeroPlanoANS", same_plan,
                   f"'{field_label('numeroPlanoANS')}: ' || {plan_value} || ' é o plano que o vínculo já tem na ANS'",
                   plan_value, held(ctx), only="movement = 'mudancaContratual'"),
        RecordRule("retification_is_contract_change", "numeroPlanoANS",
                   f"m.movement = 'retificacao' AND {plan_differs} AND {date_differs}",
                   "'Retificação: plano (' || coalesce(c.numeroPlanoANS, c.numeroPlanoOperadora, '—') || ' → ' || "
                   f"{plan_value} || ') e data de contratação (' || coalesce(c.dataContratacao, '—') || ' → ' || "
                   "m.dataContratacao || ') mudam juntos: envie como mudança contratual'", plan_value, held(ctx),
                   only=PLAN_OR_DATE),
        RecordRule("retification_changes_contract", "numeroPlanoANS",
                   f"m.movement = 'retificacao' AND ({plan_differs}) <> ({date_differs})",
                   f"CASE WHEN {plan_differs} THEN 'Retificação: muda o plano (' || "
                   "coalesce(c.numeroPlanoANS, c.numeroPlanoOperadora, '—') || ' → ' || "
                   f"{plan_value} || '); se o plano mudou de fato, é mudança contratual' "
                   "ELSE 'Retificação: muda a data de contratação (' || coalesce(c.dataContratacao, '—') || ' → ' || "
                   "m.dataContratacao || '); se houve troca de plano, é mudança contratual' END",
                   f"coalesce({plan_value}, m.dataContratacao)", held(ctx), only=PLAN_OR_DATE),
    ]


def held_titular_code(ctx: CheckContext) -> str:
    """The code of the titular ANS links the held vínculo to (only codes the movements name are known)."""
    return (f"(SELECT min(t.code) FROM {ctx.ans_codes} t WHERE t.sbx_file_id = m.file_id AND t.source = 'cnx' "
            "AND t.cco = c.ccoBeneficiarioTitular)")


def retification_rules(ctx: CheckContext) -> list[RecordRule]:
    """3011 (nothing changes), 3114/3010 and 2010 (cancellation or reactivation data retified
    where there is none), 1214 (a contract date after a date ANS already holds)."""
    cancel_data = "(m.dataCancelamento IS NOT NULL OR m.motivoCancelamento IS NOT NULL)"
    contract = parsed_date("m.dataContratacao")
    later_than = (f"coalesce({contract} > {parsed_date('c.dataCancelamento')}, false) "
                  f"OR coalesce({contract} > {parsed_date('c.dataReativacao')}, false)")
    return [
        RecordRule("retification_reactivation_data", "dataReativacao",
                   "m.movement = 'retificacao' AND m.dataReativacao IS NOT NULL AND c.dataReativacao IS NULL",
                   text("dataReativacao", "o vínculo nunca foi reativado na ANS: não há reativação a retificar"),
                   "m.dataReativacao", held(ctx), only="movement = 'retificacao' AND dataReativacao IS NOT NULL"),
        RecordRule("contract_after_ans_dates", "dataContratacao",
                   f"m.movement = 'retificacao' AND ({later_than})",
                   "'Data de contratação: posterior a uma data que a ANS já tem (cancelamento ' || "
                   "coalesce(c.dataCancelamento, '—') || ', reativação ' || coalesce(c.dataReativacao, '—') || ')'",
                   "m.dataContratacao", held(ctx), only="movement = 'retificacao' AND dataContratacao IS NOT NULL"),
        RecordRule("retification_cancel_data", "dataCancelamento",
                   f"m.movement = 'retificacao' AND {cancel_data} AND (c.situacao = 'ATIVO' OR c.dataCancelamento IS NULL)",
                   "CASE WHEN c.situacao = 'ATIVO' THEN 'Retificação: dados de cancelamento para vínculo ativo na ANS; "
                   "para cancelar envie um cancelamento' ELSE 'Retificação: o vínculo não tem cancelamento na ANS "
                   "para ser retificado' END", "coalesce(m.dataCancelamento, m.motivoCancelamento)", held(ctx),
                   only="movement = 'retificacao' AND (dataCancelamento IS NOT NULL OR motivoCancelamento IS NOT NULL)"),
    ]


def state_rules(ctx: CheckContext) -> list[RecordRule]:
    """3005 inside the file: after a cancelamento, the file's later movements find the vínculo inactive."""
    joins = f"JOIN {ctx.file_cancellations} x ON x.file_id = m.file_id AND x.record_no = m.record_no"
    return [
        RecordRule("cco_inactive", "cco",
                   "m.movement IN ('cancelamento', 'mudancaContratual') "
                   "AND NOT (m.ref_predates AND coalesce(m.known_situacao = 'INATIVO', false))",
                   f"'{field_label('cco')}: cancelado antes neste arquivo (registro ' || x.cancelled_at || ')'",
                   "m.cco", joins),
    ]


def date_rules(ctx: CheckContext) -> list[RecordRule]:
    """2013, 3105 (against the CNX) and 0204/1205 (against the file's competência)."""
    reactivation, cancel = parsed_date("m.dataReativacao"), parsed_date("m.dataCancelamento")
    end = "strftime(m.competencia_end, '%d/%m/%Y')"
    # A date after `future_from` (today, or the file's day when later) is `date_future`
    # already: these speak of dates not yet future but beyond the competência the file closes.
    return [
        RecordRule("reactivation_before_contract", "dataReativacao",
                   f"m.movement = 'reativacao' AND m.ref_predates AND {reactivation} < m.contract",
                   "'Data de reativação: anterior à contratação na ANS (' || strftime(m.contract, '%Y-%m-%d') || ')'",
                   "m.dataReativacao"),
        RecordRule("cancel_before_reactivation", "dataCancelamento",
                   f"m.movement = 'cancelamento' AND m.ref_predates AND {cancel} < m.known_reactivation",
                   "'Data de cancelamento: anterior à última reativação na ANS (' || "
                   "strftime(m.known_reactivation, '%Y-%m-%d') || ')'", "m.dataCancelamento"),
        RecordRule("birth_after_competencia", "dataNascimento",
                   "m.movement IN ('inclusao', 'retificacao') AND m.dataNascimento IS NOT NULL "
                   "AND m.birth > m.competencia_end AND m.birth <= m.future_from",
                   f"'Data de nascimento: depois do fim da competência do arquivo (' || {end} || ')'",
                   "m.dataNascimento"),
        RecordRule("contract_after_competencia", "dataContratacao",
                   "m.movement IN ('inclusao', 'retificacao', 'mudancaContratual') AND m.dataContratacao IS NOT NULL "
                   "AND m.contract > m.competencia_end AND m.contract <= m.future_from",
                   f"'Data de contratação: depois do fim da competência do arquivo (' || {end} || '); envie no "
                   "arquivo da competência seguinte'", "m.dataContratacao"),
    ]


def ans_state_rules(ctx: CheckContext) -> list[RecordRule]:
    return [*code_rules(ctx), *contract_rules(ctx), *retification_rules(ctx), *state_rules(ctx), *date_rules(ctx)]


def unchanged_select(ctx: CheckContext, cursor: duckdb.DuckDBPyConnection) -> str | None:
    """3011, written once the movements are known: the retificações' whole CNX rows are read,
    but only the columns some retificação carries (a month's retificações send a few fields)."""
    retifications, *counts = fetch_row(
        cursor, f"SELECT count(*), {', '.join(f'count({quote(c)})' for c in RETIFICATION_COLUMNS)} FROM {ctx.moves} "
        "WHERE movement = 'retificacao' AND ref_predates")
    if not retifications:
        return None
    sent = tuple(column for column, count in zip(RETIFICATION_COLUMNS, counts) if count)
    read = ", ".join(quote(c) for c in sent if c in COMPARED_COLUMNS)
    if set(sent) <= set(CNX_ROW_COLUMNS):  # `cnx_rows` already holds them: no scan of the conference
        joined = held(ctx)
    else:
        joined = ("JOIN (SELECT file_id, cco, record_no, ccoBeneficiarioTitular" + (f", {read}" if read else "")
                + f" FROM {ctx.cnx_current} WHERE file_id IN (SELECT ref_cnx FROM {ctx.sbx_files} WHERE ref_predates)) c "
                "ON c.file_id = m.ref_cnx AND c.cco = m.cco AND m.ref_predates")
    rule = RecordRule("retification_unchanged", "cco",
                      f"m.movement = 'retificacao' AND {unchanged_sql('m', 'c', held_titular_code(ctx), sent)}",
                      literal("Retificação: todos os campos enviados já têm esses valores na ANS (CNX)"), "m.cco", joined)
    # A conference lists a vínculo once; should one repeat, one finding per movement.
    return rule.select(ctx) + " QUALIFY row_number() OVER (PARTITION BY m.file_id, m.record_no ORDER BY c.record_no) = 1"


def ans_state_selects(ctx: CheckContext) -> list:
    return [rule.select(ctx) for rule in ans_state_rules(ctx)] + [partial(unchanged_select, ctx)]
