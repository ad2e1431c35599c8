"""How a stored value is shown in a cell: data is text, never markup, never a terminal escape.

NULL (the element was absent) and '' (present but empty) look different, because the
difference matters to ANS; control characters are shown as their visible symbols so a
value can never move the cursor or change colours.
"""

from __future__ import annotations

import datetime as dt
import decimal

from rich.text import Text

NULL_MARK = "∅"
EMPTY_MARK = '""'
_CONTROL = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
_NUMERIC_PREFIXES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER", "DOUBLE",
                     "FLOAT", "DECIMAL", "REAL")


def visible(text: str) -> str:
    """`text` with control characters replaced by their Unicode pictures (␊, ␉, ␛...)."""
    return text.translate(_CONTROL)


def is_numeric_type(sql_type: str) -> bool:
    return sql_type.upper().startswith(_NUMERIC_PREFIXES)


def cell_text(value: object) -> str:
    """The text of a value in a grid cell (pt-BR numbers; markers for NULL and '')."""
    if value is None:
        return NULL_MARK
    if isinstance(value, str):
        return EMPTY_MARK if value == "" else visible(value)
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float | decimal.Decimal):
        return f"{value:,}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return visible(str(value))


def raw_text(value: object) -> str:
    """The value as copied to the clipboard or exported: exactly as stored, '' for NULL."""
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def value_text(value: str | None, label: str | None = None) -> Text:
    """A record-view value: quoted when it has spaces at the ends, with its domain label."""
    if value is None:
        return Text("ausente", style="dim italic")
    if value == "":
        return Text("vazio (\"\")", style="dim italic")
    shown = f'"{visible(value)}"' if value != value.strip() else visible(value)
    text = Text(shown)
    if label:
        text.append(f"  {label}", style="dim")
    return text
