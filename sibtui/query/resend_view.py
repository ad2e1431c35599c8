"""The resend decision of one movement, and of groups of them, as the console shows it (UI-free).

Read from `sibtui.edit.resend`: the state in words, who decided and why, the titular of a
cascade and the dependents that go with a titular, whether the next regeneration sends it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sibtui.edit.regen.cnx_plan import planned_sql
from sibtui.edit.resend import STATE_LABELS, going_sql, state_label

if TYPE_CHECKING:
    import datetime as dt

    import duckdb


@dataclass(frozen=True)
class Linked:
    """A movement of the same file a cascade links to."""

    record_no: int
    key: str | None  # codigoBeneficiario or CCO
    nome: str | None


@dataclass(frozen=True)
class ResendInfo:
    """Where one rejected movement stands."""

    state: str
    goes: bool
    reason: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    titular: Linked | None
    dependents: tuple[Linked, ...]
    resent_in: str | None  # a later SBX already carries it

    @property
    def label(self) -> str:
        return state_label(self.state, self.titular.record_no if self.titular else None)


def resend_infos(cursor: duckdb.DuckDBPyConnection, file_id: int) -> dict[int, ResendInfo]:
    """Every movement to resend of one SBX, by record_no (one query: a drill-down reads it once
    and looks rows up as the cursor moves)."""
    rows = cursor.execute(
        f"SELECT s.record_no, s.state, s.goes, s.reason, s.decided_by, s.decided_at, s.titular_record_no, r.name, "
        "coalesce(m.cco, m.codigoBeneficiario), m.nome "
        f"FROM ({going_sql(file_id=file_id)}) s JOIN sbx_movements m ON m.file_id = s.file_id AND m.record_no = s.record_no "
        "LEFT JOIN files r ON r.file_id = s.resent_file_id ORDER BY s.record_no"
    ).fetchall()
    linked = {row[0]: Linked(row[0], row[8], row[9]) for row in rows}
    dependents: dict[int, list[Linked]] = {}
    for row in rows:
        if row[6] is not None:
            dependents.setdefault(row[6], []).append(linked[row[0]])
    titulars = {row[6] for row in rows if row[6] is not None} - linked.keys()
    for number, key, nome in cursor.execute(
        "SELECT record_no, coalesce(cco, codigoBeneficiario), nome FROM sbx_movements WHERE file_id = ? "
        "AND list_contains(?, record_no)", [file_id, sorted(titulars)]).fetchall() if titulars else ():
        linked[number] = Linked(number, key, nome)
    return {
        record_no: ResendInfo(state, bool(goes), reason, who, when,
                              linked.get(titular) if titular is not None else None,
                              tuple(dependents.get(record_no, ())), resent_in)
        for record_no, state, goes, reason, who, when, titular, resent_in, _, _ in rows
    }


def resend_info(cursor: duckdb.DuckDBPyConnection, file_id: int, record_no: int) -> ResendInfo | None:
    """The movement's resend state; None when it is not a movement to resend."""
    return resend_infos(cursor, file_id).get(record_no)


def decision_counts(cursor: duckdb.DuckDBPyConnection, rpx_file_id: int | None = None) -> dict[str, Counter]:
    """Per RPX error code (of one RPX, or all), how many rejected movements are in each state."""
    where = f"WHERE l.rpx_file_id = {int(rpx_file_id)}" if rpx_file_id is not None else ""
    rows = cursor.execute(
        f"SELECT trim(l.codigoErro), s.state, count(DISTINCT s.record_no) FROM rpx_rejection_links l "
        f"JOIN ({going_sql()}) s ON s.file_id = l.sbx_file_id AND s.record_no = l.sbx_record_no {where} "
        "GROUP BY ALL"
    ).fetchall()
    counts: dict[str, Counter] = {}
    for code, state, count in rows:
        counts.setdefault(code, Counter())[state] = int(count)
    return counts


_PLURALS = {"corrigido": "corrigidos", "pendente": "pendentes", "com_titular": "vão com o titular"}


def counts_text(counts: Counter | dict) -> str:
    """"2 corrigidos · 1 reenviar como está · 5 pendentes", in the order an analyst works."""
    order = ("corrigido", "como_esta", "com_titular", "pendente", "nao_reenviar", "ja_na_ans")
    return " · ".join(
        f"{counts[state]} {_PLURALS.get(state, STATE_LABELS[state]) if counts[state] > 1 else STATE_LABELS[state]}"
        for state in order if counts.get(state))


def planned_for_record(cursor: duckdb.DuckDBPyConnection, file_id: int, record_no: int) -> list[tuple[str, list[str]]]:
    """What the edits of one CNX record will be sent as: (movement, the edited fields it carries)."""
    rows = cursor.execute(
        f"SELECT movement, list(e.field ORDER BY e.field) FROM ({planned_sql()}) p, unnest(p.edits) AS t(e) "
        "WHERE p.file_id = ? AND p.record_no = ? GROUP BY movement ORDER BY movement",
        [file_id, record_no],
    ).fetchall()
    return [(movement, list(fields)) for movement, fields in rows]
