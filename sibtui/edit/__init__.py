"""Corrections and regenerated SBX files: the edit journal, the current views, undo/redo,
bulk clean-ups, regeneration and the diff of what was sent.

The console and the `sibtui fix` / `sibtui regenerate` commands call the same functions:
`sibtui.edit.editor` (single and bulk edits, undo, redo, history), `sibtui.edit.pending`
(old -> new per record), `sibtui.edit.regen.run` (`regenerate`) and `sibtui.edit.diff`.
This package imports nothing at import time so `sibtui.db.schema` can use its DDL.
"""
