"""Differential fuzzing of the fast CNX path against the reference parser.

A generated conference (indented, as ANS writes them) is mutated the ways a hostile or
broken file differs from a good one: character and entity references (`&#47;` is a `/`
in a value and none in the markup), unknown empty elements and attributes, duplicated,
dropped, renamed or emptied elements, comments, CDATA, processing instructions, control
characters, line breaks inside tags, stray text, truncation. Each mutant that is still
well-formed gets a correct epilogue hash (computed here over the parsed tree, sharing no
code with sibtui), so the fast path really has to vouch for it instead of declining on the
hash. Every mutant is loaded twice, with `SIBTUI_PARSER=lxml` and `SIBTUI_PARSER=fast`:
both must give the same rows or the same located error.

    python bench/fuzz_fastpath.py                       # 2,000 mutants of a 300-record CNX
    python bench/fuzz_fastpath.py --mutants 200 --seed 7

`tests/test_fuzz_fastpath.py` runs a small number of them in the suite.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as `python bench/fuzz_fastpath.py`
    sys.path.insert(0, str(REPO))

from lxml import etree  # noqa: E402

REFERENCES = ("&#47;", "&#x2F;", "&#0047;", "&#61;", "&#x3D;", "&#38;", "&#60;", "&#62;", "&#x41;", "&#233;",
              "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#1;", "&#x7;", "&#xFFFE;", "&desconhecida;")
MARKS = ("/", "=", "&amp;", ">", "'", '"', " ", "\t", "ç", "\x85")
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)(?=[ />])")
_LEAF = re.compile(r"<([A-Za-z][A-Za-z0-9]*)>([^<]*)</\1>")
_TEXT = re.compile(r">([^<\s][^<]*)<")


@dataclass
class Mutant:
    label: str
    content: bytes


def reference_hash(document: bytes) -> str | None:
    """§2.4 over a parsed tree (attribute values and texts, blanks skipped, no epilogue)."""
    try:
        root = etree.fromstring(document, etree.XMLParser(remove_comments=True, remove_pis=True,
                                                          resolve_entities=False))
    except etree.XMLSyntaxError:
        return None
    pieces: list[str] = []

    def walk(element) -> None:
        if not isinstance(element.tag, str) or element.tag == "epilogo":
            return
        pieces.extend(value for value in element.attrib.values() if value.strip(" \t\r\n"))
        if element.text and element.text.strip(" \t\r\n"):
            pieces.append(element.text)
        for child in element:
            walk(child)
            if child.tail and child.tail.strip(" \t\r\n"):
                pieces.append(child.tail)

    walk(root)
    try:
        return hashlib.md5("".join(pieces).encode("latin-1")).hexdigest().upper()
    except UnicodeEncodeError:
        return None


def rehashed(text: str) -> bytes:
    content = text.encode("latin-1", "replace")
    digest = reference_hash(content)
    if digest is None:
        return content
    return re.sub(rb"<hash>[^<]*</hash>", f"<hash>{digest}</hash>".encode(), content, count=1)


# -- mutations (each edits the records region of the text) ---------------------------------


def _at(rng: random.Random, matches: list[re.Match]) -> re.Match | None:
    return rng.choice(matches) if matches else None


def _insert(text: str, position: int, piece: str) -> str:
    return text[:position] + piece + text[position:]


def charref(rng, text, region):
    match = _at(rng, list(_TEXT.finditer(text, *region)))
    if match is None:
        return text
    return _insert(text, rng.randint(match.start(1), match.end(1)), rng.choice(REFERENCES))


def mark_in_value(rng, text, region):
    match = _at(rng, list(_TEXT.finditer(text, *region)))
    return text if match is None else _insert(text, rng.randint(match.start(1), match.end(1)), rng.choice(MARKS))


def unknown_empty(rng, text, region):
    position = rng.choice([m.end() for m in re.finditer(">", text[region[0]:region[1]])]) + region[0]
    return _insert(text, position, rng.choice(["<apelido/>", "<apelido></apelido>", "<x />", "<apelido> </apelido>"]))


def unknown_attribute(rng, text, region):
    match = _at(rng, list(_START_TAG.finditer(text, *region)))
    piece = rng.choice([' extra=""', ' extra="v"', " tipo='1'", ' a="b/c"', ' cco="1"'])
    return text if match is None else _insert(text, match.end(), piece)


def duplicate_leaf(rng, text, region):
    match = _at(rng, list(_LEAF.finditer(text, *region)))
    return text if match is None else _insert(text, match.end(), match.group())


def drop_leaf(rng, text, region):
    match = _at(rng, list(_LEAF.finditer(text, *region)))
    return text if match is None else text[:match.start()] + text[match.end():]


def empty_leaf(rng, text, region):
    match = _at(rng, list(_LEAF.finditer(text, *region)))
    if match is None:
        return text
    empty = rng.choice([f"<{match.group(1)}/>", f"<{match.group(1)}></{match.group(1)}>", f"<{match.group(1)} />"])
    return text[:match.start()] + empty + text[match.end():]


def rename_leaf(rng, text, region):
    match = _at(rng, list(_LEAF.finditer(text, *region)))
    if match is None:
        return text
    name = rng.choice(["nome", "cns", "cpf", "apelido", "sexo", match.group(1) + "X"])
    return text[:match.start()] + f"<{name}>{match.group(2)}</{name}>" + text[match.end():]


def markup_noise(rng, text, region):
    position = rng.choice([m.end() for m in re.finditer(">", text[region[0]:region[1]])]) + region[0]
    piece = rng.choice(["<!-- a/b=c -->", "<?pi a=b/c?>", "<![CDATA[x/y=z]]>", "texto solto", "\r", "\r\n", "\n  ",
                        "<!---->", "&#47;", "\x01"])
    return _insert(text, position, piece)


def cdata_value(rng, text, region):
    match = _at(rng, list(_TEXT.finditer(text, *region)))
    if match is None:
        return text
    return text[:match.start(1)] + f"<![CDATA[{match.group(1)}]]>" + text[match.end(1):]


def break_tag(rng, text, region):
    spaces = [m.start() for m in re.finditer(r'<[A-Za-z][^<>]* ', text[region[0]:region[1]])]
    if not spaces:
        return text
    start = spaces[rng.randrange(len(spaces))] + region[0]
    space = text.index(" ", start)
    return text[:space] + rng.choice(["\n", "\t", "\r\n", "  "]) + text[space + 1:]


def truncate(rng, text, region):
    return text[: rng.randint(region[0], region[1])]


MUTATIONS: tuple[Callable, ...] = (
    charref, charref, mark_in_value, unknown_empty, unknown_attribute, duplicate_leaf, drop_leaf, empty_leaf,
    rename_leaf, markup_noise, cdata_value, break_tag, truncate,
)


def mutants(base: bytes, count: int, seed: int) -> Iterator[Mutant]:
    """`count` mutants of `base`, each with one to three mutations, reproducible by `seed`."""
    rng = random.Random(seed)
    text = base.decode("latin-1")
    region = (text.index("<beneficiario "), text.rindex("</beneficiario>") + len("</beneficiario>"))
    for number in range(count):
        mutated, labels = text, []
        for _ in range(rng.choice((1, 1, 2, 3))):
            mutation = rng.choice(MUTATIONS)
            if mutation is truncate and labels:
                continue
            tail = len(text) - region[1]
            current = (region[0], max(region[0] + 1, len(mutated) - tail))
            mutated = mutation(rng, mutated, current)
            labels.append(mutation.__name__)
        stale_hash = rng.random() < 0.1
        content = mutated.encode("latin-1", "replace") if stale_hash else rehashed(mutated)
        yield Mutant(f"{number}:{'+'.join(labels)}{' (stale hash)' if stale_hash else ''}", content)


# -- loading both ways ------------------------------------------------------------------------


_VOLATILE = ("path", "loaded_at", "load_seconds", "load_path", "fast_path_declined")


class Loader:
    """One workspace per parser; every mutant goes into both, outcomes compared."""

    def __init__(self, folder: Path):
        from sibtui.workspace import Workspace

        self.folder = folder
        self.workspaces = {mode: Workspace(folder / f"{mode}.duckdb") for mode in ("lxml", "fast")}
        self.accepted_by_fast = 0

    def close(self) -> None:
        for workspace in self.workspaces.values():
            workspace.close()

    def outcome(self, mode: str, path: Path) -> tuple:
        from sibtui.errors import SibError
        from sibtui.ingest import fastpath
        from sibtui.ingest.loader import load_file

        os.environ[fastpath.PARSER_ENV] = mode
        workspace = self.workspaces[mode]
        accepted = []
        original = fastpath.load

        def spy(*args, **kwargs):
            loaded = original(*args, **kwargs)
            accepted.append(isinstance(loaded, fastpath.FastLoad))
            return loaded

        fastpath.load = spy
        try:
            report = load_file(workspace, path)
        except SibError as error:
            return ("error", str(error))
        finally:
            fastpath.load = original
            os.environ.pop(fastpath.PARSER_ENV, None)
        if accepted and accepted[0]:
            self.accepted_by_fast += 1
        return ("loaded", self._rows(workspace, report.file_id))

    @staticmethod
    def _rows(workspace, file_id: int) -> dict:
        cursor = workspace.cursor()
        try:
            volatile = ", ".join(("file_id", *_VOLATILE))  # ids part ways once the two disagree
            return {
                "files": cursor.execute(f"SELECT * EXCLUDE ({volatile}) FROM files WHERE file_id = ?",
                                        [file_id]).fetchall(),
                "warnings": cursor.execute("SELECT * EXCLUDE (file_id) FROM load_warnings WHERE file_id = ? "
                                           "ORDER BY ALL", [file_id]).fetchall(),
                "rows": cursor.execute("SELECT * EXCLUDE (file_id) FROM cnx_beneficiaries WHERE file_id = ? "
                                       "ORDER BY record_no", [file_id]).fetchall(),
            }
        finally:
            cursor.close()

    def compare(self, mutant: Mutant, number: int) -> str | None:
        """None when both parsers agree; otherwise what differs."""
        path = self.folder / f"mutant-{number}.cnx"
        path.write_bytes(mutant.content)
        reference = self.outcome("lxml", path)
        fast = self.outcome("fast", path)
        if reference == fast:
            return None
        return f"{mutant.label}: reference {_short(reference)} / fast {_short(fast)}"


def _short(outcome: tuple) -> str:
    kind, detail = outcome
    if kind == "error":
        return f"error {detail[-160:]!r}"
    return f"loaded {len(detail['rows'])} rows, warnings {detail['warnings'][:2]}"


def base_conference(folder: Path, records: int, seed: int) -> bytes:
    from bench.generate import generate

    paths = generate(folder, records=records, movements=max(records // 10, 10), seed=seed, kinds={"cnx"})
    return paths.cnx_before.read_bytes()


def run(count: int, seed: int, records: int, folder: Path) -> tuple[int, int, list[str]]:
    """(mutants compared, accepted by the fast path, disagreements)."""
    base = base_conference(folder / "base", records, seed)
    loader = Loader(folder)
    problems = []
    try:
        for number, mutant in enumerate(mutants(base, count, seed)):
            difference = loader.compare(mutant, number)
            if difference is not None:
                problems.append(difference)
    finally:
        loader.close()
    return count, loader.accepted_by_fast, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sibtui-fuzz-") as folder:
        count, accepted, problems = run(options.mutants, options.seed, options.records, Path(folder))
    for problem in problems:
        print(f"DIFFERS {problem}")
    print(f"{count} mutants of a {options.records}-record CNX, seed {options.seed}: {count - len(problems)} agree, "
          f"{len(problems)} differ; the fast path vouched for {accepted} of them ({time.perf_counter() - started:.0f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
