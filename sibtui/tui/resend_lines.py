"""The lines that say where a record stands for the next SBX: the resend decision of a
rejected movement (with the cascade's links both ways), and what a CNX record's edits will be
sent as. The record view and the drill-downs show them; personal data is masked as drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from sibtui.query.errors_by_code import MOVEMENT_LABELS
from sibtui.tui.cells import visible
from sibtui.tui.masking import field_value, free_text

if TYPE_CHECKING:
    from sibtui.query.resend_view import ResendInfo


def resend_text(resend: ResendInfo) -> Text:
    """"Reenvio: não reenviar — motivo (quem, quando)", the cascade links both ways, the keys."""
    style = {"pendente": "bold yellow", "nao_reenviar": "bold red", "ja_na_ans": "bold red"}.get(resend.state,
                                                                                                 "bold green")
    text = Text("Reenvio: ", style="bold")
    text.append(resend.label, style=style)
    if resend.resent_in:
        text.append(f" · já reenviado em {visible(resend.resent_in)}")
    elif resend.state != "pendente":
        text.append(" · vai no próximo SBX" if resend.goes else " · não vai no próximo SBX")
    if resend.reason:
        text.append(f" — {visible(free_text(resend.reason))}")
        when = f", {resend.decided_at:%d/%m %H:%M}" if resend.decided_at else ""
        text.append(f" ({visible(resend.decided_by or '?')}{when})", style="dim")
    if resend.titular is not None:
        if resend.state != "com_titular":  # its own correction or decision rules it now
            advice = "rejeitado no mesmo arquivo"
        elif resend.goes:
            advice = "vai junto, logo depois dele"
        else:
            advice = "corrija o titular (ou decida por ele): este vai junto, logo depois dele"
        text.append(f"\n  titular: {linked_text(resend.titular)} — {advice}")
    if resend.dependents:
        text.append("\n  dependentes em cascata: " + ", ".join(linked_text(d) for d in resend.dependents))
    text.append(" · d decide", style="dim")
    return text


def planned_text(planned: list[tuple[str, list[str]]]) -> Text:
    """"Suas edições vão à ANS como: cancelamento (dataCancelamento, motivoCancelamento)"."""
    text = Text("Suas edições vão à ANS como: ", style="bold")
    text.append(" · ".join(f"{MOVEMENT_LABELS.get(movement, movement).lower()} ({', '.join(fields)})"
                           for movement, fields in planned), style="cyan")
    return text


def linked_text(linked) -> str:
    name = field_value("nome", linked.nome) if linked.nome else None
    return f"registro {linked.record_no}" + (f" ({visible(name)})" if name else "")
