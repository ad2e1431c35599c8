"""Ctrl+C at random moments of real commands on a large month: every run ends clean.

Beside `crash_repeat.py` (SIGKILL at named points), this sends SIGINT at random moments to
`sibtui load` (a large CNX), `sibtui fix`, `sibtui check` and `sibtui regenerate`, each on
a fresh copy of the same workspace, and checks what the issue asks of every run:

- exit 0 or 130, never an abort (134, -6), never a traceback or an "internal error";
- interrupted: the last line on stderr is the one `interrupted` line;
- the workspace opens and is consistent: the CNX is loaded whole and reported, or absent;
  the fix's action is in the journal whole, or not at all; the findings are the old ones or
  the new ones; every SBX in the output folder has its published log row and nothing
  hidden is left.

    python bench/sigint_repeat.py                 # 40 runs on a 200,000-record month
    python bench/sigint_repeat.py --trials 8 --records 50000
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
INTERRUPTED = "sibtui: error: interrupted; nothing half-done was kept"
BAD_WORDS = ("Traceback", "internal error", "terminate called", "Fatal Python error", "Segmentation")
OPERATIONS = ("load", "fix", "check", "regenerate")


@dataclass
class Month:
    cnx_before: Path
    sbx: Path
    rpx: Path
    cnx_after: Path


@dataclass
class Tally:
    runs: int = 0
    finished: int = 0
    interrupted: int = 0
    python_start: int = 0  # before sibtui's first line: Python's own handling, not counted
    problems: list[str] = field(default_factory=list)


def sibtui(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "sibtui", *arguments]


def generated_month(records: int, seed: int) -> Month:
    if str(REPO) not in sys.path:  # run as `python bench/sigint_repeat.py`
        sys.path.insert(0, str(REPO))
    from bench.generate import names

    movements = max(records // 10, 100)
    folder = OUT / f"sigint-{records}"
    month = Month(*names(folder, records, movements).__dict__.values())
    if not month.cnx_after.exists():
        subprocess.run([sys.executable, "-m", "bench.generate", "--records", str(records), "--movements",
                        str(movements), "--out", str(folder), "--seed", str(seed)], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
    return month


def command(operation: str, workspace: Path, month: Month, out: Path) -> list[str]:
    db = ["--db", str(workspace)]
    return {
        "load": sibtui("load", "--quiet", *db, str(month.cnx_after)),
        "fix": sibtui("fix", "set", *db, "--rule", "cpf_invalid", "--force", "nomeMae=MAE CORRIGIDA"),
        "check": sibtui("check", *db, "--format", "csv", "--today", "2026-12-01"),
        "regenerate": sibtui("regenerate", *db, "--out", str(out), "--all", "--quiet"),
    }[operation]


def state(workspace: Path, out: Path) -> dict:
    """What each operation may change, read back after the run (opening it proves it is not damaged)."""
    with duckdb.connect(str(workspace), read_only=True) as connection:
        def one(sql: str):
            return connection.execute(sql).fetchall()[0]

        return {
            "files": one("SELECT count(*) FROM files")[0],
            "cnx_rows": one("SELECT count(*) FROM cnx_beneficiaries")[0],
            "journal": one("SELECT count(*) FROM edit_journal")[0],
            "findings": one("SELECT count(*), sum(hash(rule, file_id, record_no, field)) FROM findings"),
            "log": connection.execute("SELECT output_name, published FROM regenerations ORDER BY ALL").fetchall(),
            "visible": sorted(path.name for path in out.iterdir() if not path.name.startswith(".")),
            "hidden": sorted(path.name for path in out.iterdir() if path.name.startswith(".")),
        }


def run_once(operation: str, base: Path, month: Month, scratch: Path, moment: float | None) -> tuple:
    workspace = scratch / "ws.duckdb"
    out = scratch / "saida"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    shutil.copyfile(base, workspace)
    process = subprocess.Popen(command(operation, workspace, month, out), cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    if moment is not None:
        time.sleep(moment)
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr, state(workspace, out)


def interpreter_start(code: int, stdout: str, stderr: str, after: dict, before: dict) -> bool:
    """SIGINT while the Python interpreter itself was starting, before sibtui's first line
    (`sibtui.entry` installs its handler): Python ends the process its own way, killed by
    the signal or with its own KeyboardInterrupt traceback from `site` or the launcher's
    imports. Nothing of sibtui ran: no frame of it, no output, the workspace untouched."""
    ours = str(REPO / "sibtui")
    if code == -signal.SIGINT or (code == 1 and "KeyboardInterrupt" in stderr and ours not in stderr):
        return not stdout and after == before
    return False


def judge(operation: str, code: int, stdout: str, stderr: str, after: dict, before: dict, done: dict) -> list[str]:
    problems = []
    if code not in (0, 130):
        problems.append(f"exit {code}")
    for word in BAD_WORDS:
        if word in stderr:
            problems.append(f"stderr has {word!r}")
    lines = stderr.strip().splitlines()
    if code == 130 and (not lines or lines[-1] != INTERRUPTED):
        problems.append(f"last stderr line {lines[-1:]!r}")
    if operation == "load":
        reported = "loaded  " in stdout
        expected = done if reported else before
        if (after["files"], after["cnx_rows"]) != (expected["files"], expected["cnx_rows"]):
            problems.append(f"load reported={reported} but files={after['files']} rows={after['cnx_rows']}")
    elif operation == "fix" and after["journal"] not in (before["journal"], done["journal"]):
        problems.append(f"journal has {after['journal']} rows, neither {before['journal']} nor {done['journal']}")
    elif operation == "check" and after["findings"] not in (before["findings"], done["findings"]):
        problems.append("findings are neither the old nor the new ones")
    elif operation == "regenerate":
        if any(not published for _, published in after["log"]):
            problems.append("an unpublished log row was left")
        if sorted(name for name, _ in after["log"]) != after["visible"]:
            problems.append(f"log {after['log']} and folder {after['visible']} disagree")
        if after["hidden"]:
            problems.append(f"left hidden files {after['hidden']}")
    if code == 0 and operation != "load":
        part = {"fix": "journal", "check": "findings", "regenerate": "log"}[operation]
        if (len(after[part]) if part == "log" else after[part]) != (len(done[part]) if part == "log" else done[part]):
            problems.append(f"finished but {part} differs from an uninterrupted run")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    rng = random.Random(options.seed)
    month = generated_month(options.records, options.seed)
    tallies = {operation: Tally() for operation in OPERATIONS}
    with tempfile.TemporaryDirectory(prefix="sibtui-sigint-") as folder:
        scratch = Path(folder)
        base = scratch / "base.duckdb"
        subprocess.run(sibtui("load", "--quiet", "--db", str(base), str(month.cnx_before), str(month.sbx),
                              str(month.rpx)), cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(sibtui("check", "--db", str(base), "--today", "2026-12-01"), cwd=REPO,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        empty = scratch / "empty"
        empty.mkdir()
        before = state(base, empty)
        durations, done = {}, {}
        for operation in OPERATIONS:  # an uninterrupted run: how long it takes and what it leaves
            started = time.perf_counter()
            code, _, stderr, done[operation] = run_once(operation, base, month, scratch, None)
            durations[operation] = time.perf_counter() - started
            if code not in (0, 1):
                raise SystemExit(f"{operation} failed without any interrupt: {stderr[-500:]}")
            print(f"{operation:10} uninterrupted: {durations[operation]:.2f} s", file=sys.stderr)
        for number in range(options.trials):
            operation = OPERATIONS[number % len(OPERATIONS)]
            early = rng.random() < 0.15  # start-up: imports, opening the workspace
            moment = rng.uniform(0, 0.15) if early else rng.uniform(0, durations[operation] * 1.1)
            code, stdout, stderr, after = run_once(operation, base, month, scratch, moment)
            tally = tallies[operation]
            if interpreter_start(code, stdout, stderr, after, before):
                tally.python_start += 1
                print(f"run {number + 1:>2}/{options.trials}: {operation:10} SIGINT at {moment:6.3f} s -> during "
                      "Python's own start-up, before sibtui ran", file=sys.stderr)
                continue
            problems = judge(operation, code, stdout, stderr, after, before, done[operation])
            tally.runs += 1
            tally.finished += code == 0
            tally.interrupted += code == 130
            tally.problems += [f"SIGINT at {moment:.3f} s: {problem}" for problem in problems]
            print(f"run {number + 1:>2}/{options.trials}: {operation:10} SIGINT at {moment:6.3f} s -> exit {code}"
                  f"{'  ' + '; '.join(problems) if problems else ''}", file=sys.stderr)
    print(f"{'command':12}{'runs':>5}{'exit 0':>8}{'exit 130':>10}{'clean':>7}{'in Python start-up':>20}")
    for operation, tally in tallies.items():
        clean = tally.runs - len({problem.split(':')[0] for problem in tally.problems})
        print(f"{operation:12}{tally.runs:>5}{tally.finished:>8}{tally.interrupted:>10}{clean:>7}"
              f"{tally.python_start:>20}")
    problems = [f"{operation}: {problem}" for operation, tally in tallies.items() for problem in tally.problems]
    for problem in problems:
        print(f"PROBLEM {problem}")
    total = sum(tally.runs for tally in tallies.values())
    print(f"\n{total - len({p.split(':')[0] + p.split(':')[1] for p in problems})}/{total} runs clean")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
