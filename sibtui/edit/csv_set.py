"""Corrections from a spreadsheet: one CSV row per CCO, one column per field, one journal action.

The operator's own base says what ANS should hold: after a portfolio transfer, the acquirer's
codes for the vínculos it received (`codigoBeneficiario`), the cancellation of the adhesions
it did not make effective; for any conference, a column of corrections. The first column is
`cco`, the others are field names; `;` or `,` separate them (whichever the header uses) and
the file is UTF-8 (with or without BOM) or, failing that, Latin-1.

Each row applies to that CCO's record in the newest conference that holds it (a CNX or a
transfer, by the file's date): the edits then become the movements they mean
(`sibtui.edit.regen.cnx_plan`). Nothing is half-applied: an unknown CCO, an unknown or
repeated column, a CCO given two different values, or a value the field rules refuse (unless
`force`) is listed and nothing is written. An empty cell changes nothing (a retificação never
erases). Values are trimmed; a CCO of fewer than 12 digits gets its leading zeros back (a
spreadsheet drops them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from sibtui.catalog.tables import CURRENT_VIEW_SUFFIX
from sibtui.db.identifiers import quote
from sibtui.edit.editor import Candidate, EditResult, apply_candidates
from sibtui.edit.records import CNX_TABLE, CONFERENCE_TABLES, EditError, RecordRef, editable_fields

ACTION = "csv-set"
CCO_LENGTH = 12


@dataclass(frozen=True)
class CsvProblem:
    """Why a row (or the file) cannot be applied, located by line (pt-BR message)."""

    line: int | None
    cco: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"linha {self.line}" if self.line else "arquivo"
        parts = [where] + ([f"cco {self.cco}"] if self.cco else []) + ([self.field] if self.field else [])
        return f"{', '.join(parts)}: {self.message}"


@dataclass
class CsvOutcome:
    """What the CSV did (or, in a dry run or on any problem, would do)."""

    result: EditResult | None = None
    problems: list[CsvProblem] = field(default_factory=list)
    rows: int = 0
    records: dict[RecordRef, tuple[str, str]] = field(default_factory=dict)  # ref -> (cco, table)

    @property
    def applied(self) -> bool:
        return self.result is not None and not self.result.dry_run and not self.problems


@dataclass(frozen=True)
class _Cell:
    line: int
    cco: str
    field: str
    value: str


def read_rows(path: Path) -> tuple[list[_Cell], list[CsvProblem], int]:
    """The non-empty cells of the CSV, with the problems of its shape, and the data row count."""
    text = _decode(path.read_bytes())
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [CsvProblem(None, None, None, "arquivo vazio: a primeira linha é o cabeçalho (cco;campo;...)")], 0
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    problems = _header_problems(header)
    cells: list[_Cell] = []
    rows = 0
    for line, row in enumerate(reader, start=2):
        if not any(value.strip() for value in row):
            continue
        rows += 1
        if len(row) > len(header):
            problems.append(CsvProblem(line, None, None, f"{len(row)} colunas, o cabeçalho tem {len(header)}"))
            continue
        cco = _cco(row[0])
        if not cco.isdigit() or len(cco) != CCO_LENGTH:
            problems.append(CsvProblem(line, row[0].strip() or None, "cco", "CCO precisa de 12 dígitos"))
            continue
        for name, value in zip(header[1:], row[1:]):
            if value.strip():
                cells.append(_Cell(line, cco, name, value.strip()))
    return cells, problems, rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _cco(text: str) -> str:
    value = text.strip()
    return value.zfill(CCO_LENGTH) if value.isdigit() and len(value) < CCO_LENGTH else value


def _header_problems(header: list[str]) -> list[CsvProblem]:
    problems = []
    if not header or header[0].lower() != "cco":
        problems.append(CsvProblem(1, None, None, f"a primeira coluna deve ser cco, não {header[0] if header else ''!r}"))
    allowed = set(editable_fields(CNX_TABLE, None))
    seen: set[str] = set()
    for name in header[1:]:
        if name in seen:
            problems.append(CsvProblem(1, None, name, "coluna repetida"))
        elif name not in allowed:
            problems.append(CsvProblem(1, None, name or "(vazia)", "não é um campo que se corrige na conferência "
                                                               "(use o nome do elemento, ex.: codigoBeneficiario)"))
        seen.add(name)
    return problems


_NEWEST_HOLDING = f"""
SELECT held.cco, held.tbl, held.file_id, held.record_no
FROM (
    {" UNION ALL ".join(f"SELECT '{table}' AS tbl, file_id, record_no, trim(cco) AS cco FROM {table} "
                        "WHERE trim(cco) IN (SELECT cco FROM __csv_ccos)" for table in CONFERENCE_TABLES)}
) held
JOIN file_moments m ON m.file_id = held.file_id
QUALIFY row_number() OVER (PARTITION BY held.cco ORDER BY m.moment DESC NULLS LAST, held.file_id DESC,
                           held.record_no) = 1
