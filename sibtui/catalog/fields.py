"""Every field of the SBX, RPX and CNX files, declared once.

A field is named by its XML element (or attribute) name, exactly as ANS spells it; that name
is also its column name in the workspace, its key in the validator and its label source in
the console. Where a field sits in each file (and whether it is required there) is described
by the element trees in `sibtui.catalog.shapes`, which point back to these objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sibtui.catalog import domains as d
from sibtui.catalog.domains import Domain


@dataclass(frozen=True)
class Field:
    """One SIB field: its name, pt-BR label, value domain and how the product treats it."""

    name: str
    label: str
    domain: Domain
    rpx_field_id: str | None = None  # `codigoCampo` of RPX errors about this field (§4.2)
    editable: bool = False  # may the analyst change it before regenerating an SBX
    personal: bool = False  # personal data (LGPD): masked in mask mode
    help: str = ""

    @property
    def size(self) -> int | None:
        return self.domain.size


def _f(
    name: str,
    label: str,
    domain: Domain,
    rpx_field_id: str | None = None,
    *,
    editable: bool = True,
    personal: bool = False,
    help: str = "",
) -> Field:
    return Field(name, label, domain, rpx_field_id, editable, personal, help)


# Beneficiary data carried by SBX movements and CNX records, in schema order.
BENEFICIARY_FIELDS: tuple[Field, ...] = (
    _f("cco", "CCO", d.CCO, "30", help="Código de Controle Operacional atribuído pela ANS na inclusão."),
    _f("cpf", "CPF", d.CPF, "04", personal=True, help="CPF do próprio beneficiário."),
    _f("dn", "DN (Declaração de Nascido Vivo)", d.DN, "41", personal=True, help="Só para nascidos a partir de 2010-01-01."),
    _f("pisPasep", "PIS/PASEP/NIT", d.PIS_PASEP, "05", personal=True),
    _f("cns", "CNS (Cartão Nacional de Saúde)", d.CNS, "07", personal=True,
       help="15 dígitos; definitivo começa com 1 ou 2, provisório com 7, 8 ou 9."),
    _f("nome", "Nome do beneficiário", d.PESSOA, "01", personal=True),
    _f("sexo", "Sexo", d.SEXO, "03"),
    _f("dataNascimento", "Data de nascimento", d.DATA_NASCIMENTO, "02", personal=True),
    _f("nomeMae", "Nome da mãe", d.PESSOA, "06", personal=True),
    _f("logradouro", "Logradouro", d.LOGRADOURO, "22", personal=True),
    _f("numero", "Número do logradouro", d.NUMERO_LOGRADOURO, "23", personal=True),
    _f("complemento", "Complemento", d.COMPLEMENTO, "24", personal=True),
    _f("bairro", "Bairro", d.BAIRRO, "25"),
    _f("codigoMunicipio", "Município (IBGE, 6 dígitos)", d.MUNICIPIO, "26"),
    _f("codigoMunicipioResidencia", "Município de residência (IBGE)", d.MUNICIPIO, "29",
       help="Obrigatório quando o tipo de endereço é 1 (comercial)."),
    _f("cep", "CEP", d.CEP, "27", personal=True),  # pins a street, like logradouro
    _f("tipoEndereco", "Tipo de endereço", d.TIPO_ENDERECO, "21"),
    _f("resideExterior", "Reside no exterior", d.RESIDE_EXTERIOR, "28"),
    _f("codigoBeneficiario", "Código do beneficiário (matrícula)", d.CODIGO_BENEFICIARIO, "08"),
    _f("relacaoDependencia", "Relação de dependência", d.RELACAO_DEPENDENCIA, "13"),
    _f("codigoBeneficiarioTitular", "Código do beneficiário titular", d.CODIGO_BENEFICIARIO, "18"),
    _f("ccoBeneficiarioTitular", "CCO do titular", d.CCO, editable=False,
       help="Na conferência (CNX) o dependente aponta para o CCO do titular."),
    _f("dataPrimeiraContratacao", "Data da primeira contratação", d.DATA_PRIMEIRA_CONTRATACAO, editable=False),
    _f("dataContratacao", "Data de contratação", d.DATA_ADESAO, "12"),
    _f("dataReativacao", "Data de reativação", d.DATA_REATIVACAO, "20"),
    # Field ids 31/32 are disputed (criticas.md §1.2); the RPX's own descricaoCampo wins on screen.
    _f("dataCancelamento", "Data de cancelamento", d.DATA_CANCELAMENTO, "31"),
    _f("motivoCancelamento", "Motivo do cancelamento", d.MOTIVO_CANCELAMENTO, "32"),
    _f("numeroPlanoANS", "Plano (RPS)", d.PLANO_RPS, "09"),
    _f("numeroPlanoPortabilidade", "Plano de origem (portabilidade)", d.PLANO_RPS, "11"),
    _f("numeroPlanoOperadora", "Plano (SCPA)", d.PLANO_OPERADORA, "10"),
    _f("coberturaParcialTemporaria", "Cobertura parcial temporária", d.COBERTURA_PARCIAL, "14"),
    _f("itensExcluidosCobertura", "Itens excluídos da cobertura", d.ITENS_EXCLUIDOS, "15"),
    _f("cnpjEmpresaContratante", "CNPJ da contratante", d.CNPJ, "16"),
    _f("ceiEmpresaContratante", "CEI da contratante", d.CEI, "17"),
    _f("caepfEmpresaContratante", "CAEPF da contratante", d.CAEPF),
    _f("codigoProcedimentoAdministrativo", "Procedimento administrativo", d.REPAD),
)

# Attributes and leaves only found in CNX records.
CNX_FIELDS: tuple[Field, ...] = (
    _f("situacao", "Situação na ANS", d.SITUACAO_CNX, editable=False),
    _f("dataAtualizacao", "Atualização na ANS", d.FREE_TEXT, editable=False),
    _f("situacaoTransfrencia", "Situação de transferência", d.FREE_TEXT, editable=False,
       help="Grafia do XSD da ANS (sic)."),
)

# Only in a portfolio transfer (`ansParaOperadora/transferencia`, §1.3): the record's attribute
# and the header of the transfer (`tab`), which goes to the `files` row.
TRANSFER_FIELDS: tuple[Field, ...] = (
    _f("situacaoTransferencia", "Situação na transferência", d.SITUACAO_TRANSFERENCIA, editable=False,
       help="1 transferido; 2 cancelado na cedente por duplicidade na adquirente."),
    _f("tab_id", "Identificador da transferência", d.INTEGER, editable=False, help="Atributo id de <tab>."),
    _f("dataExecucaoProcesso", "Data de execução do processo", d.DATA_EXECUCAO_PROCESSO, editable=False),
    _f("dataEfetivaTransferencia", "Data efetiva da transferência", d.DATA_EFETIVA_TRANSFERENCIA, editable=False),
    _f("regsAnsOperadoraCedente", "Registro ANS da operadora cedente", d.REGISTRO_ANS, editable=False),
    _f("regsAnsOperadoraAdquirente", "Registro ANS da operadora adquirente", d.REGISTRO_ANS, editable=False),
)

# RPX content.
RPX_FIELDS: tuple[Field, ...] = (
    _f("codigoTipoMovimento", "Código do tipo de movimento", d.TIPO_MOVIMENTO, editable=False),
    _f("tipoMovimento", "Tipo de movimento", d.FREE_TEXT, editable=False),
    _f("codigoCampo", "Código do campo", d.CODIGO_CAMPO, editable=False),
    _f("descricaoCampo", "Campo", d.DESCRICAO_CAMPO, editable=False),
    _f("valorCampo", "Valor enviado", d.FREE_TEXT, editable=False, personal=True),
    _f("codigoErro", "Código do erro", d.CODIGO_ERRO, editable=False),
    _f("mensagemErro", "Mensagem da ANS", d.MENSAGEM_ERRO, editable=False),
    _f("nomeBeneficiario", "Nome do beneficiário", d.PESSOA, editable=False, personal=True),
    _f("numeroProtocolo", "Protocolo", d.FREE_TEXT, editable=False),
    _f("nomeArquivo", "Arquivo processado", d.FREE_TEXT, editable=False),
    _f("tamanhoArquivo", "Tamanho do arquivo", d.DOUBLE, editable=False),
    _f("dataHoraRecebimento", "Recebido em", d.DATETIME, editable=False),
    _f("enderecoIPOrigem", "IP de origem", d.FREE_TEXT, editable=False),
    _f("codigoMotivoRejeicao", "Código do motivo de rejeição", d.MOTIVO_REJEICAO_ARQUIVO, editable=False),
    _f("motivoRejeicao", "Motivo da rejeição", d.FREE_TEXT, editable=False),
    _f("quantidadeRegistros", "Registros", d.INTEGER, editable=False),
    _f("quantidadeProcessados", "Processados", d.INTEGER, editable=False),
    _f("quantidadeRejeitados", "Rejeitados", d.INTEGER, editable=False),
    _f("percentualAcerto", "% de acerto", d.DOUBLE, editable=False),
    _f("quantidadeOcorrenciaErro", "Ocorrências", d.INTEGER, editable=False),
)

# Header, no-movement declaration and epilogue, common to the three kinds.
ENVELOPE_FIELDS: tuple[Field, ...] = (
    _f("tipoTransacao", "Tipo de transação", d.FREE_TEXT, editable=False),
    _f("sequencialTransacao", "Sequencial da transação", d.INTEGER, editable=False),
    _f("dataHoraRegistroTransacao", "Data/hora da transação", d.DATETIME, editable=False),
    _f("codigoFalha", "Código da falha", d.FREE_TEXT, editable=False),
    _f("descricaoFalha", "Descrição da falha", d.FREE_TEXT, editable=False),
    _f("registroANS", "Registro ANS", d.REGISTRO_ANS, editable=False),
    _f("cnpj", "CNPJ", d.CNPJ, editable=False),
    _f("versaoPadrao", "Versão do padrão", d.VERSAO_PADRAO, editable=False),
    _f("nomeAplicativo", "Aplicativo gerador", d.FREE_TEXT, editable=False),
    _f("versaoAplicativo", "Versão do aplicativo", d.FREE_TEXT, editable=False),
    _f("fabricanteAplicativo", "Fabricante do aplicativo", d.FREE_TEXT, editable=False),
    _f("motivoNaoEnvioBeneficiarios", "Motivo do não envio", d.MOTIVO_NAO_ENVIO, editable=False),
    _f("hash", "Hash do epílogo", d.HASH, editable=False),
)

ALL_FIELDS: tuple[Field, ...] = BENEFICIARY_FIELDS + CNX_FIELDS + TRANSFER_FIELDS + RPX_FIELDS + ENVELOPE_FIELDS
FIELDS: dict[str, Field] = {field.name: field for field in ALL_FIELDS}
assert len(FIELDS) == len(ALL_FIELDS), "a field is declared twice"

# codigoCampo -> field, for RPX errors; ids 31/32 are disputed, so callers show descricaoCampo too.
FIELD_BY_RPX_ID: dict[str, Field] = {
    field.rpx_field_id: field for field in ALL_FIELDS if field.rpx_field_id is not None
}
