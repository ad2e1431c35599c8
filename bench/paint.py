"""Time to first paint in a real terminal (tmux, 80x24): a hello-world Textual app and sibtui.

    python -m bench.paint [--db WORKSPACE]

Both are started the same way, from the same Python, in the same run; each is timed from the
request to start it until its first screen is readable in the pane. The two alternate, five
times, and the ratio is the median of the five pairs': a machine whose load drifts during the
run weighs on both sides of each pair alike (three of one, then three of the other, did not).
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import time
from pathlib import Path

from bench import screen
from bench.hello_app import MARKER
from bench.report import Figure, print_table, seconds

RUNS = 5
CONSOLE_MARKER = "1 Registros"  # the tab bar of the console's first screen
RATIO_TARGET = 1.5


def first_paint(command: str, marker: str) -> float:
    with screen.Pane(command) as pane:
        elapsed = pane.wait_for(marker)
        pane.send("q")
        time.sleep(0.2)
    return elapsed


def paint_figures(workspace: Path) -> list[Figure]:
    if not screen.available():
        return [Figure("first paint", "tmux not available")]
    python = shlex.quote(sys.executable)
    console_command = f"{python} -m sibtui --db {shlex.quote(str(workspace))}"
    with screen.server():
        pairs = [(first_paint(f"{python} -m bench.hello_app", MARKER), first_paint(console_command, CONSOLE_MARKER))
                 for _ in range(RUNS)]
    hello = statistics.median(pair[0] for pair in pairs)
    console = statistics.median(pair[1] for pair in pairs)
    ratio = statistics.median(pair[1] / pair[0] for pair in pairs)
    return [
        Figure("first paint, hello-world Textual app (tmux 80x24)", seconds(hello)),
        Figure("first paint, `sibtui --db WORKSPACE` (tmux 80x24)", seconds(console),
               f"<= {RATIO_TARGET}x hello world", ratio <= RATIO_TARGET, f"{ratio:.2f}x hello world"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paint", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="workspace to open")
    options = parser.parse_args(argv)
    print_table(paint_figures(options.db), "First paint")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