"""


def _newest_records(cursor: duckdb.DuckDBPyConnection, ccos: list[str]) -> dict[str, tuple[str, RecordRef]]:
    """CCO -> (table, record) of the newest conference (CNX or transfer) that lists it."""
    cursor.register("__csv_ccos", pa.table({"cco": pa.array(sorted(set(ccos)), pa.string())}))
    try:
        rows = cursor.execute(_NEWEST_HOLDING).fetchall()
    finally:
        cursor.unregister("__csv_ccos")
    return {cco: (table, RecordRef(file_id, record_no)) for cco, table, file_id, record_no in rows}


def _current_values(cursor: duckdb.DuckDBPyConnection, table: str, refs: list[RecordRef],
                    columns: list[str]) -> dict[RecordRef, dict[str, str | None]]:
    if not refs or not columns:
        return {}
    cursor.register("__csv_refs", pa.table({"file_id": [r.file_id for r in refs],
                                            "record_no": [r.record_no for r in refs]}))
    try:
        selected = ", ".join(f"c.{quote(column)}" for column in columns)
        rows = cursor.execute(
            f"SELECT c.file_id, c.record_no, {selected} FROM {quote(table + CURRENT_VIEW_SUFFIX)} c "
            "JOIN __csv_refs USING (file_id, record_no)"
        ).fetchall()
    finally:
        cursor.unregister("__csv_refs")
    return {RecordRef(row[0], row[1]): dict(zip(columns, row[2:])) for row in rows}


def set_from_csv(cursor: duckdb.DuckDBPyConnection, path: Path, *, dry_run: bool = False, force: bool = False,
                 reason: str | None = None, note: str | None = None) -> CsvOutcome:
    """Apply the CSV at `path` as one journal action (see the module docstring)."""
    try:
        cells, problems, rows = read_rows(path)
    except OSError as error:
        raise EditError(f"{path}: cannot read: {error.strerror or error}") from None
    outcome = CsvOutcome(problems=problems, rows=rows)
    found = _newest_records(cursor, [cell.cco for cell in cells])
    wanted: dict[tuple[str, RecordRef], dict[str, tuple[int, str]]] = {}
    for cell in cells:
        if cell.cco not in found:
            if not any(p.cco == cell.cco and p.field is None for p in outcome.problems):
                outcome.problems.append(CsvProblem(cell.line, cell.cco, None, "CCO em nenhuma conferência (CNX) "
                                                                              "nem transferência carregada"))
            continue
        table, ref = found[cell.cco]
        outcome.records[ref] = (cell.cco, table)
        values = wanted.setdefault((table, ref), {})
        earlier = values.get(cell.field)
        if earlier is not None and earlier[1] != cell.value:
            outcome.problems.append(CsvProblem(cell.line, cell.cco, cell.field,
                                               f"valor diferente do da linha {earlier[0]} ({earlier[1]!r})"))
        values.setdefault(cell.field, (cell.line, cell.value))
    candidates = _candidates(cursor, wanted)
    outcome.result = apply_candidates(cursor, ACTION, candidates, dry_run=True, force=force, reason=reason,
                                      note=note)
    for refusal in outcome.result.refused:
        cco = outcome.records.get(refusal.ref, ("", ""))[0]
        line = wanted.get((outcome.records[refusal.ref][1], refusal.ref), {}).get(refusal.field, (None, ""))[0]
        why = "; ".join(p.message for p in refusal.problems) or "valor recusado"
        outcome.problems.append(CsvProblem(line, cco, refusal.field, why))
    if outcome.problems or dry_run:
        return outcome
    outcome.result = apply_candidates(cursor, ACTION, candidates, force=force, reason=reason,
                                      note=note or f"planilha {path.name}")
    return outcome


def _candidates(cursor: duckdb.DuckDBPyConnection,
                wanted: dict[tuple[str, RecordRef], dict[str, tuple[int, str]]]) -> list[Candidate]:
    candidates: list[Candidate] = []
    for table in CONFERENCE_TABLES:
        refs = sorted(ref for tbl, ref in wanted if tbl == table)
        columns = sorted({column for (tbl, _), values in wanted.items() if tbl == table for column in values})
        current = _current_values(cursor, table, refs, columns)
        for ref in refs:
            for column, (_, value) in sorted(wanted[(table, ref)].items()):
                old = current.get(ref, {}).get(column)
                candidates.append(Candidate(table, None, ref, column, old, value))
    return candidates
