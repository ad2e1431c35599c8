"""Building small SIB documents for tests, hashed by an independent reference implementation.

`reference_hash` follows `sib-format.md` §2.4 literally over a fully parsed tree, sharing no
code with sibtui's streaming hash, so tests that build files with it also check the loader.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "http://www.ans.gov.br/padroes/sib/schemas http://www.ans.gov.br/padroes/sib/schemas/sib.xsd"
ROOT_OPEN = (
    '<mensagemSIB xmlns:ansSIB="http://www.ans.gov.br/padroes/sib/schemas" '
    f'xmlns:xsi="{XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}">'
)
DECLARATION = '<?xml version="1.0" encoding="ISO-8859-1"?>\n'


def reference_hash(document: bytes) -> str:
    """§2.4: attribute values and texts, document order, blanks skipped, epilogo excluded."""
    root = etree.fromstring(document, etree.XMLParser(remove_comments=True, remove_pis=True, resolve_entities=False))
    pieces: list[str] = []

    def walk(element: etree._Element) -> None:
        if element.tag == "epilogo":
            return
        pieces.extend(value for value in element.attrib.values() if value.strip(" \t\r\n"))
        if element.text and element.text.strip(" \t\r\n"):
            pieces.append(element.text)
        for child in element:
            walk(child)

    walk(root)
    return hashlib.md5("".join(pieces).encode("latin-1")).hexdigest().upper()


def header(registro: str = "999997", *, kind: str = "SBX", sequencial: str = "7",
           when: str = "2025-02-03T10:15:00", version: str = "1.1") -> str:
    if kind == "SBX":
        ends = f"<origem><registroANS>{registro}</registroANS></origem><destino><cnpj>03589068000146</cnpj></destino>"
        transaction = "ATUALIZACAO SIB"
    else:
        ends = f"<origem><cnpj>03589068000146</cnpj></origem><destino><registroANS>{registro}</registroANS></destino>"
        transaction = "CONFERENCIA CADASTRAL" if kind == "CNX" else "RESULTADO PROCESSAMENTO"
    return (
        "<cabecalho><identificacaoTransacao>"
        f"<tipoTransacao>{transaction}</tipoTransacao><sequencialTransacao>{sequencial}</sequencialTransacao>"
        f"<dataHoraRegistroTransacao>{when}</dataHoraRegistroTransacao></identificacaoTransacao>"
        f"{ends}<versaoPadrao>{version}</versaoPadrao>"
        "<identificacaoSoftwareGerador><nomeAplicativo>TESTE</nomeAplicativo>"
        "<versaoAplicativo>1</versaoAplicativo><fabricanteAplicativo>SIBTUI</fabricanteAplicativo>"
        "</identificacaoSoftwareGerador></cabecalho>"
    )


def document(message: str, *, kind: str = "SBX", registro: str = "999997", hash_value: str | None = None,
             head: str | None = None) -> bytes:
    """A whole SIB document around `message` (the content of <mensagem>), correctly hashed."""
    body = f"{ROOT_OPEN}{head if head is not None else header(registro, kind=kind)}<mensagem>{message}</mensagem>"
    unsigned = (DECLARATION + body + "<epilogo><hash>0</hash></epilogo></mensagemSIB>").encode("latin-1")
    digest = hash_value if hash_value is not None else reference_hash(unsigned)
    return (DECLARATION + body + f"<epilogo><hash>{digest}</hash></epilogo></mensagemSIB>").encode("latin-1")


def sbx(movements: str, **options) -> bytes:
    return document(f"<operadoraParaANS><beneficiarios>{movements}</beneficiarios></operadoraParaANS>", **options)


def cnx(beneficiaries: str, **options) -> bytes:
    return document(
        f"<ansParaOperadora><conferencia>{beneficiaries}</conferencia></ansParaOperadora>", kind="CNX", **options
    )


INCLUSAO = (
    "<inclusao><identificacao><cpf>48291736537</cpf><cns>198765432100003</cns>"
    "<nome>MARIA DA SILVA EXEMPLO</nome><sexo>3</sexo><dataNascimento>1985-07-15</dataNascimento>"
    "<nomeMae>ANA DA SILVA EXEMPLO</nomeMae></identificacao>"
    "<endereco><codigoMunicipio>355030</codigoMunicipio></endereco>"
    "<vinculo><codigoBeneficiario>0001000100</codigoBeneficiario><relacaoDependencia>1</relacaoDependencia>"
    "<dataContratacao>2025-01-10</dataContratacao><numeroPlanoANS>412345678</numeroPlanoANS></vinculo></inclusao>"
)
CANCELAMENTO = (
    "<cancelamento><cco>039876543205</cco><dataCancelamento>2025-01-31</dataCancelamento>"
    "<motivoCancelamento>42</motivoCancelamento></cancelamento>"
)
BENEFICIARIO = (
    '<beneficiario cco="045550001100" situacao="ATIVO" dataAtualizacao="2025-02-05">'
    "<identificacao><cns>198765432100003</cns><nome>MARIA DA SILVA EXEMPLO</nome><sexo>3</sexo>"
    "<dataNascimento>1985-07-15</dataNascimento></identificacao><endereco/>"
    "<vinculo><codigoBeneficiario>0001000100</codigoBeneficiario><dataContratacao>2025-01-10</dataContratacao>"
    "</vinculo></beneficiario>"
)


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def rpx_rejecting(sbx_name: str, rejections: list[tuple[str, str, str, str]], *, when: str,
                  registro: str = "999997", protocolo: str = "1") -> bytes:
    """An RPX processing `sbx_name` that rejects records: (codigoTipoMovimento, key, codigoCampo,
    codigoErro), the key being the codigoBeneficiario of an inclusão (type 1), else the CCO."""
    records = "".join(
        f'<registroRejeitado {"codigoBeneficiario" if kind == "1" else "cco"}="{key}" codigoTipoMovimento="{kind}" '
        f'tipoMovimento="X"><campoErro><codigoCampo>{field}</codigoCampo><descricaoCampo>CAMPO</descricaoCampo>'
        f"<erro><codigoErro>{code}</codigoErro><mensagemErro>ERRO {code}</mensagemErro></erro></campoErro>"
        "</registroRejeitado>"
        for kind, key, field, code in rejections
    )
    totals = "".join(
        f"<{tag}><quantidadeRegistros>1</quantidadeRegistros><quantidadeProcessados>1</quantidadeProcessados>"
        f"<quantidadeRejeitados>1</quantidadeRejeitados><percentualAcerto>0.0</percentualAcerto></{tag}>"
        for tag in ("consolidadoInclusao", "consolidadoRetificacao", "consolidadoMudancaContratual",
                    "consolidadoReativacao", "consolidadoCancelamento", "consolidadoSemMovimentacao",
                    "consolidadoTotal")
    )
    result = (
        f"<arquivoProcessado><protocoloProcessamento><numeroProtocolo>{protocolo}</numeroProtocolo>"
        f"<nomeArquivo>{sbx_name}</nomeArquivo></protocoloProcessamento>"
        f"<registrosRejeitados>{records}</registrosRejeitados>"
        f"<consolidado><consolidadoProcessamento>{totals}</consolidadoProcessamento></consolidado></arquivoProcessado>"
    )
    message = f"<ansParaOperadora><resultadoProcessamento>{result}</resultadoProcessamento></ansParaOperadora>"
    return document(message, kind="RPX", head=header(registro, kind="RPX", when=when))
