"""sibtui's command line: headless commands for scripts and cron, and the console launcher.

The CLI only parses arguments, calls the core and prints; it never parses XML or builds SQL
of its own. Errors become one line on stderr (`sibtui: error: FILE:LINE: <element> reason`)
and an exit code: 0 success, 1 something to look at (a bad file, a hash mismatch), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sibtui import __version__
from sibtui.errors import SibError

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EXAMPLES = """\
examples:
  sibtui                                  open the console on sample_files/ (or the last workspace)
  sibtui arquivos/*.SBX arquivos/*.RPX    open the console on these files
  sibtui load --db sib.duckdb 99999720250203101500.SBX ArqConf9999970220250210.CNX
  sibtui query --db sib.duckdb "select count(*) from cnx_beneficiaries"
  sibtui query --db sib.duckdb --format csv "select * from rpx_rejections" > rejeicoes.csv
  sibtui hash 99999720250203101500.SBX

The workspace defaults to $SIBTUI_DB, else ~/.local/share/sibtui/workspace.duckdb.
"""


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", type=Path, help="workspace file (DuckDB); default: $SIBTUI_DB or the XDG data dir")


def _add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sibtui",
        description="Review console and tools for SIB/ANS files (SBX, RPX, CNX).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sibtui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    load = commands.add_parser("load", help="load SBX/RPX/CNX files into a workspace", epilog=EXAMPLES,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_db_option(load)
    load.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files, or folders holding them")
    load.add_argument("--quiet", action="store_true", help="no progress bar")

    query = commands.add_parser("query", help="run SQL over the workspace", epilog=EXAMPLES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_db_option(query)
    _add_format_option(query)
    query.add_argument("sql", metavar="SQL", help="the query; '-' reads it from standard input")

    hash_command = commands.add_parser("hash", help="compare a file's declared epilogue hash with the computed one")
    hash_command.add_argument("files", nargs="+", type=Path, metavar="FILE")

    opener = commands.add_parser("open", help="open the console (the default command)")
    _add_db_option(opener)
    opener.add_argument("files", nargs="*", type=Path, metavar="FILE")
    return parser


COMMANDS = ("load", "query", "hash", "open")
_OPTIONS_WITH_VALUE = {"--db", "--format"}
_TOP_LEVEL_FLAGS = {"-h", "--help", "--version"}


def _normalise(argv: list[str]) -> list[str]:
    """Accept options before the command (`sibtui --db X load F`) and default to `open`."""
    leading: list[str] = []
    rest = list(argv)
    while rest and rest[0].startswith("-") and rest[0] not in _TOP_LEVEL_FLAGS:
        option = rest.pop(0)
        leading.append(option)
        if option in _OPTIONS_WITH_VALUE and rest:
            leading.append(rest.pop(0))
    if rest and rest[0] in _TOP_LEVEL_FLAGS:
        return argv
    if rest and rest[0] in COMMANDS:
        return [rest[0], *leading, *rest[1:]]
    return ["open", *leading, *rest]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    options = parser.parse_args(_normalise(arguments))
    handler: Callable[[argparse.Namespace], int] = _HANDLERS[options.command]
    try:
        return handler(options)
    except SibError as error:
        _error(str(error))
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        _error("interrupted; nothing of the file being loaded was kept")
        return EXIT_INTERRUPTED


def _error(message: str) -> None:
    print(f"sibtui: error: {message}", file=sys.stderr)


def _run_load(options: argparse.Namespace) -> int:
    from sibtui.commands.load import run_load

    return run_load(options.db, options.files, quiet=options.quiet)


def _run_query(options: argparse.Namespace) -> int:
    from sibtui.commands.query import run_query_command

    sql = sys.stdin.read() if options.sql == "-" else options.sql
    return run_query_command(options.db, sql, options.format)


def _run_hash(options: argparse.Namespace) -> int:
    from sibtui.commands.hash import run_hash

    return run_hash(options.files)


def _run_open(options: argparse.Namespace) -> int:
    from sibtui.commands.open import run_open

    return run_open(options.db, options.files)


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "load": _run_load,
    "query": _run_query,
    "hash": _run_hash,
    "open": _run_open,
}
