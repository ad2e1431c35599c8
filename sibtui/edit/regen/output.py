"""Writing one SBX part: a hidden temporary file in the output folder, published by a link.

The file is written beside its final name (same file system), flushed and fsynced, checked
by the caller, and only then given its name with `os.link`, which fails instead of
replacing a file that exists: an SBX is never overwritten and never seen half-written.
The temporary name, `.NAME.TAG.xxxxxxxx.part`, carries a tag of the workspace, so what a
killed regeneration left is recognised as its own (`sibtui.edit.regen.recovery`).

Publishing first renames the part to `.NAME.TAG.xxxxxxxx.claim` (and syncs the folder),
then links it to NAME. So a `.part` on disk proves its file never got its name, whatever
happened after: a kill, or the analyst moving the published SBX away to send it. Without
that proof recovery must assume the file may have gone out, and never reuse its name or
`sequencialTransacao`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sibtui.catalog import shapes
from sibtui.catalog.shapes import Node
from sibtui.errors import SibError
from sibtui.xmlwriter import SibXmlWriter

NAME_TIME_FORMAT = "%Y%m%d%H%M%S"
HEADER_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
SBX_NAME = re.compile(r"([0-9]{6})([0-9]{14})\.SBX")
PART_SUFFIX = ".part"
CLAIM_SUFFIX = ".claim"  # a part being published: it may already have its final name


class OutputError(SibError):
    """The output folder cannot take the file (missing, read-only, name taken)."""


def sbx_name(registro_ans: str, moment: dt.datetime) -> str:
    """`RRRRRRAAAAMMDDHHMMSS.SBX` (§3.1)."""
    return f"{registro_ans}{moment.strftime(NAME_TIME_FORMAT)}.SBX"


@dataclass
class PartHeader:
    """What the header of one output file says."""

    registro_ans: str
    moment: dt.datetime
    sequencial: int
    values: dict[str, str | None]  # cabecalho columns, as `shapes.CABECALHO` names them

    @property
    def name(self) -> str:
        return sbx_name(self.registro_ans, self.moment)


def part_prefix(name: str, tag: str) -> str:
    """Start of a part's temporary name: `.NAME.TAG.` (then random letters and `.part`)."""
    return f".{name}.{tag}." if tag else f".{name}."


class PartWriter:
    """One output file being written; `finish()`, then `publish()` or `discard()`."""

    def __init__(self, folder: Path, header: PartHeader, tag: str = "", no_movement_reason: str | None = None):
        """`no_movement_reason` (61 or 62): the file declares a month without movement
        (`naoEnvioBeneficiarios`, §1.1) instead of carrying movements."""
        self.folder = folder
        self.header = header
        self.movement_count = 0
        self.hash: str | None = None
        handle, temp = tempfile.mkstemp(prefix=part_prefix(header.name, tag), suffix=PART_SUFFIX, dir=folder)
        self.temp_path = Path(temp)
        self._stream = os.fdopen(handle, "wb")
        self._writer = SibXmlWriter(self._stream)
        self._writer.node(shapes.CABECALHO, header.values)
        if no_movement_reason is not None:
            for tag in ("mensagem", "operadoraParaANS"):
                self._writer.open(tag)
            self._writer.node(shapes.NAO_ENVIO, {"motivoNaoEnvioBeneficiarios": no_movement_reason})
            return
        for tag in ("mensagem", "operadoraParaANS", "beneficiarios"):
            self._writer.open(tag)

    def write(self, shape: Node, values: dict[str, str | None]) -> None:
        self._writer.node(shape, values)
        self.movement_count += 1

    def finish(self) -> str:
        self.hash = self._writer.finish()
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        return self.hash

    @property
    def final_path(self) -> Path:
        return self.folder / self.header.name

    def publish(self) -> Path:
        """Give the file its final name; refuse if that name exists.

        Raises only when the file certainly did not get its name (the caller then drops its
        log rows); once linked, tidying the claim never fails the publication."""
        final = self.final_path
        claim = self.temp_path.with_name(self.temp_path.name.removesuffix(PART_SUFFIX) + CLAIM_SUFFIX)
        os.rename(self.temp_path, claim)
        _fsync_folder(self.folder)
        self.temp_path = claim
        try:
            os.link(claim, final)
        except FileExistsError:
            raise OutputError(f"{final}: a file with this name appeared while writing; nothing published") from None
        except OSError:
            _rename_without_replacing(claim, final)
        else:
            _unlink_quietly(claim)
        _fsync_folder(self.folder)
        return final

    def discard(self) -> None:
        if not self._stream.closed:
            self._stream.close()
        self.temp_path.unlink(missing_ok=True)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # published all the same; recovery removes a left-over claim


def _rename_without_replacing(source: Path, target: Path) -> None:
    """Fallback where hard links are not supported: check, then rename."""
    if target.exists():
        raise OutputError(f"{target}: exists; never overwritten (kept {source})")
    os.rename(source, target)


def _fsync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def check_folder(folder: Path) -> Path:
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise OutputError(f"{folder}: output folder does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: output folder is not writable")
    return folder
