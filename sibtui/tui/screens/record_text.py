"""What the record view writes besides the fields: the RPX errors and findings of a record
(ANS's words verbatim, then ours), the conference pair's title, a side's value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from sibtui.edit.resend import CASCADE_CODES
from sibtui.query.records import RecordDetail
from sibtui.tui.cells import value_text, visible
from sibtui.tui.hints import append_hints
from sibtui.tui.masking import field_value, free_text, is_masked_field
from sibtui.tui.resend_lines import linked_text

if TYPE_CHECKING:
    from sibtui.query.changes_overview import ConferenceRef
    from sibtui.query.resend_view import ResendInfo


def conference_title(ref: ConferenceRef, changed: int = 0) -> Text:
    """Which conferences the two columns are, and whether the vínculo is in both."""
    def when(snapshot) -> str:
        return f"{snapshot.taken_at:%d/%m/%Y}" if snapshot.taken_at else "sem data"

    text = Text("antes  ", style="bold")
    text.append(f"{ref.older.name} ({when(ref.older)})")
    if ref.older_record_no is None:
        text.append("  — não estava (vínculo novo)", style="yellow")
    text.append("\ndepois ", style="bold")
    text.append(f"{ref.newer.name} ({when(ref.newer)})")
    if ref.newer_record_no is None:
        text.append("  — não está (sumiu)", style="yellow")
    elif ref.older_record_no is not None:
        fields = "1 campo alterado" if changed == 1 else f"{changed} campos alterados"
        text.append(f"  ● {fields}" if changed else "  ● = alterado", style="bold yellow")
    return text


def side_text(value: str | None, style: str) -> Text:
    if value is None:
        return Text("—", style="dim")
    text = value_text(value)
    text.stylize(style)
    return text


def problems_by_field(detail: RecordDetail) -> dict[str, Text]:
    """Per field, the RPX codes and rule ids that name it, one to a line: an identifier such
    as `titular_has_error` is never wrapped in its middle (the fields table gives the column
    the longest line's width)."""
    marks: dict[str, list[Text]] = {}
    for rejection in detail.rejections:
        if rejection.field_name:
            marks.setdefault(rejection.field_name, []).append(Text(rejection.code, style="bold red"))
    for finding in detail.findings:
        if finding.field:
            style = "red" if finding.severity == "error" else "yellow"
            marks.setdefault(finding.field, []).append(Text(finding.rule, style=style))
    return {field: Text("\n").join(lines) for field, lines in marks.items()}


def problems_text(detail: RecordDetail, resend: ResendInfo | None = None) -> Text:
    """RPX errors first (ANS's message and field as written, the team's explanation, then our
    hint, labelled when ANS's message disagrees with it), then findings.

    A cascade's titular error (1802) gets the real cause: the titular rejected in the same file.
    """
    text = Text()
    if not detail.rejections and not detail.findings:
        return Text("Nenhum erro do RPX e nenhum achado da pré-crítica neste registro.", style="dim")
    for rejection in detail.rejections:
        if resend is not None and resend.titular is not None and rejection.code in CASCADE_CODES:
            text.append(f"RPX {rejection.rpx_name} · erro {rejection.code}\n", style="bold red")
            text.append("  ANS: ", style="bold")
            text.append(visible(free_text(rejection.ans_message or "(sem mensagem)")) + "\n")
            text.append("  Causa: ", style="bold")
            text.append(f"o titular, {linked_text(resend.titular)}, foi rejeitado neste mesmo arquivo, "
                        "então a ANS não o conhecia.\n")
            text.append("  Como corrigir: ", style="bold")
            text.append("corrija o titular; este dependente vai junto, logo depois dele, no próximo SBX.\n\n")
            continue
        text.append(f"RPX {rejection.rpx_name} · erro {rejection.code}\n", style="bold red")
        text.append("  ANS: ", style="bold")
        text.append(visible(free_text(rejection.ans_message or "(sem mensagem)")) + "\n")
        text.append("  Campo (ANS): ", style="bold")
        text.append(visible(rejection.field_description or "—"))
        field = rejection.field_name if is_masked_field(rejection.field_name) else "valorCampo"  # as the grids
        sent = field_value(field, rejection.sent_value)
        text.append(f"   valor enviado: {visible(sent or '—')}")
        append_hints(text, rejection.explanation, rejection.hint_differs, rejection.team, indent="  ")
        text.append("\n\n")
    for finding in detail.findings:
        style = "bold red" if finding.severity == "error" else "bold yellow"
        severity = {"error": "erro", "warning": "aviso"}.get(finding.severity, finding.severity)
        text.append(f"Achado {finding.rule} ({severity})", style=style)
        text.append(f" · {finding.field or 'registro'}\n")
        text.append("  " + visible(free_text(finding.message)))
        if finding.value is not None:
            text.append(f"   valor: {visible(field_value(finding.field or 'value', finding.value))}")
        text.append("\n")
    return text
