"""The epilogue hash of SIB files (`sib-format.md` §2).

MD5 over the concatenation, in document order, of every attribute value and element text
that is not blank (only XML formatting whitespace), excluding namespace declarations and
the `epilogo` element; written as 32 upper-case hex digits. ANS's validator is a Java
program and one practitioner saw non-ASCII text fail, so we compute the digest over
ISO-8859-1 bytes (the rule) and over UTF-8 bytes, and report which one a file matches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

XML_WHITESPACE = " \t\r\n"


def is_blank(text: str | None) -> bool:
    """True when a text is absent or only formatting whitespace (it then stays out of the hash)."""
    return not text or not text.strip(XML_WHITESPACE)


class EpilogueHash:
    """Accumulates hash pieces as they are read or written, in document order."""

    def __init__(self) -> None:
        self._latin1 = hashlib.md5(usedforsecurity=False)
        self._utf8 = hashlib.md5(usedforsecurity=False)
        self.non_latin1 = False

    def update(self, pieces: Iterable[str]) -> None:
        text = "".join(pieces)
        if not text:
            return
        self._latin1.update(self._latin1_bytes(text))
        self._utf8.update(text.encode("utf-8"))

    def update_utf8(self, data: bytes) -> None:
        """Exactly `update([data.decode("utf-8")])`, for text already held as UTF-8 (Arrow)."""
        if not data:
            return
        self._latin1.update(data if data.isascii() else self._latin1_bytes(data.decode("utf-8")))
        self._utf8.update(data)

    def _latin1_bytes(self, text: str) -> bytes:
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            # A character reference beyond Latin-1 (`&#8364;`): no ISO-8859-1 hash can match.
            self.non_latin1 = True
            return text.encode("latin-1", errors="replace")

    @property
    def latin1_hex(self) -> str:
        return self._latin1.hexdigest().upper()

    @property
    def utf8_hex(self) -> str:
        return self._utf8.hexdigest().upper()

    def matching_encoding(self, declared: str | None) -> str | None:
        """Which byte encoding reproduces the declared hash, if any (case-insensitive hex)."""
        if not declared:
            return None
        wanted = declared.strip(XML_WHITESPACE).upper()
        if wanted == self.latin1_hex:
            return "ISO-8859-1"
        if wanted == self.utf8_hex:
            return "UTF-8"
        return None
