"""Reading a SIB file's bytes: encoding sanity, progress, content fingerprint.

The parser reads through `SourceReader`, which counts bytes for the progress bar, feeds a
SHA-256 of the whole content (the fingerprint that detects a file loaded twice) and stops
a file that is UTF-8 although it declares ISO-8859-1 (§3.2): such a file would load with
garbled names and a hash ANS would never accept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from sibtui.errors import InputError

HEAD_BYTES = 64 * 1024
_DECLARATION = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_LATIN1_NAMES = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1", "iso-ir-100", "cp819"}
_ARCHIVES = {  # ANS and operators exchange SIB files zipped; a download may keep the archive
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip archive",
    b"7z\xbc\xaf\x27\x1c": "7-Zip archive",
    b"Rar!\x1a\x07": "RAR archive",
}
_BOMS = {
    b"\xef\xbb\xbf": "UTF-8",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


@dataclass(frozen=True)
class Encoding:
    """What the XML declaration says, and whether we read the file as ISO-8859-1."""

    declared: str | None

    @property
    def label(self) -> str:
        return self.declared or "(sem declaração)"


def check_readable(path: Path) -> None:
    """Refuse a missing, special or unreadable path with a one-line reason."""
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a regular file")
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise InputError(path, f"cannot read file: {error.strerror or error}") from None


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def check_encoding(path: Path, head: bytes) -> Encoding:
    """Refuse what cannot be an ISO-8859-1 SIB file before parsing a single element."""
    for magic, name in _ARCHIVES.items():
        if head.startswith(magic):
            raise InputError(path, f"is a {name}, not an XML file: extract the SIB file from it first", 1)
    for bom, name in _BOMS.items():
        if head.startswith(bom):
            raise InputError(path, f"starts with a {name} byte-order mark; SIB files must be ISO-8859-1", 1)
    if not head.strip():
        raise InputError(path, "file is empty")
    match = _DECLARATION.match(head.lstrip(b" \t\r\n"))
    if match is None:
        return Encoding(None)
    declared = match.group(1).decode("ascii")
    if declared.lower() not in _LATIN1_NAMES:
        raise InputError(path, f"declares encoding {declared!r}; SIB files must be ISO-8859-1", 1)
    return Encoding(declared)


def quick_fingerprint(path: Path) -> str:
    """Cheap fingerprint (size + first and last 64 KiB): a hint that a file may be loaded already.

    Only when it matches do we pay for a full SHA-256 before parsing.
    """
    digest = hashlib.sha256()
    size = path.stat().st_size
    digest.update(str(size).encode())
    with path.open("rb") as stream:
        digest.update(stream.read(HEAD_BYTES))
        if size > HEAD_BYTES:
            stream.seek(max(HEAD_BYTES, size - HEAD_BYTES))
            digest.update(stream.read(HEAD_BYTES))
    return digest.hexdigest()


def full_fingerprint(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


class Digest(Protocol):
    """What fingerprints the bytes read: hashlib's SHA-256, or one that hashes on a thread."""

    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


class SourceReader:
    """File-like object handed to lxml: counts bytes, fingerprints, checks for UTF-8."""

    def __init__(self, path: Path, stream: BinaryIO, expect_latin1: bool = True,
                 tee: Callable[[bytes], None] | None = None, digest: Digest | None = None):
        """`tee` also receives every chunk read (the original kept, `sibtui.ingest.originals`);
        `digest` fingerprints them (default: hashlib's SHA-256)."""
        self.path = path
        self._stream = stream
        self._tee = tee
        self._digest: Digest = digest if digest is not None else hashlib.sha256()
        self._expect_latin1 = expect_latin1
        self._checked_non_ascii = False
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        if chunk:
            self.bytes_read += len(chunk)
            self._digest.update(chunk)
            if self._tee is not None:
                self._tee(chunk)
            if self._expect_latin1 and not self._checked_non_ascii and not chunk.isascii():
                self._checked_non_ascii = True
                self._refuse_utf8(chunk)
        return chunk

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def _refuse_utf8(self, chunk: bytes) -> None:
        """Portuguese text in ISO-8859-1 almost never forms valid multi-byte UTF-8; UTF-8 always does."""
        first = next(index for index, byte in enumerate(chunk) if byte >= 0x80)
        window = chunk[first : first + 4096]
        try:
            window.decode("utf-8")
        except UnicodeDecodeError as error:
            # The window starts at a non-ASCII byte: UTF-8 means at least that first sequence
            # decoded, and the only failure is a sequence cut at the window's end.
            if error.start == 0 or error.start < len(window) - 3:
                return
        line = self._line_of(chunk, first)
        raise InputError(
            self.path,
            "content is UTF-8 but the file declares ISO-8859-1 (re-encoded by an editor?); "
            "save it as ISO-8859-1",
            line,
        )

    def _line_of(self, chunk: bytes, offset: int) -> int | None:
        """Line of a byte in the current chunk, counted from the start of the file."""
        try:
            with self.path.open("rb") as stream:
                before = stream.read(self.bytes_read - len(chunk) + offset)
        except OSError:
            return None
        return before.count(b"\n") + 1
