"""sibtui's command line: headless commands for scripts and cron, and the console launcher.

The CLI only parses arguments, calls the core and prints; it never parses XML or builds SQL
of its own. Each command is declared once in `sibtui.commands.arguments` (its arguments),
its work is `sibtui.commands.<module>.run` (the console's `sibtui.console.run`), imported
only when that command runs, so
`sibtui --help` and the console start without loading what they do not use. Errors become one line on stderr
(`sibtui: error: FILE:LINE: <element> reason`) and an exit code: 0 success, 1 something to
look at (a bad file, a hash mismatch, an error-severity finding), 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from sibtui import interrupts, privacy
from sibtui.commands import EXIT_INTERRUPTED, EXIT_PROBLEM, EXIT_USAGE
from sibtui.commands.arguments import COMMANDS, COMMANDS_BY_NAME, MASK_FLAG, OPTIONS_WITH_VALUE, Command, build_parser
from sibtui.db.failures import explain as explain_failure
from sibtui.db.registry import interrupt_open_cursors
from sibtui.errors import SibError, WorkspaceMissing
from sibtui.terminal import printable

__all__ = ["COMMANDS", "COMMANDS_BY_NAME", "build_parser", "main"]
_TOP_LEVEL_FLAGS = {"-h", "--help", "--version"}


def run_command(command: Command, options: argparse.Namespace) -> int:
    """Import the command's module and run it; Ctrl+C interrupts its queries when it says so."""
    module = importlib.import_module(command.module)
    if not command.interrupt_queries:
        return module.run(options)
    with interrupts.stopping(interrupt_open_cursors):
        return module.run(options)


def _normalise(argv: list[str]) -> list[str]:
    """Accept options before the command (`sibtui --db X load F`) and default to `open`."""
    leading: list[str] = []
    rest = list(argv)
    while rest and rest[0].startswith("-") and rest[0] not in _TOP_LEVEL_FLAGS:
        option = rest.pop(0)
        leading.append(option)
        if option in OPTIONS_WITH_VALUE and rest:
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
    values = {arguments[index + 1] for index, word in enumerate(arguments[:-1]) if word in OPTIONS_WITH_VALUE}
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
        code = run_command(COMMANDS_BY_NAME[options.command], options)
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
    print(f"sibtui: error: {printable(message)}", file=sys.stderr)
