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

from sibtui.catalog.domains import Base
from sibtui.catalog.fields import FIELDS
from sibtui.catalog.kinds import Movement


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


_PUNCTUATION = set(".-/ \t")


def digits_only(column: str, value: str) -> str | None:
    """`309.067.648-66` -> `30906764866` for a field made of digits (CPF, CNS, CEP, CNPJ...),
    when punctuation and blanks are all that is in the way; None when nothing to strip."""
    field = FIELDS.get(column)
    pattern = field.domain.pattern if field is not None else None
    if not pattern or not pattern.startswith("[0-9]{") or not any(char in _PUNCTUATION for char in value):
        return None
    if not all(char.isdigit() or char in _PUNCTUATION for char in value):
        return None
    return "".join(char for char in value if char.isdigit())


def domain_choices(column: str) -> list[tuple[str, str]]:
    """(code, label) of an enumerated field, for the editor to offer at once; [] otherwise."""
    field = FIELDS.get(column)
    return list(field.domain.values.items()) if field is not None else []
