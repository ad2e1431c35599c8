"""Which columns a drill-down leads with (UI-free): what the analyst came to see first.

Drilling into an error code, the analyst wants, on the first screen at 80 columns: which
record (its key), the field in error as the record holds it now (edits applied; its header
names the field), what ANS says was sent (`valorCampo`) and why (`mensagemErro`). When the
code's field is not known, ANS's own `descricaoCampo` leads instead. The rest of the movement
follows; columns empty on every listed row are left out (`hide_empty`), and `file_id`, the
same on every row of one RPX, goes last.
"""

from __future__ import annotations

from collections.abc import Sequence

from sibtui.query.spec import GridSpec, Restriction

KEYS = ("record_no", "codigoBeneficiario", "cco")
AFTER = ("nome", "movement")

_LINKED_SQL = """
SELECT m.* EXCLUDE (file_id), e.descricaoCampo, e.valorCampo, e.mensagemErro, m.file_id
FROM sbx_movements_current AS m
JOIN (
    SELECT sbx_file_id, sbx_record_no,
           string_agg(DISTINCT descricaoCampo, ' / ') AS descricaoCampo,
           string_agg(DISTINCT valorCampo, ' / ') AS valorCampo,
           string_agg(DISTINCT mensagemErro, ' / ') AS mensagemErro
    FROM rpx_rejection_links
    WHERE rpx_file_id = ? AND trim(codigoErro) = ? AND sbx_record_no IS NOT NULL
    GROUP BY ALL
) AS e ON e.sbx_file_id = m.file_id AND e.sbx_record_no = m.record_no
ORDER BY m.file_id, m.record_no
"""

_FINDINGS_SQL = """
SELECT m.* EXCLUDE (file_id), f.campo, f.mensagem, f.valor, m.file_id
FROM {relation} AS m
JOIN (
    SELECT file_id, record_no, string_agg(DISTINCT field, ' / ') AS campo,
           string_agg(DISTINCT message, ' / ') AS mensagem, string_agg(DISTINCT value, ' / ') AS valor
    FROM findings WHERE rule = ? AND source_table = ?
    GROUP BY ALL
) AS f ON f.file_id = m.file_id AND f.record_no = m.record_no
ORDER BY m.file_id, m.record_no
"""


def rejected_movements_spec(rpx_file_id: int, code: str, label: str, fields: Sequence[str]) -> GridSpec:
    """The SBX movements an RPX rejected with `code`, led by key, field, ANS's value and
    message, then our current value of the `fields` the code is about."""
    if fields:
        leading = (*KEYS, *fields, "valorCampo", "mensagemErro", "descricaoCampo", *AFTER)
    else:
        leading = (*KEYS, "descricaoCampo", "valorCampo", "mensagemErro", *AFTER)
    return GridSpec(
        sql=_LINKED_SQL,
        sql_parameters=(rpx_file_id, code),
        title=f"Movimentos rejeitados: {label}",
        restriction=Restriction(label, "TRUE"),
        leading_columns=_unique(leading),
        records_of="sbx_movements",
        hide_empty=True,
        keep_empty=("valorCampo", *fields),  # a CPF missing is the error: its ∅ is the point
    )


def rejections_spec(rpx_file_id: int, code: str, label: str) -> GridSpec:
    """The rejections themselves, when the SBX they answer is not loaded."""
    return GridSpec(
        relation="rpx_rejection_links",
        title=f"Rejeições: {label}",
        restriction=Restriction(label, "s.rpx_file_id = ? AND trim(s.codigoErro) = ?", (rpx_file_id, code)),
        hidden_columns=("rpx_line", "sbx_line"),
        leading_columns=("rpx_record_no", "codigoBeneficiario", "cco", "descricaoCampo", "valorCampo",
                         "mensagemErro", "movement", "codigoErro"),
        hide_empty=True,
    )


def finding_records_spec(rule: str, source_table: str, fields: Sequence[str]) -> GridSpec:
    """The records of one rule, led by key, the field, our message and the value judged,
    then the field as the record holds it now."""
    label = f"regra {rule}"
    leading = (*KEYS, "situacao", *fields, "valor", "mensagem", "campo", *AFTER)
    return GridSpec(
        sql=_FINDINGS_SQL.format(relation=f"{source_table}_current"),
        sql_parameters=(rule, source_table),
        title=f"Achados: {label}",
        restriction=Restriction(label, "TRUE"),
        leading_columns=_unique(leading),
        records_of=source_table,
        hide_empty=True,
        keep_empty=tuple(fields),
    )


def _unique(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
