"""Text that is safe to put on a terminal: control characters shown, never obeyed.

A SIB value may legally hold C1 controls (ISO-8859-1 bytes 0x80-0x9F, among them CSI,
which some terminals obey like ESC [), and a file name may hold anything but `/` and NUL,
escape sequences included. Rich strips only a few C0 codes, so whatever sibtui prints for a
person to read (tables, error lines, `say` for the commands' report lines) goes through
`printable` first: every control, and the bidirectional overrides that make text display in
another order than it is stored, becomes a visible escape such as `\\x1b`. Machine formats
(CSV, JSON, exports) keep values exact.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same class for DuckDB's regexp_matches (RE2), for lines built in SQL: a text it matches
# must go through `printable` (a test holds the two equal on every character they name).
UNSAFE_SQL_PATTERN = r"[\x00-\x1f\x7f-\x9f\x{61c}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control and direction override written as an escape."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text)


def say(text: str, file: TextIO | None = None) -> None:
    """Print one report line of a command (file names, notes, messages) as `printable` text."""
    print(printable(text), file=file if file is not None else sys.stdout)
