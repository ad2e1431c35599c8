"""The corpus of hostile and broken SIB inputs, generated (never kept as blobs).

Each `Case` says how to build its bytes, what the one-line error must say, and whether the
file is hostile (external entities, entity bombs, network): those are also run in a child
process, where memory, files opened and network connections are watched. XXE cases point
at `Targets`: a secret file whose token must appear nowhere, a FIFO that must never be
opened, and a local port that must never be connected to.

Run it to look at the files: `python tests/corpus/generate.py OUT_DIR` (targets inside
OUT_DIR, port 9, the discard port).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from sibfiles import (  # noqa: E402  (tests/ on the path when run as a script)
    BENEFICIARIO,
    CANCELAMENTO,
    DECLARATION,
    INCLUSAO,
    ROOT_OPEN,
    cnx,
    header,
    sbx,
)

ERROR = "error"
LOADS_WITH_WARNING = "loads-with-warning"
LOADS = "loads"
MIB = 1024 * 1024
HUGE_VALUE_BYTES = 10 * MIB
BIG_CNX_BYTES = 9 * MIB  # above the fast path's 8 MiB threshold
SECRET_TOKEN = "SEGREDO-DO-CORPUS-7f3a9c"
NAME = "MARIA DA SILVA EXEMPLO"


@dataclass(frozen=True)
class Targets:
    """What XXE files point at; the tests watch each of them."""

    secret: Path  # a regular file holding SECRET_TOKEN
    fifo: Path  # a named pipe: opening it for reading is detectable
    port: int  # a local TCP port a test listens on

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sib"


@dataclass(frozen=True)
class Case:
    name: str
    file_name: str
    build: Callable[[Targets], bytes]
    reason: str  # what the one-line message must contain (error, or the warning)
    element: str | None = None  # the element the error names, when it names one
    located: bool = False  # the error carries a line number
    outcome: str = ERROR
    hostile: bool = False  # entities, bombs, network: also run in a watched child process
    at: bytes | None = None  # what the reported line holds

    @property
    def kind(self) -> str:
        return self.file_name.rsplit(".", 1)[-1].upper()


def _pretty(document: bytes) -> bytes:
    """One element per line, so line numbers mean something (blank text is not hashed)."""
    return document.replace(b"><", b">\n<")


SBX = _pretty(sbx(INCLUSAO + CANCELAMENTO))
CNX = _pretty(cnx(BENEFICIARIO + BENEFICIARIO.replace("045550001100", "045550001209")))
_SBX_BODY = SBX[len(DECLARATION) :]
_CNX_BODY = CNX[len(DECLARATION) :]


def _swap(base: bytes, old: bytes, new: bytes) -> bytes:
    if old not in base:
        raise ValueError(f"{old!r} not in the base document")
    return base.replace(old, new, 1)


def _big_cnx(extra: Callable[[str], str] | None = None, size: int = BIG_CNX_BYTES) -> bytes:
    """A CNX above the fast path's threshold; `extra` alters the record in the middle."""
    count = size // len(BENEFICIARIO) + 1
    records = [BENEFICIARIO.replace("045550001100", f"{i:012d}") for i in range(count)]
    if extra is not None:
        records[count // 2] = extra(records[count // 2])
    return _pretty(cnx("".join(records), hash_value="0" * 32))


def _doctype(subset: str, body: bytes = _SBX_BODY) -> bytes:
    return DECLARATION.encode() + subset.encode() + b"\n" + body


def _with_entity_use(body: bytes, reference: str) -> bytes:
    return _swap(body, NAME.encode(), reference.encode())


def _billion_laughs() -> str:
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return "<!DOCTYPE mensagemSIB [" + "".join(lines) + "]>"


def _quadratic() -> tuple[str, str]:
    blob = "A" * 50_000
    return f'<!DOCTYPE mensagemSIB [<!ENTITY a "{blob}">]>', "&a;" * 50_000


def _garbage(seed: int, size: int) -> bytes:
    generator = random.Random(seed)
    return bytes(generator.randrange(256) for _ in range(size))


def _cases() -> list[Case]:
    huge = "A" * HUGE_VALUE_BYTES
    quadratic_doctype, quadratic_use = _quadratic()
    cases = [
        # --- not even XML ---------------------------------------------------------------
        Case("empty", "empty.SBX", lambda t: b"", "file is empty"),
        Case("blank", "blank.SBX", lambda t: b" \n\t\r\n  ", "file is empty"),
        Case("binary_garbage", "garbage.SBX", lambda t: b"\x00" + _garbage(7, 4096), "malformed XML"),
        Case("zip_archive", "baixado.SBX", lambda t: b"PK\x03\x04" + _garbage(8, 2000), "ZIP archive"),
        Case("gzip_archive", "baixado.CNX", lambda t: b"\x1f\x8b\x08\x00" + _garbage(9, 2000), "gzip"),
        Case("nul_bytes", "nul.SBX", lambda t: _swap(SBX, NAME.encode(), b"MARIA\x00\x00"), "malformed XML", located=True,
             at=b"MARIA\x00"),
        # --- cut short ------------------------------------------------------------------
        Case("truncated_in_record", "cortado.SBX", lambda t: SBX[: SBX.index(b"<nomeMae>") + 12], "truncated",
             located=True),
        Case("truncated_in_tag", "cortado-tag.SBX", lambda t: SBX[: SBX.index(b"<cancelamento>") + 5], "truncated",
             located=True),
        Case("truncated_cnx", "cortado.CNX", lambda t: CNX[: CNX.rindex(b"<nome>") + 9], "truncated", located=True),
        Case("truncated_big_cnx", "cortado-grande.CNX", lambda t: (lambda b: b[: len(b) * 19 // 20])(_big_cnx()),
             "truncated", located=True),
        # --- encodings ------------------------------------------------------------------
        Case("utf8_declared_latin1", "utf8.SBX",
             lambda t: _swap(SBX, NAME.encode(), "MARIA DA CONCEIÇÃO".encode("utf-8")), "content is UTF-8",
             located=True, at="CONCEIÇÃO".encode("utf-8")),
        Case("utf8_declared_latin1_cnx", "utf8.CNX",
             lambda t: _swap(CNX, NAME.encode(), "JOSÉ DA CONCEIÇÃO".encode("utf-8")), "content is UTF-8",
             located=True),
        Case("utf8_late_in_big_cnx", "utf8-tarde.CNX",
             lambda t: _big_cnx(lambda r: r.replace(NAME, "JOÃO DA CONCEIÇÃO")).replace(
                 "JOÃO DA CONCEIÇÃO".encode("latin-1"), "JOÃO DA CONCEIÇÃO".encode("utf-8")),
             "content is UTF-8", located=True),
        Case("latin1_declared_utf8", "declara-utf8.SBX",
             lambda t: _swap(SBX, b"ISO-8859-1", b"UTF-8").replace(NAME.encode(), "JOSÉ".encode("latin-1")),
             "declares encoding 'UTF-8'", located=True),
        Case("utf8_bom", "bom.SBX", lambda t: b"\xef\xbb\xbf" + SBX, "byte-order mark", located=True),
        Case("utf16", "utf16.SBX", lambda t: SBX.decode("latin-1").replace("ISO-8859-1", "UTF-16").encode("utf-16"),
             "byte-order mark", located=True),
        # --- not SIB --------------------------------------------------------------------
        Case("wrong_root", "raiz.SBX", lambda t: DECLARATION.encode() + b"<html><body>oi</body></html>",
             "root element is <html>", located=True),
        Case("tiss_message", "guia.SBX",
             lambda t: DECLARATION.encode() + b'<ans:mensagemTISS xmlns:ans="http://www.ans.gov.br/padroes/tiss/'
             b'schemas"><ans:cabecalho/></ans:mensagemTISS>', "root element is <mensagemTISS>", located=True),
        Case("sib_root_nothing_inside", "vazio.SBX", lambda t: DECLARATION.encode() + ROOT_OPEN.encode()
             + header().encode() + b"<mensagem/></mensagemSIB>", "no SIB message"),
        Case("two_roots", "duas-raizes.SBX", lambda t: SBX + b"\n<mensagemSIB/>", "content after the end",
             located=True),
        Case("sbx_named_cnx", "99999720250203101500.CNX", lambda t: SBX, "named .CNX but holds an SBX",
             outcome=LOADS_WITH_WARNING),
        Case("cnx_named_rpx", "ArqConf9999970220250210.RPX", lambda t: CNX, "named .RPX but holds an CNX",
             outcome=LOADS_WITH_WARNING),
        # --- structure ------------------------------------------------------------------
        Case("unknown_element", "desconhecido.SBX", lambda t: _swap(SBX, b"<cpf>", b"<apelido>X</apelido>\n<cpf>"),
             "unknown or misplaced element", "apelido", True, at=b"<apelido>"),
        Case("unknown_element_cnx", "desconhecido.CNX", lambda t: _swap(CNX, b"<nome>", b"<apelido>X</apelido><nome>"),
             "unknown or misplaced element", "apelido", True, at=b"<apelido>"),
        Case("unknown_element_big_cnx", "desconhecido-grande.CNX",
             lambda t: _big_cnx(lambda r: r.replace("<nome>", "<apelido>X</apelido><nome>")),
             "unknown or misplaced element", "apelido", True, at=b"<apelido>"),
        Case("repeated_element", "repetido.SBX", lambda t: _swap(SBX, b"<cpf>48291736537</cpf>",
             b"<cpf>48291736537</cpf><cpf>1</cpf>"), "repeated", "cpf", True, at=b"<cpf>1</cpf>"),
        Case("repeated_element_cnx", "repetido.CNX", lambda t: _swap(CNX, b"<sexo>3</sexo>",
             b"<sexo>3</sexo><sexo>1</sexo>"), "repeated", "sexo", True, at=b"<sexo>1</sexo>"),
        Case("repeated_attribute_cnx", "atributo-repetido.CNX",
             lambda t: _swap(CNX, b'situacao="ATIVO"', b'situacao="ATIVO" situacao="INATIVO"'), "malformed XML",
             located=True),
        Case("xinclude", "xinclude.SBX", lambda t: _swap(SBX, b"<cpf>", (
             f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{t.secret.as_uri()}" parse="text"/>'
             "<cpf>").encode()), "unknown or misplaced element", "include", True, hostile=True),
        # --- sizes ----------------------------------------------------------------------
        Case("huge_text", "texto-enorme.SBX", lambda t: _swap(SBX, NAME.encode(), huge.encode()), "longer than",
             located=True),
        Case("huge_text_cnx", "texto-enorme.CNX", lambda t: _swap(CNX, NAME.encode(), huge.encode()), "longer than",
             located=True),
        Case("huge_attribute_cnx", "atributo-enorme.CNX",
             lambda t: _swap(CNX, b'dataAtualizacao="2025-02-05"', f'dataAtualizacao="{huge}"'.encode()),
             "longer than", located=True),
        Case("deep_nesting", "profundo.SBX", lambda t: _swap(SBX, NAME.encode(), b"<a>" * 50_000 + b"</a>" * 50_000),
             "nested too deeply", located=True),
        Case("deep_nesting_cnx", "profundo.CNX", lambda t: _swap(CNX, NAME.encode(), b"<a>" * 50_000 + b"</a>" * 50_000),
             "nested too deeply", located=True),
        # --- characters -----------------------------------------------------------------
        Case("control_character", "controle.SBX", lambda t: _swap(SBX, NAME.encode(), b"MARIA\x01"), "not allowed",
             located=True, at=b"MARIA\x01"),
        Case("escape_byte", "escape.SBX", lambda t: _swap(SBX, NAME.encode(), b"\x1b[31mMARIA\x1b[0m"), "not allowed",
             located=True),
        Case("escape_reference", "escape-ref.CNX", lambda t: _swap(CNX, NAME.encode(), b"&#27;[2J&#x1b;]0;x&#7;"),
             "malformed XML", located=True),
        Case("surrogate_reference", "surrogate.SBX", lambda t: _swap(SBX, NAME.encode(), b"&#xD800;"),
             "malformed XML", located=True),
        Case("nonchar_reference", "fffe.CNX", lambda t: _swap(CNX, NAME.encode(), b"&#xFFFE;"), "malformed XML",
             located=True),
        Case("undefined_entity", "entidade.SBX", lambda t: _swap(SBX, NAME.encode(), b"&segredo;"), "malformed XML",
             located=True),
        Case("markup_lookalikes", "markup.SBX", lambda t: _swap(SBX, NAME.encode(),
             b"[bold red]ALERTA[/] [link=file:///etc/passwd]X[/link] [/b]\x9b31m"),
             "", outcome=LOADS),
        # --- entities and the network (refused at the DOCTYPE, never resolved) ---------
        Case("xxe_file", "xxe-arquivo.SBX", lambda t: _doctype(
             f'<!DOCTYPE mensagemSIB [<!ENTITY x SYSTEM "{t.secret.as_uri()}">]>', _with_entity_use(_SBX_BODY, "&x;")),
             "DOCTYPE", located=True, hostile=True, at=b"<!DOCTYPE"),
        Case("xxe_fifo", "xxe-fifo.CNX", lambda t: _doctype(
             f'<!DOCTYPE mensagemSIB [<!ENTITY x SYSTEM "{t.fifo.as_uri()}">]>', _with_entity_use(_CNX_BODY, "&x;")),
             "DOCTYPE", located=True, hostile=True),
        Case("xxe_http", "xxe-http.SBX", lambda t: _doctype(
             f'<!DOCTYPE mensagemSIB [<!ENTITY x SYSTEM "{t.url}">]>', _with_entity_use(_SBX_BODY, "&x;")),
             "DOCTYPE", located=True, hostile=True),
        Case("xxe_parameter_file", "xxe-parametro.SBX", lambda t: _doctype(
             f'<!DOCTYPE mensagemSIB [<!ENTITY % p SYSTEM "{t.fifo.as_uri()}"> %p;]>'),
             "DOCTYPE", located=True, hostile=True),
        Case("xxe_parameter_http", "xxe-parametro-http.CNX", lambda t: _doctype(
             f'<!DOCTYPE mensagemSIB [<!ENTITY % p SYSTEM "{t.url}"> %p;]>', _CNX_BODY),
             "DOCTYPE", located=True, hostile=True),
        Case("external_dtd_http", "dtd-http.SBX", lambda t: _doctype(f'<!DOCTYPE mensagemSIB SYSTEM "{t.url}">'),
             "DOCTYPE", located=True, hostile=True),
        Case("external_dtd_file", "dtd-arquivo.CNX", lambda t: _doctype(
             f'<!DOCTYPE mensagemSIB SYSTEM "{t.fifo.as_uri()}">', _CNX_BODY), "DOCTYPE", located=True, hostile=True),
        Case("billion_laughs", "risadas.SBX", lambda t: _doctype(_billion_laughs(),
             _with_entity_use(_SBX_BODY, "&lol9;")), "DOCTYPE", located=True, hostile=True),
        Case("quadratic_blowup", "quadratico.CNX", lambda t: _doctype(quadratic_doctype,
             _with_entity_use(_CNX_BODY, quadratic_use)), "DOCTYPE", located=True, hostile=True),
        Case("remote_schema_and_stylesheet", "esquema-remoto.SBX", lambda t: _swap(
             SBX.replace(b"http://www.ans.gov.br/padroes/sib/schemas/sib.xsd", t.url.encode() + b"/sib.xsd"),
             b"<mensagemSIB", f'<?xml-stylesheet type="text/xsl" href="{t.url}/x.xsl"?>\n<mensagemSIB'.encode()),
             "", outcome=LOADS, hostile=True),
    ]
    return cases


CASES: tuple[Case, ...] = tuple(_cases())
CASES_BY_NAME: dict[str, Case] = {case.name: case for case in CASES}


def write_case(case: Case, folder: Path, targets: Targets) -> Path:
    path = folder / case.file_name
    path.write_bytes(case.build(targets))
    return path


def write_corpus(folder: Path, targets: Targets) -> dict[str, Path]:
    """Every case written into `folder`: {case name: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    return {case.name: write_case(case, folder, targets) for case in CASES}


def make_targets(folder: Path, port: int) -> Targets:
    """The secret file and the FIFO inside `folder` (created when missing)."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "segredo.txt"
    secret.write_text(SECRET_TOKEN + "\n", encoding="ascii")
    fifo = folder / "segredo.fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    return Targets(secret, fifo, port)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/corpus/generate.py OUT_DIR", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    targets = make_targets(folder / "alvos", port=9)
    for name, path in write_corpus(folder, targets).items():
        print(f"{name:32} {path.stat().st_size:>10}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
