"""`sibtui hash`: declared versus computed epilogue hash; exit 1 on any mismatch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sibtui import interrupts
from sibtui.commands import EXIT_OK, EXIT_PROBLEM
from sibtui.errors import SibError
from sibtui.ingest.hashcheck import check_hash
from sibtui.terminal import say


def run(options: argparse.Namespace) -> int:
    return run_hash(options.files)


def run_hash(files: list[Path]) -> int:
    problems = 0
    for path in files:
        interrupts.check()  # Ctrl+C: stop between files (one file's hash takes a second at most)
        try:
            check = check_hash(path)
        except SibError as error:
            say(f"sibtui: error: {error}", file=sys.stderr)
            problems += 1
            continue
        if check.ok:
            say(f"OK        {path}  {check.kind.value}  {check.declared.strip()}  ({check.matched_encoding})")
        else:
            problems += 1
            say(f"MISMATCH  {path}  {check.kind.value}")
            say(f"          declared  {check.declared or '(missing)'}")
            say(f"          computed  {check.computed_latin1}  (ISO-8859-1)")
            if check.computed_utf8 != check.computed_latin1:
                say(f"          computed  {check.computed_utf8}  (UTF-8)")
    return EXIT_PROBLEM if problems else EXIT_OK
