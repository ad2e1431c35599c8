"""Review-side figures over a month at operator scale: errors by code, CNS gaps, check, diff,
regeneration.

    python -m bench.queries --records 1000000

The workspace holds the CNX before the month (N vínculos), the SBX of N/10 movements and
its RPX, loaded by `sibtui load`. Read models are timed in-process, the first call after
opening the workspace (what an analyst waits for); `diff` and `regenerate` are the CLI,
timed from process start.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bench import data
from bench.generate import DEFAULT_OUT
from bench.measure import run_measured
from bench.report import Figure, print_table, seconds, unavailable

QUERY_TARGET = 5.0


def _timed(function, *arguments) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*arguments)
    return time.perf_counter() - started, result


def review_figures(workspace_path: Path, records: int) -> list[Figure]:
    from sibtui.workspace import Workspace

    figures = []
    with Workspace(workspace_path) as workspace:
        figures.append(_errors_by_code(workspace, records))
        figures.append(_check(workspace, records))
        figures.append(_cns_gaps(workspace, records))  # reads the pre-critique's cns_gaps
    return figures


def _errors_by_code(workspace, records: int) -> Figure:
    name = f"errors by code (RPX of the month, {records:,}-record workspace)"
    try:
        from sibtui.query.errors_by_code import error_groups, rpx_files
    except ImportError:
        return unavailable(name)
    cursor = workspace.cursor()
    try:
        elapsed, groups = _timed(lambda: [g for rpx in rpx_files(cursor) for g in error_groups(cursor, rpx)])
    finally:
        cursor.close()
    return Figure(name, seconds(elapsed), f"<= {QUERY_TARGET:.0f} s", elapsed <= QUERY_TARGET, f"{len(groups)} codes")


def _cns_gaps(workspace, records: int) -> Figure:
    name = f"CNS gaps by category ({records:,} CNX records)"
    try:
        from sibtui.query.cns_overview import cns_categories
    except ImportError:
        return unavailable(name)
    cursor = workspace.cursor()
    try:
        elapsed, categories = _timed(cns_categories, cursor)
    finally:
        cursor.close()
    total = sum(category.records for category in categories)
    return Figure(name, seconds(elapsed), f"<= {QUERY_TARGET:.0f} s", elapsed <= QUERY_TARGET,
                  f"{len(categories)} categories, {total:,} records")


def _check(workspace, records: int) -> Figure:
    name = f"`check` (pre-critique over {records:,} CNX + {records // 10:,} SBX records)"
    try:
        from sibtui.edit.precritique import run_checks
    except ImportError:
        return unavailable(name)
    elapsed, report = _timed(run_checks, workspace)
    note = f"{report.errors:,} errors, {report.warnings:,} warnings"
    return Figure(name, seconds(elapsed), f"<= {QUERY_TARGET:.0f} s", elapsed <= QUERY_TARGET, note)


def diff_figure(workspace_path: Path, records: int) -> Figure:
    name = f"`sibtui diff` of two {records:,}-record CNX snapshots"
    if not _has_command("diff"):
        return unavailable(name)
    measured = run_measured([sys.executable, "-m", "sibtui", "diff", "--db", str(workspace_path)])
    if measured.returncode not in (0, 1):
        return Figure(name, "failed", note=measured.stderr.strip()[:120])
    return Figure(name, seconds(measured.seconds), note=f"{measured.peak_rss_mib:.0f} MiB, from process start")


def regeneration_figure(workspace_path: Path, out: Path, movements: int) -> Figure:
    name = f"regenerate a {movements:,}-movement SBX (with the re-read check)"
    if not _has_command("regenerate"):
        return unavailable(name)
    from sibtui.workspace import Workspace

    with Workspace(workspace_path, read_only=True) as workspace:
        cursor = workspace.cursor()
        sbx_id = cursor.execute("SELECT file_id FROM files WHERE kind = 'SBX' ORDER BY file_id LIMIT 1").fetchall()[0][0]
        cursor.close()
    target = out / "regenerated"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    command = [sys.executable, "-m", "sibtui", "regenerate", "--db", str(workspace_path), "--out", str(target),
               "--sbx", str(sbx_id), "--all", "--quiet"]
    measured = run_measured(command)
    written = sum(1 for _ in target.glob("*")) if target.exists() else 0
    shutil.rmtree(target, ignore_errors=True)
    if measured.returncode != 0:
        return Figure(name, "failed", note=(measured.stderr.strip() or measured.stdout.strip())[-160:])
    return Figure(name, seconds(measured.seconds), f"<= {QUERY_TARGET:.0f} s", measured.seconds <= QUERY_TARGET,
                  f"{written} file(s), from process start, {measured.peak_rss_mib:.0f} MiB")


def _has_command(name: str) -> bool:
    try:
        from sibtui.cli import COMMANDS
    except ImportError:
        return False
    return any(getattr(command, "name", None) == name for command in COMMANDS)


def month_workspace(out: Path, records: int) -> Path:
    paths = data.dataset(out, records, max(1, records // 10))
    return data.workspace(out, f"month-{records}", [paths.cnx_before, paths.sbx, paths.rpx])


def snapshots_workspace(out: Path, records: int) -> Path:
    paths = data.dataset(out, records, max(1, records // 10))
    return data.workspace(out, f"snapshots-{records}", [paths.cnx_before, paths.cnx_after])


def all_figures(out: Path, records: int) -> list[Figure]:
    month = month_workspace(out, records)
    figures = review_figures(month, records)
    figures.append(regeneration_figure(month, out, max(1, records // 10)))
    figures.append(diff_figure(snapshots_workspace(out, records), records))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=data.RECORDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    options = parser.parse_args(argv)
    print_table(all_figures(options.out, options.records), f"Review, {options.records:,} records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
