"""Mask mode: CPF, CNS, names and the other personal fields (LGPD) hidden wherever shown.

Which fields are personal is the catalogue's word (`Field.personal`). A result column is
masked when its name is such a field, or holds one as a word (`cnx_cns`, `upper(nome)`);
columns that carry any field's value (`value`, `old_value`...) are masked on the rows whose
`field` column names a personal field, and on every row when there is no `field` column.
Columns the catalogue does not know (aliases, free text) have CPFs, PIS and CNSs with valid
check digits masked inside them, and prose (`message`, `note`...) its ISO dates too. NULL stays NULL and '' stays '': whether a
value is there is not personal, and the analyst needs to see it.

Masking by column name is for results sibtui builds itself. Ad hoc SQL in mask mode is
masked before it runs (`sibtui.query.masked_views`: the query reads views whose personal
columns are already masked), since an alias, a cast or an error message outruns any name.

Masks keep what a reviewer needs without the person: identifiers keep their last two
characters (`*********09`), names their initials (`M. D. S. E.`), other values their shape
(`****-**-**`, so a wrongly formatted date still shows as one).

Mask mode is for screens, copies and exports that other eyes may see; it is not access
control: whoever can open the workspace can read it. Turn it on with `--mask`, with
`SIBTUI_MASK=1`, or with `set_masking(True)` (the console's toggle).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

MASK_ENV = "SIBTUI_MASK"
MASK = "*"
VALUE_COLUMNS = frozenset({
    "value", "old_value", "new_value", "original_value", "written_value", "original", "current", "corrected",
})
FIELD_COLUMN = "field"
FREE_TEXT_COLUMNS = frozenset({"message", "note", "reason", "mensagem", "why"})  # prose: dates in it masked too
IDENTIFIER_FIELDS = frozenset({"cpf", "cns", "pisPasep", "dn"})  # masked keeping the last two characters
NAME_FIELDS = frozenset({"nome", "nomeMae", "nomeBeneficiario"})  # masked to initials
_IDENTIFIERS = IDENTIFIER_FIELDS
_NAMES = NAME_FIELDS
_WORD = re.compile(r"[0-9A-Za-z]+")
_DIGIT_RUN = re.compile(r"(?<![0-9])(?:[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}|[0-9]{15}|[0-9]{11})(?![0-9])")
_ISO_DATE = re.compile(r"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_ECHOING_ERRORS = ("Conversion Error", "Invalid Input Error", "Out of Range Error", "Constraint Error",
                   "Mismatch Type Error")

_enabled: bool | None = None


def masking_enabled() -> bool:
    """Whether mask mode is on: `set_masking`, else `$SIBTUI_MASK` (1, true, yes, on)."""
    if _enabled is not None:
        return _enabled
    return os.environ.get(MASK_ENV, "").strip().lower() in {"1", "true", "yes", "on", "sim"}


def set_masking(enabled: bool | None) -> None:
    """Turn mask mode on or off for this process (None: back to `$SIBTUI_MASK`)."""
    global _enabled
    _enabled = enabled


@cache
def personal_fields() -> frozenset[str]:
    from sibtui.catalog.fields import ALL_FIELDS

    return frozenset(field.name for field in ALL_FIELDS if field.personal)


@cache
def known_fields() -> frozenset[str]:
    from sibtui.catalog.fields import ALL_FIELDS

    return frozenset(field.name for field in ALL_FIELDS)


def personal_field_of(column: str) -> str | None:
    """The personal field a column holds (by its name or one of its words), or None."""
    personal = personal_fields()
    if column in personal:
        return column
    for word in _WORD.findall(column):
        if word in personal:
            return word
    return None


# --- masking one value -------------------------------------------------------------------


def mask_value(field: str | None, value: object) -> object:
    """`value` of `field` as mask mode shows it (None: a value of unknown field, shape-masked)."""
    if not isinstance(value, str) or not value.strip():
        return value
    if field in _IDENTIFIERS:
        return _keep_tail(value)
    if field in _NAMES:
        return " ".join(f"{word[0]}." for word in value.split())
    return _shape(value)


def mask_free_text(text: str, dates: bool = True) -> str:
    """CPFs, PIS and CNSs (valid check digits) inside text nobody declared personal, and
    (`dates`) ISO dates: a finding's message quotes the birth date it compares with. A value
    column of unknown name keeps its dates (`prazo`, `enviado_em` are no one's birthday)."""
    from sibtui.rules.check_digits import is_valid_cns, is_valid_cpf, is_valid_pis

    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"[.-]", "", match.group())
        if is_valid_cpf(digits) or is_valid_pis(digits) or is_valid_cns(digits):
            return _keep_tail(match.group())
        return match.group()

    masked = _DIGIT_RUN.sub(replace, text)
    return _ISO_DATE.sub(lambda match: _shape(match.group()), masked) if dates else masked


