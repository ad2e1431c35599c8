"""Short Portuguese headers for grid columns (UI-free).

Grids head their columns with what an analyst reads (`Nascimento`, `ANS atribui`), not the
column names the SQL needs (`dataNascimento`, `qualifies_for_auto_assignment`); the raw name
stays one key away (the filter bar and SQL use it). Catalogue fields take their catalogue
label, shortened where a header has no room for it; the workspace's own columns are named here.
"""

from __future__ import annotations

from functools import cache

from sibtui.catalog.fields import FIELDS

# Catalogue fields whose label is too long for a header.
_SHORTER = {
    "nome": "Nome",
    "nomeMae": "Nome da mãe",
    "dataNascimento": "Nascimento",
    "numero": "Número",
    "codigoMunicipio": "Município",
    "codigoMunicipioResidencia": "Mun. residência",
    "codigoBeneficiario": "Cód. benef.",
    "codigoBeneficiarioTitular": "Cód. titular",
    "relacaoDependencia": "Relação",
    "dataPrimeiraContratacao": "1ª contratação",
    "dataContratacao": "Contratação",
    "dataReativacao": "Reativação",
    "dataCancelamento": "Cancelamento",
    "motivoCancelamento": "Motivo canc.",
    "numeroPlanoPortabilidade": "Plano origem",
    "coberturaParcialTemporaria": "CPT",
    "itensExcluidosCobertura": "Itens excluídos",
    "cnpjEmpresaContratante": "CNPJ contratante",
    "ceiEmpresaContratante": "CEI contratante",
    "caepfEmpresaContratante": "CAEPF contratante",
    "codigoProcedimentoAdministrativo": "Proc. adm.",
    "situacao": "Situação",
    "dataAtualizacao": "Atualização",
    "situacaoTransfrencia": "Transferência",
    "situacaoTransferencia": "Transf.",
    "estado": "Estado",
    "familia": "Família (CCO)",
    "conferencias_sem_cns": "Confs.",
    "codigoTipoMovimento": "Cód. mov.",
    "codigoCampo": "Cód. campo",
    "descricaoCampo": "Campo (ANS)",
    "valorCampo": "Valor (ANS)",
    "codigoErro": "Erro",
    "mensagemErro": "Mensagem ANS",
    "resideExterior": "Exterior",
    "tipoEndereco": "Tipo end.",
}

# Columns of the workspace that are not SIB fields.
_WORKSPACE = {
    "file_id": "Arquivo",
    "record_no": "Registro",
    "line": "Linha",
    "movement": "Movimento",
    "source_table": "Tabela",
    "table_name": "Tabela",
    "field": "Campo",
    "rule": "Regra",
    "severity": "Gravidade",
    "message": "Mensagem",
    "value": "Valor",
    "old_value": "Antes",
    "new_value": "Depois",
    "category": "Categoria",
    "qualifies_for_auto_assignment": "ANS atribui",
    "our_cns": "Nosso CNS",
    "cnx_cns": "CNS da CNX",
    "linked_by": "Ligado por",
    "kind": "Tipo",
    "name": "Nome do arquivo",
    "path": "Caminho",
    "rpx_file_id": "RPX",
    "rpx_record_no": "Reg. RPX",
    "error_no": "Nº erro",
    "sbx_name": "SBX",
    "sbx_file_id": "Arq. SBX",
    "sbx_record_no": "Reg. SBX",
    "current_value": "Valor atual",
    "decisao_reenvio": "Decisão de reenvio",
    "original": "Carregado",
    "current": "Atual",
    "record_key": "Chave",
    "edited_at": "Editado em",
    "os_user": "Usuário",
    "reason": "Motivo",
    "note": "Nota",
    "forced": "Forçado",
    "edit_id": "Edição",
    "action_id": "Ação",
    "action": "Tipo de ação",
    "from_record_no": "Reg. antes",
    "to_record_no": "Reg. depois",
    "from_file_id": "Arq. antes",
    "to_file_id": "Arq. depois",
}


@cache
def short_label(column: str) -> str:
    """The header of `column`: a short catalogue label, a workspace name, else the name itself."""
    if column in _SHORTER:
        return _SHORTER[column]
    if column in _WORKSPACE:
        return _WORKSPACE[column]
    field = FIELDS.get(column)
    if field is None:
        return column
    return field.label.split(" (")[0]
