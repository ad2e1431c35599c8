"""The command line's grammar: every command, its one-line help and its arguments.

Declared once here (the work of each command is `sibtui.commands.<module>.run`, imported
only when that command runs), so `sibtui --help`, shell completion and the console's start
build the parser without loading what the commands do. This module must import light
(`ARCHITECTURE.md`, start-up rule): argparse and the catalogue's names only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sibtui import __version__
from sibtui.commands.examples import examples_for

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


DB_HELP = "workspace file (DuckDB); default: $SIBTUI_DB or the XDG data dir"


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", type=Path, help=DB_HELP)


def _kept_db(parser: argparse.ArgumentParser) -> None:
    """`--db` of a command with actions: given before or after the action, the value is kept
    (SUPPRESS: a sub-parser's default would erase the one given before)."""
    parser.add_argument("--db", metavar="PATH", type=Path, default=argparse.SUPPRESS, help=DB_HELP)


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
    module: str  # this module has `run(options: argparse.Namespace) -> int`
    interrupt_queries: bool = True


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
    """The `fix` actions."""
    _kept_db(parser)
    actions = parser.add_subparsers(dest="fix_action", metavar="ACTION", required=True)
    _set_arguments(actions.add_parser("set", help="set fields of records (one action, undoable)"))
    fill = actions.add_parser("fill-cns", help="copy the newest CNX's CNS into records that lack it or differ")
    _selection(fill)
    _bulk_flags(fill)
    _clean_arguments(actions.add_parser("clean", help="trim, upper-case or remove accents from names"))
    for name, help_text in (("hold", "não reenviar: keep rejected movements out of the regenerated files"),
                            ("resend", "reenviar como está: send rejected movements again without a correction"),
                            ("undecide", "clear the resend decision: the movements are pendente again")):
        _decision_arguments(actions.add_parser(name, help=help_text), name != "undecide")
    confirm = actions.add_parser("confirm", help="portfolio transfer: confirm received vínculos (nothing to send)")
    _kept_db(confirm)
    confirm.add_argument("--record", action="append", default=[], metavar="FILE_ID:RECORD_NO",
                         help="vínculos of an acquirer's transfer (repeatable)")
    confirm.add_argument("--transfer", type=int, metavar="FILE_ID", help="every pending vínculo of this transfer")
    confirm.add_argument("--clear", action="store_true", help="take the confirmation back (pendente again)")
    confirm.add_argument("--note", metavar="TEXT", help="free note kept in the journal")
    confirm.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    _kept_db(actions.add_parser("undo", help="undo the last action"))
    _kept_db(actions.add_parser("redo", help="redo the last undone action"))
    listing = actions.add_parser("list", help="the journal of edits (or, with --pending, what is still to send)")
    _kept_db(listing)
    add_format_option(listing)
    shown = listing.add_mutually_exclusive_group()
    shown.add_argument("--pending", action="store_true", help="old -> new per record, net of undos")
    shown.add_argument("--decisions", action="store_true",
                       help="every rejected movement with its resend decision (what regenerate will send)")
    diff = actions.add_parser("diff", help="original vs corrected, per record and field, of a regenerated file")
    _kept_db(diff)
    add_format_option(diff)
    diff.add_argument("--regeneration", type=int, metavar="ID", help="regeneration id (default: the newest)")


def _selection(parser: argparse.ArgumentParser) -> None:
    _kept_db(parser)
    parser.add_argument("--record", action="append", default=[], metavar="FILE_ID:RECORD_NO",
                        help="records to change: FILE_ID:RECORD_NO (repeatable)")
    parser.add_argument("--error", metavar="CODE", help="every SBX movement an RPX rejected with this codigoErro")
    parser.add_argument("--rule", metavar="RULE", help="every record the pre-critique flagged with this rule")


def _bulk_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", metavar="CODE", help="RPX error code or finding this answers (default: looked up)")
    parser.add_argument("--note", metavar="TEXT", help="free note kept in the journal")
    parser.add_argument("--force", action="store_true", help="save values the field rules reject")
    parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")


def _set_arguments(parser: argparse.ArgumentParser) -> None:
    _selection(parser)
    _bulk_flags(parser)
    parser.add_argument("--csv", type=Path, metavar="FILE",
                        help="corrections from a spreadsheet: first column cco, then field names (; or ,, "
                             "UTF-8 or Latin-1); each row edits that CCO in the newest conference holding it "
                             "(CNX or transfer), all as one action, or nothing when any row is wrong")
    parser.add_argument("assignments", nargs="*", metavar="FIELD=VALUE", help="FIELD= (empty) removes the element")


def _decision_arguments(parser: argparse.ArgumentParser, needs_reason: bool) -> None:
    _selection(parser)
    parser.add_argument("--reason", metavar="TEXT", required=needs_reason,
                        help="why (kept in the journal, shown wherever the decision is)")
    parser.add_argument("--note", metavar="TEXT", help="free note kept in the journal")
    parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")


def _clean_arguments(parser: argparse.ArgumentParser) -> None:
    _selection(parser)
    _bulk_flags(parser)
    parser.add_argument("--trim", action="store_true", help="remove blanks around the value")
    parser.add_argument("--upper", action="store_true", help="upper-case")
    parser.add_argument("--remove-accents", action="store_true", help="JOÃO -> JOAO")
    parser.add_argument("--field", action="append", metavar="FIELD", help="fields to clean (default: nome, nomeMae)")


def _regenerate_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the new SBX files")
    parser.add_argument("--sbx", action="append", type=int, metavar="FILE_ID",
                        help="the SBX to correct (repeatable; default: every SBX with rejections, and CNX edits)")
    parser.add_argument("--all", action="store_true",
                        help="resend every movement but those ANS accepted, not only the rejected ones")
    parser.add_argument("--include-pending", action="store_true",
                        help="also send rejected movements without a correction or a decision, as they are")
    cnx = parser.add_mutually_exclusive_group()
    cnx.add_argument("--cnx-edits", dest="cnx_edits", action="store_true", default=None,
                     help="also write retificações from CNX edits (default when no --sbx is given)")
    cnx.add_argument("--no-cnx-edits", dest="cnx_edits", action="store_false", help="leave CNX edits out")
    parser.add_argument("--xsd", type=Path, metavar="PATH", help="also validate against this sib.xsd")
    parser.add_argument("--report", type=Path, metavar="CSV",
                        help="also write one line per movement written: file, position, source, why, codes, edits")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-movement", metavar="AAAA-MM",
                        help="instead: write the file declaring this competência without movement "
                             "(naoEnvioBeneficiarios), with --reason 61 or 62")
    parser.add_argument("--reason", metavar="CODE", choices=("61", "62"),
                        help="with --no-movement: 61 no beneficiaries, 62 no change of registration data")
    parser.add_argument("--registro-ans", metavar="NNNNNN",
                        help="with --no-movement: the operator (default: the only one the workspace knows)")


