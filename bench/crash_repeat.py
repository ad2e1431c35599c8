"""Run the SIGKILL tests many times and print how often each passed.

The crash tests (`tests/test_crash_*.py`) kill a real sibtui at named points of a load, an
edit, a regeneration and a pre-critique. They are deterministic by construction (the child
stops at the point and waits to be killed); this script is the evidence: it runs them
`--runs` times (default 20), each run a fresh pytest process, and prints one row per test.

    python bench/crash_repeat.py               # 20 runs, 2 pytest workers
    python bench/crash_repeat.py --runs 5 -k edit
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRASH_TESTS = sorted(str(path.relative_to(REPO)) for path in (REPO / "tests").glob("test_crash_*.py"))


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    seconds: list[float] = field(default_factory=list)
    first_failure: str = ""


def run_once(junit: Path, workers: int, keyword: str | None) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *CRASH_TESTS]
    if workers > 1:
        command += ["-n", str(workers)]
    if keyword:
        command += ["-k", keyword]
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def collect(junit: Path, tallies: dict[str, Tally]) -> None:
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        tally = tallies[name]
        tally.seconds.append(float(case.get("time", 0)))
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        if problem is None and case.find("skipped") is None:
            tally.passed += 1
        else:
            tally.failed += 1
            if not tally.first_failure and problem is not None:
                tally.first_failure = (problem.get("message") or "")[:100]


def report(tallies: dict[str, Tally], runs: int, wall: list[float]) -> None:
    width = max(len(name) for name in tallies)
    print(f"{'test':{width}}  passed  failed  mean s  max s")
    for name in sorted(tallies):
        tally = tallies[name]
        print(f"{name:{width}}  {tally.passed:>3}/{runs:<3} {tally.failed:>6}  {statistics.mean(tally.seconds):6.2f}"
              f"  {max(tally.seconds):5.2f}")
    total_failed = sum(t.failed for t in tallies.values())
    total = sum(t.passed + t.failed for t in tallies.values())
    print(f"\n{len(tallies)} tests x {runs} runs: {total - total_failed}/{total} passed; "
          f"one run took {statistics.mean(wall):.1f} s on average (max {max(wall):.1f} s)")
    for name, tally in sorted(tallies.items()):
        if tally.failed:
            print(f"FAILED {name}: {tally.first_failure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers per run (default 2)")
    parser.add_argument("-k", dest="keyword", help="only tests matching this pytest -k expression")
    options = parser.parse_args(argv)
    tallies: dict[str, Tally] = defaultdict(Tally)
    wall = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(1, options.runs + 1):
            junit = Path(scratch) / f"run-{number}.xml"
            wall.append(run_once(junit, options.workers, options.keyword))
            collect(junit, tallies)
            failed = sum(t.failed for t in tallies.values())
            print(f"run {number:>2}/{options.runs}: {wall[-1]:5.1f} s, failures so far: {failed}", file=sys.stderr)
    report(tallies, options.runs, wall)
    return 1 if any(t.failed for t in tallies.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
