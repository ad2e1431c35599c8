"""The epilogue hash (§2): the ANS vector, the fact sheet's files, and each detail of the rule."""

from __future__ import annotations

import hashlib

import pytest

from conftest import ANS_EXAMPLE, ANS_EXAMPLE_HASH, REAL_SBX_DIR, spec_file
from sibfiles import CANCELAMENTO, DECLARATION, INCLUSAO, ROOT_OPEN, header, reference_hash, sbx, write
from sibtui.hashing import EpilogueHash, is_blank
from sibtui.ingest.hashcheck import check_hash


def test_ans_example_reproduces_the_published_hash():
    check = check_hash(spec_file(ANS_EXAMPLE))
    assert check.computed_latin1 == ANS_EXAMPLE_HASH
    assert check.declared == ANS_EXAMPLE_HASH
    assert check.ok and check.matched_encoding == "ISO-8859-1"


def test_ans_example_hash_input_is_the_string_ans_published():
    """The example's comment spells out the exact input string; our pieces must concatenate to it."""
    text = spec_file(ANS_EXAMPLE).read_text(encoding="latin-1")
    published = text.split("A PARTIR DA STRING ABAIXO:")[1].strip().splitlines()[0].strip()
    assert hashlib.md5(published.encode("latin-1")).hexdigest().upper() == ANS_EXAMPLE_HASH
    assert reference_hash(text.encode("latin-1")) == ANS_EXAMPLE_HASH


def test_fact_sheet_examples_match_their_declared_hashes(fact_sheet_files):
    for kind, path in fact_sheet_files.items():
        check = check_hash(path)
        assert check.ok, f"{kind}: declared {check.declared}, computed {check.computed_latin1}"
        assert check.kind.value == kind


def test_real_files_have_stale_hashes():
    """The two real SBX were edited after generation (spec README): a correct hash says so."""
    for path in sorted(spec_file(REAL_SBX_DIR).glob("*.SBX")):
        check = check_hash(path)
        assert not check.ok
        assert check.computed_latin1 == reference_hash(path.read_bytes())


def test_trailing_space_enters_the_hash_and_blank_values_do_not(tmp_path):
    movement = INCLUSAO.replace("<nome>MARIA DA SILVA EXEMPLO</nome>", "<nome>MARIA DA SILVA EXEMPLO </nome>")
    movement = movement.replace("<endereco>", "<endereco><complemento>   </complemento>")
    path = write(tmp_path, "a.sbx", sbx(movement))
    assert check_hash(path).ok
    stripped = write(tmp_path, "b.sbx", sbx(movement, hash_value=reference_hash(sbx(INCLUSAO))))
    assert not check_hash(stripped).ok  # the trailing space changes the digest


def test_entities_contribute_their_parsed_text(tmp_path):
    movement = INCLUSAO.replace("<codigoBeneficiario>0001000100", "<codigoBeneficiario>A&amp;B")
    content = sbx(movement)
    assert b"A&amp;B" in content
    assert check_hash(write(tmp_path, "e.sbx", content)).ok


def test_comments_and_epilogue_stay_out_of_the_hash(tmp_path):
    plain = sbx(CANCELAMENTO)
    commented = plain.replace(b"<cancelamento>", b"<!-- nota --><cancelamento>")
    assert check_hash(write(tmp_path, "c.sbx", commented)).ok


def test_hand_computed_digest_of_a_minimal_file(tmp_path):
    """The concatenation written out by hand, independent of both implementations."""
    content = sbx(CANCELAMENTO)
    expected_input = (
        "http://www.ans.gov.br/padroes/sib/schemas http://www.ans.gov.br/padroes/sib/schemas/sib.xsd"
        "ATUALIZACAO SIB72025-02-03T10:15:0099999703589068000146"
        "1.1TESTE1SIBTUI"
        "0398765432052025-01-3142"
    )
    expected = hashlib.md5(expected_input.encode("latin-1")).hexdigest().upper()
    check = check_hash(write(tmp_path, "h.sbx", content))
    assert check.computed_latin1 == expected
    assert check.ok


def test_non_ascii_text_hashes_latin1_bytes_and_reports_utf8_variant(tmp_path):
    movement = INCLUSAO.replace("MARIA DA SILVA EXEMPLO", "MARIA DA CONCEIÇÃO")
    content = sbx(movement)
    check = check_hash(write(tmp_path, "n.sbx", content))
    assert check.ok and check.matched_encoding == "ISO-8859-1"
    assert check.computed_utf8 != check.computed_latin1


def test_a_hash_over_utf8_bytes_is_recognised_as_such(tmp_path):
    movement = INCLUSAO.replace("MARIA DA SILVA EXEMPLO", "JOSÉ")
    accumulator = EpilogueHash()
    unsigned = sbx(movement, hash_value="0")
    body = unsigned.decode("latin-1")
    from lxml import etree

    root = etree.fromstring(unsigned)
    pieces = []
    for element in root.iter():
        if element.tag == "epilogo":
            break
        pieces.extend(v for v in element.attrib.values() if not is_blank(v))
        if not is_blank(element.text):
            pieces.append(element.text)
    accumulator.update(pieces)
    signed = body.replace("<hash>0</hash>", f"<hash>{accumulator.utf8_hex}</hash>").encode("latin-1")
    check = check_hash(write(tmp_path, "u.sbx", signed))
    assert check.matched_encoding == "UTF-8"


@pytest.mark.parametrize("text,blank", [(None, True), ("", True), (" \t\r\n", True), ("\xa0", False), (" x ", False)])
def test_only_xml_formatting_whitespace_is_blank(text, blank):
    assert is_blank(text) is blank


def test_header_builder_is_a_valid_document(tmp_path):
    content = (DECLARATION + ROOT_OPEN + header() + "<mensagem><operadoraParaANS><naoEnvioBeneficiarios>"
               "<motivoNaoEnvioBeneficiarios>62</motivoNaoEnvioBeneficiarios></naoEnvioBeneficiarios>"
               "</operadoraParaANS></mensagem><epilogo><hash>X</hash></epilogo></mensagemSIB>").encode("latin-1")
    path = write(tmp_path, "n.sbx", content)
    check = check_hash(path)
    assert check.computed_latin1 == reference_hash(content)
    assert not check.ok
