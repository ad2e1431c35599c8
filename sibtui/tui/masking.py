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
    return privacy.mask_free_text(value)


def free_text(text: str) -> str:
    """A message or a note as shown: CPF, PIS and CNS numbers inside it masked."""
    return privacy.mask_free_text(text) if text and masking() else text


def filter_text(spec: GridSpec) -> str:
    """The filter as the count line shows it: values of personal columns masked."""
    if not masking():
        return spec.filter_text()
    return "; ".join(replace(f, value=str(field_value(f.column, f.value))).describe() for f in spec.filters)
