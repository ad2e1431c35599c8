"""How the filter bar and `/` search compare text the way an analyst types it (UI-free).

Analysts type `conceicao` for CONCEIÇÃO and `inclusão` for the stored `inclusao`, so text is
compared with accents and case folded (DuckDB's `strip_accents(lower(...))` on the column,
the same folding here on the value). A domain field also takes its label: `sexo = feminino`
means the code 3, `movement = inclusão` the element `inclusao`, `situacao = ativo` ATIVO.
Values without letters (CPFs, codes, dates) are compared exactly as stored: folding them
would change nothing but cost a scan.
"""

from __future__ import annotations

import unicodedata
from functools import cache


def fold(text: str) -> str:
    """`text` without accents, lower-case: what `folded_sql` makes of a column."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def folded_sql(expression: str) -> str:
    """SQL folding `expression` (a VARCHAR) as `fold` folds a Python string."""
    return f"strip_accents(lower({expression}))"


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


@cache
def _labels(column: str) -> dict[str, tuple[str, bool]]:
    """folded label (and folded code) -> (code, compared as an integer) for a domain column."""
    from sibtui.catalog.domains import Base
    from sibtui.catalog.fields import FIELDS
    from sibtui.catalog.kinds import Movement

    if column == "movement":
        return {fold(label): (code, False) for code, label in _movement_labels(Movement).items()}
    field = FIELDS.get(column)
    if field is None or not field.domain.values:
        return {}
    integer = field.domain.base is Base.INTEGER
    return {fold(label): (code, integer) for code, label in field.domain.values.items()}


def _movement_labels(movement_type) -> dict[str, str]:
    return {movement.value: movement.label for movement in movement_type}


def domain_code(column: str, value: str) -> tuple[str, bool] | None:
    """(code, integer?) when `value` is the label of a code of `column`'s domain, else None."""
    return _labels(column).get(fold(value.strip()))
