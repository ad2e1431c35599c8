"""The floors a load is measured against, run on the same file in the same session.

* lxml floor: `iterparse(events=("end",), tag="beneficiario")`, count, `clear(keep_tail=True)`
  and delete previous siblings — the least any lxml-based loader can do (perf-notes §2b).
* SAX floor: `xmllint --sax --noout`, libxml2's C tokenizer with no callbacks.

Each floor runs in a child process so its wall time and peak RSS are its own.

    python -m bench.floors FILE
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from bench.measure import Measured, run_measured

RECORD_TAG = "beneficiario"


def lxml_floor_main(path: str, tag: str = RECORD_TAG) -> int:
    """The floor itself (runs in the child process)."""
    from lxml import etree

    count = 0
    for _, element in etree.iterparse(path, events=("end",), tag=tag):
        count += 1
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del element.getparent()[0]
    print(count)
    return 0


def lxml_floor(path: Path, tag: str = RECORD_TAG) -> Measured:
    code = f"import sys; from bench.floors import lxml_floor_main; sys.exit(lxml_floor_main({str(path)!r}, {tag!r}))"
    return run_measured([sys.executable, "-c", code])


def sax_floor(path: Path) -> Measured | None:
    """`xmllint --sax --noout`; None when xmllint is not installed."""
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        return None
    return run_measured(
        ["sh", "-c", f'"{xmllint}" --sax --noout "{path}" > /dev/null'], stdout=subprocess.DEVNULL
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floors", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    options = parser.parse_args(argv)
    lxml = lxml_floor(options.file)
    print(f"lxml floor  {lxml.seconds:7.2f} s  {lxml.peak_rss_mib:6.0f} MiB")
    sax = sax_floor(options.file)
    if sax is None:
        print("xmllint not available")
    else:
        print(f"SAX floor   {sax.seconds:7.2f} s  {sax.peak_rss_mib:6.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
