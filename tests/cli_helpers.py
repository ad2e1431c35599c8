"""Running the command line in-process, the way the CLI tests read it."""

from __future__ import annotations

from sibtui.cli import main


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `sibtui ARGV`; what was printed before is dropped."""
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
