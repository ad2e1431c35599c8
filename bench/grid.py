"""The grid at 10,000,000 rows with a filter and a sort: database windows and the screen.

    python -m bench.grid --records 1000000 --copies 10

The workspace is the N-record CNX loaded once and copied under new file ids until it holds
N x copies rows. Database side: `sibtui.query.paging` (the grid's only way to read rows) —
preparing the view, the first window, page-down windows and the jump to the end, medians of
several. Screen side: the console in tmux at 80x24, the same filter and sort typed as an
analyst would, then PgDn and End timed until the screen settles.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import time
from pathlib import Path

from bench import data, screen
from bench.generate import DEFAULT_OUT
from bench.report import Figure, print_table, seconds, unavailable
from sibtui.query.spec import leading_for

CNX_RELATION = "cnx_beneficiaries_current"  # the grid the benchmark browses

PAGE = 19  # rows of the grid at 80x24
FIRST_ROW = 3  # screen line of the grid's first row (tabs, count line, header above it)
PAGE_TARGET = 0.050
END_TARGET = 0.200
SCREEN_TARGET = 0.150
FILTER = "situacao = ATIVO"
SORT_TIMEOUT = 30.0
SORT_COLUMN = "nome"


def big_workspace(out: Path, records: int, copies: int) -> Path:
    paths = data.dataset(out, records, max(1, records // 10))
    single = data.workspace(out, f"cnx-{records}", [paths.cnx_before])
    return data.replicated(out, single, copies, f"cnx-{records}x{copies}")


def database_figures(workspace_path: Path, rows: int) -> list[Figure]:
    name = f"grid at {rows:,} rows, filter `{FILTER}` + sort by {SORT_COLUMN}"
    try:
        from sibtui.query.paging import open_view
        from sibtui.query.spec import Filter, GridSpec, SortKey
    except ImportError:
        return [unavailable(name)]
    from sibtui.workspace import Workspace

    spec = GridSpec(relation="cnx_beneficiaries_current", filters=(Filter("situacao", "=", "ATIVO"),),
                    sort=(SortKey(SORT_COLUMN),))
    with Workspace(workspace_path) as workspace:  # the scratch database needs a writable instance
        cursor = workspace.cursor()
        started = time.perf_counter()
        view = open_view(cursor, spec)
        prepared = time.perf_counter() - started
        first = _timed(lambda: view.window(cursor, 0, PAGE))
        downs = [_timed(lambda k=k: view.window(cursor, k * PAGE, PAGE)) for k in range(1, 11)]
        ends = [_timed(lambda: view.window(cursor, view.total - PAGE, PAGE)) for _ in range(5)]
        middles = [_timed(lambda: view.window(cursor, view.total // 2, PAGE)) for _ in range(5)]
        total = view.total
        view.close(cursor)
        cursor.close()
    page, end, middle = statistics.median(downs), statistics.median(ends), statistics.median(middles)
    return [
        Figure(f"{name}: prepare (position table, once)", seconds(prepared), note=f"{total:,} rows kept"),
        Figure("  first window", seconds(first)),
        Figure("  page-down window (database)", seconds(page), f"<= {PAGE_TARGET * 1000:.0f} ms", page <= PAGE_TARGET),
        Figure("  jump-to-end window (database)", seconds(end), f"<= {END_TARGET * 1000:.0f} ms", end <= END_TARGET),
        Figure("  middle window (database)", seconds(middle)),
    ]


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def screen_figures(workspace_path: Path, rows: int) -> list[Figure]:
    if not screen.available():
        return [Figure("grid on screen", "tmux not available")]
    command = f"{shlex.quote(sys.executable)} -m sibtui --db {shlex.quote(str(workspace_path))}"
    with screen.Pane(command) as pane:
        pane.wait_for("1 Registros")
        pane.send("1")
        pane.wait_for(" de ", timeout=120)
        if "SBX movimentos" in pane.text():
            pane.send("t")
            pane.wait_for("CNX benef", timeout=120)
        unsorted_down = statistics.median(pane.key_latency("PageDown") for _ in range(5))
        pane.send("f")
        time.sleep(0.3)
        pane.send("-l", FILTER)
        filtered = pane.key_latency("Enter", until="(filtrado)", settle=0.5, timeout=120)
        time.sleep(0.5)
        sorted_in = _sort_by(pane, SORT_COLUMN)
        downs = [pane.key_latency("PageDown") for _ in range(7)]
        end = pane.key_latency("End")
        pane.send("q")
    down = statistics.median(downs)
    return [
        Figure(f"on screen, {rows:,} rows: PgDn unfiltered", seconds(unsorted_down), f"<= {SCREEN_TARGET * 1000:.0f} ms",
               unsorted_down <= SCREEN_TARGET),
        Figure("  apply the filter (Enter in the filter bar)", seconds(filtered)),
        Figure(f"  sort by {SORT_COLUMN} (s)", seconds(sorted_in)),
        Figure("  PgDn, filtered and sorted", seconds(down), f"<= {SCREEN_TARGET * 1000:.0f} ms", down <= SCREEN_TARGET),
        Figure("  End, filtered and sorted", seconds(end), f"<= {SCREEN_TARGET * 1000:.0f} ms", end <= SCREEN_TARGET),
    ]


def _sort_by(pane: screen.Pane, column: str) -> float:
    """Move the cursor to `column` and sort (s); seconds until the rows are re-ordered on screen.

    The header shows labels ("Cód. benef.", "Nome"), several words each, so the column's place
    comes from the grid's own order (`leading_for` of the conference relation), not from
    counting words; the header only confirms which column got the arrow.
    """
    target = leading_for(CNX_RELATION).index(column)
    for _ in range(target):
        pane.send("Right")
        time.sleep(0.15)
    elapsed = pane.key_latency("s", until="▲", changed_line=FIRST_ROW, settle=0.5, timeout=SORT_TIMEOUT)
    tokens = pane.text().splitlines()[FIRST_ROW - 1].split()
    sorted_label = tokens[tokens.index("▲") + 1] if "▲" in tokens else ""
    if sorted_label.lower() != column.lower():
        raise RuntimeError(f"sorted by {sorted_label or 'nothing'}, not {column}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.grid", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=data.RECORDS)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    options = parser.parse_args(argv)
    workspace = big_workspace(options.out, options.records, options.copies)
    rows = options.records * options.copies
    print_table(database_figures(workspace, rows) + screen_figures(workspace, rows), f"Grid, {rows:,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
