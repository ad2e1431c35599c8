"""The fast CNX path gives the reference loader's tables, or declines and lets lxml read the file.

Every file here is loaded twice, into two workspaces: once with `SIBTUI_PARSER=lxml` (the
reference) and once with `SIBTUI_PARSER=fast`. The tables must be identical, row for row,
including `record_no`, `line` and the `files` row (hashes, SHA-256, counts). A spy records
whether the fast path accepted the file, so each case also proves which path produced it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_DIR, query
from sibfiles import BENEFICIARIO, cnx, write
from sibtui.catalog.tables import RECORD_TABLES
from sibtui.errors import InputError, LoadCancelled
from sibtui.ingest import fastpath, staging
from sibtui.ingest.loader import load_file
from sibtui.workspace import Workspace

_VOLATILE = {"path", "loaded_at", "load_seconds", "load_path", "fast_path_declined"}  # which path: the spy
SECOND = (
    '<beneficiario cco="045550001209" situacao="INATIVO" dataAtualizacao="2025-02-05">'
    "<identificacao><cpf>48291736537</cpf><nome>JOSÉ D&amp;ÁVILA</nome><sexo>1</sexo>"
    "<dataNascimento>1980-01-02</dataNascimento><nomeMae>MARIA</nomeMae></identificacao>"
    "<endereco><logradouro>RUA A/B</logradouro><numero>10</numero><codigoMunicipio>355030</codigoMunicipio>"
    "</endereco><vinculo><codigoBeneficiario>0001000101</codigoBeneficiario><relacaoDependencia>3</relacaoDependencia>"
    "<ccoBeneficiarioTitular>045550001100</ccoBeneficiarioTitular><dataContratacao>2025-01-10</dataContratacao>"
    "<dataCancelamento>2025-02-01</dataCancelamento><motivoCancelamento>41</motivoCancelamento>"
    "<numeroPlanoANS>412345678</numeroPlanoANS></vinculo><situacaoTransfrencia>1</situacaoTransfrencia></beneficiario>"
)
RECORDS = BENEFICIARIO + SECOND + BENEFICIARIO.replace("045550001100", "045550001313")
PADDING = BENEFICIARIO * 200


class _Spy:
    """Wraps `fastpath.load` to tell whether the fast path accepted each file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.accepted: list[bool] = []
        original = fastpath.load

        def spy(*args, **kwargs):
            loaded = original(*args, **kwargs)
            self.accepted.append(isinstance(loaded, fastpath.FastLoad))
            return loaded

        monkeypatch.setattr(fastpath, "load", spy)


@pytest.fixture
def spy(monkeypatch) -> _Spy:
    return _Spy(monkeypatch)


def snapshot(workspace: Workspace) -> dict[str, list[tuple]]:
    """Every row of every table the loader writes, minus what depends on when and where."""
    tables = {}
    for name in ("files", "load_warnings", *(table.name for table in RECORD_TABLES)):
        columns = [row[0] for row in query(workspace, f"DESCRIBE {name}") if row[0] not in _VOLATILE]
        select = ", ".join(f'"{column}"' for column in columns)
        tables[name] = query(workspace, f"SELECT {select} FROM {name} ORDER BY ALL")
    return tables


def load_both(tmp_path: Path, monkeypatch, files: list[Path]) -> tuple[dict, dict]:
    results = []
    for mode in ("lxml", "fast"):
        monkeypatch.setenv(fastpath.PARSER_ENV, mode)
        with Workspace(tmp_path / f"{mode}.duckdb") as workspace:
            for path in files:
                load_file(workspace, path)
            results.append(snapshot(workspace))
    return results[0], results[1]


def outcome(tmp_path: Path, monkeypatch, path: Path, mode: str) -> object:
    """The snapshot after loading `path` with `mode`, or the error message it raised."""
    monkeypatch.setenv(fastpath.PARSER_ENV, mode)
    with Workspace(tmp_path / f"{mode}-{path.name}.duckdb") as workspace:
        try:
            load_file(workspace, path)
        except InputError as error:
            return str(error)
        return snapshot(workspace)


def assert_same(tmp_path, monkeypatch, spy, content: bytes, accepted: bool, name: str = "case.cnx") -> None:
    path = write(tmp_path, name, content)
    reference = outcome(tmp_path, monkeypatch, path, "lxml")
    assert spy.accepted == []
    fast = outcome(tmp_path, monkeypatch, path, "fast")
    assert fast == reference
    assert spy.accepted == [accepted]


# --- the corpus ----------------------------------------------------------------------------


