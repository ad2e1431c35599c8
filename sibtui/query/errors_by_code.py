"""RPX results as the analyst triages them: per file, the protocol and totals; per error
code, how many records it hit, which movements, ANS's words and ours (UI-free).

ANS's own `mensagemErro` and `descricaoCampo` are always returned verbatim beside our
explanation (`sibtui.catalog.error_codes.explain`), which is a hint, not the rule: each group
says whether ANS's message disagrees with it (`sibtui.catalog.error_agreement`), and carries
the team's own explanation of the code when one was written (`sibtui.explain`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sibtui.catalog import domains
from sibtui.catalog.error_agreement import disagreement
from sibtui.catalog.error_codes import FILE_REJECTION_FIXES, ErrorExplanation, explain, field_for_id
from sibtui.catalog.kinds import Movement
from sibtui.explain.store import Explanation
from sibtui.explain.store import entries as explanations
from sibtui.query.drill_specs import rejected_movements_spec, rejections_spec
from sibtui.query.spec import GridSpec

if TYPE_CHECKING:
    import duckdb

MOVEMENT_LABELS: dict[str, str] = {m.value: m.label for m in Movement} | {"semMovimentacao": "Sem movimentação"}


@dataclass(frozen=True)
class MovementTotal:
    """One line of `consolidadoProcessamento`: records, processed, rejected, % acerto."""

    movement: str
    records: int | None
    processed: int | None
    rejected: int | None
    percent: str | None  # as ANS wrote it (e.g. "56.00")

    @property
    def label(self) -> str:
        return "Total" if self.movement == "total" else MOVEMENT_LABELS.get(self.movement, self.movement)


@dataclass(frozen=True)
class RpxFile:
    """An RPX file: the SBX it answers and whether ANS processed or rejected it whole."""

    file_id: int
    name: str
    status: str  # 'processado' | 'rejeitado'
    protocol: str | None
    sbx_name: str | None
    sbx_file_id: int | None  # None when that SBX is not loaded
    received_at: str | None
    rejection_code: str | None
    rejection_reason: str | None  # ANS's motivoRejeicao, verbatim
    totals: tuple[MovementTotal, ...] = ()

    @property
    def rejected_whole(self) -> bool:
        return self.status == "rejeitado"

    @property
    def rejection_label(self) -> str | None:
        return domains.MOTIVO_REJEICAO_ARQUIVO.label_for(self.rejection_code)

    @property
    def rejection_fix(self) -> str | None:
        code = (self.rejection_code or "").strip().lstrip("0")
        return FILE_REJECTION_FIXES.get(code)

    @property
    def grand_total(self) -> MovementTotal | None:
        return next((total for total in self.totals if total.movement == "total"), None)


@dataclass(frozen=True)
class ErrorGroup:
    """Every rejection of one RPX with one `codigoErro`."""

    code: str
    occurrences: int  # erro elements with this code
    records: int  # distinct rejected records
    linked_records: int  # of those, how many are found in the loaded SBX
    file_records: int  # records the SBX carried (ANS's total), for the share
    movements: tuple[str, ...]
    ans_messages: tuple[str, ...]  # mensagemErro, verbatim
    field_descriptions: tuple[str, ...]  # descricaoCampo, verbatim
    explanation: ErrorExplanation
    field_ids: tuple[str, ...] = ()  # codigoCampo of its rejections
    hint_differs: str | None = None  # why ANS's message is not what our catalogue explains (pt-BR)
    team: Explanation | None = None  # the team's own explanation of the code, when written

    @property
    def field_names(self) -> tuple[str, ...]:
        """Our columns the code is about: from the rejections' field ids, else our catalogue."""
        names = [field_for_id(field_id.zfill(2)) for field_id in self.field_ids]
        found = tuple(dict.fromkeys(name for name in names if name))
        if found:
            return found
        return (self.explanation.field_name,) if self.explanation.field_name else ()

    @property
    def share(self) -> float:
        return self.records / self.file_records if self.file_records else 0.0


_RPX_FILES_SQL = """
SELECT r.file_id, f.name, r.status, r.numeroProtocolo, r.nomeArquivo, sbx.file_id,
       r.dataHoraRecebimento, r.codigoMotivoRejeicao, r.motivoRejeicao
FROM rpx_results AS r
JOIN files AS f ON f.file_id = r.file_id
LEFT JOIN files AS sbx ON sbx.kind = 'SBX' AND upper(sbx.name) = upper(trim(r.nomeArquivo))
ORDER BY r.file_id
"""

