"""One record as the record view shows it: every field with its catalogue label, the
findings on it, and for its beneficiary what the SBX sent, what the RPX said and what the
CNX holds, side by side (UI-free).

Counterparts are found the way analysts do by hand: an SBX movement and a CNX record are
the same vínculo when the CCO matches (for an accepted inclusion, the CCO the RPX
assigned), else when `codigoBeneficiario` matches. The latest CNX and SBX win.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sibtui.catalog.error_agreement import disagreement
from sibtui.catalog.error_codes import ErrorExplanation, explain, field_for_id
from sibtui.catalog.fields import BENEFICIARY_FIELDS, CNX_FIELDS, FIELDS
from sibtui.catalog.tables import TABLES_BY_NAME
from sibtui.explain.store import Explanation
from sibtui.explain.store import entries as explanations
from sibtui.query.errors_by_code import MOVEMENT_LABELS
from sibtui.query.names import CNX, RECORD_TABLES, SBX, TABLE_LABELS, TRANSFER

__all__ = ["CNX", "RECORD_TABLES", "SBX", "TABLE_LABELS", "RecordDetail", "record_detail", "resolve_record"]

if TYPE_CHECKING:
    import duckdb



@dataclass(frozen=True)
class FieldValue:
    """A column of the record: value as stored (None = element absent) and its labels."""

    name: str
    label: str
    value: str | None
    value_label: str | None = None  # label of an enumerated code (e.g. sexo 3 = Feminino)
    editable: bool = False


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    field: str | None
    message: str
    value: str | None


@dataclass(frozen=True)
class Rejection:
    """An RPX `erro` on the record: ANS's words verbatim and our explanation."""

    rpx_name: str
    code: str
    ans_message: str | None
    field_description: str | None
    sent_value: str | None
    field_name: str | None
    explanation: ErrorExplanation
    hint_differs: str | None = None  # why ANS's message is not what our catalogue explains (pt-BR)
    team: Explanation | None = None  # the team's own explanation of the code


@dataclass(frozen=True)
class SideBySide:
    name: str
    label: str
    sbx: str | None
    rpx: str | None  # codes of the RPX errors on this field
    cnx: str | None

    @property
    def differs(self) -> bool:
        return self.sbx is not None and self.cnx is not None and self.sbx != self.cnx


@dataclass
class RecordDetail:
    table: str
    file_id: int
    record_no: int
    line: int | None
    file_name: str
    fields: list[FieldValue]
    findings: list[Finding] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    assigned_cco: str | None = None  # CCO the RPX assigned to an accepted inclusion
    sbx_source: str | None = None  # where the SBX side comes from, in words
    cnx_source: str | None = None
    comparison: list[SideBySide] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{TABLE_LABELS.get(self.table, self.table)} · {self.file_name} · registro {self.record_no}"


def record_detail(cursor: duckdb.DuckDBPyConnection, table: str, file_id: int, record_no: int) -> RecordDetail | None:
    """Everything the record view shows for one SBX movement or CNX record."""
    if table not in RECORD_TABLES:
        raise ValueError(f"not a record table: {table}")
    row = _row(cursor, table, file_id, record_no)
    if row is None:
        return None
    detail = RecordDetail(
        table=table,
        file_id=file_id,
        record_no=record_no,
        line=row.get("line"),
        file_name=_file_name(cursor, file_id),
        fields=_field_values(table, row),
        findings=_findings(cursor, file_id, record_no),
    )
    if table == SBX:
        _fill_from_sbx(cursor, detail, row)
    else:
        _fill_from_cnx(cursor, detail, row)
    return detail


def _row(cursor: duckdb.DuckDBPyConnection, table: str, file_id: int, record_no: int) -> dict | None:
    cursor.execute(f'SELECT * FROM "{table}_current" WHERE file_id = ? AND record_no = ?', [file_id, record_no])
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    return dict(zip(names, rows[0])) if rows else None


def _file_name(cursor: duckdb.DuckDBPyConnection, file_id: int) -> str:
    rows = cursor.execute("SELECT name FROM files WHERE file_id = ?", [file_id]).fetchall()
    return rows[0][0] if rows else f"arquivo {file_id}"


def _field_values(table: str, row: dict) -> list[FieldValue]:
    values = []
    for name in TABLES_BY_NAME[table].value_columns:
        value = row.get(name)
        if name == "movement":
            values.append(FieldValue(name, "Tipo de movimento", value, MOVEMENT_LABELS.get(value or "")))
            continue
        catalogued = FIELDS.get(name)
        label = catalogued.label if catalogued else name
        value_label = catalogued.domain.label_for(value) if catalogued else None
        values.append(FieldValue(name, label, value, value_label, bool(catalogued and catalogued.editable)))
    return values


def _findings(cursor: duckdb.DuckDBPyConnection, file_id: int, record_no: int) -> list[Finding]:
    rows = cursor.execute(
        "SELECT rule, severity, field, message, value FROM findings WHERE file_id = ? AND record_no = ? "
        "ORDER BY severity, rule, field",
        [file_id, record_no],
    ).fetchall()
    return [Finding(*row) for row in rows]


