"""Is a retificação identical to what ANS holds? The comparison, in SQL and in Python.

ANS rejects a retificação that changes nothing (3011, `criticas.md`): since 2015 a
retificação carries only the fields it changes, so it is a no-op when every field it sends
already holds that value at ANS (the CNX). Values are compared as ANS means them, as
`sibtui.compare.changes` compares two conferences: trimmed of spaces, an empty element
equal to an absent one, integer codes by value (`01` is `1`, only when the text is an
integer), plan numbers by their digits. The CNX links a
dependent to its titular by CCO, so `codigoBeneficiarioTitular` is equal only when the
caller can say which code ANS's titular has (`held_titular_code`); a field the CNX cannot
tell at all (`codigoProcedimentoAdministrativo`) always counts as a change, so "identical"
is only ever said when it is certain.

Two faces of one decision, kept equal by a test: `unchanged_sql` for the pre-critique
(rule `retification_unchanged`) and `changed_fields` / `is_unchanged` for code that holds
one movement in hand. The same comparison decides which retificações are never written
(`noop_retificacoes_sql`: against the newest conference, the titular code always counting as
a change) and whether ANS already holds the value of one edited CNX field (`holds_value_sql`:
such an edit is not sent, `sibtui.edit.regen.cnx_plan`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sibtui.catalog.domains import PLANO_RPS, Base
from sibtui.catalog.kinds import Movement
from sibtui.catalog.shapes import CNX_BENEFICIARIO, MOVEMENT_SHAPES
from sibtui.db.identifiers import quote
from sibtui.rules.field_sql import literal, matches

_CNX_DOMAINS = {leaf.column_name: leaf.value_domain for leaf in CNX_BENEFICIARIO.leaves()}
_CNX_DOMAINS.update({attribute.field.name: attribute.field.domain for attribute in CNX_BENEFICIARIO.attributes})
# Every value column a retificação may carry (the CCO is its key, not a value).
RETIFICATION_COLUMNS: tuple[str, ...] = tuple(
    leaf.column_name for leaf in MOVEMENT_SHAPES[Movement.RETIFICACAO].leaves() if leaf.column_name != "cco"
)
# Those the CNX holds under the same name, so ANS's value can be read; the others always change.
COMPARED_COLUMNS: tuple[str, ...] = tuple(c for c in RETIFICATION_COLUMNS if c in _CNX_DOMAINS)
UNCOMPARABLE_COLUMNS: tuple[str, ...] = tuple(c for c in RETIFICATION_COLUMNS if c not in _CNX_DOMAINS)


_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_HUGEINT = 2**127


def ans_value_sql(expression: str, column: str) -> str:
    """SQL for the value of `column` as ANS means it (see the module docstring)."""
    domain = _CNX_DOMAINS.get(column)
    text = f"nullif(trim({expression}), '')"
    if domain is not None and domain.base is Base.INTEGER:
        number = f"CAST(TRY_CAST({text} AS HUGEINT) AS VARCHAR)"
        return f"(CASE WHEN {matches(text, _INTEGER_TEXT.pattern)} THEN coalesce({number}, {text}) ELSE {text} END)"
    if domain is PLANO_RPS:
        return f"nullif(regexp_replace({text}, '[^0-9]', '', 'g'), '')"
    return text


TITULAR_CODE = "codigoBeneficiarioTitular"


def unchanged_sql(movement: str, held: str, held_titular_code: str | None = None,
                  sent: tuple[str, ...] = RETIFICATION_COLUMNS) -> str:
    """SQL: the retificação row `movement` sends nothing that differs from the CNX row `held`.

    `held_titular_code`: SQL for the `codigoBeneficiario` of the titular ANS links `held` to
    (NULL when unknown); without it a titular code sent always counts as a change. `sent`:
    the columns any retificação judged carries (the others are known to be absent, so only
    these columns of `held` are read).
    """
    conditions = [f"{movement}.{quote(c)} IS NULL" for c in UNCOMPARABLE_COLUMNS if c != TITULAR_CODE and c in sent]
    sent_titular = f"{movement}.{quote(TITULAR_CODE)}"
    if TITULAR_CODE not in sent:
        pass  # no retificação carries it
    elif held_titular_code is None:
        conditions.append(f"{sent_titular} IS NULL")
    else:
        conditions.append(f"({sent_titular} IS NULL OR coalesce({sent_titular} = {held_titular_code}, false))")
    for column in (c for c in COMPARED_COLUMNS if c in sent):
        value = f"{movement}.{quote(column)}"
        conditions.append(
            f"({value} IS NULL OR {ans_value_sql(value, column)} "
            f"IS NOT DISTINCT FROM {ans_value_sql(f'{held}.{quote(column)}', column)})"
        )
    return "(" + (" AND ".join(conditions) or "TRUE") + ")"


def ans_rows_sql(ccos: str) -> str:
    """ANS's newest word on each vínculo, one row per (registro ANS, CCO), limited to the CCOs
    the SELECT `ccos` yields (a conference may hold millions). Columns: `ans_registro`,
    `ans_cco` (trimmed), then the conference row's own.

    That is the newest conference (CNX) of each registro ANS (the `newest_cnx` view); a
    portfolio transfer (`transfer_beneficiaries`, a partial conference) made after it wins for
    the CCOs it lists, and an older transfer speaks only for a CCO that CNX does not list (the
    vínculos a transfer brought, before a conference shows them). A CCO listed twice in one
    file: the first row. Transfer rows carry `situacaoTransferencia` too (NULL on CNX rows).
    """
    return f"""
