"""Loading SIB files into a workspace: the one entry point the CLI and the console share.

`load_file` sniffs the kind, refuses content already loaded, streams the file through the
parser into a `TransactionWriter` and commits the `files` row with the rows, or nothing.
Progress and cancel are plain callables so this module knows nothing of Textual.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sibtui.catalog.kinds import FileKind
from sibtui.db.cursors import closing
from sibtui.db.workspace import Workspace
from sibtui.errors import DuplicateFileError, InputError, SibError
from sibtui.ingest import fastpath, originals
from sibtui.ingest.batches import BatchingSink
from sibtui.ingest.originals import OriginalKeeper
from sibtui.ingest.parser import DocumentParser
from sibtui.ingest.results import CancelCallback, LoadWarning, ParseResult, ProgressCallback
from sibtui.ingest.sniff import Sniffed, sniff
from sibtui.ingest.source import full_fingerprint, quick_fingerprint
from sibtui.ingest.writer_thread import TransactionWriter

_ACCEPTED_VERSIONS = {"1.1"}


@dataclass
class LoadReport:
    """What one successful load put in the workspace."""

    path: Path
    file_id: int
    kind: FileKind
    record_count: int
    row_counts: dict[str, int]
    hash_declared: str | None
    hash_computed: str
    hash_ok: bool
    hash_encoding: str | None
    seconds: float
    size_bytes: int
    warnings: list[LoadWarning] = field(default_factory=list)


@dataclass
class LoadOutcome:
    """One file of a multi-file load: a report, or the error that skipped it."""

    path: Path
    report: LoadReport | None = None
    error: SibError | None = None

    @property
    def duplicate(self) -> bool:
        return isinstance(self.error, DuplicateFileError)


def load_file(
    workspace: Workspace,
    path: Path | str,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> LoadReport:
    """Load one file in one transaction; raise a `SibError` and keep nothing on failure."""
    path = Path(path)
    started = time.perf_counter()
    sniffed = sniff(path)
    quick = quick_fingerprint(path)
    _refuse_known_content(workspace, path, quick)
    keeper = _keeper(workspace)
    try:
        fast: fastpath.FastLoad | None = None
        declined = fastpath.unavailable(sniffed)
        if fastpath.applies(sniffed):
            attempt = fastpath.load(workspace, sniffed, progress, cancel, keeper.feed if keeper else None)
            if isinstance(attempt, fastpath.FastLoad):
                fast = attempt
            else:
                declined = attempt
                if keeper is not None:  # the reference reads it again, from the start
                    keeper.discard()
                    keeper = _keeper(workspace)
        if fast is not None:
            writer, file_id, result, row_counts = fast.writer, fast.file_id, fast.result, fast.row_counts
        else:
            writer, file_id, result, row_counts = _parse_with_lxml(
                workspace, sniffed, progress, cancel, keeper.feed if keeper else None)
        warnings = result.warnings + _content_warnings(sniffed, result)
        _keep_original(writer, keeper, result, path)
        seconds = time.perf_counter() - started
        how = {"load_path": "fast" if fast is not None else "reference",
               "fast_path_declined": declined.reason if declined is not None else None}
        writer.commit(
            {**_files_row(path, sniffed, result, quick, seconds), **how},
            [(w.line, w.element, w.message) for w in warnings],
        )
    finally:
        if keeper is not None:
            keeper.discard()
    return LoadReport(
        path=path,
        file_id=file_id,
        kind=result.kind,
        record_count=result.record_count,
        row_counts=dict(row_counts),
        hash_declared=result.hash_declared,
        hash_computed=result.hash_latin1,
        hash_ok=result.hash_ok,
        hash_encoding=result.hash_encoding,
        seconds=seconds,
        size_bytes=result.size_bytes,
        warnings=warnings,
    )


def _keeper(workspace: Workspace) -> OriginalKeeper | None:
    if not originals.keeping_enabled():
        return None
    return OriginalKeeper(workspace.path.parent if str(workspace.path) != ":memory:" else None)


def _keep_original(writer: TransactionWriter, keeper: OriginalKeeper | None, result: ParseResult, path: Path) -> None:
    """The file's compressed bytes into the load's transaction (rolled back with it on failure)."""
    if keeper is None:
        return
    try:
        for batch in keeper.pieces():
            writer.insert(originals.ORIGINALS, batch)
        if keeper.raw_bytes != result.size_bytes:
            raise SibError(f"{keeper.raw_bytes} bytes kept of {result.size_bytes} read")
    except BaseException as error:
        writer.rollback()
        if isinstance(error, SibError) and not isinstance(error, InputError):
            raise InputError(path, f"not loaded: {error}") from None
        raise


def _parse_with_lxml(
    workspace: Workspace,
    sniffed: Sniffed,
    progress: ProgressCallback | None,
    cancel: CancelCallback | None,
    tee=None,
) -> tuple[TransactionWriter, int, ParseResult, dict[str, int]]:
    """The reference parser into a new transaction (left open for the caller to commit)."""
    path = sniffed.path
    writer = TransactionWriter(workspace, str(path))
    file_id = writer.start()
    sink = BatchingSink(writer.insert)
    try:
        result = DocumentParser(sniffed, sink, progress, cancel, tee).run()
        sink.flush()
    except OSError as error:
        writer.rollback()
        raise InputError(path, f"cannot read file: {error.strerror or error}") from None
    except BaseException:
        writer.rollback()
        raise
    return writer, file_id, result, sink.row_counts


def load_files(
    workspace: Workspace,
    paths: Iterable[Path | str],
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> Iterator[LoadOutcome]:
    """Load several files; a bad file is reported and skipped, the others still load."""
    for path in expand_paths(paths):
        try:
            yield LoadOutcome(path, report=load_file(workspace, path, progress, cancel))
        except SibError as error:
            yield LoadOutcome(path, error=error)
            if cancel is not None and cancel():
                return


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; a directory stands for the SIB files (.sbx/.rpx/.cnx) directly inside it."""
    expanded: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            expanded.extend(
                sorted(child for child in path.iterdir() if child.suffix.lower() in {".sbx", ".rpx", ".cnx"})
            )
        else:
            expanded.append(path)
    return expanded


