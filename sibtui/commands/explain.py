"""`sibtui explain`: what each RPX error code means, and the team's own explanation of it.

    sibtui explain list [CODE...]                       ANS's message, our hint, the team's text
    sibtui explain set CODE --cause TEXT --fix TEXT     write the team's explanation
    sibtui explain set CODE --source ans                take ANS's own message as the cause
    sibtui explain remove CODE
    sibtui explain export FILE / import FILE            share the team's explanations as one file

The core is `sibtui.explain`; this module parses and prints (imported cheaply for --help).
"""

from __future__ import annotations

import argparse
import sys

from sibtui.commands import EXIT_OK, EXIT_PROBLEM
from sibtui.commands.sharing import job_turn, open_for_command
from sibtui.db.cursors import closing
from sibtui.db.paths import default_workspace_path
from sibtui.explain.store import remove, write
from sibtui.explain.transfer import export, import_file
from sibtui.output import write_rows

LIST_COLUMNS = ("codigoErro", "field_id", "ans_message", "ans_message_differs", "differing_message", "cause", "fix",
                "confidence", "team_cause", "team_fix", "team_source", "team_author", "team_written_at", "rpx_files")


def run(options: argparse.Namespace) -> int:
    with open_for_command(getattr(options, "db", None) or default_workspace_path(), must_exist=True) as workspace, \
            job_turn(workspace, "sibtui explain"):
        with closing(workspace.cursor()) as cursor:
            return ACTIONS[options.explain_action](cursor, options)


def _list(cursor, options: argparse.Namespace) -> int:
    where, parameters = "", []
    if options.codes:
        where = f"WHERE codigoErro IN ({', '.join('?' for _ in options.codes)})"
        parameters = [code.strip() for code in options.codes]
    rows = cursor.execute(f"SELECT {', '.join(LIST_COLUMNS)} FROM error_code_catalog {where} ORDER BY codigoErro",
                          parameters).fetchall()
    write_rows(LIST_COLUMNS, rows, options.format, sys.stdout)
    return EXIT_OK


def _set(cursor, options: argparse.Namespace) -> int:
    cause, fix = options.cause, options.fix
    if cause is None and options.source in ("ans", "catalog"):
        cause, catalogue_fix = _borrowed(cursor, options.code.strip(), options.source)
        fix = fix if fix is not None else catalogue_fix
    entry = write(cursor, options.code, cause or "", fix or "", source=options.source, author=options.author)
    print(f"{entry.code}: team explanation saved ({entry.credit})", file=sys.stderr)
    return EXIT_OK


def _borrowed(cursor, code: str, source: str) -> tuple[str, str]:
    """The cause (and, from the catalogue, the fix) taken from ANS's message or our catalogue."""
    row = cursor.execute("SELECT ans_message, cause, fix FROM error_code_catalog WHERE codigoErro = ?", [code]).fetchone()
    ans_message, cause, fix = row or (None, None, None)
    if source == "ans":
        return ans_message or "", ""
    return cause or "", fix or ""


def _remove(cursor, options: argparse.Namespace) -> int:
    if remove(cursor, options.code):
        print(f"{options.code.strip()}: team explanation removed", file=sys.stderr)
        return EXIT_OK
    print(f"sibtui: error: {options.code.strip()}: the team has no explanation of this code", file=sys.stderr)
    return EXIT_PROBLEM


def _export(cursor, options: argparse.Namespace) -> int:
    count = export(cursor, options.file)
    print(f"{count} explanation(s) written to {options.file}", file=sys.stderr)
    return EXIT_OK


def _import(cursor, options: argparse.Namespace) -> int:
    report = import_file(cursor, options.file)
    print(f"{options.file}: {report.added} added, {report.updated} updated, {report.kept} kept (as new or newer here)",
          file=sys.stderr)
    return EXIT_OK


ACTIONS = {"list": _list, "set": _set, "remove": _remove, "export": _export, "import": _import}