def test_sample_conferences_load_identically_through_the_fast_path(tmp_path, monkeypatch, spy):
    files = sorted(SAMPLE_DIR.glob("*.CNX"))
    assert len(files) == 2
    reference, fast = load_both(tmp_path, monkeypatch, files)
    assert spy.accepted == [True, True]
    assert fast == reference
    assert len(fast["cnx_beneficiaries"]) > 30


def test_fact_sheet_conference_loads_identically(tmp_path, monkeypatch, spy, fact_sheet_files):
    reference, fast = load_both(tmp_path, monkeypatch, [fact_sheet_files["CNX"]])
    assert spy.accepted == [True]
    assert fast == reference
    assert fast["files"][0][fast_column(fast, "hash_ok")] is True


def fast_column(snap: dict, name: str) -> int:
    """Index of a `files` column in a snapshot (columns follow the DDL, minus volatile ones)."""
    from sibtui.catalog.tables import FILES_COLUMN_NAMES

    return [column for column in FILES_COLUMN_NAMES if column not in _VOLATILE].index(name)


def test_generated_conferences_past_the_big_line_mark_load_identically(tmp_path, monkeypatch, spy):
    """2,500 indented records run past line 65,535, where lxml's `sourceline` changes rule."""
    from bench.generate import generate

    paths = generate(tmp_path / "gen", records=2_500, movements=400, seed=7, kinds={"cnx", "cnx2"})
    files = [paths.cnx_before, paths.cnx_after]
    reference, fast = load_both(tmp_path, monkeypatch, files)
    assert spy.accepted == [True, True]
    assert fast == reference
    lines = [row[2] for row in fast["cnx_beneficiaries"]]
    assert max(lines) > 65_535


def test_built_compact_file_loads_identically(tmp_path, monkeypatch, spy):
    assert_same(tmp_path, monkeypatch, spy, cnx(RECORDS), accepted=True)


# --- files the fast path reads, though its parser alone would get them wrong ------------------


@pytest.mark.parametrize(
    "old, new",
    [
        ("<sexo>3</sexo>", "<sexo/>"),  # xml2arrow alone reports an empty element as absent
        ("<sexo>3</sexo>", "<sexo></sexo>"),
        ("<endereco/>", "<endereco></endereco>"),
        ("<nome>MARIA DA SILVA EXEMPLO</nome>", "<nome>MARIA &#233; &lt;X&gt;</nome>"),
        ("<nome>MARIA DA SILVA EXEMPLO</nome>", "<nome>MARIA<!-- nota -->SILVA</nome>"),
        ("<nome>MARIA DA SILVA EXEMPLO</nome>", "<nome><![CDATA[MARIA <B>]]></nome>"),
        ("</beneficiario>", "</beneficiario>\r\n"),
    ],
)
def test_unusual_but_valid_records_load_identically(tmp_path, monkeypatch, spy, old, new):
    content = cnx(RECORDS.replace(old, new, 1))
    assert_same(tmp_path, monkeypatch, spy, content, accepted=True)


# --- files the fast path declines, leaving lxml to give the same tables or error --------------


@pytest.mark.parametrize(
    "old, new",
    [
        ("<cns>", "<apelido/><cns>"),  # blank unknown element: nothing of it in the hash
        ("<cns>", '<cns tipo="">'),  # blank unknown attribute on a leaf
        ('situacao="ATIVO"', 'situacao="ATIVO" extra=""'),  # on the record
        ("<identificacao>", "<identificacao>texto solto"),
        ("<cns>198765432100003</cns>", "<cns>1</cns><cns>2</cns>"),
        ("<endereco/>", "<endereco><cns>1</cns></endereco>"),  # known leaf, wrong place
        ("<nome>MARIA DA SILVA EXEMPLO</nome>", "<nome>MARIA&#1;</nome>"),
        ("<nome>MARIA DA SILVA EXEMPLO</nome>", "<nome>MARIA\x01</nome>"),
        ('<beneficiario cco="045550001100"', '<beneficiario\ncco="045550001100"'),
        ("</beneficiario>", "</beneficiario>solto"),
        ("</beneficiario>", "</beneficiario>\r"),
        ("<sexo>3</sexo>", "<sexo>3</sexo><nome>A</nome>"),
        ("</beneficiario>", "</beneficiario><beneficiarioExtra/>"),
        ("</beneficiario>", '</beneficiario><beneficiario cco="1"><beneficiario/></beneficiario>'),
    ],
)
def test_what_the_fast_path_cannot_vouch_for_goes_to_the_reference(tmp_path, monkeypatch, spy, old, new):
    assert old in RECORDS
    records = PADDING + RECORDS.replace(old, new, 1)  # past the sniffer's first 64 KiB
    assert_same(tmp_path, monkeypatch, spy, _hashed_if_possible(records), accepted=False)