_TOTALS_SQL = """
SELECT movement, TRY_CAST(quantidadeRegistros AS BIGINT), TRY_CAST(quantidadeProcessados AS BIGINT),
       TRY_CAST(quantidadeRejeitados AS BIGINT), percentualAcerto
FROM rpx_totals WHERE file_id = ? ORDER BY block_no, line
"""

_GROUPS_SQL = """
SELECT trim(codigoErro) AS code,
       count(*) AS occurrences,
       count(DISTINCT rpx_record_no) AS records,
       count(DISTINCT CASE WHEN sbx_record_no IS NOT NULL THEN rpx_record_no END) AS linked,
       list(DISTINCT movement ORDER BY movement) FILTER (WHERE movement IS NOT NULL),
       list(DISTINCT mensagemErro ORDER BY mensagemErro) FILTER (WHERE mensagemErro IS NOT NULL),
       list(DISTINCT descricaoCampo ORDER BY descricaoCampo) FILTER (WHERE descricaoCampo IS NOT NULL),
       list(DISTINCT trim(codigoCampo) ORDER BY trim(codigoCampo)) FILTER (WHERE codigoCampo IS NOT NULL),
       list(DISTINCT [mensagemErro, trim(codigoCampo), descricaoCampo])
FROM rpx_rejection_links
WHERE rpx_file_id = ?
GROUP BY 1
ORDER BY records DESC, occurrences DESC, code
"""


def rpx_files(cursor: duckdb.DuckDBPyConnection) -> list[RpxFile]:
    """Every loaded RPX with its totals, oldest first."""
    files = []
    for row in cursor.execute(_RPX_FILES_SQL).fetchall():
        totals = tuple(MovementTotal(*total) for total in cursor.execute(_TOTALS_SQL, [row[0]]).fetchall())
        files.append(replace(RpxFile(*row), totals=totals))
    return files


def error_groups(cursor: duckdb.DuckDBPyConnection, rpx: RpxFile) -> list[ErrorGroup]:
    """Rejections of `rpx` grouped by error code, most records first."""
    file_records = _file_records(cursor, rpx)
    groups = []
    team = {entry.code: entry for entry in explanations(cursor)}
    for code, occurrences, records, linked, movements, messages, fields, field_ids, said in cursor.execute(
        _GROUPS_SQL, [rpx.file_id]
    ).fetchall():
        groups.append(
            ErrorGroup(
                code=code or "",
                occurrences=int(occurrences),
                records=int(records),
                linked_records=int(linked),
                file_records=file_records,
                movements=tuple(movements or ()),
                ans_messages=tuple(messages or ()),
                field_descriptions=tuple(fields or ()),
                explanation=explain(code, (messages or [None])[0]),
                field_ids=tuple(field_ids or ()),
                hint_differs=first_disagreement(code, said or []),
                team=team.get(code or ""),
            )
        )
    return groups


def first_disagreement(code: str | None, said: list) -> str | None:
    """Why one of ANS's (message, field id, field description) for `code` is not our catalogue's meaning."""
    for message, field_id, description in said:
        reason = disagreement(code, message, field_id, description)
        if reason:
            return reason
    return None


def _file_records(cursor: duckdb.DuckDBPyConnection, rpx: RpxFile) -> int:
    """Records the answered SBX carried: ANS's consolidated total, else the SBX itself."""
    total = rpx.grand_total
    if total is not None and total.records:
        return total.records
    if rpx.sbx_file_id is None:
        return 0
    row = cursor.execute("SELECT count(*) FROM sbx_movements WHERE file_id = ?", [rpx.sbx_file_id]).fetchall()
    return int(row[0][0])


def affected_records_spec(rpx: RpxFile, group: ErrorGroup) -> GridSpec:
    """The records rejected with `group.code`: the SBX movements when that SBX is loaded,
    else the rejections themselves (what the RPX says about them); led by what the analyst
    needs first (`sibtui.query.drill_specs`)."""
    label = f"erro {group.code} no {rpx.name}"
    if rpx.sbx_file_id is not None and group.linked_records == group.records:
        return rejected_movements_spec(rpx.file_id, group.code, label, group.field_names)
    return rejections_spec(rpx.file_id, group.code, label)


def format_percent(value: float | str | None) -> str:
    """pt-BR percent with two decimals: 56,00%."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:.2f}%".replace(".", ",")
