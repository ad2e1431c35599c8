"""How fast the pre-critique and its read models are at a million records (the scale targets).

    python -m bench.check_speed                      # both datasets, 1M records, 3 runs each
    python -m bench.check_speed --dataset generated --repeat 1
    python -m bench.check_speed --dataset generated --sbx 120000 --cnx 180000   # issue 19: <= 1.5 s

Two datasets, built once and kept under `bench/out/check_speed/` (git-ignored):

- **generated** — realistic: `bench.generate` writes a CNX of `--cnx` vínculos and an SBX of
  `--sbx` movements against it (distinct CPFs, CNS and CCOs; ~1-5% defects of each kind)
  plus the RPX answering it (~5% rejected), and the loader loads them as an analyst would.
- **replicated** — the worst case the issue was measured on: `sample_files/` loaded, then
  its SBX and CNX rows copied with DuckDB `range()` until there are `--sbx` and `--cnx` rows,
  every copy repeating the same CPF and CNS (so duplicates and findings explode).

For each it times, with the workspace's own settings (memory limit, threads): `run_checks`
(what `sibtui check` runs, without printing), the RPX errors-by-code read model
(`rpx_files` + `error_groups` of every RPX, then the first page of each one's biggest
group), the CNS gaps read model (`cns_categories`, then the first page of the biggest
category), the findings-by-rule read model (`finding_groups`), and `sibtui check` end to end
(a process of its own, findings piped as TSV to /dev/null, a fresh copy of the workspace each
run; its CPU is the child's). Targets (2 cores, 1M records): each <= 5 s; the check on
300,000 records (120,000 movements, 180,000 vínculos): <= 1.5 s, and the whole `sibtui check`
on them too (issue 20). Wall time is the target; CPU time is printed beside it because the
machine is shared, and a loaded machine stretches wall time much more than CPU time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sibtui.edit.precritique import run_checks
from sibtui.ingest.loader import load_files
from sibtui.query import cns_overview, errors_by_code, findings_overview
from sibtui.query.paging import open_view
from sibtui.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "check_speed"
SAMPLES = REPO / "sample_files"
TODAY = dt.date(2026, 12, 1)
PAGE = 50
TARGET_SECONDS = 5.0  # each measure, a million loaded records
# Issue 19: `sibtui check` end to end on a 300,000-record workspace (run_checks is what it runs).
SMALL_SIZES, SMALL_TARGET_SECONDS = (120_000, 180_000), 1.5
# Issue 20: the whole command, as a process (start-up, imports, check, every finding printed).
END_TO_END = "sibtui check, end to end"


def target_for(sbx_rows: int, cnx_rows: int) -> float:
    return SMALL_TARGET_SECONDS if sbx_rows + cnx_rows <= sum(SMALL_SIZES) else TARGET_SECONDS


# --- datasets ------------------------------------------------------------------------------


def build_replicated(path: Path, sbx_rows: int, cnx_rows: int, out: Path) -> None:
    """sample_files/ loaded, then its record rows copied (same values, new record_no) up to the sizes."""
    with Workspace(path) as workspace:
        for outcome in load_files(workspace, [SAMPLES]):
            if outcome.error is not None:
                raise SystemExit(f"cannot load {outcome.path}: {outcome.error}")
        cursor = workspace.cursor()
        for table, rows in (("sbx_movements", sbx_rows), ("cnx_beneficiaries", cnx_rows)):
            _replicate(cursor, table, rows)
        cursor.execute("CHECKPOINT")
        cursor.close()


def _replicate(cursor: duckdb.DuckDBPyConnection, table: str, wanted: int) -> None:
    """Copies of every row, record_no continuing after the file's last, until `wanted` rows."""
    have, width = cursor.execute(f"SELECT count(*), max(record_no) FROM {table}").fetchone()
    copies = -(-wanted // have)
    cursor.execute(
        f"INSERT INTO {table} SELECT t.* REPLACE (t.record_no + r.copy * {width} AS record_no) "
        f"FROM {table} AS t, range(1, {copies}) AS r(copy)"
    )
    cursor.execute(
        f"DELETE FROM {table} WHERE (file_id, record_no) IN (SELECT (file_id, record_no) FROM {table} "
        f"ORDER BY record_no DESC LIMIT (SELECT count(*) - {wanted} FROM {table}))"
    )


def build_generated(path: Path, sbx_rows: int, cnx_rows: int, out: Path) -> None:
    """bench.generate's CNX + SBX + RPX at these sizes, loaded by the ordinary loader."""
    from bench.generate import generate

    files = generate(out / "files", cnx_rows, sbx_rows, seed=1, kinds={"cnx", "sbx", "rpx"})
    with Workspace(path) as workspace:
        for outcome in load_files(workspace, [files.cnx_before, files.sbx, files.rpx]):
            if outcome.error is not None:
                raise SystemExit(f"cannot load {outcome.path}: {outcome.error}")


BUILDERS: dict[str, Callable[[Path, int, int, Path], None]] = {
    "generated": build_generated,
    "replicated": build_replicated,
}
# (SBX movements, CNX vínculos): a million loaded records, and the worst case.
DEFAULT_SIZES = {"generated": (400_000, 600_000), "replicated": (1_000_000, 700_000)}


def workspace_for(dataset: str, sbx_rows: int, cnx_rows: int, out: Path = OUT) -> Path:
    """The dataset's workspace file under `out`, built when missing (a partial build is never reused)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dataset}_{sbx_rows}_{cnx_rows}.duckdb"
    if not path.exists():
        partial = path.with_name(path.name + ".part")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        BUILDERS[dataset](partial, sbx_rows, cnx_rows, out)
        partial.rename(path)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


# --- what is timed ---------------------------------------------------------------------------


def time_check(workspace: Workspace) -> str:
    report = run_checks(workspace, today=TODAY)
    return f"{report.errors + report.warnings:,} findings"


def time_errors_by_code(workspace: Workspace) -> str:
    """The Erros RPX screen: every RPX with its groups by code, and Enter on each one's biggest group."""
    cursor = workspace.cursor()
    try:
        groups = 0
        for rpx in errors_by_code.rpx_files(cursor):
            found = errors_by_code.error_groups(cursor, rpx)
            groups += len(found)
            if found:
                _first_page(cursor, errors_by_code.affected_records_spec(rpx, found[0]))
        return f"{groups} groups"
    finally:
        cursor.close()


def time_cns_gaps(workspace: Workspace) -> str:
    """The CNS screen: the counts per category, then Enter on the biggest one (its first page)."""
    cursor = workspace.cursor()
    try:
        categories = cns_overview.cns_categories(cursor)
        if categories:
            biggest = max(categories, key=lambda category: category.records)
            _first_page(cursor, cns_overview.category_spec(biggest))
        return f"{sum(c.records for c in categories):,} records in {len(categories)} categories"
    finally:
        cursor.close()


def time_findings_by_rule(workspace: Workspace) -> str:
    cursor = workspace.cursor()
    try:
        return f"{len(findings_overview.finding_groups(cursor))} groups"
    finally:
        cursor.close()


def _first_page(cursor: duckdb.DuckDBPyConnection, spec) -> None:
    view = open_view(cursor, spec)
    try:
        view.window(cursor, 0, PAGE)
    finally:
        view.close(cursor)


MEASURES: dict[str, Callable[[Workspace], str]] = {
    "check": time_check,
    "errors by code": time_errors_by_code,
    "CNS gaps": time_cns_gaps,
    "findings by rule": time_findings_by_rule,
}


@dataclass(frozen=True)
class Timing:
    """Wall seconds of each run, the median CPU seconds (every DuckDB thread), what was found."""

    seconds: list[float]
    cpu_seconds: float
    detail: str


def measure(path: Path, repeat: int) -> dict[str, Timing]:
    """Each measure `repeat` times on one open workspace; the check runs first so findings exist.

    CPU time is printed beside wall time because the machine is shared: on a loaded machine
    the wall time stretches, the CPU time much less.
    """
    results = {}
    with Workspace(path) as workspace:
        for name, function in MEASURES.items():
            seconds, cpu, detail = [], [], ""
            for _ in range(repeat):
                started, cpu_started = time.perf_counter(), _cpu()
                detail = function(workspace)
                seconds.append(time.perf_counter() - started)
                cpu.append(_cpu() - cpu_started)
            results[name] = Timing(seconds, statistics.median(cpu), detail)
    return results


def measure_end_to_end(path: Path, repeat: int, remembered: bool = True) -> Timing:
    """`sibtui check --db COPY --today ... > /dev/null` as a person pipes it (TSV), in a process of its
    own: start-up, imports, opening, the check, every finding printed and the summary. Each run
    on a fresh copy of the workspace (the check rewrites its findings); the copy is not timed.

    `remembered` False: the conference memo emptied first, as after an edit of the CNX, so the
    conference is judged in the run (`sibtui.rules.conference_memo`)."""
    import shutil
    import subprocess
    import tempfile

    seconds, cpu, detail = [], [], ""
    with tempfile.TemporaryDirectory(prefix="sibtui-check-e2e-") as folder:
        prepared, copy = Path(folder) / "prepared.duckdb", Path(folder) / path.name
        shutil.copyfile(path, prepared)
        with Workspace(prepared) as opened:  # a workspace of an older schema is brought up to date once, untimed
            if not remembered:
                _forget_conferences(opened)
        for _ in range(repeat):
            shutil.copyfile(prepared, copy)
            command = [sys.executable, "-m", "sibtui", "check", "--db", str(copy), "--today", TODAY.isoformat()]
            cpu_started, started = _children_cpu(), time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
            seconds.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - cpu_started)
            if done.returncode not in (0, 1):
                raise SystemExit(f"sibtui check failed: {done.stderr.strip()}")
            detail = done.stderr.strip().splitlines()[-1]
    return Timing(seconds, statistics.median(cpu), detail)


