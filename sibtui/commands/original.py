"""`sibtui original`: write a loaded file back, byte for byte, from the copy the workspace keeps.

The copy is checked against the SHA-256 recorded when the file was loaded before it gets
its name; an existing file is never overwritten. Mask mode refuses: the original holds the
personal data mask mode exists to keep in.
"""

from __future__ import annotations

import argparse
import sys

from sibtui import privacy
from sibtui.commands import EXIT_OK
from sibtui.commands.sharing import open_for_command
from sibtui.db.paths import default_workspace_path
from sibtui.errors import SibError
from sibtui.ingest.originals import write_original
from sibtui.terminal import say


def run(options: argparse.Namespace) -> int:
    if privacy.masking_enabled():
        raise SibError("the original file holds personal data; it is not written in mask mode")
    out = options.out.expanduser()
    if not out.parent.is_dir():
        raise SibError(f"{out.parent}: folder does not exist")
    with open_for_command(options.db or default_workspace_path(), read_only=True) as workspace:
        cursor = workspace.cursor()
        try:
            name, written = write_original(cursor, options.file_id, out)
        finally:
            cursor.close()
    say(f"wrote {out}  {written} bytes  (original of {name}, file {options.file_id}; SHA-256 checked)",
        file=sys.stdout)
    return EXIT_OK
