"""Mask mode on screen: what the console shows, and copies, of a value while it is on.

`sibtui.privacy` decides what is personal (the catalogue's `personal` fields, columns named
after them, CPF/PIS/CNS numbers inside other text); these helpers only add the question
"is mask mode on right now?", so every screen masks the same way. The app's F8 flips
`privacy.set_masking` and its `masked` reactive; screens watch that and draw again.
Masking is for what is shown: filters, searches and edits still work on the stored values.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sibtui import privacy

if TYPE_CHECKING:
    from sibtui.query.spec import GridSpec


def masking() -> bool:
    return privacy.masking_enabled()


def is_masked_field(field: str | None) -> bool:
    """Whether a value of `field` is hidden right now (mask mode on and the field personal)."""
    return masking() and field is not None and privacy.personal_field_of(field) is not None


def field_value(field: str | None, value: object) -> object:
    """`value` of the column `field` as shown: personal fields masked, CPFs in free text too."""
    if not masking() or not isinstance(value, str):
        return value
    personal = privacy.personal_field_of(field) if field else None
    if personal is not None:
        return privacy.mask_value(personal, value)
    if field in privacy.known_fields():
        return value
    return privacy.mask_free_text(value, dates=field in privacy.FREE_TEXT_COLUMNS)


def free_text(text: str) -> str:
    """A message or a note as shown: CPF, PIS and CNS numbers inside it masked."""
    return privacy.mask_free_text(text) if text and masking() else text


def filter_text(spec: GridSpec) -> str:
    """The filter as the count line shows it: values of personal columns masked."""
    if not masking():
        return spec.filter_text()
    return "; ".join(replace(f, value=str(field_value(f.column, f.value))).describe() for f in spec.filters)


class GridMasker:
    """Masks a grid's rows (shown columns only) with `privacy.Masker`.

    A grid may hide a `field` column that is the same on every row (a change of one kind:
    `situacao` for cancellations, `cns` for CNS assigned) while it shows `old_value` and
    `new_value`. Without the field the core masks those on every row, so ATIVO → INATIVO
    would show as ***** → *******; given that one field, the rows are masked as its values.
    """

    def __init__(self, columns: list[str], hidden_field: str | None = None):
        self._hidden_field = hidden_field
        self._masker = privacy.Masker([*columns, privacy.FIELD_COLUMN] if hidden_field else columns)

    def row(self, values: tuple) -> tuple:
        if self._hidden_field is None:
            return self._masker.row(values)
        return self._masker.row((*values, self._hidden_field))[:-1]


def hidden_field(cursor, view) -> str | None:
    """The one value of a `field` column `view` hides while it shows value columns, or None."""
    shown = set(view.column_names)
    if privacy.FIELD_COLUMN in shown or not shown & privacy.VALUE_COLUMNS:
        return None
    if privacy.FIELD_COLUMN not in {column.name for column in view.all_columns}:
        return None
    import duckdb

    try:
        found = cursor.execute(f'SELECT DISTINCT "{privacy.FIELD_COLUMN}" FROM {view.relation} LIMIT 2').fetchall()
    except duckdb.Error:
        return None  # every row masked then, as the core does without a field
    return found[0][0] if len(found) == 1 and isinstance(found[0][0], str) else None
