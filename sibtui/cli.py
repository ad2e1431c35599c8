"""sibtui's command line: headless commands for scripts and cron, and the console launcher.

The CLI only parses arguments, calls the core and prints; it never parses XML or builds SQL
of its own. Each command is declared once in `COMMANDS` (its arguments here, its work in
`sibtui.commands.<module>.run`, imported only when that command runs, so `sibtui --help` and
the console start without loading what they do not use). Errors become one line on stderr
(`sibtui: error: FILE:LINE: <element> reason`) and an exit code: 0 success, 1 something to
look at (a bad file, a hash mismatch, an error-severity finding), 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sibtui import __version__
from sibtui.commands import EXIT_INTERRUPTED, EXIT_PROBLEM, EXIT_USAGE
from sibtui.commands.examples import examples_for
from sibtui.db.failures import explain as explain_failure
from sibtui.errors import SibError, WorkspaceMissing

EXAMPLES = """\
examples:
  sibtui                                  open the console on the last workspace (the samples, first time)
  sibtui arquivos/*.SBX arquivos/*.RPX    open the console on these files
  sibtui load --db sib.duckdb 99999720250203101500.SBX ArqConf9999970220250210.CNX
  sibtui query --db sib.duckdb "select count(*) from cnx_beneficiaries"
  sibtui query --db sib.duckdb --format csv "select * from rpx_rejections" > rejeicoes.csv
  sibtui hash 99999720250203101500.SBX

The workspace defaults to $SIBTUI_DB, else ~/.local/share/sibtui/workspace.duckdb.
"""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", type=Path, help="workspace file (DuckDB); default: $SIBTUI_DB or the XDG data dir")


def add_format_option(parser: argparse.ArgumentParser, extra: tuple[str, ...] = ()) -> None:
    parser.add_argument("--format", choices=("table", "tsv", "csv", "json", *extra), default=None,
                        help="output format (default: table on a terminal, tsv when piped)")


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, its arguments, and the module that runs it.

    `interrupt_queries`: Ctrl+C interrupts the DuckDB queries it runs (its transactions
    roll back). The load stops through its own cancel flag instead, between batches, so
    a commit is never cut; the console handles its keys itself."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    module: str  # sibtui.commands.<module> has `run(options: argparse.Namespace) -> int`
    interrupt_queries: bool = True

    def run(self, options: argparse.Namespace) -> int:
        from sibtui import interrupts
        from sibtui.db.registry import interrupt_open_cursors

        command = importlib.import_module(f"sibtui.commands.{self.module}")
        if not self.interrupt_queries:
            return command.run(options)
        with interrupts.stopping(interrupt_open_cursors):
            return command.run(options)


def _load_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files, or folders holding them")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _query_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_format_option(parser, extra=("xlsx",))
    parser.add_argument("--output", "-o", metavar="FILE", type=Path,
                        help="write to FILE (owner-only, complete or not at all) instead of the screen; "
                             "the format follows its extension (.xlsx, .csv, .json, .tsv) unless --format says")
    parser.add_argument("sql", metavar="SQL", help="the query; '-' reads it from standard input")
    parser.add_argument("--write", action="store_true",
                        help="write mode: allow statements that change the workspace (scratch tables); "
                             "loaded files and the edit journal are evidence, change them with `sibtui fix`")


def _hash_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    from sibtui.compare.changes import CHANGE_KINDS  # catalogue-only import, no database

    add_db_option(parser)
    add_format_option(parser, extra=("xlsx",))
    parser.add_argument("--from", dest="from_file", type=int, metavar="FILE_ID", help="older CNX (default: the one before the newest)")
    parser.add_argument("--to", dest="to_file", type=int, metavar="FILE_ID", help="newer CNX (default: the newest)")
    missing = ("cns_missing_qualifying", "cns_missing_not_qualifying", "divergencia_receita")
    parser.add_argument("--list", choices=(*CHANGE_KINDS, "all", *missing), metavar="KIND",
                        help=f"print the rows of one kind of change ({', '.join(CHANGE_KINDS)}, or all), "
                             f"or the active vínculos still without CNS ({', '.join(missing)})")
    parser.add_argument("--cns-after", type=int, metavar="N",
                        help="divergencia_receita: qualified vínculos still without CNS after N conferences "
                             "(default $SIBTUI_CNS_AFTER, else 2)")
    parser.add_argument("--cns-assigned", action="store_true",
                        help="every CNS ANS assigned, over all conferences (codigoBeneficiario, cco, cns, data), "
                             "for the operator's own base")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="with --cns-assigned: write the list to FILE (.xlsx keeps identifiers as text, or .csv)")


def _status_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_format_option(parser)
    parser.add_argument("--today", type=_iso_date, metavar="AAAA-MM-DD", help="count deadlines from this day (default: today)")
    parser.add_argument("--months", action="store_true",
                        help="one row per competência since the first file loaded: sent, accepted, rejected, "
                             "without answer, without movement or missing, with both deadlines")


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (AAAA-MM-DD): {text!r}") from None


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_format_option(parser)
    parser.add_argument("--today", type=_iso_date, metavar="AAAA-MM-DD", help="what counts as a future date (default: today)")
    parser.add_argument("--against-rpx", type=int, metavar="FILE_ID",
                        help="after checking, score the findings on the SBX this loaded RPX answers against what ANS "
                             "rejected: recall and precision per ANS code, instead of the findings")


def _fix_arguments(parser: argparse.ArgumentParser) -> None:
    from sibtui.commands.fix import add_arguments  # argparse only; the core loads when it runs

    add_arguments(parser)


def _regenerate_arguments(parser: argparse.ArgumentParser) -> None:
    from sibtui.commands.regenerate import add_arguments  # argparse only

    add_arguments(parser)


def _explain_arguments(parser: argparse.ArgumentParser) -> None:
    from sibtui.commands.explain import add_arguments  # argparse only

    add_arguments(parser)


def _original_arguments(parser: argparse.ArgumentParser) -> None:
    from sibtui.commands.original import add_arguments  # argparse only

    add_arguments(parser)


def _open_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")


def _completion_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=("bash", "zsh"), help="the shell to complete in")


COMMANDS: tuple[Command, ...] = (
    Command("load", "load SBX/RPX/CNX (and portfolio transfer) files into a workspace", _load_arguments, "load", interrupt_queries=False),
    Command("query", "run SQL over the workspace", _query_arguments, "query"),
    Command("hash", "compare a file's declared epilogue hash with the computed one", _hash_arguments, "hash"),
    Command("diff", "compare two CNX conferences: what ANS changed", _diff_arguments, "diff"),
    Command("status", "the monthly cycle: each SBX, its RPX, what is still to fix and the deadline",
            _status_arguments, "status"),
    Command("check", "pre-critique: find every record ANS would reject, before sending; exit 1 on errors",
            _check_arguments, "check"),
    Command("fix", "correct records: set, fill-cns, clean, undo, redo, list, diff", _fix_arguments, "fix"),
    Command("explain", "RPX error codes: ANS's message, our hint, the team's own explanation (list, set, remove, "
            "export, import)", _explain_arguments, "explain"),
    Command("regenerate", "write corrected SBX files (the rejected movements, or --all)", _regenerate_arguments,
            "regenerate"),
    Command("original", "write a loaded file back byte for byte from the copy the workspace keeps",
            _original_arguments, "original"),
    Command("open", "open the console (the default command)", _open_arguments, "open", interrupt_queries=False),
    Command("completion", "print a shell completion script: eval \"$(sibtui completion bash)\"",
            _completion_arguments, "completion"),
)
COMMANDS_BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with `only`, the others are listed without their arguments
    (what those import is then never loaded: the console's first frame waits on it)."""
    parser = argparse.ArgumentParser(
        prog="sibtui",
        description="Review console and tools for SIB/ANS files (SBX, RPX, CNX).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sibtui {__version__}")
    parser.add_argument(MASK_FLAG, action="store_true",
                        help="mask mode: hide CPF, CNS, names and other personal data in every output and export "
                             "(anywhere on the line; also $SIBTUI_MASK=1)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.name, help=command.help, description=command.help, epilog=examples_for(command.name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if only is None or command.name == only:
            command.add_arguments(sub)
    return parser


MASK_FLAG = "--mask"
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
    if rest and rest[0] in COMMANDS_BY_NAME:
        return [rest[0], *leading, *rest[1:]]
    return ["open", *leading, *rest]


def _unknown_word(arguments: list[str]) -> str | None:
    """The first word of an implicit `open` that is neither a command nor an existing path.

    `sibtui frob` used to open the console on a file named frob; a mistyped command is a
    usage error (exit 2), the console opens only on files that exist."""
    if not arguments or arguments[0] != "open":
        return None
    words = [word for word in arguments[1:] if not word.startswith("-")]
    values = {arguments[index + 1] for index, word in enumerate(arguments[:-1]) if word in _OPTIONS_WITH_VALUE}
    for word in words:
        if word not in values and not Path(word).expanduser().exists():
            return word
    return None


def _take_mask_flag(arguments: list[str]) -> tuple[list[str], bool]:
    """`--mask` anywhere before `--` turns mask mode on for every command (and the console)."""
    end = arguments.index("--") if "--" in arguments else len(arguments)
    kept = [argument for argument in arguments[:end] if argument != MASK_FLAG] + arguments[end:]
    return kept, len(kept) != len(arguments)


INTERRUPTED = "interrupted; nothing half-done was kept"


def main(argv: Sequence[str] | None = None) -> int:
    from sibtui import interrupts, privacy

    arguments, masked = _take_mask_flag(list(sys.argv[1:] if argv is None else argv))
    explicit_open = bool(arguments) and arguments[0] == "open"
    arguments = _normalise(arguments)
    chosen = arguments[0] if arguments and arguments[0] in COMMANDS_BY_NAME else None
    unknown = None if explicit_open else _unknown_word(arguments)
    if unknown is not None:
        build_parser(chosen).error(f"{unknown!r} is neither a command ({', '.join(COMMANDS_BY_NAME)}) "
                                   "nor a file or folder to open")
    options = build_parser(chosen).parse_args(arguments)
    if masked:
        privacy.set_masking(True)
    previous_umask = privacy.owner_only_files()  # DuckDB's WAL and spill files, exports, SBX files
    try:
        interrupts.check()  # Ctrl+C while starting: nothing was done
        code = COMMANDS_BY_NAME[options.command].run(options)
        interrupts.check()  # what the command committed before it stopped, it has reported
        return code
    except WorkspaceMissing as error:
        print_error(str(error))
        return EXIT_USAGE
    except SibError as error:
        if interrupts.interrupted():  # the interrupt surfaced as the work's own error
            print_error(INTERRUPTED)
            return EXIT_INTERRUPTED
        print_error(str(error))
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print_error(INTERRUPTED)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()  # `sibtui query ... | head`: the reader has what it wanted
        return EXIT_BROKEN_PIPE
    except Exception as error:  # a bug: one line, never a traceback (its values could be CPFs)
        if _is_interrupt(error) or interrupts.interrupted():
            print_error(INTERRUPTED)
            return EXIT_INTERRUPTED
        explained = explain_failure(error, getattr(options, "db", None))
        if explained is not None:  # a full disk, a damaged workspace: not a bug
            print_error(explained)
            return EXIT_PROBLEM
        if os.environ.get(DEBUG_ENV):
            raise
        print_error(f"internal error ({type(error).__name__} at {_where(error)}); please report it, "
                    f"with the traceback {DEBUG_ENV}=1 shows (it may hold personal data)")
        return EXIT_PROBLEM
    finally:
        os.umask(previous_umask)
        if masked:
            privacy.set_masking(None)


DEBUG_ENV = "SIBTUI_DEBUG"
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as `yes | head` leaves it


def _is_interrupt(error: Exception) -> bool:
    """Ctrl+C reaching DuckDB on the main thread surfaces as its own error, not KeyboardInterrupt."""
    name = type(error).__name__
    return name == "InterruptException" or (name == "RuntimeError" and "interrupted" in str(error).lower())


def _where(error: BaseException) -> str:
    """The innermost frame, without the message (a message may quote a value)."""
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def print_error(message: str) -> None:
    from sibtui.terminal import printable

    print(f"sibtui: error: {printable(message)}", file=sys.stderr)
