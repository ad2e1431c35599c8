"""Every benchmark, one table: `python -m bench` (or `make bench`).

    python -m bench                      # 1,000,000 records, the 10,000,000-row grid
    python -m bench --records 100000 --copies 3   # a quicker pass
    python -m bench --only load,paint    # some sections
    python -m bench --only check --records 300000   # issue 20: `sibtui check` end to end

Data and workspaces are generated once under `bench/out/` (git-ignored; `--out` moves them)
and reused by later runs. The machine is described at the top, with its load average before
and after: on a shared machine, read ratios measured in the same run rather than seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

from bench import check_speed, data, grid, load, paint, queries
from bench.generate import DEFAULT_OUT, generate
from bench.report import Figure, seconds, table

SECTIONS = ("load", "bar", "review", "grid", "paint", "check")
BAR_RECORDS = 300_000


def machine() -> str:
    versions = []
    for package in ("lxml", "duckdb", "pyarrow", "xml2arrow", "textual"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    load_average = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, {', '.join(versions)}; "
            f"load average {load_average}")


def run(options: argparse.Namespace) -> list[Figure]:
    out, records = options.out, options.records
    wanted = set(options.only.split(",")) if options.only else set(SECTIONS)
    figures: list[Figure] = []
    paths = data.dataset(out, records, max(1, records // 10))
    sections = {
        "load": lambda: load.load_figures(out, paths.cnx_before, records, with_reference=not options.no_reference),
        "bar": lambda: _bar(out, generate(out / "data", BAR_RECORDS, BAR_RECORDS // 10, 1, {"cnx"}).cnx_before),
        "review": lambda: queries.all_figures(out, records),
        "grid": lambda: _grid(out, records, options.copies),
        "paint": lambda: paint.paint_figures(queries.month_workspace(out, records)),
        "check": lambda: check_speed.end_to_end_figures(queries.month_workspace(out, records)),
    }
    for name in SECTIONS:
        if name in wanted:
            figures += _section(name, sections[name])
    return figures


def _section(name: str, measure) -> list[Figure]:
    """A section's figures; one that fails says so in the table and the others still run."""
    try:
        return measure()
    except Exception as error:  # a feature being changed by someone else must not hide the rest
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [Figure(f"{name}: failed", reason[:160])]


def _grid(out: Path, records: int, copies: int) -> list[Figure]:
    workspace = grid.big_workspace(out, records, copies)
    rows = records * copies
    return grid.database_figures(workspace, rows) + grid.screen_figures(workspace, rows)


def _bar(out: Path, file: Path) -> list[Figure]:
    """The issue's bar: `sibtui load` of 300,000 records beside the lxml floor, in one run."""
    from bench import floors

    floor = floors.lxml_floor(file)
    loaded = load.timed_load(data.fresh(out, "bar"), file, "auto")
    ratio = floor.seconds / loaded.seconds
    return [
        Figure(f"bar: lxml floor, {BAR_RECORDS:,} records", seconds(floor.seconds)),
        Figure(f"bar: `sibtui load`, {BAR_RECORDS:,} records (process start to exit)", seconds(loaded.seconds),
               ">= 1.5x faster than the floor, < 1 GiB", ratio >= 1.5 and loaded.peak_rss_mib < load.GIB,
               f"{ratio:.2f}x the floor, {loaded.peak_rss_mib:.0f} MiB"),
        load.cpu_figure("300k load", loaded, floor),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=data.RECORDS, help="CNX records (default 1,000,000)")
    parser.add_argument("--copies", type=int, default=10, help="grid rows = records x copies (default 10)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--no-reference", action="store_true", help="skip the (slow) lxml reference load")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    before = machine()
    figures = run(options)
    print(f"\nsibtui benchmarks — {options.records:,} records; {before}")
    print(table(figures))
    after = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{time.perf_counter() - started:.0f} s in all; load average at the end {after}. "
          f"Reproduce: `{Path(sys.executable).name} -m bench` (make bench)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
