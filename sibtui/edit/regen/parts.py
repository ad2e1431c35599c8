"""Writing one plan's parts: rows in, checked and normalised, into files proven before publication.

A part holds at most `MAX_MOVEMENTS` movements (§3.3); each gets its own name (registro
ANS + a second never used before), `sequencialTransacao` and header. The log rows the
workspace keeps (`sibtui.edit.regen.log`) are gathered while writing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from lxml import etree

from sibtui import __version__
from sibtui.catalog import shapes
from sibtui.catalog.kinds import Movement
from sibtui.edit.journal import os_user
from sibtui.edit.records import CNX_TABLE, TRANSFER_TABLE
from sibtui.edit.regen import log, proof
from sibtui.edit.regen.checks import MovementProblem, movement_problems
from sibtui.edit.regen.normalize import normalise_row
from sibtui.edit.regen.output import HEADER_TIME_FORMAT, PartHeader, PartWriter, sbx_name
from sibtui.edit.regen.plan import SCOPE_REJECTED, SourcePlan
from sibtui.edit.regen.results import Regeneration, RegenerationCancelled, WrittenFile
from sibtui.edit.regen.verify import Expected, row_digest, schema_problems, verify_part
from sibtui.rules.file_rules import ANS_CNPJ, MAX_MOVEMENTS
from sibtui.xmlwriter import UnwritableValue

ProgressCallback = Callable[[int, int, str], None]
CancelCallback = Callable[[], bool]
Clock = Callable[[], dt.datetime]
CHECK_EVERY = 1_000
MAX_LISTED = 200  # problems kept for the report (all are counted)


@dataclass
class Options:
    out_dir: Path
    schema: etree.XMLSchema | None
    xsd_path: str | None
    clock: Clock
    progress: ProgressCallback | None
    cancel: CancelCallback | None
    today: dt.date
    part_tag: str = ""  # in the temporary names, so recovery knows this workspace's own left-overs


@dataclass
class PlanWriter:
    """Writes one plan's parts, keeps what the log needs, and publishes only proven files."""

    cursor: duckdb.DuckDBPyConnection
    plan: SourcePlan
    options: Options
    total: int
    regeneration: Regeneration
    upto: int
    headers: list[PartHeader] = field(init=False)
    parts: list[PartWriter] = field(default_factory=list, init=False)
    expected: list[Expected] = field(default_factory=list, init=False)
    proofs: list[proof.ChildProof | None] = field(default_factory=list, init=False)  # a child re-reads each large part
    movement_rows: list[dict] = field(default_factory=list, init=False)
    change_rows: list[dict] = field(default_factory=list, init=False)
    published: set[int] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.headers = part_headers(self.cursor, self.plan, self.options, math.ceil(self.total / MAX_MOVEMENTS))

    # --- writing ---------------------------------------------------------------------------

    def write_all(self, planned_rows: Iterable[dict]) -> None:
        for index, row in enumerate(planned_rows):
            if index % MAX_MOVEMENTS == 0:
                self._next_part()
            self._write_row(index % MAX_MOVEMENTS + 1, row)
            if (index + 1) % CHECK_EVERY == 0:
                self._tick(index + 1)
        if not self.regeneration.problems:
            for part, expected in zip(self.parts, self.expected):
                expected.hash = part.finish()
        self._tick(self.total)

    def _next_part(self) -> None:
        header = self.headers[len(self.parts)]
        part = PartWriter(self.options.out_dir, header, self.options.part_tag)
        movements = min(MAX_MOVEMENTS, self.total - len(self.parts) * MAX_MOVEMENTS)
        self.parts.append(part)
        self.expected.append(Expected(header.name, header.registro_ans, header.values["dataHoraRegistroTransacao"] or "", ""))
        large = movements >= proof.CHILD_FROM_MOVEMENTS
        self.proofs.append(proof.ChildProof.start(part.temp_path) if large else None)

    def _write_row(self, position: int, row: dict) -> None:
        movement = row["movement"]
        shape = shapes.MOVEMENT_SHAPES[Movement(movement)]
        values, normalised = normalise_row(shape, row)
        self._check(position, row, shape, values, normalised)
        if not self.regeneration.problems:  # after a fatal problem nothing is published: only check the rest
            try:
                self.parts[-1].write(shape, values)
            except UnwritableValue as error:
                self._fatal(f"{_source(row)}: {error}")
        self.expected[-1].digests.append(row_digest(movement, values))
        part_no = len(self.parts)
        self.regeneration.counts[(movement, row["__why"])] += 1
        self.movement_rows.append(self._movement_row(part_no, position, row))
        self._change_rows(part_no, position, row, values, normalised)

    def _check(self, position: int, row: dict, shape, values: dict, normalised: list) -> None:
        if self.plan.scope == SCOPE_REJECTED:
            rule_columns: Iterable[str] = values
        else:
            rule_columns = {edit["field"] for edit in row.get("__edits") or []} | {n.column for n in normalised}
        found: list[MovementProblem] = movement_problems(shape, values, self.options.today, rule_columns)
        if not found:
            return
        where = f"{_source(row)} ({row['movement']}, posição {position} da parte {len(self.parts)})"
        for item in found:
            message = f"{where}: {item.problem.message}"
            if item.fatal:
                self._fatal(message)
            else:
                self.regeneration.record_problem_count += 1
                if len(self.regeneration.record_problems) < MAX_LISTED:
                    self.regeneration.record_problems.append(message)

    def _fatal(self, message: str) -> None:
        self.regeneration.problem_count += 1
        if len(self.regeneration.problems) < MAX_LISTED:
            self.regeneration.problems.append(message)

    def _movement_row(self, part_no: int, position: int, row: dict) -> dict:
        edit_ids = row.get("__edit_ids") or []
        if edit_ids:
            self.regeneration.edited_movements += 1
            self.regeneration.edit_count += len(edit_ids)
        return {
            "part_no": part_no, "position": position, "source_table": row["__table"],
            "source_file_id": row["file_id"], "source_record_no": row["record_no"], "movement": row["movement"],
            "why": row["__why"], "rejection_codes": row.get("__codes"), "edit_ids": edit_ids,
            "edits_key": row.get("__edits_key") or "", "decision": row.get("__decision"),
        }

    def _change_rows(self, part_no: int, position: int, row: dict, values: dict, normalised: list) -> None:
        base = {"part_no": part_no, "position": position, "source_table": row["__table"],
                "source_file_id": row["file_id"], "source_record_no": row["record_no"]}
        edited = set()
        for edit in row.get("__edits") or []:
            edited.add(edit["field"])
            self.change_rows.append({**base, "field": edit["field"], "original_value": edit["original"],
                                     "written_value": values.get(edit["field"]), "edit_id": edit["edit_id"],
                                     "why": "edit"})
        for item in normalised:
            self.regeneration.normalised_values += 1
            if item.column not in edited:
                self.change_rows.append({**base, "field": item.column, "original_value": item.before,
                                         "written_value": item.after, "edit_id": None, "why": item.why})

    def _tick(self, done: int) -> None:
        if self.options.progress is not None:
            self.options.progress(done, self.total, self.plan.label)
        if self.options.cancel is not None and self.options.cancel():
            raise RegenerationCancelled(f"{self.plan.label}: regeneration cancelled; no file was kept")

    # --- proving and publishing --------------------------------------------------------------

    def verify(self) -> None:
        if self.regeneration.problems:
            return
        for part, expected, child in zip(self.parts, self.expected, self.proofs):
            found = child.result(expected, part.temp_path.stat().st_size) if child is not None else None
            if found is None:  # no child, or it could not answer: prove the part here
                found = verify_part(part.temp_path, expected, self.options.schema)
            elif self.options.schema is not None and not found:
                found = schema_problems(part.temp_path, self.options.schema)
            self.regeneration.problems += found

    def publish_and_log(self) -> None:
        """Log the parts (unpublished), give each its final name, then mark them published.

        A part that cannot be linked (its name appeared meanwhile) loses its log rows; the
        parts linked before it stay published and logged, and the error goes up.
        """
        regeneration_id = log.new_regeneration_id(self.cursor)
        self.regeneration.regeneration_id = regeneration_id
        planned = [self._planned_file(index, part) for index, part in enumerate(self.parts)]
        for item in self.movement_rows + self.change_rows:
            item["regeneration_id"] = regeneration_id
        log.record(self.cursor, [self._file_row(regeneration_id, written) for written in planned],
                   self.movement_rows, self.change_rows)
        try:
            for index, part in enumerate(self.parts):
                part.publish()
                self.published.add(index)
                self.regeneration.files.append(planned[index])
        finally:
            linked = sorted(index + 1 for index in self.published)
            log.settle(self.cursor, regeneration_id, linked,
                       [n for n in range(1, len(self.parts) + 1) if n not in linked])

    def _planned_file(self, index: int, part: PartWriter) -> WrittenFile:
        return WrittenFile(part.final_path, index + 1, len(self.parts), part.movement_count, part.hash or "",
                           part.header.sequencial, part.header.moment, part.temp_path.stat().st_size)

    def _file_row(self, regeneration_id: int, written: WrittenFile) -> dict:
        plan = self.plan
        return {
            "regeneration_id": regeneration_id, "part_no": written.part_no, "part_count": written.part_count,
            "created_at": dt.datetime.now(), "os_user": os_user(), "scope": plan.scope,
            "source_file_id": plan.source_file_id, "source_name": plan.source_name, "rpx_file_id": plan.rpx_file_id,
            "registroANS": plan.registro_ans, "output_name": written.name, "output_path": str(written.path.resolve()),
            "sequencialTransacao": str(written.sequencial),
            "dataHoraRegistroTransacao": written.moment.strftime(HEADER_TIME_FORMAT), "hash": written.hash,
            "movement_count": written.movement_count, "size_bytes": written.size_bytes,
            "xsd_path": self.options.xsd_path, "journal_edit_id": self.upto,
        }

    def discard_unpublished(self) -> None:
        for child in self.proofs:
            if child is not None:
                child.stop()
        for index, part in enumerate(self.parts):
            if index not in self.published:
                part.discard()