def _forget_conferences(workspace: Workspace) -> None:
    from sibtui.rules.conference_memo import MEMO_FINDINGS_TABLE, MEMO_TABLE

    cursor = workspace.cursor()
    try:
        for table in (MEMO_TABLE, MEMO_FINDINGS_TABLE):
            cursor.execute(f"DELETE FROM {table}")
    finally:
        cursor.close()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _records(path: Path) -> str:
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        sbx, cnx, rejections = cursor.execute(
            "SELECT (SELECT count(*) FROM sbx_movements), (SELECT count(*) FROM cnx_beneficiaries), "
            "(SELECT count(*) FROM rpx_rejections)"
        ).fetchone()
        cursor.close()
    return f"{sbx:,} SBX movements, {cnx:,} CNX vínculos, {rejections:,} RPX rejections"


def figures(out: Path | None = None, datasets: tuple[str, ...] = ("generated",), repeat: int = 1) -> list:
    """The figures as `bench.report.Figure` rows, for `python -m bench` (one section)."""
    from bench.report import Figure, seconds

    rows = []
    for dataset in datasets:
        sizes = [DEFAULT_SIZES[dataset]] + ([SMALL_SIZES] if dataset == "generated" else [])
        for sbx_rows, cnx_rows in sizes:
            path = workspace_for(dataset, sbx_rows, cnx_rows, (out / "check_speed") if out else OUT)
            target = target_for(sbx_rows, cnx_rows)
            timings = measure(path, repeat)
            if target != TARGET_SECONDS:  # issue 20: `sibtui check` end to end on 300,000 records
                timings[END_TO_END] = measure_end_to_end(path, repeat)
            for name, timing in timings.items():
                if target != TARGET_SECONDS and name not in ("check", END_TO_END):
                    continue  # the 300,000-record target is the check's
                median = statistics.median(timing.seconds)
                rows.append(Figure(f"{name}, {dataset} {sbx_rows + cnx_rows:,} records", seconds(median),
                                   f"<= {target:g} s", median <= target,
                                   f"cpu {timing.cpu_seconds:.2f} s; {timing.detail}"))
    return rows


