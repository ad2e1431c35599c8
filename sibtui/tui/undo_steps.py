"""`u` / `U` from anywhere: read what the undo or redo would change, ask (`UndoConfirmScreen`),
and only on Enter do it, checking first that it is still the action shown (another process
may have edited meanwhile). Thread workers read and write; the UI thread asks and tells."""

from __future__ import annotations

from functools import partial

from sibtui.db.cursors import closing
from sibtui.errors import SibError


def ask(app, which: str) -> None:
    """Start: read the preview of `which` ("undo" / "redo") in a worker, then ask."""
    app.run_worker(partial(_preview, app, which), thread=True, exclusive=True, group="undo")


def _preview(app, which: str) -> None:
    from sibtui.query.undo_preview import preview_step

    with closing(app.new_cursor()) as cursor:
        preview = preview_step(cursor, which)
    if preview is None:
        app.call_from_thread(app.notify, "nada a desfazer" if which == "undo" else "nada a refazer", timeout=3)
        return
    app.call_from_thread(_confirm, app, preview)


def _confirm(app, preview) -> None:
    from sibtui.tui.screens.undo_confirm import UndoConfirmScreen

    if not isinstance(app.screen, UndoConfirmScreen):
        app.push_screen(UndoConfirmScreen(preview), partial(_answered, app, preview))


def _answered(app, preview, confirmed: bool | None) -> None:
    if confirmed:
        app.run_worker(partial(_step, app, preview.which, preview.action_id), thread=True, group="undo")
    else:
        app.notify("nada foi desfeito" if preview.which == "undo" else "nada foi refeito", timeout=2)


def _step(app, which: str, expected: int) -> None:
    from sibtui.edit import editor
    from sibtui.query.undo_preview import next_target

    with closing(app.new_cursor()) as cursor:
        try:
            if next_target(cursor, which) != expected:  # another process edited meanwhile
                app.call_from_thread(app.notify, "o diário mudou enquanto a pergunta estava aberta: "
                                     "pressione a tecla de novo para ver o que seria feito", severity="warning")
                return
            result = getattr(editor, which)(cursor)
        except SibError as error:
            app.call_from_thread(app.notify, str(error), severity="error", markup=False)
            return
    if result is None:
        return
    fields = len(result.changes)
    verb = "desfeita" if which == "undo" else "refeita"
    app.call_from_thread(app.notify, f"ação {expected} {verb}: {fields} campo{'s' if fields != 1 else ''}"
                         f" ({'U refaz' if which == 'undo' else 'u desfaz'})", timeout=4)
    app.call_from_thread(app.edits_changed)