def _rejections(cursor: duckdb.DuckDBPyConnection, file_id: int, record_no: int) -> list[Rejection]:
    rows = cursor.execute(
        """SELECT f.name, trim(l.codigoErro), l.mensagemErro, l.descricaoCampo, l.valorCampo, l.codigoCampo
           FROM rpx_rejection_links AS l JOIN files AS f ON f.file_id = l.rpx_file_id
           WHERE l.sbx_file_id = ? AND l.sbx_record_no = ? ORDER BY l.rpx_file_id, l.error_no""",
        [file_id, record_no],
    ).fetchall()
    rejections = []
    team = {entry.code: entry for entry in explanations(cursor, sorted({row[1] for row in rows if row[1]}))} \
        if rows else {}
    for name, code, message, description, value, field_id in rows:
        field_name = field_for_id((field_id or "").strip().zfill(2)) or explain(code, message).field_name
        rejections.append(Rejection(name, code, message, description, value, field_name, explain(code, message),
                                    disagreement(code, message, field_id, description), team.get(code or "")))
    return rejections


def _fill_from_sbx(cursor: duckdb.DuckDBPyConnection, detail: RecordDetail, movement: dict) -> None:
    detail.rejections = _rejections(cursor, detail.file_id, detail.record_no)
    detail.assigned_cco = _assigned_cco(cursor, detail.file_id, movement)
    cnx = _latest(cursor, CNX, movement.get("cco") or detail.assigned_cco, movement.get("codigoBeneficiario"))
    detail.sbx_source = f"{detail.file_name} registro {detail.record_no}"
    detail.cnx_source = _source(cursor, cnx)
    detail.comparison = _compare(movement, cnx, detail.rejections)


def _fill_from_cnx(cursor: duckdb.DuckDBPyConnection, detail: RecordDetail, beneficiary: dict) -> None:
    sbx = _latest(cursor, SBX, beneficiary.get("cco"), beneficiary.get("codigoBeneficiario"))
    if sbx is not None:
        detail.rejections = _rejections(cursor, sbx["file_id"], sbx["record_no"])
    detail.sbx_source = _source(cursor, sbx)
    detail.cnx_source = f"{detail.file_name} registro {detail.record_no}"
    detail.comparison = _compare(sbx, beneficiary, detail.rejections)


def _assigned_cco(cursor: duckdb.DuckDBPyConnection, sbx_file_id: int, movement: dict) -> str | None:
    if movement.get("movement") != "inclusao" or not movement.get("codigoBeneficiario"):
        return None
    rows = cursor.execute(
        """SELECT i.cco FROM rpx_inclusions AS i JOIN rpx_results AS r ON r.file_id = i.file_id
           JOIN files AS sbx ON upper(sbx.name) = upper(trim(r.nomeArquivo)) AND sbx.file_id = ?
           WHERE i.codigoBeneficiario = ? ORDER BY i.file_id DESC LIMIT 1""",
        [sbx_file_id, movement["codigoBeneficiario"]],
    ).fetchall()
    return rows[0][0] if rows else None


def _latest(cursor: duckdb.DuckDBPyConnection, table: str, cco: str | None, code: str | None) -> dict | None:
    """The newest record of `table` for this vínculo: by CCO, else by codigoBeneficiario."""
    for column, value in (("cco", cco), ("codigoBeneficiario", code)):
        if not value:
            continue
        cursor.execute(
            f'SELECT * FROM "{table}_current" WHERE {column} = ? ORDER BY file_id DESC, record_no DESC LIMIT 1',
            [value],
        )
        names = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
        if rows:
            return dict(zip(names, rows[0]))
    return None


def _source(cursor: duckdb.DuckDBPyConnection, record: dict | None) -> str | None:
    if record is None:
        return None
    return f"{_file_name(cursor, record['file_id'])} registro {record['record_no']}"


def _compare(sbx: dict | None, cnx: dict | None, rejections: list[Rejection]) -> list[SideBySide]:
    codes_by_field: dict[str, list[str]] = {}
    for rejection in rejections:
        if rejection.field_name:
            codes_by_field.setdefault(rejection.field_name, []).append(rejection.code)
    lines = []
    for catalogued in (*CNX_FIELDS[:1], *BENEFICIARY_FIELDS):
        name = catalogued.name
        sbx_value = sbx.get(name) if sbx else None
        cnx_value = cnx.get(name) if cnx else None
        codes = codes_by_field.get(name)
        if sbx_value is None and cnx_value is None and not codes:
            continue
        lines.append(SideBySide(name, catalogued.label, sbx_value, " ".join(codes) if codes else None, cnx_value))
    return lines


def resolve_record(cursor: duckdb.DuckDBPyConnection, row: dict, table_hint: str | None = None) -> tuple | None:
    """(table, file_id, record_no) of the SBX/CNX record a grid row stands for, if any.

    A record grid names its table; a CNS gap or a finding says `source_table`; an RPX
    rejection points at its SBX movement; a SQL result with `file_id`/`record_no` is
    resolved by the kind of that file.
    """
    if row.get("source_table") in RECORD_TABLES and row.get("record_no") is not None:
        return row["source_table"], int(row["file_id"]), int(row["record_no"])
    if row.get("sbx_file_id") is not None and row.get("sbx_record_no") is not None:
        return SBX, int(row["sbx_file_id"]), int(row["sbx_record_no"])
    if row.get("file_id") is None or row.get("record_no") is None:
        return None
    file_id, record_no = int(row["file_id"]), int(row["record_no"])
    if table_hint in RECORD_TABLES:
        return table_hint, file_id, record_no
    kinds = cursor.execute("SELECT kind FROM files WHERE file_id = ?", [file_id]).fetchall()
    table = {"SBX": SBX, "CNX": CNX, "TRF": TRANSFER}.get(kinds[0][0] if kinds else "")
    return (table, file_id, record_no) if table else None
