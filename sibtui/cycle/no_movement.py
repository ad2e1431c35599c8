"""The month without movement (RN 250 art. 6 §3–4): an SBX that says so, written like any other.

An operator with no beneficiaries (motivo 61) or with no change in a month (62) must still
send a file for that competência: `operadoraParaANS/naoEnvioBeneficiarios` (§1.1). It belongs
to the monthly cycle, and is written, proven and published with the regeneration's own
machinery (`sibtui.edit.regen.parts`, `output`, `recovery`, `log`): a
hidden part, re-read by the loader's parser (hash, header, the motive), the XSD when given,
logged unpublished, linked to a name never used (`registro + date`, a `sequencialTransacao`
never used), then marked published. The log remembers the competência it declares
(`regenerations.competencia`): the file's name only says when it was made.

It is refused for a competência that already has a file with movements the answer that counts
did not reject whole (ANS has that month), and not written twice: while a no-movement file
for the month is still to send (or was sent and not rejected), that file is the answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sibtui.catalog.calendar import Competencia
from sibtui.catalog.calendar import parse_competencia as calendar_competencia
from sibtui.cycle.months import files_of_competencia
from sibtui.edit.journal import os_user
from sibtui.edit.records import EditError
from sibtui.edit.regen import log, recovery
from sibtui.edit.regen.output import HEADER_TIME_FORMAT, PartWriter, check_folder
from sibtui.edit.regen.parts import Options, part_headers
from sibtui.edit.regen.plan import SourcePlan
from sibtui.edit.regen.results import WrittenFile
from sibtui.edit.regen.run import one_at_a_time
from sibtui.edit.regen.verify import Expected, judge, reload, schema_problems

SCOPE_NO_MOVEMENT = "no-movement"
REASONS = {
    "61": "inexistência de beneficiários na competência",
    "62": "inexistência de atualização cadastral na competência",
}


@dataclass
class NoMovementResult:
    competencia: Competencia
    reason: str
    registro_ans: str
    file: WrittenFile | None = None
    regeneration_id: int | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # pt-BR
    existing: str | None = None  # the file already answering this month, when nothing was written


def parse_competencia(text: str) -> Competencia:
    """`AAAA-MM`, or `EditError` saying how to write it."""
    found = calendar_competencia(text)
    if found is None:
        raise EditError(f"{text!r}: a competência is AAAA-MM, e.g. 2026-10")
    return found


def operator_of(cursor: duckdb.DuckDBPyConnection, registro_ans: str | None) -> str:
    """The registro ANS the file is for: the one given, else the only one the workspace knows."""
    if registro_ans:
        if not (registro_ans.isdigit() and len(registro_ans) == 6):
            raise EditError(f"{registro_ans!r}: a registro ANS has 6 digits")
        return registro_ans
    found = [row[0] for row in cursor.execute(
        "SELECT DISTINCT trim(registroANS) FROM files WHERE registroANS IS NOT NULL AND kind <> 'TRF' ORDER BY 1"
    ).fetchall() if row[0]]
    if len(found) != 1:
        listed = ", ".join(found) or "nenhum"
        raise EditError(f"say which operator the file is for (--registro-ans); the workspace knows: {listed}")
    return found[0]


def write_no_movement(
    cursor: duckdb.DuckDBPyConnection, out_dir: Path | str, competencia: Competencia, reason: str, *,
    registro_ans: str | None = None, schema=None, xsd_path: str | None = None,
    clock=None, today: dt.date | None = None,
) -> NoMovementResult:
    """Write, prove and publish the no-movement SBX for `competencia` (see the module docstring)."""
    reason = reason.strip()
    if reason not in REASONS:
        raise EditError(f"{reason!r}: the reason is 61 ({REASONS['61']}) or 62 ({REASONS['62']})")
    registro = operator_of(cursor, registro_ans)
    result = NoMovementResult(competencia, reason, registro)
    with one_at_a_time():
        tag = recovery.workspace_tag(cursor)
        options = Options(check_folder(Path(out_dir)), schema, xsd_path, clock or dt.datetime.now, None, None,
                          today or dt.date.today(), tag)
        result.notes += recovery.recover(cursor, options.out_dir, tag)
        _refuse_when_answered(cursor, result)
        if result.existing is not None:
            return result
        result.notes += _reason_notes(cursor, registro, reason)
        _write(cursor, options, result)
    return result


def _refuse_when_answered(cursor: duckdb.DuckDBPyConnection, result: NoMovementResult) -> None:
    for name, movements, verdict, declared in files_of_competencia(cursor, result.registro_ans, result.competencia):
        if verdict == "rejeitado":
            continue  # a file rejected whole counts as not sent (art. 25 §2)
        if declared is None and movements:
            raise EditError(f"competência {result.competencia}: {name} já leva {movements} movimento(s); "
                            "um arquivo sem movimento não cabe")
        result.existing = name
        return


def _reason_notes(cursor: duckdb.DuckDBPyConnection, registro: str, reason: str) -> list[str]:
    if reason != "61":
        return []
    active = cursor.execute(
        "SELECT count(*) FROM cnx_beneficiaries WHERE file_id = (SELECT file_id FROM file_moments WHERE kind = 'CNX' "
        "AND registroANS = ? ORDER BY moment DESC NULLS LAST, file_id DESC LIMIT 1) AND upper(trim(situacao)) = 'ATIVO'",
        [registro],
    ).fetchall()[0][0]
    if active:
        return [f"motivo 61 (sem beneficiários), mas a conferência mais nova tem {active} vínculo(s) ativo(s): "
                "confira se não é o motivo 62"]
    return []


def _write(cursor: duckdb.DuckDBPyConnection, options: Options, result: NoMovementResult) -> None:
    plan = SourcePlan(SCOPE_NO_MOVEMENT, result.registro_ans)
    header = part_headers(cursor, plan, options, 1)[0]
    part = PartWriter(options.out_dir, header, options.part_tag, no_movement_reason=result.reason)
    published = False
    try:
        digest = part.finish()
        expected = Expected(header.name, header.registro_ans, header.values["dataHoraRegistroTransacao"] or "", digest)
        reloaded = reload(part.temp_path)
        result.problems += judge(expected, reloaded)
        if reloaded.result is not None and (reloaded.result.motivo_nao_envio or "").strip() != result.reason:
            result.problems.append(f"{header.name}: the motive reads back as {reloaded.result.motivo_nao_envio!r}")
        if options.schema is not None and not result.problems:
            result.problems += schema_problems(part.temp_path, options.schema)
        if result.problems:
            return
        written = WrittenFile(part.final_path, 1, 1, 0, digest, header.sequencial, header.moment,
                              part.temp_path.stat().st_size)
        regeneration_id = log.new_regeneration_id(cursor)
        log.record(cursor, [_file_row(regeneration_id, written, result, options)], [], [])
        try:
            part.publish()
            published = True
        finally:
            log.settle(cursor, regeneration_id, [1] if published else [], [] if published else [1])
        result.file, result.regeneration_id = written, regeneration_id
    finally:
        if not published:
            part.discard()


def _file_row(regeneration_id: int, written: WrittenFile, result: NoMovementResult, options: Options) -> dict:
    return {
        "regeneration_id": regeneration_id, "part_no": 1, "part_count": 1, "created_at": dt.datetime.now(),
        "os_user": os_user(), "scope": SCOPE_NO_MOVEMENT, "source_file_id": None,
        "source_name": f"sem movimento {result.competencia} (motivo {result.reason})", "rpx_file_id": None,
        "registroANS": result.registro_ans, "output_name": written.name, "output_path": str(written.path.resolve()),
        "sequencialTransacao": str(written.sequencial),
        "dataHoraRegistroTransacao": written.moment.strftime(HEADER_TIME_FORMAT), "hash": written.hash,
        "movement_count": 0, "size_bytes": written.size_bytes, "xsd_path": options.xsd_path,
        "journal_edit_id": None, "competencia": str(result.competencia),
    }
