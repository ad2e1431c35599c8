"""Imported by every child Python the crash, corpus and concurrency tests start (PYTHONPATH).

The child is the real `python -m sibtui ...`; this file only adds, when asked through the
environment:

- `CORPUS_HWM_FILE`: at exit, write the process's peak resident memory (VmHWM, in kB).
- `CRASH_POINT`: stop at a named moment, announce it by creating `CRASH_MARKER` (holding the
  PID), and wait there to be killed, or until `CRASH_RELEASE` exists. See `crashpoints`.
"""

import os

if os.environ.get("CORPUS_HWM_FILE"):
    import atexit

    def _report_peak_memory() -> None:
        with open("/proc/self/status") as status:
            peak = next(line for line in status if line.startswith("VmHWM")).split()[1]
        with open(os.environ["CORPUS_HWM_FILE"], "w") as out:
            out.write(peak)

    atexit.register(_report_peak_memory)

if os.environ.get("CRASH_POINT"):
    import crashpoints

    crashpoints.install(os.environ["CRASH_POINT"])