def end_to_end_figures(path: Path, repeat: int = 3) -> list:
    """`sibtui check` end to end on a loaded workspace (`python -m bench --only check`: the month
    workspace), against issue 20's 1.5 s for 300,000 records."""
    from bench.report import Figure, seconds

    figures = []
    for remembered in (True, False):
        timing = measure_end_to_end(path, repeat, remembered)
        median = statistics.median(timing.seconds)
        detail = f"best {min(timing.seconds):.2f} s, cpu {timing.cpu_seconds:.2f} s (load {_load()}); {timing.detail}"
        if remembered:  # as after `sibtui load`, and every check after the first: issue 20's target
            figures.append(Figure(f"{END_TO_END}, {path.stem} ({_records(path)})", seconds(median),
                                  f"<= {SMALL_TARGET_SECONDS:g} s", median <= SMALL_TARGET_SECONDS, detail))
        else:
            figures.append(Figure(f"{END_TO_END}, conference judged in the run (memo emptied)", seconds(median),
                                  note=detail))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=(*BUILDERS, "both"), default="both")
    parser.add_argument("--sbx", type=int, default=None, help="SBX movements (default 400,000 generated, 1,000,000 "
                        "replicated)")
    parser.add_argument("--cnx", type=int, default=None, help="CNX vínculos (default 600,000 generated, 700,000 "
                        "replicated)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT, help=f"where datasets are kept (default {OUT})")
    options = parser.parse_args(argv)
    datasets = list(BUILDERS) if options.dataset == "both" else [options.dataset]
    print(f"duckdb {duckdb.__version__}, {os.cpu_count()} cores, load average {_load()} at start")
    for dataset in datasets:
        sbx_rows = options.sbx or DEFAULT_SIZES[dataset][0]
        cnx_rows = options.cnx or DEFAULT_SIZES[dataset][1]
        path = workspace_for(dataset, sbx_rows, cnx_rows, options.out)
        print(f"\n{dataset}: {_records(path)}")
        target = target_for(sbx_rows, cnx_rows)
        timings = measure(path, options.repeat)
        timings[END_TO_END] = measure_end_to_end(path, options.repeat)
        for name, timing in timings.items():
            best, median = min(timing.seconds), statistics.median(timing.seconds)
            verdict = "ok" if median <= target else "OVER"
            print(f"  {name:16} median {median:6.2f} s  best {best:6.2f} s  cpu {timing.cpu_seconds:6.2f} s  "
                  f"(target {target:g} s: {verdict})  {timing.detail}")
    print(f"\nload average {_load()} at end")
    return 0


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