def _keep_tail(value: str) -> str:
    if len(value) <= 4:
        return _shape(value)
    return _shape(value[:-2]) + value[-2:]


def _shape(value: str) -> str:
    return "".join(MASK if character.isalnum() else character for character in value)


# --- masking result rows -------------------------------------------------------------------


class Masker:
    """Masks the rows of a result whose column names are `columns` (see the module docstring)."""

    def __init__(self, columns: Sequence[str]):
        self.columns = list(columns)
        field_index = self.columns.index(FIELD_COLUMN) if FIELD_COLUMN in self.columns else None
        known = known_fields()
        self._plan: list[tuple[int, str, object]] = []  # (index, how, field name or index)
        for index, name in enumerate(self.columns):
            field = personal_field_of(name)
            if field is not None:
                self._plan.append((index, "field", field))
            elif name in VALUE_COLUMNS:
                self._plan.append((index, "by_row", field_index))
            elif name not in known:
                self._plan.append((index, "scan", None))

    def row(self, row: Sequence[object]) -> tuple:
        values = list(row)
        for index, how, detail in self._plan:
            value = values[index]
            if not isinstance(value, str):
                continue
            if how == "field":
                values[index] = mask_value(detail, value)  # type: ignore[arg-type]
            elif how == "by_row":
                field = values[detail] if detail is not None else None  # type: ignore[call-overload]
                if detail is None or field in personal_fields():
                    values[index] = mask_value(field if isinstance(field, str) else None, value)
            else:
                values[index] = mask_free_text(value, dates=self.columns[index] in FREE_TEXT_COLUMNS)
        return tuple(values)

    def cell(self, row: Sequence[object], index: int) -> object:
        """One value of `row` as mask mode shows it (a value column needs its row's `field`)."""
        return self.row(row)[index]

    def rows(self, rows: Iterable[Sequence[object]]) -> Iterator[tuple]:
        for row in rows:
            yield self.row(row)

    def masked_columns(self) -> list[str]:
        """Columns that are always masked (for a notice such as `mascarado: cpf, nome`)."""
        return [self.columns[index] for index, how, _ in self._plan if how == "field"]


def masked_rows(columns: Sequence[str], rows: Iterable[Sequence[object]], mask: bool | None = None) -> Iterable:
    """`rows`, masked when `mask` (None: when mask mode is on)."""
    if not (masking_enabled() if mask is None else mask):
        return rows
    return Masker(columns).rows(rows)


# --- files ---------------------------------------------------------------------------------


def owner_only_files() -> int:
    """Make every file this process creates owner-only (umask 077); return the previous umask.

    sibtui chmods the workspace itself, but DuckDB creates its WAL (the last loads, CPFs
    included, until a checkpoint) and its spill files with the process umask, 0644 by default.
    """
    previous = os.umask(0o077)
    os.umask(previous | 0o077)
    return previous


# --- messages ------------------------------------------------------------------------------


def redact_message(text: str) -> str:
    """An error message without the data values some database errors quote.

    DuckDB's conversion and constraint errors quote the offending value (`Could not convert
    string '48291736537' to INT32`): a CPF or a name in an error line, on screen or in a
    cron mail. The quoted parts of those messages become '…'; errors that quote SQL the
    analyst wrote (syntax, unknown table) are left alone. Always on, mask mode or not.
    """
    if not any(kind in text for kind in _ECHOING_ERRORS):
        return text
    return _QUOTED.sub("'…'", text)
