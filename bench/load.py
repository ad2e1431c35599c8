"""Load benchmarks: throughput beside the floors, peak RSS, first rows, cancel.

    python -m bench.load --records 300000

Every load is `sibtui load` in a child process, timed from its start with the RSS of its
whole process tree sampled; the lxml and SAX floors run on the same file in the same run,
so the ratios compare like with like on a shared machine. The probe (`--probe`) runs in a
child of its own and answers, as JSON, when the first rows were queryable by another
cursor of the loading process, and how long a cancel took to leave the workspace as before.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from bench import data, floors
from bench.generate import DEFAULT_OUT
from bench.measure import Measured, run_measured
from bench.report import Figure, print_table, seconds

GIB = 1024
FIRST_ROWS_TARGET = 0.5
CANCEL_TARGET = 1.0


def timed_load(workspace: Path, file: Path, parser: str) -> Measured:
    code = "import sys; from sibtui.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, "load", "--db", str(workspace), str(file)]
    import os

    measured = run_measured(command, env={**os.environ, "SIBTUI_PARSER": parser})
    if measured.returncode != 0:
        raise RuntimeError(f"sibtui load failed: {measured.stderr.strip() or measured.stdout.strip()}")
    return measured


def load_figures(out: Path, file: Path, records: int, with_reference: bool = True) -> list[Figure]:
    size_mb = file.stat().st_size / 1e6
    figures: list[Figure] = []
    sax = floors.sax_floor(file)
    if sax is None:
        figures.append(Figure("SAX floor (xmllint --sax --noout)", "xmllint not available"))
    else:
        figures.append(Figure("SAX floor (xmllint --sax --noout)", seconds(sax.seconds), note=_rate(records, size_mb, sax)))
    floor = floors.lxml_floor(file)
    figures.append(Figure("lxml floor (iterparse tag=, clear)", seconds(floor.seconds), note=_rate(records, size_mb, floor)))
    fast_workspace = data.fresh(out, "load-fast")
    fast = timed_load(fast_workspace, file, "auto")
    ratio = floor.seconds / fast.seconds
    figures.append(Figure("`sibtui load` (fast path)", seconds(fast.seconds), "<= 1/1.5 of the lxml floor",
                          ratio >= 1.5, f"{ratio:.2f}x the floor; {_rate(records, size_mb, fast)}"))
    figures.append(cpu_figure("fast load", fast, floor))
    figures.append(parser_figure(fast_workspace))
    figures.append(Figure("peak RSS of the load, whole process tree", f"{fast.peak_rss_mib:.0f} MiB", "<= 1 GiB",
                          fast.peak_rss_mib <= GIB))
    if sax is not None:
        figures.append(Figure("fast load vs SAX floor", f"{sax.seconds / fast.seconds:.2f}x"))
    if with_reference:
        reference = timed_load(data.fresh(out, "load-lxml"), file, "lxml")
        ratio = floor.seconds / reference.seconds
        figures.append(Figure("`sibtui load`, lxml reference (SIBTUI_PARSER=lxml)", seconds(reference.seconds),
                              ">= 0.7x the lxml floor", ratio >= 0.7, f"{ratio:.2f}x; {reference.peak_rss_mib:.0f} MiB"))
    figures.extend(probe_figures(out, file))
    return figures


def parser_figure(workspace: Path) -> Figure:
    """Which parser read the file (`files.load_path`) and, if the fast path declined it, why."""
    from sibtui.db.cursors import closing, fetch_row
    from sibtui.workspace import Workspace

    with Workspace(workspace, read_only=True) as opened, closing(opened.cursor()) as cursor:
        path, declined = fetch_row(cursor, "SELECT load_path, fast_path_declined FROM files ORDER BY file_id DESC LIMIT 1")
    return Figure("parser that read it (files.load_path)", str(path), "fast", path == "fast",
                  f"declined: {declined}" if declined else "")


def cpu_figure(label: str, loaded: Measured, floor: Measured) -> Figure:
    """CPU seconds beside the floor's: on two idle cores the wall ratio cannot beat 2 x this."""
    bound = 2 * floor.cpu_seconds / loaded.cpu_seconds if loaded.cpu_seconds else 0.0
    return Figure(f"  CPU (user+sys) of the {label} / of the lxml floor", f"{loaded.cpu_seconds:.1f} s / "
                  f"{floor.cpu_seconds:.1f} s", note=f"best case on 2 idle cores: {bound:.2f}x the floor")


def _rate(records: int, size_mb: float, measured: Measured) -> str:
    return f"{records / measured.seconds / 1000:,.0f}k rec/s, {size_mb / measured.seconds:,.0f} MB/s"


