"""Quality the ANS measures but accepts: placeholder mothers' names, abbreviated names, unknown plans.

These never block a file: ANS takes the record, but they count against the operator's
cadastral quality, and the plan one often ends in "plano não encontrado" (a 09xx error
whose number is unknown). All are warnings (`criticas.md` 0102 and 0601 describe an
operator's own detector, [M]).
"""

from __future__ import annotations

from sibtui.rules.context import CheckContext
from sibtui.rules.field_sql import literal, matches
from sibtui.rules.fields import field_label
from sibtui.rules.records import RecordRule

# Words operators type when they do not know the mother's name (criticas.md 0601, normalised).
PLACEHOLDER_MOTHER = (
    "NAO DECLARADO", "NAO DECLARADA", "SEM REGISTRO", "NAO TEM", "IGNORADO", "IGNORADA", "SEM INFORMACAO",
    "NAO INFORMADO", "NAO INFORMADA", "NAO CONSTA", "DESCONHECIDO", "DESCONHECIDA", "NAO SABE", "SEM NOME",
)
PLACEHOLDER_PARTS = ("PENDENTE", "INFORMACAO", "CLIENTE")
# One-letter words that are not abbreviations: the conjunctions of compound surnames.
CONJUNCTIONS = ("E", "Y")

def helper_tables_sql(ctx: CheckContext) -> tuple[str, ...]:
    """Every plan number (RPS, by its digits) any loaded CNX of the operator shows."""
    return (
        f"""CREATE OR REPLACE TEMP TABLE {ctx.cnx_plans} AS
            SELECT DISTINCT f.registroANS, regexp_replace(p.numeroPlanoANS, '[^0-9]', '', 'g') AS plan
            FROM (SELECT DISTINCT file_id, numeroPlanoANS FROM cnx_beneficiaries WHERE numeroPlanoANS IS NOT NULL) p
            JOIN files f ON f.file_id = p.file_id""",
    )


def _accent_tolerant(word: str) -> str:
    """A placeholder word as a pattern that also takes its accented spelling (NÃO, INFORMAÇÃO)."""
    return word.replace(" ", " +").replace("A", "[AÃÁÂ]").replace("C", "[CÇ]").replace("O", "[OÕÓÔ]")


def placeholder_condition(value: str) -> str:
    """One regular expression over the upper-cased name (each row read once)."""
    exact = "|".join(_accent_tolerant(word) for word in PLACEHOLDER_MOTHER)
    parts = "|".join(_accent_tolerant(word) for word in PLACEHOLDER_PARTS)
    return f"regexp_full_match(upper(trim({value})), {literal(f'({exact})|.*({parts}).*|[^ ]+')})"


def abbreviated_condition(value: str) -> str:
    letters = "".join(letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if letter not in CONJUNCTIONS)
    return f"regexp_matches(upper({value}), {literal(f'(^| )[{letters}]( |$)')})"  # a one-letter word


def quality_rules(ctx: CheckContext) -> list[RecordRule]:
    names = "m.movement IN ('inclusao', 'retificacao')"
    plans = "m.movement IN ('inclusao', 'retificacao', 'mudancaContratual')"
    return [
        RecordRule("mother_name_placeholder", "nomeMae",
                   f"{names} AND m.nomeMae IS NOT NULL AND {placeholder_condition('m.nomeMae')}",
                   literal(f"{field_label('nomeMae')}: genérico ou de uma palavra só; envie o nome completo da mãe"),
                   "m.nomeMae"),
        RecordRule("name_abbreviated", "nome", f"{names} AND m.nome IS NOT NULL AND {abbreviated_condition('m.nome')}",
                   literal(f"{field_label('nome')}: tem palavra de uma letra (abreviada); escreva por extenso"),
                   "m.nome"),
        RecordRule("name_abbreviated", "nomeMae",
                   f"{names} AND m.nomeMae IS NOT NULL AND {abbreviated_condition('m.nomeMae')}",
                   literal(f"{field_label('nomeMae')}: tem palavra de uma letra (abreviada); escreva por extenso"),
                   "m.nomeMae"),
        RecordRule("plan_not_in_cnx", "numeroPlanoANS",
                   f"{plans} AND m.ref_cnx IS NOT NULL AND {matches('m.numeroPlanoANS', '[0-9]{9}')} "
                   f"AND m.numeroPlanoANS NOT IN (SELECT plan FROM {ctx.cnx_plans} p WHERE p.registroANS = m.registroANS)",
                   literal(f"{field_label('numeroPlanoANS')}: nenhuma conferência (CNX) carregada tem este plano; "
                           "confira se está registrado no RPS"), "m.numeroPlanoANS"),
    ]


def quality_selects(ctx: CheckContext) -> list[str]:
    return [rule.select(ctx) for rule in quality_rules(ctx)]
