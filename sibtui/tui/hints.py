"""What the console says under ANS's message for an error code: the team's explanation, then
our catalogue's hint, labelled when ANS's message disagrees with it (ANS's text is the authority).

Shared by the errors screen and the record view, so both say the same thing the same way.
"""

from __future__ import annotations

from rich.text import Text

from sibtui.catalog.error_codes import ErrorExplanation
from sibtui.explain.store import Explanation
from sibtui.tui.cells import visible
from sibtui.tui.masking import free_text

DIFFERS = "Dica do catálogo — a mensagem da ANS difere; pode não se aplicar"


def append_hints(text: Text, explanation: ErrorExplanation, hint_differs: str | None, team: Explanation | None,
                 indent: str = "") -> None:
    """Append the team's explanation (when written) and the catalogue's hint to `text`.

    When ANS's message disagrees with the catalogue, the hint is labelled and dimmed, and only
    its cause is shown (`error_code_catalog` keeps the message that differs); when the team has
    its own explanation too, the disagreeing hint is left out.
    """
    if team is not None:
        text.append(f"\n{indent}Explicação da equipe ", style="bold green")
        text.append(f"({visible(team.credit)}): ", style="green")
        text.append(visible(free_text(team.cause)) or "—")  # written by people: masked like any note
        if team.fix:
            text.append(f"\n{indent}Como corrigir: ", style="bold green")
            text.append(visible(free_text(team.fix)))
    if hint_differs is not None:
        if team is not None:
            return
        # The catalogue's cause only, dimmed: its fix is what misleads when ANS means something else.
        text.append(f"\n{indent}{DIFFERS}: ", style="bold yellow")
        text.append(explanation.cause, style="dim")
        return
    label = "Dica do catálogo" if team is not None else "Causa provável"
    text.append(f"\n{indent}{label}: ", style="bold")
    text.append(explanation.cause)
    text.append(f"\n{indent}Como corrigir: ", style="bold")
    text.append(explanation.fix)
