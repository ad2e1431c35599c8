"""Bad input: one located error, nothing kept, the workspace exactly as it was."""

from __future__ import annotations

import pytest

from conftest import ANS_EXAMPLE, spec_file, table_snapshot
from sibfiles import BENEFICIARIO, CANCELAMENTO, DECLARATION, INCLUSAO, ROOT_OPEN, cnx, header, sbx, write
from sibtui.errors import InputError
from sibtui.ingest.loader import load_file

GOOD = sbx(INCLUSAO + CANCELAMENTO)


def _variant(old: bytes, new: bytes, base: bytes = GOOD) -> bytes:
    assert old in base
    return base.replace(old, new, 1)


BAD_INPUTS = {
    "empty": (b"", "empty", None),
    "not_xml": (b"\x00\x01\x02 binary garbage \xff", "malformed XML", None),
    "truncated": (GOOD[: len(GOOD) // 2], "truncated", None),
    "utf8_declared": (GOOD.replace(b"ISO-8859-1", b"UTF-8"), "declares encoding 'UTF-8'", None),
    "bom": (b"\xef\xbb\xbf" + GOOD, "byte-order mark", None),
    "utf8_content": (_variant(b"MARIA DA SILVA", "MARIA DA CONCEIÇÃO".encode("utf-8")), "content is UTF-8", None),
    "other_root": (DECLARATION.encode() + b"<html><body/></html>", "root element is <html>", None),
    "unknown_leaf": (_variant(b"<cpf>", b"<apelido>X</apelido><cpf>"), "unknown or misplaced element", "apelido"),
    "unknown_group": (_variant(b"<endereco>", b"<extra/><endereco>"), "unknown or misplaced element", "extra"),
    "unknown_between_records": (_variant(b"<cancelamento>", b"<lixo>1</lixo><cancelamento>"), "unknown or misplaced", "lixo"),
    "unknown_after_last_record": (_variant(b"</beneficiarios>", b"<lixo/></beneficiarios>"), "unknown or misplaced", "lixo"),
    "unknown_in_header": (_variant(b"<versaoPadrao>", b"<outro>1</outro><versaoPadrao>"), "unknown or misplaced", "outro"),
    "repeated_leaf": (_variant(b"<cpf>48291736537</cpf>", b"<cpf>48291736537</cpf><cpf>1</cpf>"), "repeated", "cpf"),
    "repeated_header": (_variant(b"</cabecalho>", b"</cabecalho><cabecalho/>"), "repeated", "cabecalho"),
    "record_misplaced": (_variant(b"<identificacao>", b"<identificacao><cancelamento/>"), "not allowed inside <identificacao>", "cancelamento"),
    "text_in_container": (_variant(b"<beneficiarios>", b"<beneficiarios>texto solto"), "unexpected text", "beneficiarios"),
    "attribute_on_leaf": (_variant(b"<cpf>", b'<cpf tipo="x">'), "unexpected attribute", "cpf"),
    "doctype_xxe": (
        DECLARATION.encode() + b'<!DOCTYPE mensagemSIB [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + GOOD[len(DECLARATION):],
        "DOCTYPE", None,
    ),
    "undefined_entity": (_variant(b"MARIA DA SILVA", b"&segredo;"), "malformed XML", None),
    "illegal_character": (_variant(b"MARIA DA SILVA", b"MARIA\x01"), "malformed XML", None),
    "missing_epilogue": (GOOD.split(b"<epilogo>")[0] + b"</mensagemSIB>", "<epilogo> is missing", "epilogo"),
    # A transfer loads since issue 23; an empty one lacks its header (`tab`) and its records.
    "empty_transfer_message": (
        (DECLARATION + ROOT_OPEN + header(kind="CNX") + "<mensagem><ansParaOperadora><transferencia/></ansParaOperadora>"
         "</mensagem><epilogo><hash>X</hash></epilogo></mensagemSIB>").encode("latin-1"),
        "required element <tab> is missing inside <transferencia>", "tab",
    ),
    "cnx_record_in_sbx": (_variant(b"<cancelamento>", BENEFICIARIO.encode() + b"<cancelamento>"), "not allowed inside <beneficiarios>", "beneficiario"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_location_and_workspace_untouched(case, workspace, tmp_path):
    load_file(workspace, spec_file(ANS_EXAMPLE))
    before = table_snapshot(workspace)
    content, reason, element = BAD_INPUTS[case]
    path = write(tmp_path, f"{case}.sbx", content)
    with pytest.raises(InputError) as raised:
        load_file(workspace, path)
    error = raised.value
    assert reason in str(error), str(error)
    assert str(path) in str(error)
    if element is not None:
        assert error.element == element, str(error)
        assert error.line is not None
    assert "\n" not in str(error)
    assert table_snapshot(workspace) == before


def test_missing_file_and_directory(workspace, tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_file(workspace, tmp_path / "nada.sbx")
    with pytest.raises(InputError, match="not a regular file"):
        load_file(workspace, tmp_path)


def test_error_line_points_at_the_offending_element(workspace, tmp_path):
    pretty = GOOD.replace(b"><", b">\n<")
    content = pretty.replace(b"<cpf>", b"<cpf>1</cpf>\n<cpf>", 1)
    path = write(tmp_path, "linhas.sbx", content)
    with pytest.raises(InputError) as raised:
        load_file(workspace, path)
    lines = content.split(b"\n")
    assert lines[raised.value.line - 1].startswith(b"<cpf>")
    assert raised.value.element == "cpf"


def test_cnx_with_an_unknown_attribute(workspace, tmp_path):
    content = cnx(BENEFICIARIO.replace('situacao="ATIVO"', 'situacao="ATIVO" extra="1"'))
    with pytest.raises(InputError, match="unexpected attribute 'extra'"):
        load_file(workspace, write(tmp_path, "c.cnx", content))