def _refuse_known_content(workspace: Workspace, path: Path, quick: str) -> None:
    """Skip a full parse when the same bytes are already loaded (checked again at commit)."""
    with closing(workspace.cursor()) as cursor:
        candidates = cursor.execute(
            "SELECT file_id, name, sha256 FROM files WHERE quick_fingerprint = ?", [quick]
        ).fetchall()
    if not candidates:
        return
    digest = full_fingerprint(path)
    for file_id, name, sha256 in candidates:
        if sha256 == digest:
            raise DuplicateFileError(path, file_id, name)


def transfer_side(result: ParseResult) -> str | None:
    """Which side of a portfolio transfer this operator (the file's destino) is: the header's
    `tab` names the ceding and the acquiring registro ANS (§1.3). None when neither matches."""
    if result.kind is not FileKind.TRF:
        return None
    registro = (result.registro_ans or "").strip()
    if registro and registro == (result.transfer.get("regsAnsOperadoraAdquirente") or "").strip():
        return "adquirente"
    if registro and registro == (result.transfer.get("regsAnsOperadoraCedente") or "").strip():
        return "cedente"
    return None


def _content_warnings(sniffed: Sniffed, result: ParseResult) -> list[LoadWarning]:
    warnings = []
    named = sniffed.kind_from_name
    if result.kind is FileKind.TRF and transfer_side(result) is None:
        warnings.append(LoadWarning(None, "tab", f"destino registroANS {result.registro_ans!r} is neither the ceding "
                                    "nor the acquiring operator of this transfer"))
    # A transfer is a conference of the vínculos transferred: delivered as a .CNX is no surprise.
    if named is not None and named is not result.kind and not (result.kind is FileKind.TRF and named is FileKind.CNX):
        warnings.append(LoadWarning(None, None, f"named .{named.value} but holds an {result.kind.value}; loaded as {result.kind.value}"))
    version = result.header.get("versaoPadrao")
    if version is not None and version.strip() not in _ACCEPTED_VERSIONS:
        warnings.append(LoadWarning(None, "versaoPadrao", f"versaoPadrao {version!r}: ANS accepts 1.1"))
    if result.hash_encoding == "UTF-8":
        warnings.append(LoadWarning(None, "hash", "declared hash matches the UTF-8 bytes, not ISO-8859-1"))
    if result.non_latin1_text:
        warnings.append(LoadWarning(None, None, "text has characters outside ISO-8859-1 (character references)"))
    return warnings


def _files_row(path: Path, sniffed: Sniffed, result: ParseResult, quick: str, seconds: float) -> dict:
    return {
        "path": str(path.resolve()),
        "name": path.name,
        "kind": result.kind.value,
        "registroANS": result.registro_ans,
        **result.header,
        "motivoNaoEnvioBeneficiarios": result.motivo_nao_envio,
        **result.transfer,
        "transfer_side": transfer_side(result),
        "hash_declared": result.hash_declared,
        "hash_computed": result.hash_latin1,
        "hash_computed_utf8": result.hash_utf8,
        "hash_ok": result.hash_ok,
        "hash_encoding": result.hash_encoding,
        "record_count": result.record_count,
        "size_bytes": result.size_bytes,
        "sha256": result.sha256,
        "quick_fingerprint": quick,
        "encoding": sniffed.encoding.label,
        "loaded_at": datetime.now(),
        "load_seconds": seconds,
    }
