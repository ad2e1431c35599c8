"""Element trees of SBX movements, CNX and RPX records and the envelope sections.

These trees are the XSD's complex types (`sib-format.md` §1.1-§1.3) as data: which element
sits where, in which order, whether it is required, and which field (and so which column)
a leaf stores. The loader compiles them into lookup tables, the writer walks them to emit
elements in schema order, and the checker reads `required` and `choice` from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sibtui.catalog import domains as d
from sibtui.catalog.domains import Domain
from sibtui.catalog.fields import FIELDS, Field
from sibtui.catalog.kinds import FileKind, Movement


@dataclass(frozen=True)
class Attr:
    """An XML attribute that stores a field."""

    name: str
    field: Field
    required: bool = False


@dataclass(frozen=True)
class Node:
    """An element: a leaf storing one field, or a container of other elements."""

    tag: str
    field: Field | None = None
    children: tuple["Node", ...] = ()
    attributes: tuple[Attr, ...] = ()
    required: bool = False
    repeated: bool = False
    choice: str | None = None  # leaves sharing a choice name are mutually exclusive (xsd:choice)
    required_choices: tuple[str, ...] = ()  # choices of which one branch must be present
    column: str | None = None  # column name when it is not the field's name
    domain: Domain | None = None  # overrides the field's domain at this place

    @property
    def is_leaf(self) -> bool:
        return self.field is not None

    @property
    def column_name(self) -> str:
        if self.column:
            return self.column
        if self.field is None:
            raise ValueError(f"<{self.tag}> is a container, it has no column")
        return self.field.name

    @property
    def value_domain(self) -> Domain:
        if self.domain is not None:
            return self.domain
        if self.field is None:
            raise ValueError(f"<{self.tag}> is a container, it has no domain")
        return self.field.domain

    def leaves(self) -> Iterator["Node"]:
        """Leaves below this node in document order."""
        for child in self.children:
            if child.is_leaf:
                yield child
            else:
                yield from child.leaves()

    def child(self, tag: str) -> "Node":
        for candidate in self.children:
            if candidate.tag == tag:
                return candidate
        raise KeyError(f"<{self.tag}> has no child <{tag}>")


def leaf(
    name: str,
    required: bool = False,
    *,
    choice: str | None = None,
    column: str | None = None,
    domain: Domain | None = None,
) -> Node:
    return Node(name, FIELDS[name], required=required, choice=choice, column=column, domain=domain)


def group(tag: str, *children: Node, required: bool = True, repeated: bool = False) -> Node:
    return Node(tag, children=children, required=required, repeated=repeated)


def attr(name: str, required: bool = False) -> Attr:
    return Attr(name, FIELDS[name], required)


# --- SBX movements (§1.1) ---------------------------------------------------------------

_IDENTIFICACAO_NAMES = ("cpf", "dn", "pisPasep", "cns", "nome", "sexo", "dataNascimento", "nomeMae")
_ENDERECO_NAMES = (
    "logradouro",
    "numero",
    "complemento",
    "bairro",
    "codigoMunicipio",
    "codigoMunicipioResidencia",
    "cep",
    "tipoEndereco",
    "resideExterior",
)


def _plan_leaves(required_ans: bool = False) -> tuple[Node, ...]:
    return (
        leaf("numeroPlanoANS", required_ans, choice="plano"),
        leaf("numeroPlanoPortabilidade", choice="plano"),
        leaf("numeroPlanoOperadora", choice="plano"),
    )


def _coverage_leaves() -> tuple[Node, ...]:
    return (leaf("coberturaParcialTemporaria"), leaf("itensExcluidosCobertura"))


def _contractor_leaves() -> tuple[Node, ...]:
    return (
        leaf("cnpjEmpresaContratante", choice="contratante"),
        leaf("ceiEmpresaContratante", choice="contratante"),
        leaf("caepfEmpresaContratante", choice="contratante"),
    )


INCLUSAO = Node(
    "inclusao",
    children=(
        group(
            "identificacao",
            *(leaf(name, name in {"nome", "sexo", "dataNascimento"}) for name in _IDENTIFICACAO_NAMES),
        ),
        # The element is required; its content became optional in 2014, but codigoMunicipio
        # stays mandatory for an inclusão as a business rule (ANS-PDF §3.1).
        group("endereco", *(leaf(name, name == "codigoMunicipio") for name in _ENDERECO_NAMES)),
        group(
            "vinculo",
            leaf("codigoBeneficiario", True),
            leaf("relacaoDependencia", True),
            leaf("codigoBeneficiarioTitular"),
            leaf("dataContratacao", True),
            *_plan_leaves(),
            *_coverage_leaves(),
            *_contractor_leaves(),
        ),
    ),
    required_choices=("plano",),
)

# Since 2015 a retificação carries only what changes; its three containers stay required.
RETIFICACAO = Node(
    "retificacao",
    children=(
        leaf("cco", True),
        group("identificacao", *(leaf(name) for name in _IDENTIFICACAO_NAMES)),
        group("endereco", *(leaf(name) for name in _ENDERECO_NAMES)),
        group(
            "vinculo",
            leaf("codigoBeneficiario"),
            leaf("relacaoDependencia"),
            leaf("codigoBeneficiarioTitular"),
            leaf("dataContratacao"),
            leaf("dataReativacao"),
            leaf("dataCancelamento"),
            leaf("motivoCancelamento"),
            *_plan_leaves(),
            *_coverage_leaves(),
            *_contractor_leaves(),
        ),
        leaf("codigoProcedimentoAdministrativo"),
    ),
)

MUDANCA_CONTRATUAL = Node(
    "mudancaContratual",
    children=(
        leaf("cco", True),
        leaf("relacaoDependencia", True),
        leaf("codigoBeneficiarioTitular"),
        leaf("dataContratacao", True),
        *_plan_leaves(),
        *_coverage_leaves(),
        *_contractor_leaves(),
    ),
    required_choices=("plano",),
)

CANCELAMENTO = Node(
    "cancelamento",
    children=(leaf("cco", True), leaf("dataCancelamento", True), leaf("motivoCancelamento", True)),
)

REATIVACAO = Node("reativacao", children=(leaf("cco", True), leaf("dataReativacao", True)))

MOVEMENT_SHAPES: dict[Movement, Node] = {
    Movement.INCLUSAO: INCLUSAO,
    Movement.RETIFICACAO: RETIFICACAO,
    Movement.MUDANCA_CONTRATUAL: MUDANCA_CONTRATUAL,
    Movement.CANCELAMENTO: CANCELAMENTO,
    Movement.REATIVACAO: REATIVACAO,
}

# --- CNX record (§1.3) ------------------------------------------------------------------

CNX_BENEFICIARIO = Node(
    "beneficiario",
    attributes=(attr("cco", True), attr("situacao", True), attr("dataAtualizacao")),
    children=(
        group(
            "identificacao",
            *(
                # In the CNX, names are plain xsd:string, not st_no_pessoa.
                leaf(
                    name,
                    name in {"nome", "sexo", "dataNascimento"},
                    domain=d.FREE_TEXT if name in {"nome", "nomeMae"} else None,
                )
                for name in _IDENTIFICACAO_NAMES
            ),
        ),
        group("endereco", *(leaf(name) for name in _ENDERECO_NAMES)),
        group(
            "vinculo",
            leaf("codigoBeneficiario", True),
            leaf("relacaoDependencia"),
            leaf("ccoBeneficiarioTitular"),
            leaf("dataPrimeiraContratacao"),
            leaf("dataContratacao", True),
            leaf("dataReativacao"),
            leaf("dataCancelamento"),
            leaf("motivoCancelamento"),
            *_plan_leaves(),
            *_coverage_leaves(),
            *_contractor_leaves(),
        ),
        leaf("situacaoTransfrencia"),
    ),
)

# --- Portfolio transfer (§1.3, `ansParaOperadora/transferencia`) ------------------------

# The same identificação, endereço and vínculo as a CNX record; the situation of the transfer
# is an attribute here (and the CNX's `situacaoTransfrencia` child does not exist).
TRANSFER_BENEFICIARIO = Node(
    "beneficiario",
    attributes=(*CNX_BENEFICIARIO.attributes, attr("situacaoTransferencia")),
    children=tuple(child for child in CNX_BENEFICIARIO.children if child.tag != "situacaoTransfrencia"),
)

TAB = Node(
    "tab",
    attributes=(Attr("id", FIELDS["tab_id"]),),
    children=(
        leaf("dataExecucaoProcesso", True),
        leaf("dataEfetivaTransferencia", True),
        leaf("regsAnsOperadoraCedente", True),
        leaf("regsAnsOperadoraAdquirente", True),
    ),
    required=True,
)
TAB_COLUMNS: tuple[str, ...] = ("tab_id", *(node.column_name for node in TAB.leaves()))

# --- RPX records and sections (§1.2) ----------------------------------------------------

RPX_REJEITADO = Node(
    "registroRejeitado",
    attributes=(
        attr("cco"),
        attr("codigoBeneficiario"),
        attr("codigoTipoMovimento", True),
        attr("tipoMovimento", True),
    ),
    children=(
        group(
            "campoErro",
            leaf("codigoCampo", True),
            leaf("descricaoCampo", True),
            leaf("valorCampo"),
            group("erro", leaf("codigoErro", True), leaf("mensagemErro", True), repeated=True),
            repeated=True,
        ),
    ),
)

RPX_INCLUIDO = Node(
    "registroIncluido",
    attributes=(attr("codigoBeneficiario", True),),
    children=(leaf("cco", True), leaf("nomeBeneficiario", True)),
)

PROTOCOLO = group("protocoloProcessamento", leaf("numeroProtocolo", True), leaf("nomeArquivo", True))

ARQUIVO_REJEITADO = group(
    "arquivoRejeitado",
    leaf("nomeArquivo", True),
    leaf("tamanhoArquivo", True),
    leaf("dataHoraRecebimento", True),
    leaf("enderecoIPOrigem", True),
    leaf("codigoMotivoRejeicao", True),
    leaf("motivoRejeicao", True),
)

COUNT_LEAVES = (
    leaf("quantidadeRegistros", True),
    leaf("quantidadeProcessados", True),
    leaf("quantidadeRejeitados", True),
    leaf("percentualAcerto", True),
)

# consolidadoProcessamento children -> the `movement` value of their rpx_totals row.
TOTALS_MOVEMENTS: dict[str, str] = {
    "consolidadoInclusao": Movement.INCLUSAO.value,
    "consolidadoRetificacao": Movement.RETIFICACAO.value,
    "consolidadoMudancaContratual": Movement.MUDANCA_CONTRATUAL.value,
    "consolidadoReativacao": Movement.REATIVACAO.value,
    "consolidadoCancelamento": Movement.CANCELAMENTO.value,
    "consolidadoSemMovimentacao": "semMovimentacao",
    "consolidadoTotal": "total",
}

# The (consolidadoErroProcessamento?, consolidadoProcessamento) pair occurs once or twice.
CONSOLIDADO = group(
    "consolidado",
    group(
        "consolidadoErroProcessamento",
        group(
            "erro",
            leaf("codigoErro", True),
            leaf("mensagemErro", True),
            leaf("quantidadeOcorrenciaErro", True),
            repeated=True,
        ),
        required=False,
        repeated=True,
    ),
    group("consolidadoProcessamento", *(group(tag, *COUNT_LEAVES) for tag in TOTALS_MOVEMENTS), repeated=True),
)
CONSOLIDADO_MAX_BLOCKS = 2

# --- Envelope (§1.0) --------------------------------------------------------------------

CABECALHO = group(
    "cabecalho",
    group(
        "identificacaoTransacao",
        leaf("tipoTransacao", True),
        leaf("sequencialTransacao", True),
        leaf("dataHoraRegistroTransacao", True),
    ),
    group(
        "falhaNegocio",
        group("falha", leaf("codigoFalha", True), leaf("descricaoFalha", True), repeated=True, required=False),
        required=False,
    ),
    group(
        "origem",
        leaf("registroANS", choice="origem", column="origem_registroANS"),
        leaf("cnpj", choice="origem", column="origem_cnpj"),
    ),
    group(
        "destino",
        leaf("registroANS", choice="destino", column="destino_registroANS"),
        leaf("cnpj", choice="destino", column="destino_cnpj"),
    ),
    leaf("versaoPadrao", True),
    group(
        "identificacaoSoftwareGerador",
        leaf("nomeAplicativo", True),
        leaf("versaoAplicativo", True),
        leaf("fabricanteAplicativo", True),
    ),
)

NAO_ENVIO = group("naoEnvioBeneficiarios", leaf("motivoNaoEnvioBeneficiarios", True))

EPILOGO = group("epilogo", leaf("hash", True, column="hash_declared"))

RECORD_SHAPES_BY_KIND: dict[FileKind, tuple[Node, ...]] = {
    FileKind.SBX: tuple(MOVEMENT_SHAPES.values()),
    FileKind.CNX: (CNX_BENEFICIARIO,),
    FileKind.RPX: (RPX_REJEITADO, RPX_INCLUIDO),
    FileKind.TRF: (TRANSFER_BENEFICIARIO,),
}


def header_columns() -> tuple[str, ...]:
    """Columns the header contributes to the `files` table, in document order."""
    return tuple(node.column_name for node in CABECALHO.leaves() if node.tag not in {"codigoFalha", "descricaoFalha"})