def _explain_arguments(parser: argparse.ArgumentParser) -> None:
    _kept_db(parser)
    actions = parser.add_subparsers(dest="explain_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every code: ANS's message, our catalogue's hint, the team's text")
    _kept_db(listing)
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    listing.add_argument("codes", nargs="*", metavar="CODE", help="only these codes")
    writing = actions.add_parser("set", help="write the team's explanation of a code")
    _kept_db(writing)
    writing.add_argument("code", metavar="CODE", help="the RPX codigoErro (4 digits)")
    writing.add_argument("--cause", metavar="TEXT", help="what the code means (default with --source ans: ANS's "
                                                          "message; with --source catalog: our catalogue's)")
    writing.add_argument("--fix", metavar="TEXT", help="how to correct the record")
    writing.add_argument("--source", choices=("analyst", "ans", "catalog"), default="analyst",
                         help="where the text comes from (default: analyst)")
    writing.add_argument("--author", metavar="NAME", help="who wrote it (default: the OS user)")
    removing = actions.add_parser("remove", help="forget the team's explanation of a code")
    _kept_db(removing)
    removing.add_argument("code", metavar="CODE")
    exporting = actions.add_parser("export", help="write the team's explanations to one JSON file")
    _kept_db(exporting)
    exporting.add_argument("file", type=Path, metavar="FILE")
    importing = actions.add_parser("import", help="merge a file of explanations (the newer entry of a code wins)")
    _kept_db(importing)
    importing.add_argument("file", type=Path, metavar="FILE")


def _original_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--file-id", required=True, type=int, metavar="N", help="the file (files.file_id)")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="where to write it (owner-only; never over an existing file)")


def _open_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--read-only", action="store_true",
                        help="browse and query only: no load, edit, check or regeneration from this console")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")


def _completion_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=("bash", "zsh"), help="the shell to complete in")


COMMANDS: tuple[Command, ...] = (
    Command("load", "load SBX/RPX/CNX (and portfolio transfer) files into a workspace", _load_arguments,
            "sibtui.commands.load",
            interrupt_queries=False),
    Command("query", "run SQL over the workspace", _query_arguments, "sibtui.commands.query"),
    Command("hash", "compare a file's declared epilogue hash with the computed one", _hash_arguments,
            "sibtui.commands.hash"),
    Command("diff", "compare two CNX conferences: what ANS changed", _diff_arguments, "sibtui.commands.diff"),
    Command("status", "the monthly cycle: each SBX, its RPX, what is still to fix and the deadline",
            _status_arguments, "sibtui.commands.status"),
    Command("check", "pre-critique: find every record ANS would reject, before sending; exit 1 on errors",
            _check_arguments, "sibtui.commands.check"),
    Command("fix", "correct records: set, fill-cns, clean, undo, redo, list, diff", _fix_arguments,
            "sibtui.commands.fix"),
    Command("explain", "RPX error codes: ANS's message, our hint, the team's own explanation (list, set, remove, "
            "export, import)", _explain_arguments, "sibtui.commands.explain"),
    Command("regenerate", "write corrected SBX files (the rejected movements, or --all)", _regenerate_arguments,
            "sibtui.commands.regenerate"),
    Command("original", "write a loaded file back byte for byte from the copy the workspace keeps",
            _original_arguments, "sibtui.commands.original"),
    Command("open", "open the console (the default command)", _open_arguments, "sibtui.console",
            interrupt_queries=False),
    Command("completion", "print a shell completion script: eval \"$(sibtui completion bash)\"",
            _completion_arguments, "sibtui.commands.completion"),
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
OPTIONS_WITH_VALUE = frozenset({"--db", "--format"})  # the options that may come before the command