WITH transfers AS (
    SELECT t.file_id, t.registroANS, t.moment,
           CASE WHEN n.file_id IS NULL OR t.moment > n.moment THEN 2 ELSE 0 END AS "__rank"
    FROM file_moments t LEFT JOIN newest_cnx n ON n.registroANS = t.registroANS
    WHERE t.kind = 'TRF'
),
candidates AS (
    SELECT n.registroANS AS ans_registro, trim(x.cco) AS ans_cco, 1 AS "__rank", n.moment AS "__moment", x.*
    FROM cnx_beneficiaries x JOIN newest_cnx n ON n.file_id = x.file_id
    WHERE trim(x.cco) IN ({ccos})
    UNION ALL BY NAME
    SELECT t.registroANS AS ans_registro, trim(x.cco) AS ans_cco, t."__rank", t.moment AS "__moment", x.*
    FROM transfer_beneficiaries x JOIN transfers t ON t.file_id = x.file_id
    WHERE trim(x.cco) IN ({ccos})
)
SELECT * EXCLUDE ("__rank", "__moment") FROM candidates
QUALIFY row_number() OVER (PARTITION BY ans_registro, ans_cco
                           ORDER BY "__rank" DESC, "__moment" DESC NULLS LAST, file_id DESC, record_no) = 1
"""


def noop_retificacoes_sql(candidates: str) -> str:
    """(file_id, record_no) of the retificações among `candidates` that change nothing at ANS.

    `candidates` is a SELECT of SBX movement rows (`sbx_movements_current` columns); what ANS
    holds is the newest conference of the registro ANS of each movement's file. Which titular
    ANS links the vínculo to is not looked up here, so a titular code sent is a change."""
    return f"""
WITH ret AS (
    SELECT c.*, f.registroANS AS registro
    FROM ({candidates}) c JOIN files f ON f.file_id = c.file_id
    WHERE c.movement = 'retificacao'
),
ans AS ({ans_rows_sql("SELECT trim(cco) FROM ret")})
SELECT r.file_id, r.record_no
FROM ret r JOIN ans a ON a.ans_registro = r.registro AND a.ans_cco = trim(r.cco)
WHERE {unchanged_sql('r', 'a')}
"""


def holds_value_sql(field_expression: str, value_expression: str, ans_alias: str) -> str:
    """SQL boolean: ANS's row `ans_alias` (of `ans_rows_sql`, or NULLs when ANS has no such CCO)
    holds `value_expression` in the field `field_expression` names (a column name, as text).
    A field the CNX does not show can never be proven held."""
    cases = " ".join(
        f"WHEN {literal(column)} THEN {ans_value_sql(value_expression, column)} IS NOT DISTINCT FROM "
        f"{ans_value_sql(f'{ans_alias}.{quote(column)}', column)}"
        for column in sorted(_CNX_DOMAINS)
    )
    return f"(CASE {field_expression} {cases} ELSE false END)"


def ans_value(column: str, text: str | None) -> str | None:
    """`text` as ANS means it in `column` (the Python twin of `ans_value_sql`)."""
    value = (text or "").strip(" ") or None
    if value is None:
        return None
    domain = _CNX_DOMAINS.get(column)
    if domain is not None and domain.base is Base.INTEGER and _INTEGER_TEXT.fullmatch(value):
        number = int(value)
        return str(number) if -_HUGEINT <= number < _HUGEINT else value
    if domain is PLANO_RPS:
        return re.sub(r"[^0-9]", "", value) or None
    return value


def changed_fields(movement: Mapping[str, str | None], held: Mapping[str, str | None],
                   held_titular_code: str | None = None) -> list[str]:
    """The fields a retificação sends whose value differs from ANS's (`held`, a CNX row);
    `held_titular_code` is the code of the titular ANS links it to, when known."""
    changed = [c for c in UNCOMPARABLE_COLUMNS if movement.get(c) is not None
               and not (c == TITULAR_CODE and held_titular_code is not None and movement[c] == held_titular_code)]
    for column in COMPARED_COLUMNS:
        sent = movement.get(column)
        if sent is not None and ans_value(column, sent) != ans_value(column, held.get(column)):
            changed.append(column)
    return changed


def is_unchanged(movement: Mapping[str, str | None], held: Mapping[str, str | None],
                 held_titular_code: str | None = None) -> bool:
    """True when the retificação would leave ANS's record as it is (ANS answers 3011)."""
    return not changed_fields(movement, held, held_titular_code)