def _source(row: dict) -> str:
    kind = {CNX_TABLE: "CNX", TRANSFER_TABLE: "transferência"}.get(row["__table"], "SBX")
    key = row.get("cco") or row.get("codigoBeneficiario") or ""
    return f"registro {row['file_id']}:{row['record_no']} ({kind} {key})".replace(" ()", "")


def part_headers(cursor, plan: SourcePlan, options: Options, part_count: int) -> list[PartHeader]:
    """Names, dates and sequenciais of the parts: never a name already used or present."""
    taken = log.taken_names(cursor)
    moment = options.clock().replace(microsecond=0)
    sequencial = log.next_sequencial(cursor, plan.registro_ans)
    headers: list[PartHeader] = []
    while len(headers) < part_count:
        name = sbx_name(plan.registro_ans or "", moment)
        if name.upper() not in taken and not (options.out_dir / name).exists():
            headers.append(PartHeader(plan.registro_ans or "", moment, sequencial, _header_values(plan, moment,
                                                                                              sequencial)))
            sequencial += 1
        moment += dt.timedelta(seconds=1)
    return headers


def _header_values(plan: SourcePlan, moment: dt.datetime, sequencial: int) -> dict[str, str | None]:
    source = plan.header
    return {
        "tipoTransacao": (source.get("tipoTransacao") or "").strip() or "ATUALIZACAO SIB",
        "sequencialTransacao": str(sequencial),
        "dataHoraRegistroTransacao": moment.strftime(HEADER_TIME_FORMAT),
        "origem_registroANS": plan.registro_ans,
        "destino_cnpj": ANS_CNPJ,
        "versaoPadrao": (source.get("versaoPadrao") or "").strip() or "1.1",
        "nomeAplicativo": "sibtui",
        "versaoAplicativo": __version__,
        "fabricanteAplicativo": "sibtui",
    }
