"""Clean-ups the analyst applies to many names at once: trim, upper-case, remove accents.

Pure functions of one value, so the console can preview them and the bulk editor apply
them alike. Every result stays inside ISO-8859-1: `str.upper()` would turn `ß` into `SS`
and `ÿ` into a character the file cannot carry, so such letters are left as they are
(the field rules then say what is still wrong with the name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from sibtui.catalog import domains as d
from sibtui.catalog.fields import BENEFICIARY_FIELDS
from sibtui.hashing import XML_WHITESPACE

# Fields holding a person's name (`st_no_pessoa`): nome, nomeMae.
NAME_FIELDS: tuple[str, ...] = tuple(f.name for f in BENEFICIARY_FIELDS if f.domain is d.PESSOA and f.editable)


def trim(value: str) -> str:
    """Leading and trailing blanks go; they would enter the hash and break patterns (§1.5)."""
    return value.strip(XML_WHITESPACE)


def upper(value: str) -> str:
    """Upper-case, letter by letter, only where the result is one ISO-8859-1 character."""
    return "".join(_upper_char(char) for char in value)


def _upper_char(char: str) -> str:
    upper_char = char.upper()
    return upper_char if len(upper_char) == 1 and ord(upper_char) < 256 else char


def remove_accents(value: str) -> str:
    """`JOÃO CONCEIÇÃO` -> `JOAO CONCEICAO`: ASCII names hash alike everywhere (§2.3)."""
    decomposed = unicodedata.normalize("NFD", value)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "trim": trim,
    "upper": upper,
    "remove-accents": remove_accents,
}


def compose(operations: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """Apply `operations` in order; an absent value stays absent."""
    unknown = [name for name in operations if name not in TRANSFORMS]
    if unknown:
        raise ValueError(f"unknown clean-up {unknown[0]!r}; use {', '.join(TRANSFORMS)}")
    functions = [TRANSFORMS[name] for name in operations]

    def apply(value: str | None) -> str | None:
        if value is None:
            return None
        for function in functions:
            value = function(value)
        return value

    return apply
