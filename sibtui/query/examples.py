"""Saved example queries for common SIB questions, offered by the SQL screen (UI-free)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExampleQuery:
    title: str
    sql: str


EXAMPLES: tuple[ExampleQuery, ...] = (
    ExampleQuery(
        "Beneficiários na CNX",
        "select count(*) from cnx_beneficiaries",
    ),
    ExampleQuery(
        "Rejeições por código de erro",
        "select codigoErro, mensagemErro, count(*) as erros\nfrom rpx_rejections\ngroup by all\norder by erros desc",
    ),
    ExampleQuery(
        "Rejeições com o movimento do SBX",
        "select codigoErro, movement, cco, codigoBeneficiario, valorCampo, sbx_name, sbx_record_no\n"
        "from rpx_rejection_links\norder by codigoErro",
    ),
    ExampleQuery(
        "% de acerto por tipo de movimento",
        "select f.name, t.movement, t.quantidadeRegistros, t.quantidadeRejeitados, t.percentualAcerto\n"
        "from rpx_totals t join files f using (file_id)\norder by f.file_id, t.line",
    ),
    ExampleQuery(
        "Arquivos rejeitados inteiros",
        "select nomeArquivo, codigoMotivoRejeicao, motivoRejeicao\nfrom rpx_results\nwhere status = 'rejeitado'",
    ),
    ExampleQuery(
        "Ativos sem CNS na CNX",
        "select cco, nome, dataNascimento, cpf\nfrom cnx_beneficiaries_current\n"
        "where situacao = 'ATIVO' and (cns is null or trim(cns) = '')",
    ),
    ExampleQuery(
        "Movimentos por tipo em cada SBX",
        "select f.name, m.movement, count(*) as movimentos\nfrom sbx_movements_current m join files f using (file_id)\n"
        "group by all order by all",
    ),
    ExampleQuery(
        "Achados da pré-crítica por regra",
        "select rule, severity, count(*) as achados\nfrom findings\ngroup by all\norder by achados desc",
    ),
)
