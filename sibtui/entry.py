"""The `sibtui` command's entry point: Ctrl+C is taken over before anything slow loads.

A console-script wrapper imports its target module first; the command line's own imports
(argparse, the commands) take tens of milliseconds, and a Ctrl+C then printed a Python
traceback. This module imports nothing but `sibtui.interrupts` before installing it.
"""

from __future__ import annotations


def main() -> int:
    import signal

    from sibtui import interrupts

    interrupts.install()
    from sibtui.cli import main as run

    code = run()
    # The command finished and said so: a Ctrl+C now has nothing left to stop. Ignored, it
    # stays ignored while the interpreter shuts down (which otherwise puts the default
    # back, and the process would die of the signal after reporting success).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code
