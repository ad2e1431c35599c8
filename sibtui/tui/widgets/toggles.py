"""Checkbox and radio button whose state reads without colour: `[x]` / `[ ]`, `(•)` / `( )`.

Textual draws the same X (or dot) on and off and tells them apart by colour alone, which
NO_COLOR, some tmux themes and colour-blind eyes lose. The state is drawn in the characters.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


def _drawn(widget, on: str, off: str) -> Content:
    style = widget.get_visual_style("toggle--label")
    return Content.assemble((on if widget.value else off, style))


class Check(Checkbox):
    """A checkbox drawn `[x] label` when on and `[ ] label` when off."""

    @property
    def _button(self) -> Content:
        return _drawn(self, "[x]", "[ ]")


class Radio(RadioButton):
    """A radio button drawn `(•) label` when chosen and `( ) label` when not."""

    @property
    def _button(self) -> Content:
        return _drawn(self, "(•)", "( )")
