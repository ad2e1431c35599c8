"""Read-only console: what may not run when the analyst asked for it or the file forbids it.

The console opens read-only only with `--read-only` or when the workspace file's
permissions do not let this user write it (`sibtui.tui.sharing.open_for_console`); other
sibtuis on the same workspace never make it read-only. Browsing, SQL and exports work, and
the actions below would fail at DuckDB's first write. Each `check_action` returns None for them (the
footer shows them disabled) and the app's `run_action` answers a press with why.
"""

from __future__ import annotations

from textual.actions import ActionError, parse
from textual.app import App

# Actions that write the workspace, by name wherever they are bound (edits, undo/redo, the
# pre-critique, regeneration). Loading is refused where it starts, in the app.
WRITING_ACTIONS = frozenset({"undo", "redo", "edit", "bulk", "run_checks", "regenerate", "open_file", "decide",
                             "decide_all", "explain_code", "confirm_link", "confirm_listed", "recode", "cancel_link",
                             "no_movement"})
READ_ONLY_REFUSAL = "somente leitura (--read-only, ou sem permissão de escrita no workspace)"


def writes(action: str) -> bool:
    """Whether the action string (`edit`, `app.undo`, `switch_mode('x')`...) is one that writes."""
    try:
        name = parse(action)[1]
    except ActionError:
        return False
    return name in WRITING_ACTIONS


def writes_allowed(app: App, action: str) -> bool | None:
    """For a `check_action`: None (shown, disabled) when `action` writes and the app is read-only."""
    if getattr(app, "read_only", False) and action in WRITING_ACTIONS:
        return None
    return True