def _hashed_if_possible(records: str) -> bytes:
    """A CNX with the right hash, or (for malformed XML, which has none) any hash."""
    from lxml import etree

    try:
        return cnx(records)
    except etree.XMLSyntaxError:
        return cnx(records, hash_value="0" * 32)


def test_a_wrong_declared_hash_is_computed_by_the_reference(tmp_path, monkeypatch, spy):
    assert_same(tmp_path, monkeypatch, spy, cnx(RECORDS, hash_value="0" * 32), accepted=False)


def test_attributes_out_of_schema_order_are_hashed_in_document_order(tmp_path, monkeypatch, spy):
    swapped = RECORDS.replace('cco="045550001209" situacao="INATIVO"', 'situacao="INATIVO" cco="045550001209"')
    assert_same(tmp_path, monkeypatch, spy, cnx(swapped), accepted=False)


def test_a_truncated_file_gets_the_reference_error(tmp_path, monkeypatch, spy):
    content = cnx(RECORDS)
    path = write(tmp_path, "truncated.cnx", content[: content.index(b"</conferencia>") - 40])
    reference = outcome(tmp_path, monkeypatch, path, "lxml")
    assert isinstance(reference, str) and "truncated" in reference
    assert outcome(tmp_path, monkeypatch, path, "fast") == reference
    assert spy.accepted == [False]


# --- behaviour around the transaction ------------------------------------------------------------


