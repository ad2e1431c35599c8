"""The month's CNX, SBX and RPX as ISO-8859-1 XML, in schema order, hashed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from realistic_month.ans import FIELD_LABELS, MESSAGES, Outcome
from realistic_month.people import REGISTRO, Vinculo
from realistic_month.plan import ORDER, Planned
from sibtui.catalog import shapes
from sibtui.catalog.kinds import Movement
from sibtui.xmlwriter import SibXmlWriter

ANS_CNPJ = "03589068000146"
TOTAL_TAGS = {"inclusao": "consolidadoInclusao", "retificacao": "consolidadoRetificacao",
              "mudancaContratual": "consolidadoMudancaContratual", "reativacao": "consolidadoReativacao",
              "cancelamento": "consolidadoCancelamento"}


def _header(kind: str, when: str) -> dict:
    ends = ({"origem_registroANS": REGISTRO, "destino_cnpj": ANS_CNPJ} if kind == "SBX"
            else {"origem_cnpj": ANS_CNPJ, "destino_registroANS": REGISTRO})
    return {"tipoTransacao": {"SBX": "ATUALIZACAO SIB", "CNX": "CONFERENCIA CADASTRAL"}.get(kind, "RESULTADO"),
            "sequencialTransacao": "1", "dataHoraRegistroTransacao": when, **ends, "versaoPadrao": "1.1",
            "nomeAplicativo": "GERADOR", "versaoAplicativo": "1", "fabricanteAplicativo": "TESTES"}


def _document(path: Path, kind: str, when: str, *opened: str) -> tuple[SibXmlWriter, object]:
    stream = path.open("wb")
    writer = SibXmlWriter(stream)
    writer.node(shapes.CABECALHO, _header(kind, when))
    for tag in ("mensagem", *opened):
        writer.open(tag)
    return writer, stream


def write_cnx(path: Path, vinculos: list[Vinculo]) -> None:
    writer, stream = _document(path, "CNX", "2026-10-01T07:00:00", "ansParaOperadora", "conferencia")
    with stream:
        for vinculo in vinculos:
            writer.node(shapes.CNX_BENEFICIARIO, vinculo.values)
        writer.finish()


def write_sbx(path: Path, movements: list[Planned]) -> None:
    writer, stream = _document(path, "SBX", "2026-11-03T10:15:00", "operadoraParaANS", "beneficiarios")
    with stream:
        for planned in movements:
            writer.node(shapes.MOVEMENT_SHAPES[Movement(planned.movement)], planned.values)
        writer.finish()


def write_rpx(path: Path, sbx_name: str, movements: list[Planned], outcomes: list[Outcome],
              messages: dict[str, tuple[str, str]]) -> None:
    writer, stream = _document(path, "RPX", "2026-11-05T03:12:44", "ansParaOperadora", "resultadoProcessamento",
                               "arquivoProcessado")
    with stream:
        writer.open("protocoloProcessamento")
        writer.leaf("numeroProtocolo", "202611050019")
        writer.leaf("nomeArquivo", sbx_name)
        writer.close("protocoloProcessamento")
        pairs = list(zip(movements, outcomes))
        _rejected(writer, [(p, o) for p, o in pairs if not o.accepted], messages)
        _included(writer, [(p, o) for p, o in pairs if o.accepted and p.movement == "inclusao"])
        _consolidated(writer, pairs, messages)
        writer.finish()


def _label_and_message(code: str, messages: dict[str, tuple[str, str]]) -> tuple[str, str]:
    return messages.get(code, (FIELD_LABELS.get(code[:2], "CAMPO"), MESSAGES[code]))


def _rejected(writer: SibXmlWriter, rejected: list[tuple[Planned, Outcome]], messages) -> None:
    if not rejected:
        return
    writer.open("registrosRejeitados")
    for planned, outcome in rejected:
        movement = Movement(planned.movement)
        key = ("codigoBeneficiario", planned.values["codigoBeneficiario"]) if movement is Movement.INCLUSAO \
            else ("cco", planned.values["cco"])
        writer.open("registroRejeitado", [key, ("codigoTipoMovimento", str(movement.code)),
                                          ("tipoMovimento", movement.label.upper())])
        for error in outcome.errors:
            label, message = _label_and_message(error.code, messages)
            writer.open("campoErro")
            writer.leaf("codigoCampo", error.field_id)
            writer.leaf("descricaoCampo", label)
            if error.value:
                writer.leaf("valorCampo", error.value)
            writer.open("erro")
            writer.leaf("codigoErro", error.code)
            writer.leaf("mensagemErro", message)
            writer.close("erro")
            writer.close("campoErro")
        writer.close("registroRejeitado")
    writer.close("registrosRejeitados")


def _included(writer: SibXmlWriter, included: list[tuple[Planned, Outcome]]) -> None:
    if not included:
        return
    writer.open("registrosIncluidos")
    for planned, outcome in included:
        writer.open("registroIncluido", [("codigoBeneficiario", planned.values["codigoBeneficiario"])])
        writer.leaf("cco", outcome.cco)
        writer.leaf("nomeBeneficiario", planned.values["nome"])
        writer.close("registroIncluido")
    writer.close("registrosIncluidos")


def _consolidated(writer: SibXmlWriter, pairs: list[tuple[Planned, Outcome]], messages) -> None:
    errors = Counter(error.code for _, outcome in pairs for error in outcome.errors)
    writer.open("consolidado")
    if errors:
        writer.open("consolidadoErroProcessamento")
        for code, count in sorted(errors.items()):
            writer.open("erro")
            writer.leaf("codigoErro", code)
            writer.leaf("mensagemErro", _label_and_message(code, messages)[1])
            writer.leaf("quantidadeOcorrenciaErro", str(count))
            writer.close("erro")
        writer.close("consolidadoErroProcessamento")
    writer.open("consolidadoProcessamento")
    for movement in ORDER:
        of_kind = [outcome for planned, outcome in pairs if planned.movement == movement]
        _counts(writer, TOTAL_TAGS[movement], len(of_kind), sum(not o.accepted for o in of_kind))
    _counts(writer, "consolidadoSemMovimentacao", 0, 0)
    _counts(writer, "consolidadoTotal", len(pairs), sum(not o.accepted for _, o in pairs))
    writer.close("consolidadoProcessamento")
    writer.close("consolidado")


def _counts(writer: SibXmlWriter, tag: str, total: int, rejected: int) -> None:
    writer.open(tag)
    writer.leaf("quantidadeRegistros", str(total))
    writer.leaf("quantidadeProcessados", str(total - rejected))
    writer.leaf("quantidadeRejeitados", str(rejected))
    writer.leaf("percentualAcerto", f"{100 * (total - rejected) / total if total else 100:.2f}")
    writer.close(tag)