def probe_figures(out: Path, file: Path) -> list[Figure]:
    workspace = data.fresh(out, "load-probe")
    done = run_measured([sys.executable, "-m", "bench.load", "--probe", str(workspace), str(file)])
    if done.returncode != 0:
        return [Figure("first rows / cancel probe", "failed", note=done.stderr.strip().splitlines()[-1][:120])]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    first = answer["first_rows_seconds"]
    cancel = answer["cancel_seconds"]
    return [
        Figure("first rows queryable (this process, before the commit)", seconds(first) if first else "never",
               f"<= {FIRST_ROWS_TARGET} s after the start", bool(first) and first <= FIRST_ROWS_TARGET,
               f"{answer['first_rows_count']} rows; {seconds(answer['first_rows_from_process'])} from process start"),
        Figure("cancel, from the request to the workspace as before", seconds(cancel), f"<= {CANCEL_TARGET} s",
               cancel <= CANCEL_TARGET and answer["unchanged"],
               "workspace unchanged" if answer["unchanged"] else "WORKSPACE CHANGED"),
        Figure("progress reports during the load", str(answer["progress_reports"]),
               note=f"last {answer['last_progress']}"),
    ]


def probe(workspace_path: Path, file: Path) -> dict:
    """In-process: first rows through another cursor, then a cancelled second load."""
    started_process = _process_start()
    from sibtui.catalog.tables import CNX_BENEFICIARIES
    from sibtui.errors import LoadCancelled
    from sibtui.ingest import staging
    from sibtui.ingest.loader import load_file
    from sibtui.workspace import Workspace

    answer: dict = {"first_rows_seconds": None, "first_rows_count": 0, "progress_reports": 0}
    with Workspace(workspace_path) as workspace:
        started = time.perf_counter()

        def progress(done: int, total: int, records: int) -> None:
            answer["progress_reports"] += 1
            answer["last_progress"] = [done, total, records]
            if answer["first_rows_seconds"] is None:
                count = _preview_count(workspace, staging.preview_table(CNX_BENEFICIARIES))
                if count:
                    answer["first_rows_seconds"] = time.perf_counter() - started
                    answer["first_rows_from_process"] = time.time() - started_process
                    answer["first_rows_count"] = count

        load_file(workspace, file, progress=progress)
        before = _counts(workspace)
        copy = workspace_path.parent / ("cancel-" + file.name)
        _copy_with_other_content(file, copy)
        cancel_at: list[float] = []
        finished: list[float] = []

        def cancelled() -> bool:
            return bool(cancel_at)

        def run() -> None:
            try:
                load_file(workspace, copy, cancel=cancelled)
            except LoadCancelled:
                finished.append(time.perf_counter())

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(1.0)
        cancel_at.append(time.perf_counter())
        thread.join()
        copy.unlink()
        answer["cancel_seconds"] = (finished[0] if finished else time.perf_counter()) - cancel_at[0]
        answer["unchanged"] = bool(finished) and _counts(workspace) == before
    return answer


def _process_start() -> float:
    """Wall-clock time this process started (from /proc), so startup counts too."""
    import os

    try:
        with open(f"/proc/{os.getpid()}/stat") as handle:
            ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration):
        return time.time()


def _preview_count(workspace, table: str) -> int:
    cursor = workspace.cursor()
    try:
        return cursor.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    except Exception:
        return 0
    finally:
        cursor.close()


def _counts(workspace) -> tuple:
    cursor = workspace.cursor()
    try:
        return tuple(cursor.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("files", "cnx_beneficiaries"))
    finally:
        cursor.close()


def _copy_with_other_content(source: Path, target: Path) -> None:
    """Same file with one byte of the header changed, so it is not refused as a duplicate."""
    with source.open("rb") as reader, target.open("wb") as writer:
        head = reader.read(1 << 20)
        writer.write(head.replace(b"<sequencialTransacao>1<", b"<sequencialTransacao>2<", 1))
        while block := reader.read(1 << 24):
            writer.write(block)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=data.RECORDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-reference", action="store_true", help="skip the lxml reference load (slow)")
    parser.add_argument("--probe", nargs=2, type=Path, metavar=("WORKSPACE", "FILE"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.probe:
        print(json.dumps(probe(*options.probe)))
        return 0
    paths = data.dataset(options.out, options.records, max(1, options.records // 10))
    figures = load_figures(options.out, paths.cnx_before, options.records, not options.no_reference)
    print_table(figures, f"Load, {options.records:,} CNX records ({paths.cnx_before.stat().st_size / 1e6:,.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