def test_cancel_during_a_fast_load_keeps_nothing(tmp_path, monkeypatch, spy, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    load_file(workspace, SAMPLE_DIR / "ArqConf9999970920261001.CNX")
    before = snapshot(workspace)
    with pytest.raises(LoadCancelled):
        load_file(workspace, write(tmp_path, "c.cnx", cnx(RECORDS)), cancel=lambda: True)
    assert snapshot(workspace) == before
    assert query(workspace, "SELECT count(*) FROM duckdb_tables() WHERE database_name = ?", [staging.STAGING_DATABASE]) \
        == [(0,)]


def test_first_rows_are_visible_to_this_process_before_the_commit(tmp_path, monkeypatch, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    from bench.generate import generate

    path = generate(tmp_path / "gen", records=1_500, movements=10, seed=3, kinds={"cnx"}).cnx_before
    seen: list[tuple] = []

    def progress(done: int, total: int, records: int) -> None:
        if not seen and done < total:
            table = staging.preview_table(RECORD_TABLES[1])
            seen.append(query(workspace, f"SELECT count(*), min(record_no) FROM {table}")[0])
            seen.append(query(workspace, "SELECT count(*) FROM cnx_beneficiaries")[0])

    report = load_file(workspace, path, progress=progress)
    assert seen[0][0] > 0 and seen[0][1] == 1  # the preview holds the first rows
    assert seen[1] == (0,)  # the workspace table does not, until the commit
    assert query(workspace, "SELECT count(*) FROM cnx_beneficiaries") == [(report.record_count,)]


def test_progress_is_monotonic_and_ends_at_the_file_size(tmp_path, monkeypatch, spy, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    from bench.generate import generate

    path = generate(tmp_path / "gen", records=1_500, movements=10, seed=3, kinds={"cnx"}).cnx_before
    seen: list[tuple[int, int, int]] = []
    load_file(workspace, path, progress=lambda *values: seen.append(values))
    assert spy.accepted == [True]
    size = path.stat().st_size
    assert seen[-1] == (size, size, 1_500)
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)
    assert len(seen) > 2


def test_auto_mode_uses_the_fast_path_only_for_large_conferences(tmp_path, monkeypatch, spy, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "auto")
    small = write(tmp_path, "small.cnx", cnx(RECORDS))
    load_file(workspace, small)
    assert spy.accepted == []
    monkeypatch.setattr(fastpath, "FAST_PATH_MIN_BYTES", 1)
    load_file(workspace, write(tmp_path, "other.cnx", cnx(RECORDS, registro="000582")))
    assert spy.accepted == [True]


def test_without_xml2arrow_the_reference_loads_everything(tmp_path, monkeypatch, spy, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    monkeypatch.setattr(fastpath, "fast_parser", lambda layout: None)
    report = load_file(workspace, write(tmp_path, "c.cnx", cnx(RECORDS)))
    assert report.record_count == 3 and spy.accepted == []


@pytest.mark.parametrize("failure", ["import", "mapping"])
def test_xml2arrow_missing_or_refusing_leaves_the_reference(tmp_path, monkeypatch, spy, workspace, failure):
    import sys

    import xml2arrow

    if failure == "import":
        monkeypatch.setitem(sys.modules, "xml2arrow", None)  # `import xml2arrow` now raises ImportError
    else:
        def refuse(path):
            raise xml2arrow.Xml2ArrowError("mapping refused")

        monkeypatch.setattr(xml2arrow, "XmlToArrowParser", refuse)
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    fastpath.fast_parser.cache_clear()
    try:
        report = load_file(workspace, write(tmp_path, "c.cnx", cnx(RECORDS)))
    finally:
        fastpath.fast_parser.cache_clear()
    assert report.record_count == 3 and report.hash_ok and spy.accepted == []
    expected = "xml2arrow cannot be imported" if failure == "import" else "xml2arrow refuses the mapping"
    [(path, why)] = query(workspace, "SELECT load_path, fast_path_declined FROM files")
    assert path == "reference" and why.startswith(expected), why


def test_memory_limit_and_threads_are_lowered_during_a_fast_load_and_put_back(tmp_path, monkeypatch, spy, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    settings = "SELECT current_setting('memory_limit'), current_setting('threads')"
    query(workspace, "SET threads = 2")  # whatever the machine has, one is then a change
    before = query(workspace, settings)[0]
    during: list = []
    path = write(tmp_path, "c.cnx", cnx(RECORDS))
    load_file(workspace, path, progress=lambda *_: during.append(query(workspace, settings)[0]))
    load_file(workspace, write(tmp_path, "d.cnx", cnx(RECORDS, registro="000582")))
    assert spy.accepted == [True, True]
    assert query(workspace, settings)[0] == before
    assert during and all(limit != before[0] and int(threads) == 1 for limit, threads in during)


def test_a_file_without_declaration_loads_identically(tmp_path, monkeypatch, spy):
    from sibfiles import DECLARATION

    content = cnx(RECORDS)
    assert content.startswith(DECLARATION.encode())
    assert_same(tmp_path, monkeypatch, spy, content[len(DECLARATION):], accepted=True)


@pytest.mark.parametrize("reference", ["&#47;", "&#x2F;", "&#0047;", "&#61;", "&#x3d;"])
@pytest.mark.parametrize("old, new", [
    ("<cns>", "<apelido/><cns>"),  # an unknown empty element: one `/` the parser does not map
    ("<cns>", '<cns tipo="">'),  # an unknown attribute: one `=`
    ("<endereco/>", "<endereco><cns>1</cns></endereco>"),  # a known leaf misplaced
])
def test_a_character_reference_to_a_mark_cannot_hide_an_unknown_element(tmp_path, monkeypatch, spy, reference,
                                                                        old, new):
    """`&#47;` is a `/` in the value and none in the markup: counted raw, it balanced an
    unknown empty element (or attribute) elsewhere in the chunk, which the fast path dropped."""
    assert old in RECORDS
    records = RECORDS.replace("RUA A/B", f"RUA A{reference}B", 1).replace(old, new, 1)
    assert_same(tmp_path, monkeypatch, spy, _hashed_if_possible(PADDING + records), accepted=False)


# --- why a file went to the reference (the files row) ---------------------------------------

def test_the_files_row_says_which_parser_read_the_file(tmp_path, monkeypatch, spy, workspace):
    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    load_file(workspace, write(tmp_path, "ok.cnx", cnx(RECORDS)))
    load_file(workspace, write(tmp_path, "wrong-hash.cnx", cnx(RECORDS, registro="000582", hash_value="0" * 32)))
    monkeypatch.setenv(fastpath.PARSER_ENV, "lxml")
    load_file(workspace, write(tmp_path, "asked.cnx", cnx(RECORDS, registro="000590")))
    assert spy.accepted == [True, False]
    rows = query(workspace, "SELECT name, load_path, fast_path_declined FROM files ORDER BY file_id")
    assert rows[0] == ("ok.cnx", "fast", None)
    assert rows[1][:2] == ("wrong-hash.cnx", "reference") and rows[1][2].startswith("declared hash"), rows[1]
    assert rows[2] == ("asked.cnx", "reference", None)  # the reference was asked for: nothing declined


def test_a_bug_in_the_fast_path_is_recorded_not_hidden(tmp_path, monkeypatch, spy, workspace):
    def broken(self):
        raise KeyError("a bug in the fast path")

    monkeypatch.setenv(fastpath.PARSER_ENV, "fast")
    monkeypatch.setattr(fastpath._Pipeline, "run", broken)
    report = load_file(workspace, write(tmp_path, "c.cnx", cnx(RECORDS)))
    assert report.record_count == 3 and spy.accepted == [False]
    assert query(workspace, "SELECT load_path, fast_path_declined FROM files") == [
        ("reference", "KeyError: 'a bug in the fast path'")]

